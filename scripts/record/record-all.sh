#!/usr/bin/env bash
# Re-records the sample captures of samples/ with real software on loopback, checks each one with
# tshark, and only then replaces the committed file. The captures are committed: CI never runs this.
#
#   scripts/record/record-all.sh [NAME ...]     NAME = a sample's file name without .pcap (default: all)
#
# Needs root (tcpdump on lo, vsftpd, a local FTP test user), Node 20 and the project built
# (npx tsc -p .), and: openssl 3.x, vsftpd 3.0.x, curl, lftp, tcpdump, tshark, ss.
# Side effects on the machine: creates the local user `tlsdiag` (password `tlsdiag`, test only) and
# its home /srv/tlsdiag-ftp holding hello.txt, the file the FTPS samples download.
# TLS key logs of the clients that write them (openssl s_client, curl, lftp/GnuTLS) go to samples/keys/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SAMPLES=$ROOT/samples
KEYS=$SAMPLES/keys
PKI=$ROOT/scripts/record/pki
CONF=$ROOT/scripts/record/vsftpd
STRICT=$ROOT/dist/scripts/strict-client.js
ABORT=$ROOT/dist/scripts/record/abort-server.js
FTP_USER=tlsdiag
FTP_HOME=/srv/tlsdiag-ftp
HOST=127.0.0.1
WORK=$(mktemp -d /tmp/tlsdiag-record.XXXXXX)
CLIENT_LINE='hello from the tlsdiag sample client'

started=()   # pids of the servers and tcpdumps this script started
cleanup() {
  local status=$?
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "$status" -eq 0 ]; then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT

fail() { echo "FAILED: $*" >&2; exit 1; }

# ---------------------------------------------------------------- processes and capture

# Servers read stdin from a FIFO this script holds open: s_server quits on stdin EOF.
mkfifo "$WORK/stdin"
exec 3<> "$WORK/stdin"

# background LOG CMD...: start a server; its pid in $last.
background() {
  local log=$1; shift
  "$@" < "$WORK/stdin" > "$WORK/$log.log" 2>&1 &
  last=$!
  started+=("$last")
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

wait_listening() {
  for _ in $(seq 50); do
    ss -Hltn "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  fail "nothing listens on port $1"
}

# capture_start NAME FILTER. --immediate-mode: without it libpcap hands packets over in blocks and a
# SIGINT drops the last second of the capture (seen here: closing FIN/close_notify missing).
capture_start() {
  : > "$WORK/$1.tcpdump"
  tcpdump -i lo -U --immediate-mode -Z root -w "$WORK/$1.pcap" "$2" 2> "$WORK/$1.tcpdump" &
  tcpdump_pid=$!
  started+=("$tcpdump_pid")
  for _ in $(seq 50); do
    grep -q 'listening on' "$WORK/$1.tcpdump" && return 0
    sleep 0.1
  done
  fail "tcpdump did not start for $1"
}

capture_stop() {
  sleep 1.5
  kill -INT "$tcpdump_pid"
  wait "$tcpdump_pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- checks (tshark as the oracle)

# tshark knows TLS and FTP by port number; each scenario names its ports in DECODE (Decode As).
DECODE=()
tls_on() { DECODE=(-d "tcp.port==$1,tls"); }
ftp_on() { DECODE=(-d "tcp.port==$1,ftp"); }
# FTPS with a key log: tshark hands TLS to FTP only after `AUTH TLS` (curl sends `AUTH SSL`) and
# offers no FTP inside TLS on other ports, so the control port is decoded as TLS and the decrypted
# replies are matched as bytes (data.data).
ftps_on() { # CONTROL_PORT PASV_MIN PASV_MAX
  DECODE=(-d "tcp.port==$1,tls" -d "tcp.port==$2-$3,tls")
}

tshark_count() { # PCAP FILTER [KEYLOG]
  local opts=("${DECODE[@]}")
  [ -n "${3:-}" ] && opts+=(-o "tls.keylog_file:$3")
  tshark -r "$1" "${opts[@]}" -Y "$2" -T fields -e frame.number 2>/dev/null | wc -l
}

expect() { # NAME WHAT FILTER [KEYLOG]
  [ "$(tshark_count "$WORK/$1.pcap" "$3" "${4:-}")" -gt 0 ] || fail "$1: expected $2 ($3)"
  echo "  ok: $2"
}

expect_none() { # NAME WHAT FILTER [KEYLOG]
  [ "$(tshark_count "$WORK/$1.pcap" "$3" "${4:-}")" -eq 0 ] || fail "$1: did not expect $2 ($3)"
  echo "  ok: no $2"
}

expect_log() { # NAME LOG PATTERN
  grep -q -- "$3" "$WORK/$2.log" || fail "$1: $2.log lacks '$3'"
  echo "  ok: $2 says '$3'"
}

keep() {
  cp "$WORK/$1.pcap" "$SAMPLES/$1.pcap"
  echo "  kept samples/$1.pcap ($(stat -c %s "$SAMPLES/$1.pcap") bytes)"
}

keylog() { # NAME: path of the key log a client writes; stale logs go first
  rm -f "$KEYS/$1.keys"
  echo "$KEYS/$1.keys"
}

drop_empty_keylog() { [ -s "$KEYS/$1.keys" ] || rm -f "$KEYS/$1.keys"; }

# ---------------------------------------------------------------- the peers

s_server() { # LOG PORT OPTIONS...: one-connection OpenSSL server with the CA A server certificate
  local log=$1 port=$2; shift 2
  background "$log" openssl s_server -accept "$HOST:$port" -naccept 1 -cert "$PKI/server.pem" -key "$PKI/server.key" "$@"
  server_pid=$last
  wait_listening "$port"
}

s_client() { # LOG PORT OPTIONS...: an OpenSSL client sending one line, then close_notify on stdin EOF
  local log=$1 port=$2; shift 2
  { printf '%s\n' "$CLIENT_LINE"; sleep 1; } |
    openssl s_client -connect "$HOST:$port" -servername localhost "$@" > "$WORK/$log.log" 2>&1 || true
}

vsftpd_start() { # CONF PORT PASV_MIN PASV_MAX [-oOPTION=VALUE...]
  local conf=$1 port=$2 pasv_min=$3 pasv_max=$4; shift 4
  background "vsftpd-$port" vsftpd "$CONF/$conf" "-olisten_port=$port" "-opasv_min_port=$pasv_min" \
    "-opasv_max_port=$pasv_max" "-orsa_cert_file=$PKI/server.pem" "-orsa_private_key_file=$PKI/server.key" "$@"
  vsftpd_pid=$last
  wait_listening "$port"
}

ensure_ftp_user() {
  id "$FTP_USER" > /dev/null 2>&1 ||
    useradd -M -d "$FTP_HOME" -s /bin/sh -c 'tlsdiag sample recordings (test only)' "$FTP_USER"
  echo "$FTP_USER:$FTP_USER" | chpasswd
  mkdir -p "$FTP_HOME"
  printf 'tlsdiag sample file: a few bytes sent over a TLS-protected FTP data connection.\n' > "$FTP_HOME/hello.txt"
  chmod 755 "$FTP_HOME"
  chmod 644 "$FTP_HOME/hello.txt"
}

# ---------------------------------------------------------------- scenarios (one capture each)

zos-empty-ca-list-tls12() {
  local n=${FUNCNAME[0]} port=4431
  tls_on $port
  s_server "$n.server" $port -verify 1
  capture_start "$n" "tcp port $port"
  node "$STRICT" --host $HOST --port $port --version tls1.2 > "$WORK/$n.client.log" 2>&1 || fail "$n: strict-client exit $?"
  capture_stop; stop "$server_pid"
  expect "$n" 'TLS 1.2 ServerHello' 'tls.handshake.type == 2 && tls.handshake.version == 0x0303'
  expect "$n" 'CertificateRequest with an empty CA list' 'tls.handshake.type == 13 && tls.handshake.dnames_len == 0'
  expect "$n" 'client fatal illegal_parameter(47)' 'tcp.srcport != 4431 && tls.alert_message.level == 2 && tls.alert_message.desc == 47'
  expect "$n" 'client FIN' 'tcp.srcport != 4431 && tcp.flags.fin == 1'
  keep "$n"
}

zos-empty-ca-list-tls10() {
  local n=${FUNCNAME[0]} port=4432
  tls_on $port
  # OpenSSL 3 allows TLS 1.0 only at security level 0.
  s_server "$n.server" $port -verify 1 -tls1 -cipher 'DEFAULT@SECLEVEL=0'
  capture_start "$n" "tcp port $port"
  node "$STRICT" --host $HOST --port $port --version tls1.0 > "$WORK/$n.client.log" 2>&1 || fail "$n: strict-client exit $?"
  capture_stop; stop "$server_pid"
  expect "$n" 'TLS 1.0 ServerHello' 'tls.handshake.type == 2 && tls.handshake.version == 0x0301'
  expect "$n" 'CertificateRequest with an empty CA list' 'tls.handshake.type == 13 && tls.handshake.dnames_len == 0'
  expect "$n" 'client fatal illegal_parameter(47) in a TLS 1.0 record' 'tls.record.version == 0x0301 && tls.alert_message.desc == 47'
  keep "$n"
}

vsftpd-zos-auth-tls-empty-ca-list() {
  local n=${FUNCNAME[0]} port=2121
  ftp_on $port
  vsftpd_start explicit-request-cert.conf $port 30000 30009
  capture_start "$n" "tcp port $port"
  node "$STRICT" --host $HOST --port $port --ftp > "$WORK/$n.client.log" 2>&1 || fail "$n: strict-client exit $?"
  capture_stop; stop "$vsftpd_pid"
  expect "$n" 'AUTH TLS' 'ftp.request.command == "AUTH"'
  expect "$n" '234 reply' 'ftp.response.code == 234'
  expect "$n" 'CertificateRequest with an empty CA list' 'tls.handshake.type == 13 && tls.handshake.dnames_len == 0'
  expect "$n" 'client fatal illegal_parameter(47)' 'tls.alert_message.desc == 47'
  expect "$n" "vsftpd's 500 OOPS" 'tcp.payload contains "500 OOPS"'
  keep "$n"
}

vsftpd-zos-no-shared-cipher() {
  local n=${FUNCNAME[0]} port=2128
  ftp_on $port
  # The cipher list Debian's vsftpd 3.0.3 uses when vsftpd.conf has no ssl_ciphers line.
  vsftpd_start explicit-request-cert.conf $port 30070 30079 -ossl_ciphers=ECDHE-RSA-AES256-GCM-SHA384
  capture_start "$n" "tcp port $port"
  node "$STRICT" --host $HOST --port $port --ftp > "$WORK/$n.client.log" 2>&1 && fail "$n: strict-client sent an alert"
  capture_stop; stop "$vsftpd_pid"
  expect "$n" '234 reply' 'ftp.response.code == 234'
  expect "$n" 'server fatal handshake_failure(40)' 'tcp.srcport == 2128 && tls.alert_message.desc == 40'
  expect_none "$n" 'ServerHello' 'tls.handshake.type == 2'
  expect "$n" "vsftpd's 500 OOPS naming the cause" 'tcp.payload contains "no shared cipher"'
  keep "$n"
}

empty-ca-list-accepted() {
  local n=${FUNCNAME[0]} port=4434
  tls_on $port
  s_server "$n.server" $port -verify 1 -tls1_2 -rev
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_2 -CAfile "$PKI/ca-a.pem" -verify_return_error -keylogfile "$(keylog "$n")"
  capture_stop; stop "$server_pid"
  expect "$n" 'CertificateRequest with an empty CA list' 'tls.handshake.type == 13 && tls.handshake.dnames_len == 0'
  expect "$n" 'an empty client Certificate' 'tls.handshake.type == 11 && tls.handshake.certificates_length == 0'
  expect "$n" 'application data from the client' 'tls.record.content_type == 23 && tcp.srcport != 4434'
  expect "$n" 'application data from the server' 'tls.record.content_type == 23 && tcp.srcport == 4434'
  expect_none "$n" 'fatal alert' 'tls.alert_message.level == 2' "$KEYS/$n.keys"
  expect_log "$n" "$n.client" 'No client certificate CA names sent'
  keep "$n"
}

no-shared-cipher() {
  local n=${FUNCNAME[0]} port=4435
  tls_on $port
  s_server "$n.server" $port -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_2 -cipher AES128-SHA
  capture_stop; stop "$server_pid"
  expect "$n" 'server fatal handshake_failure(40)' 'tcp.srcport == 4435 && tls.alert_message.desc == 40'
  expect_none "$n" 'ServerHello' 'tls.handshake.type == 2'
  expect_log "$n" "$n.server" 'no shared cipher'
  keep "$n"
}

protocol-version-rejected() {
  local n=${FUNCNAME[0]} port=4436
  tls_on $port
  s_server "$n.server" $port -tls1_2
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1 -cipher 'DEFAULT@SECLEVEL=0'
  capture_stop; stop "$server_pid"
  expect "$n" 'a TLS 1.0-only ClientHello' 'tls.handshake.type == 1 && tls.handshake.version == 0x0301 && !tls.handshake.extensions.supported_version'
  expect "$n" 'server fatal protocol_version(70)' 'tcp.srcport == 4436 && tls.alert_message.desc == 70'
  expect_none "$n" 'ServerHello' 'tls.handshake.type == 2'
  keep "$n"
}

ftp-plaintext-reply() {
  local n=${FUNCNAME[0]} port=2122
  tls_on $port
  vsftpd_start explicit-request-cert.conf $port 30010 30019
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port
  capture_stop; stop "$vsftpd_pid"
  expect "$n" 'ClientHello' 'tls.handshake.type == 1'
  expect "$n" "the server's plaintext 220" 'tcp.srcport == 2122 && tcp.payload contains "220 "'
  expect_none "$n" 'ServerHello' 'tls.handshake.type == 2'
  keep "$n"
}

handshake-aborted-by-server() {
  local n=${FUNCNAME[0]} port=4438
  tls_on $port
  background "$n.server" node "$ABORT" --host $HOST --port $port
  server_pid=$last; wait_listening $port
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port
  capture_stop; stop "$server_pid"
  expect "$n" 'ClientHello' 'tls.handshake.type == 1'
  expect "$n" 'server FIN' 'tcp.srcport == 4438 && tcp.flags.fin == 1'
  expect_none "$n" 'TLS from the server' 'tcp.srcport == 4438 && tls'
  expect_none "$n" 'RST' 'tcp.flags.reset == 1'
  keep "$n"
}

handshake-reset-by-server() {
  local n=${FUNCNAME[0]} port=4439
  tls_on $port
  background "$n.server" node "$ABORT" --host $HOST --port $port --reset
  server_pid=$last; wait_listening $port
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port
  capture_stop; stop "$server_pid"
  expect "$n" 'ClientHello' 'tls.handshake.type == 1'
  expect "$n" 'server RST' 'tcp.srcport == 4439 && tcp.flags.reset == 1'
  expect_none "$n" 'TLS from the server' 'tcp.srcport == 4439 && tls'
  keep "$n"
}

server-certificate-unknown-ca() {
  local n=${FUNCNAME[0]} port=4440
  tls_on $port
  s_server "$n.server" $port -tls1_2
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_2 -CAfile "$PKI/ca-b.pem" -verify_return_error
  capture_stop; stop "$server_pid"
  expect "$n" 'server Certificate' 'tcp.srcport == 4440 && tls.handshake.type == 11'
  expect "$n" 'client fatal unknown_ca(48)' 'tcp.srcport != 4440 && tls.alert_message.level == 2 && tls.alert_message.desc == 48'
  keep "$n"
}

server-certificate-expired() {
  local n=${FUNCNAME[0]} port=4441
  tls_on $port
  background "$n.server" openssl s_server -accept "$HOST:$port" -naccept 1 -tls1_2 \
    -cert "$PKI/server-expired.pem" -key "$PKI/server.key"
  server_pid=$last; wait_listening $port
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_2 -CAfile "$PKI/ca-a.pem" -verify_return_error
  capture_stop; stop "$server_pid"
  expect "$n" 'server Certificate' 'tcp.srcport == 4441 && tls.handshake.type == 11'
  expect "$n" 'client fatal certificate_expired(45)' 'tcp.srcport != 4441 && tls.alert_message.level == 2 && tls.alert_message.desc == 45'
  keep "$n"
}

client-certificate-missing-tls12() {
  local n=${FUNCNAME[0]} port=4442
  tls_on $port
  s_server "$n.server" $port -tls1_2 -Verify 1 -CAfile "$PKI/ca-a.pem"
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_2 -CAfile "$PKI/ca-a.pem" -keylogfile "$(keylog "$n")"
  capture_stop; stop "$server_pid"; drop_empty_keylog "$n"
  expect "$n" 'CertificateRequest naming CA A' 'tls.handshake.type == 13 && tls.handshake.dnames_len > 0'
  expect "$n" 'an empty client Certificate' 'tls.handshake.type == 11 && tls.handshake.certificates_length == 0'
  expect "$n" 'server fatal handshake_failure(40)' 'tcp.srcport == 4442 && tls.alert_message.desc == 40'
  expect_log "$n" "$n.server" 'peer did not return a certificate'
  keep "$n"
}

client-certificate-missing-tls13() {
  local n=${FUNCNAME[0]} port=4443
  tls_on $port
  s_server "$n.server" $port -tls1_3 -Verify 1 -CAfile "$PKI/ca-a.pem"
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_3 -CAfile "$PKI/ca-a.pem" -keylogfile "$(keylog "$n")"
  capture_stop; stop "$server_pid"
  expect "$n" 'TLS 1.3 ServerHello' 'tls.handshake.type == 2 && tls.handshake.extensions.supported_version == 0x0304'
  expect_none "$n" 'alert readable without keys' 'tls.alert_message'
  expect "$n" 'server certificate_required(116), with the key log' 'tcp.srcport == 4443 && tls.alert_message.desc == 116' "$KEYS/$n.keys"
  expect_log "$n" "$n.server" 'peer did not return a certificate'
  keep "$n"
}

client-certificate-rejected() {
  local n=${FUNCNAME[0]} port=4444
  tls_on $port
  # Without -verify_return_error s_server only logs a failed client verification and goes on.
  s_server "$n.server" $port -tls1_2 -Verify 1 -CAfile "$PKI/ca-a.pem" -verify_return_error
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_2 -CAfile "$PKI/ca-a.pem" -cert "$PKI/client-b.pem" -key "$PKI/client-b.key" \
    -keylogfile "$(keylog "$n")"
  capture_stop; stop "$server_pid"; drop_empty_keylog "$n"
  expect "$n" 'a client Certificate' 'tcp.srcport != 4444 && tls.handshake.type == 11 && tls.handshake.certificates_length > 0'
  expect "$n" 'server fatal alert (unknown_ca(48) or bad_certificate(42))' 'tcp.srcport == 4444 && (tls.alert_message.desc == 48 || tls.alert_message.desc == 42)'
  keep "$n"
}

clean-tls12() {
  local n=${FUNCNAME[0]} port=4445
  tls_on $port
  s_server "$n.server" $port -tls1_2 -Verify 1 -CAfile "$PKI/ca-a.pem" -rev
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_2 -CAfile "$PKI/ca-a.pem" -verify_return_error \
    -cert "$PKI/client-a.pem" -key "$PKI/client-a.key" -keylogfile "$(keylog "$n")"
  capture_stop; stop "$server_pid"
  expect "$n" 'CertificateRequest naming CA A' 'tls.handshake.type == 13 && tls.handshake.dnames_len > 0'
  expect "$n" 'application data from the server' 'tcp.srcport == 4445 && tls.record.content_type == 23'
  expect "$n" 'close_notify from the server' 'tls.alert_message.desc == 0 && tcp.srcport == 4445' "$KEYS/$n.keys"
  expect "$n" 'close_notify from the client' 'tls.alert_message.desc == 0 && tcp.srcport != 4445' "$KEYS/$n.keys"
  expect_none "$n" 'fatal alert' 'tls.alert_message.level == 2' "$KEYS/$n.keys"
  keep "$n"
}

clean-tls13() {
  local n=${FUNCNAME[0]} port=4446
  tls_on $port
  s_server "$n.server" $port -tls1_3 -rev
  capture_start "$n" "tcp port $port"
  s_client "$n.client" $port -tls1_3 -CAfile "$PKI/ca-a.pem" -verify_return_error -keylogfile "$(keylog "$n")"
  capture_stop; stop "$server_pid"
  expect "$n" 'TLS 1.3 ServerHello' 'tls.handshake.type == 2 && tls.handshake.extensions.supported_version == 0x0304'
  expect "$n" 'application data from the server, with the key log' 'tcp.srcport == 4446 && tls.app_data' "$KEYS/$n.keys"
  expect "$n" 'close_notify' 'tls.alert_message.desc == 0' "$KEYS/$n.keys"
  expect_none "$n" 'fatal alert' 'tls.alert_message.level == 2' "$KEYS/$n.keys"
  keep "$n"
}

clean-resumed-tls12() {
  local n=${FUNCNAME[0]} port=4447
  tls_on $port
  background "$n.server" openssl s_server -accept "$HOST:$port" -naccept 2 -tls1_2 -rev \
    -cert "$PKI/server.pem" -key "$PKI/server.key"
  server_pid=$last; wait_listening $port
  capture_start "$n" "tcp port $port"
  local keys; keys=$(keylog "$n")
  s_client "$n.client1" $port -tls1_2 -CAfile "$PKI/ca-a.pem" -verify_return_error -sess_out "$WORK/$n.session" -keylogfile "$keys"
  s_client "$n.client2" $port -tls1_2 -CAfile "$PKI/ca-a.pem" -verify_return_error -sess_in "$WORK/$n.session" -keylogfile "$keys"
  capture_stop; stop "$server_pid"
  expect "$n" 'two ServerHellos' 'tls.handshake.type == 2 && tcp.stream == 1'
  expect "$n" 'a Certificate in the first connection' 'tls.handshake.type == 11 && tcp.stream == 0'
  expect_none "$n" 'Certificate in the second (resumed) connection' 'tls.handshake.type == 11 && tcp.stream == 1'
  expect_log "$n" "$n.client2" 'Reused, TLSv1.2'
  expect_none "$n" 'fatal alert' 'tls.alert_message.level == 2' "$KEYS/$n.keys"
  keep "$n"
}

ftps_curl() { # NAME CURL_ARGS...: curl downloads into $WORK/download, its key log in samples/keys/NAME.keys
  local n=$1 keys; shift
  keys=$(keylog "$n")
  SSLKEYLOGFILE=$keys curl -sS -v --ssl-reqd -k -u "$FTP_USER:$FTP_USER" "$@" -o "$WORK/download" > "$WORK/$n.client.log" 2>&1 || true
}

ftps-session-reused() {
  local n=${FUNCNAME[0]} port=2123
  ftps_on $port 30020 30029
  vsftpd_start explicit-no-request-cert.conf $port 30020 30029
  capture_start "$n" "tcp port $port or tcp portrange 30020-30029"
  ftps_curl "$n" --tls-max 1.2 "ftp://$HOST:$port/hello.txt"
  capture_stop; stop "$vsftpd_pid"
  cmp -s "$WORK/download" "$FTP_HOME/hello.txt" || fail "$n: the download differs"
  expect "$n" 'a data-connection ServerHello resuming a session (no Certificate)' 'tcp.stream == 1 && tls.handshake.type == 2'
  expect_none "$n" 'Certificate on the data connection' 'tcp.stream == 1 && tls.handshake.type == 11'
  expect "$n" '226 Transfer complete, with the key log' 'data.data contains "226 "' "$KEYS/$n.keys"
  keep "$n"
}

ftps-session-reused-tls13() {
  local n=${FUNCNAME[0]} port=2127
  ftps_on $port 30060 30069
  vsftpd_start explicit-no-request-cert.conf $port 30060 30069
  capture_start "$n" "tcp port $port or tcp portrange 30060-30069"
  ftps_curl "$n" "ftp://$HOST:$port/hello.txt"
  capture_stop; stop "$vsftpd_pid"
  cmp -s "$WORK/download" "$FTP_HOME/hello.txt" || fail "$n: the download differs"
  expect "$n" 'a data-connection ServerHello accepting a pre_shared_key' 'tcp.stream == 1 && tls.handshake.type == 2 && tls.handshake.extension.type == 41'
  expect "$n" '226 Transfer complete, with the key log' 'data.data contains "226 "' "$KEYS/$n.keys"
  keep "$n"
}

ftps-session-not-reused-522() {
  local n=${FUNCNAME[0]} port=2124
  ftps_on $port 30030 30039
  vsftpd_start explicit-no-request-cert.conf $port 30030 30039
  capture_start "$n" "tcp port $port or tcp portrange 30030-30039"
  ftps_curl "$n" --tls-max 1.2 --no-sessionid "ftp://$HOST:$port/hello.txt"
  capture_stop; stop "$vsftpd_pid"
  expect "$n" 'a full handshake on the data connection (server Certificate)' 'tcp.stream == 1 && tls.handshake.type == 11'
  expect "$n" '522 on the control connection, with the key log' 'data.data contains "522 "' "$KEYS/$n.keys"
  expect_none "$n" '522 readable without keys' 'tcp.payload contains "522 "'
  keep "$n"
}

vsftpd-request-cert-lftp() {
  local n=${FUNCNAME[0]} port=2125
  ftps_on $port 30040 30049
  vsftpd_start explicit-request-cert.conf $port 30040 30049
  capture_start "$n" "tcp port $port or tcp portrange 30040-30049"
  # TLS 1.2 so the CertificateRequest (encrypted under TLS 1.3) shows on the wire.
  SSLKEYLOGFILE=$(keylog "$n") lftp -d -p $port -u "$FTP_USER,$FTP_USER" \
    -e "set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no; set ssl:priority NORMAL:-VERS-TLS1.3; get hello.txt -o $WORK/download; bye" \
    $HOST > "$WORK/$n.client.log" 2>&1 || true
  capture_stop; stop "$vsftpd_pid"
  cmp -s "$WORK/download" "$FTP_HOME/hello.txt" || fail "$n: the download differs"
  expect "$n" 'CertificateRequest with an empty CA list' 'tls.handshake.type == 13 && tls.handshake.dnames_len == 0'
  expect "$n" 'an empty client Certificate' 'tls.handshake.type == 11 && tls.handshake.certificates_length == 0'
  expect "$n" '226 Transfer complete, with the key log' 'data.data contains "226 "' "$KEYS/$n.keys"
  keep "$n"
}

ftps-implicit() {
  local n=${FUNCNAME[0]} port=2126
  ftps_on $port 30050 30059
  vsftpd_start implicit.conf $port 30050 30059
  capture_start "$n" "tcp port $port or tcp portrange 30050-30059"
  ftps_curl "$n" "ftps://$HOST:$port/hello.txt"
  capture_stop; stop "$vsftpd_pid"
  cmp -s "$WORK/download" "$FTP_HOME/hello.txt" || fail "$n: the download differs"
  expect "$n" 'a ClientHello as the first bytes of the control connection' 'tcp.stream == 0 && tls.handshake.type == 1'
  expect "$n" '226 Transfer complete, with the key log' 'data.data contains "226 "' "$KEYS/$n.keys"
  keep "$n"
}

ALL=(
  zos-empty-ca-list-tls12 zos-empty-ca-list-tls10 vsftpd-zos-auth-tls-empty-ca-list vsftpd-zos-no-shared-cipher
  empty-ca-list-accepted
  no-shared-cipher protocol-version-rejected ftp-plaintext-reply handshake-aborted-by-server
  handshake-reset-by-server server-certificate-unknown-ca server-certificate-expired
  client-certificate-missing-tls12 client-certificate-missing-tls13 client-certificate-rejected
  clean-tls12 clean-tls13 clean-resumed-tls12 ftps-session-reused ftps-session-reused-tls13
  ftps-session-not-reused-522 vsftpd-request-cert-lftp ftps-implicit
)

[ "$(id -u)" -eq 0 ] || fail 'run as root (tcpdump on lo, vsftpd, the FTP test user)'
[ -f "$STRICT" ] && [ -f "$ABORT" ] || fail "build first: (cd $ROOT && npx tsc -p .)"
mkdir -p "$SAMPLES" "$KEYS"
ensure_ftp_user
for scenario in "${@:-${ALL[@]}}"; do
  declare -F "$scenario" > /dev/null || fail "no scenario $scenario"
  echo "$scenario"
  "$scenario"
done
