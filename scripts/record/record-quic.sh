#!/bin/sh
# Records the QUIC samples on loopback with ngtcp2's example client and server (Debian 12 packages
# ngtcp2-client and ngtcp2-server 0.12.1, GnuTLS backend: gtlsclient, gtlsserver) and dumpcap.
#   samples/quic-clean.pcap               a complete handshake and an HTTP/3 GET
#   samples/quic-no-shared-cipher.pcap     server allows only AES-128-GCM, client only ChaCha20:
#                                         the server's Initial carries CONNECTION_CLOSE 0x128
#                                         (CRYPTO_ERROR, TLS alert 40 handshake_failure)
# Needs root (capture on lo). Then: scripts/record/quic-golden.sh records tshark's reading.
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
rm -rf "$tmp"
