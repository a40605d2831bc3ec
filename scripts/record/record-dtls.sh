#!/bin/sh
# Records samples/dtls-no-shared-cipher.pcap on loopback: OpenSSL 3.0.19 s_server and s_client over
# DTLS 1.2, the server allowing only ECDHE-RSA-AES256-GCM-SHA384, the client offering only AES128-SHA.
# The server answers the first ClientHello with a HelloVerifyRequest (cookie), the second with a fatal
# handshake_failure(40). Captured with dumpcap, converted with editcap -F pcap. Needs root.
set -eu
cd "$(dirname "$0")/../.."
PKI=scripts/record/pki
tmp=$(mktemp -d)
dumpcap -q -i lo -f "udp port 4452" -w "$tmp/dtls.pcapng" >/dev/null 2>&1 &
cap=$!
sleep 2
# s_server and s_client read stdin: a sleeping pipe keeps them up for the exchange.
(sleep 6 | openssl s_server -dtls1_2 -accept 127.0.0.1:4452 -naccept 1 -cipher ECDHE-RSA-AES256-GCM-SHA384 -cert $PKI/server.pem -key $PKI/server.key >/dev/null 2>&1) &
sleep 1
(sleep 3 | timeout 10 openssl s_client -dtls1_2 -connect 127.0.0.1:4452 -servername localhost -cipher AES128-SHA >/dev/null 2>&1) || true
sleep 3
kill -INT $cap; wait $cap 2>/dev/null || true
editcap -F pcap "$tmp/dtls.pcapng" samples/dtls-no-shared-cipher.pcap
rm -rf "$tmp"
