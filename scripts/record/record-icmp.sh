#!/bin/sh
# samples/connection-filtered-icmp.pcap: curl's HTTPS connection attempt to 127.0.0.1:4450 answered
# by ICMP "communication administratively filtered" (scripts/record/icmp-filter.py stands in for
# the firewall). Needs root (raw sockets, tcpdump on lo).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../../samples/connection-filtered-icmp.pcap}
PORT=4450
TMP=$(mktemp -d)
# A listener whose accept queue is full: the kernel drops further SYNs instead of answering.
python3 -c "
import socket, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('127.0.0.1', $PORT)); l.listen(0)
fill = socket.create_connection(('127.0.0.1', $PORT))
open('$TMP/ready', 'w').close()
time.sleep(20)
" &
LISTENER=$!
while [ ! -e "$TMP/ready" ]; do sleep 0.1; done
tcpdump -i lo -U --immediate-mode -w "$TMP/cap.pcap" "(tcp port $PORT and tcp[tcpflags] & tcp-syn != 0 and not tcp[tcpflags] & tcp-ack != 0) or icmp" 2>/dev/null &
DUMP=$!
python3 "$HERE/icmp-filter.py" $PORT 1 &
FILTER=$!
sleep 1
curl -sS --connect-timeout 5 "https://127.0.0.1:$PORT/" >"$TMP/curl.out" 2>&1 || true
cat "$TMP/curl.out"
sleep 1.5
kill -INT $DUMP; wait $DUMP || true
wait $FILTER || true
kill $LISTENER 2>/dev/null || true
# The check: one SYN, one ICMP type 3 code 13 quoting it, in the same tcp.stream.
tshark -r "$TMP/cap.pcap" -T fields -e frame.number -e tcp.stream -e icmp.type -e icmp.code -e tcp.flags.syn
test "$(tshark -r "$TMP/cap.pcap" -Y 'icmp.type==3 && icmp.code==13 && tcp.stream==0' 2>/dev/null | wc -l)" = 1
# curl fails at once (EHOSTUNREACH), long before its 5 s connect timeout.
grep -q 'Failed to connect to 127.0.0.1 port 4450 after [0-9]* ms' "$TMP/curl.out"
cp "$TMP/cap.pcap" "$OUT"
rm -rf "$TMP"
