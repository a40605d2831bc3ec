#!/usr/bin/env bash
# Records the decryption samples of samples/decrypt/: one TLS connection (two for 0-RTT) between
# OpenSSL s_client and s_server on loopback per cipher family, with the client's key log
# (-keylogfile) beside the capture. tshark's reading of them with the same key logs is
# test/golden/decrypt/*.json (scripts/record/decrypt-golden.sh). CI never runs this.
#
#   scripts/record/record-decrypt.sh [NAME ...]     (default: all)
#
# Needs root (tcpdump on lo), openssl 3.x, tcpdump, ss. Uses ports 4450-4469 on 127.0.0.1 only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/samples/decrypt
PKI=$ROOT/scripts/record/pki
WORK=$(mktemp -d /tmp/tlsdiag-decrypt.XXXXXX)
HOST=127.0.0.1
mkdir -p "$OUT"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
wait_listening() {
  for _ in $(seq 50); do ss -Hltn "sport = :$1" | grep -q . && return 0; sleep 0.1; done
  fail "nothing listens on port $1"
}

# scenario NAME PORT "SERVER OPTIONS" "CLIENT OPTIONS" [INPUT]
# The client sends INPUT (default: one line; \n separates lines, sent half a second apart) and EOF
# one second later, then closes with close_notify. A line `K` is s_client's KeyUpdate command, `R` its renegotiation.
scenario() {
  local name=$1 port=$2 sopts=$3 copts=$4 input=${5:-'hello from the tlsdiag sample client'}
  rm -f "$WORK/$name.keys"
  tcpdump -i lo -U --immediate-mode -w "$WORK/$name.pcap" "tcp port $port" > "$WORK/$name.tcpdump.log" 2>&1 &
  local dump=$!; pids+=("$dump")
  sleep 1
  # shellcheck disable=SC2086
  sleep 30 2>/dev/null | openssl s_server -accept "$HOST:$port" -naccept 1 -cert "$PKI/server.pem" -key "$PKI/server.key" -rev $sopts > "$WORK/$name.server.log" 2>&1 &
  local srv=$!; pids+=("$srv")
  wait_listening "$port"
  # shellcheck disable=SC2086
  { printf '%b\n' "$input" | while IFS= read -r line; do printf '%s\n' "$line"; sleep 0.5; done; sleep 1; } | openssl s_client -connect "$HOST:$port" -servername localhost -keylogfile "$WORK/$name.keys" $copts > "$WORK/$name.client.log" 2>&1 || true
  sleep 1.5
  kill "$srv" 2>/dev/null || true
  kill -INT "$dump"; wait "$dump" 2>/dev/null || true
  cp "$WORK/$name.pcap" "$OUT/$name.pcap"
  cp "$WORK/$name.keys" "$OUT/$name.keys"
  echo "recorded $name"
}

# 0-RTT: a first connection saves the session, a second resumes it with early data.
zero_rtt() {
  local name=tls13-0rtt port=4469
  rm -f "$WORK/$name.keys" "$WORK/sess.pem"
  printf 'early data from the tlsdiag sample client\n' > "$WORK/early.txt"
  tcpdump -i lo -U --immediate-mode -w "$WORK/$name.pcap" "tcp port $port" > "$WORK/$name.tcpdump.log" 2>&1 &
  local dump=$!; pids+=("$dump")
  sleep 1
  sleep 30 2>/dev/null | openssl s_server -accept "$HOST:$port" -naccept 2 -cert "$PKI/server.pem" -key "$PKI/server.key" -early_data > "$WORK/$name.server.log" 2>&1 &
  local srv=$!; pids+=("$srv")
  wait_listening "$port"
  { echo 'first connection'; sleep 1; } | openssl s_client -connect "$HOST:$port" -servername localhost -tls1_3 -keylogfile "$WORK/$name.keys" -sess_out "$WORK/sess.pem" > "$WORK/$name.client1.log" 2>&1 || true
  { echo 'second connection'; sleep 1; } | openssl s_client -connect "$HOST:$port" -servername localhost -tls1_3 -keylogfile "$WORK/$name.keys" -sess_in "$WORK/sess.pem" -early_data "$WORK/early.txt" > "$WORK/$name.client2.log" 2>&1 || true
  sleep 1.5
  kill "$srv" 2>/dev/null || true
  kill -INT "$dump"; wait "$dump" 2>/dev/null || true
  grep -q 'Early data was accepted' "$WORK/$name.client2.log" || fail "$name: early data not accepted"
  cp "$WORK/$name.pcap" "$OUT/$name.pcap"
  cp "$WORK/$name.keys" "$OUT/$name.keys"
  echo "recorded $name"
}

run() {
  case $1 in
    tls12-aes128-cbc-sha-etm) scenario "$1" 4450 "-tls1_2 -cipher ECDHE-RSA-AES128-SHA" "-tls1_2" ;;
    tls12-aes256-cbc-sha384-no-etm) scenario "$1" 4451 "-tls1_2 -cipher ECDHE-RSA-AES256-SHA384" "-tls1_2 -no_etm" ;;
    tls12-aes128-cbc-sha256-rsa) scenario "$1" 4452 "-tls1_2 -cipher AES128-SHA256" "-tls1_2 -cipher AES128-SHA256" ;;
    tls10-aes256-cbc-sha) scenario "$1" 4454 "-tls1 -cipher ECDHE-RSA-AES256-SHA:@SECLEVEL=0" "-tls1 -cipher ECDHE-RSA-AES256-SHA:@SECLEVEL=0" ;;
    tls11-aes128-cbc-sha) scenario "$1" 4455 "-tls1_1 -cipher AES128-SHA:@SECLEVEL=0" "-tls1_1 -cipher AES128-SHA:@SECLEVEL=0 -no_etm" ;;
    tls12-chacha20) scenario "$1" 4456 "-tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305" "-tls1_2" ;;
    tls12-aes128-ccm) scenario "$1" 4457 "-tls1_2 -cipher AES128-CCM" "-tls1_2 -cipher AES128-CCM" ;;
    tls12-aes256-gcm) scenario "$1" 4458 "-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384" "-tls1_2" ;;
    tls13-chacha20) scenario "$1" 4459 "-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256" "-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256" ;;
    tls13-aes128-ccm) scenario "$1" 4460 "-tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256" "-tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256" ;;
    tls13-hrr) scenario "$1" 4461 "-tls1_3 -groups P-384" "-tls1_3 -groups X25519:P-384" ;;
    tls13-key-update) scenario "$1" 4462 "-tls1_3" "-tls1_3" 'before the key update\nK\nafter the key update' ;;
    tls13-aes128-gcm-client-cert-rejected) scenario "$1" 4463 "-tls1_3 -Verify 1 -CAfile $PKI/ca-a.pem -verify_return_error" "-tls1_3 -cert $PKI/client-b.pem -key $PKI/client-b.key" ;;
    tls13-server-certificate-expired) scenario "$1" 4464 "-tls1_3 -cert $PKI/server-expired.pem" "-tls1_3 -CAfile $PKI/ca-a.pem -verify_return_error" ;;
    tls13-server-certificate-unknown-ca) scenario "$1" 4465 "-tls1_3" "-tls1_3 -CAfile $PKI/ca-b.pem -verify_return_error" ;;
    tls13-certificate-request-no-authorities) scenario "$1" 4466 "-tls1_3 -verify 1" "-tls1_3" ;;
    tls12-renegotiation) scenario "$1" 4467 "-tls1_2 -client_renegotiation -no_resumption_on_reneg" "-tls1_2" 'before the renegotiation\nR\nafter the renegotiation' ;;
    tls13-0rtt) zero_rtt ;;
    *) fail "no scenario $1" ;;
  esac
}

ALL="tls12-aes128-cbc-sha-etm tls12-aes256-cbc-sha384-no-etm tls12-aes128-cbc-sha256-rsa tls10-aes256-cbc-sha tls11-aes128-cbc-sha tls12-chacha20 tls12-aes128-ccm tls12-aes256-gcm tls13-chacha20 tls13-aes128-ccm tls13-hrr tls13-key-update tls13-aes128-gcm-client-cert-rejected tls13-server-certificate-expired tls13-server-certificate-unknown-ca tls13-certificate-request-no-authorities tls12-renegotiation tls13-0rtt"
for n in ${@:-$ALL}; do run "$n"; done
rm -rf "$WORK"
