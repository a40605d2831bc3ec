#!/bin/sh
# Records the QUIC samples on loopback with ngtcp2's example client and server (Debian 12 packages
# ngtcp2-client and ngtcp2-server 0.12.1, GnuTLS backend: gtlsclient, gtlsserver) and dumpcap.
#   samples/quic-clean.pcap               a complete handshake and an HTTP/3 GET
#   samples/quic-no-shared-cipher.pcap     server allows only AES-128-GCM, client only ChaCha20:
#                                         the server's Initial carries CONNECTION_CLOSE 0x128
#                                         (CRYPTO_ERROR, TLS alert 40 handshake_failure)
# With the client's key log (GnuTLS writes one when SSLKEYLOGFILE is set), under samples/decrypt/:
#   quic-aes128-gcm, quic-aes256-gcm, quic-chacha20   the client offers only that suite; complete
#                                         handshake and HTTP/3 GET
#   quic-client-certificate-missing        server --verify-client, client has no certificate: an
#                                         empty client Certificate, then the server's Handshake
#                                         CONNECTION_CLOSE 0x174 (alert 116 certificate_required)
# Needs root (capture on lo). Then: scripts/record/quic-golden.sh and quic-decrypt-golden.sh record
# tshark's reading.
set -eu
cd "$(dirname "$0")/../.."
PKI=scripts/record/pki
tmp=$(mktemp -d)
rec() { # name port server-ciphers client-ciphers
  dumpcap -q -i lo -f "udp port $2" -w "$tmp/$1.pcapng" >/dev/null 2>&1 &
  cap=$!
  sleep 2
  if [ -n "$3" ]; then gtlsserver -q --ciphers="$3" 127.0.0.1 "$2" $PKI/server.key $PKI/server.pem >/dev/null 2>&1 &
  else gtlsserver -q 127.0.0.1 "$2" $PKI/server.key $PKI/server.pem >/dev/null 2>&1 & fi
  srv=$!
  sleep 1
  if [ -n "$4" ]; then timeout 10 gtlsclient -q --ciphers="$4" 127.0.0.1 "$2" https://localhost/ >/dev/null 2>&1 || true
  else timeout 10 gtlsclient -q --exit-on-all-streams-close 127.0.0.1 "$2" https://localhost/ >/dev/null 2>&1 || true; fi
  sleep 1.5
  kill -INT $cap; kill $srv; wait $cap 2>/dev/null || true
  editcap -F pcap "$tmp/$1.pcapng" "samples/$1.pcap"   # classic pcap like every sample
}
rec quic-clean 4450 "" ""
rec quic-no-shared-cipher 4451 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM' 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305'
# rec_keys name port client-ciphers [server option]: samples/decrypt/NAME.pcap and NAME.keys
rec_keys() {
  dumpcap -q -i lo -f "udp port $2" -w "$tmp/$1.pcapng" >/dev/null 2>&1 &
  cap=$!
  sleep 2
  gtlsserver -q ${4:-} 127.0.0.1 "$2" $PKI/server.key $PKI/server.pem >/dev/null 2>&1 &
  srv=$!
  sleep 1
  rm -f "samples/decrypt/$1.keys"
  SSLKEYLOGFILE="samples/decrypt/$1.keys" timeout 10 gtlsclient -q --ciphers="$3" --exit-on-all-streams-close 127.0.0.1 "$2" https://localhost/ >/dev/null 2>&1 || true
  sleep 1.5
  kill -INT $cap; kill $srv; wait $cap 2>/dev/null || true
  editcap -F pcap "$tmp/$1.pcapng" "samples/decrypt/$1.pcap"
}
T13='NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL'
rec_keys quic-aes128-gcm 4460 "$T13:+AES-128-GCM"
rec_keys quic-aes256-gcm 4461 "$T13:+AES-256-GCM"
rec_keys quic-chacha20 4462 "$T13:+CHACHA20-POLY1305"
rec_keys quic-client-certificate-missing 4463 "$T13:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-CCM" --verify-client
rm -rf "$tmp"
