#!/bin/sh
# samples/tls-through-proxies.pcap: curl through scripts/record/proxy.ts to OpenSSL s_server, three
# times: SOCKS5 on port 1080 (a clean TLS 1.3 handshake), SOCKS4 on port 1080 (no shared cipher:
# TLS 1.2 with AES128-SHA against ECDHE-RSA-AES256-GCM-SHA384 only), HTTP CONNECT on port 3128
# (clean). Both legs of each proxied connection are in the capture (client -> proxy, proxy ->
# server). Needs root for tcpdump on lo; run `npx tsc -p .` first.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/../..
PKI=$HERE/pki
OUT=${1:-$ROOT/samples/tls-through-proxies.pcap}
TMP=$(mktemp -d)
server() { # PORT OPTIONS...
  port=$1; shift
  (sleep 8 | openssl s_server -accept 127.0.0.1:$port -naccept 1 -cert "$PKI/server.pem" -key "$PKI/server.key" "$@" >"$TMP/s$port.log" 2>&1) &
}
server 4456 -tls1_3 -rev
server 4457 -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384
server 4458 -tls1_3 -rev
node "$ROOT/dist/scripts/record/proxy.js" --port 1080 --count 2 & P1=$!
node "$ROOT/dist/scripts/record/proxy.js" --port 3128 --count 1 & P2=$!
sleep 1
tcpdump -i lo -U --immediate-mode -w "$TMP/cap.pcap" "tcp port 1080 or tcp port 3128 or tcp portrange 4456-4458" 2>/dev/null & DUMP=$!
sleep 1
curl -sS -k --max-time 3 --socks5 127.0.0.1:1080 https://127.0.0.1:4456/ -o /dev/null 2>"$TMP/c1" || true
curl -sS -k --max-time 3 --socks4 127.0.0.1:1080 --tls-max 1.2 --ciphers AES128-SHA https://127.0.0.1:4457/ -o /dev/null 2>"$TMP/c2" || true
curl -sS -k --max-time 3 -x http://127.0.0.1:3128 https://127.0.0.1:4458/ -o /dev/null 2>"$TMP/c3" || true
cat "$TMP/c1" "$TMP/c2" "$TMP/c3"
sleep 1.5
kill -INT $DUMP; wait $DUMP || true
kill $P1 $P2 2>/dev/null || true
# The checks: tshark's streams (the SOCKS connections on 1080 each use up one more index), the
# SOCKS and HTTP CONNECT dialogues, and the failure's alert on both legs.
tshark -r "$TMP/cap.pcap" -T fields -e tcp.stream 2>/dev/null | sort -un | tr '\n' ' '; echo
test "$(tshark -r "$TMP/cap.pcap" -T fields -e tcp.stream 2>/dev/null | sort -un | tr '\n' ' ')" = "0 1 3 4 6 7 "
test "$(tshark -r "$TMP/cap.pcap" -Y 'socks.version == 5' 2>/dev/null | wc -l)" -ge 4
test "$(tshark -r "$TMP/cap.pcap" -Y 'socks.version == 4' 2>/dev/null | wc -l)" -ge 2
test "$(tshark -r "$TMP/cap.pcap" -Y 'http.request.method == "CONNECT"' 2>/dev/null | wc -l)" = 1
test "$(tshark -r "$TMP/cap.pcap" -Y 'tls.alert_message.desc == 40' 2>/dev/null | wc -l)" = 2
grep -q 'alert handshake failure' "$TMP/c2"
cp "$TMP/cap.pcap" "$OUT"
rm -rf "$TMP"
