#!/bin/sh
# Records tshark's decoding of the QUIC samples into test/golden/quic-tshark.json (run once after
# record-quic.sh). Per frame: udp.stream, the header forms (1 long, 0 short), the long packet types, the Initial packet numbers, the TLS
# handshake types, SNI, ALPN, cipher suites and the CONNECTION_CLOSE error code.
set -eu
cd "$(dirname "$0")/../.."
out=test/golden/quic-tshark.json
{
  printf '{"tshark": "%s", "captures": {' "$(tshark --version | head -1)"
  first=1
  for f in quic-clean quic-no-shared-cipher; do
    [ $first = 1 ] || printf ','
    first=0
    printf '"%s.pcap": [' "$f"
    tshark -r "samples/$f.pcap" -T fields -E separator='|' \
      -e frame.number -e udp.stream -e quic.header_form -e quic.long.packet_type -e quic.packet_number -e tls.handshake.type \
      -e tls.handshake.extensions_server_name -e tls.handshake.extensions_alpn_str -e tls.handshake.ciphersuite -e quic.cc.error_code 2>/dev/null |
      awk -F'|' 'BEGIN{n=0} {
        if (n++) printf ",";
        printf "{\"frame\":%s,\"udpStream\":%s,\"headerForms\":\"%s\",\"longPacketTypes\":\"%s\",\"packetNumbers\":\"%s\",\"handshakeTypes\":\"%s\",\"sni\":\"%s\",\"alpn\":\"%s\",\"cipherSuites\":\"%s\",\"closeError\":\"%s\"}", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
      }'
    printf ']'
  done
  printf '}}\n'
} > "$out"
node -e "JSON.parse(require('fs').readFileSync('$out','utf8'))"
echo "wrote $out"
