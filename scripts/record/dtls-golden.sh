#!/bin/sh
# Records tshark's decoding of the corpus DTLS captures (and samples/dtls-no-shared-cipher.pcap) into test/golden/dtls-tshark.json (run once;
# the test compares tlsdiag against it). Per frame with a DTLS record: udp.stream, the handshake
# types tshark shows in it, the ServerHello's cipher suite, the number of suites and the cookie length.
set -eu
cd "$(dirname "$0")/../.."
out=test/golden/dtls-tshark.json
{
  printf '{"tshark": "%s", "captures": {' "$(tshark --version | head -1)"
  first=1
  for f in dtls1_0 dtls1_2 dtls13-wolfssl dtls13-cid dtls-sequence-number-jumps webrtc-stun samples/dtls-no-shared-cipher; do
    [ $first = 1 ] || printf ','
    first=0
    printf '"%s.pcap": [' "$f"
    case $f in samples/*) in="$f.pcap" ;; *) in="../shared/corpus/zeek/$f.pcap" ;; esac
    tshark -r "$in" -T fields -E separator='|' \
      -e frame.number -e udp.stream -e dtls.record.content_type -e dtls.handshake.type -e dtls.handshake.ciphersuite -e dtls.handshake.cookie_length -e dtls.alert_message.desc 2>/dev/null |
      awk -F'|' 'BEGIN{n=0} {
        if (n++) printf ",";
        printf "{\"frame\":%s,\"udpStream\":%s,\"contentTypes\":\"%s\",\"handshakeTypes\":\"%s\",\"cipherSuites\":\"%s\",\"cookieLength\":\"%s\",\"alert\":\"%s\"}", $1, $2, $3, $4, $5, $6, $7
      }'
    printf ']'
  done
  printf '}}\n'
} > "$out"
node -e "JSON.parse(require('fs').readFileSync('$out','utf8'))"
echo "wrote $out"
