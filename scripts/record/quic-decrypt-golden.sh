#!/bin/sh
# Records tshark's decoding of the QUIC key-log samples (samples/decrypt/quic-*.pcap with their
# .keys, recorded by record-quic.sh) into test/golden/decrypt/quic-tshark.json, decrypted with the
# key log. Per frame: udp.stream, the long packet types, the packet numbers (all levels), the TLS
# handshake types, the cipher suites, the CONNECTION_CLOSE error code and the certificates' serial
# numbers. CI needs no tshark: test/session/quic-decrypt.test.ts reads the golden.
set -eu
cd "$(dirname "$0")/../.."
out=test/golden/decrypt/quic-tshark.json
{
  printf '{"tshark": "%s", "captures": {' "$(tshark --version | head -1)"
  first=1
  for f in quic-aes128-gcm quic-aes256-gcm quic-chacha20 quic-client-certificate-missing; do
    [ $first = 1 ] || printf ','
    first=0
    printf '"samples/decrypt/%s.pcap": {"keys": "samples/decrypt/%s.keys", "frames": [' "$f" "$f"
    tshark -r "samples/decrypt/$f.pcap" -o "tls.keylog_file:samples/decrypt/$f.keys" -T fields -E separator='|' \
      -e frame.number -e udp.stream -e quic.long.packet_type -e quic.packet_number -e tls.handshake.type \
      -e tls.handshake.ciphersuite -e quic.cc.error_code -e x509af.serialNumber 2>/dev/null |
      awk -F'|' 'BEGIN{n=0} {
        if (n++) printf ",";
        printf "{\"frame\":%s,\"udpStream\":%s,\"longPacketTypes\":\"%s\",\"packetNumbers\":\"%s\",\"handshakeTypes\":\"%s\",\"cipherSuites\":\"%s\",\"closeError\":\"%s\",\"certificateSerials\":\"%s\"}", $1, $2, $3, $4, $5, $6, $7, $8
      }'
    printf ']}'
  done
  printf '}}\n'
} > "$out"
node -e "JSON.parse(require('fs').readFileSync('$out','utf8'))"
echo "wrote $out"
