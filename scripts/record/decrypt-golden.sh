#!/bin/sh
# Records tshark's reading of the captures that have a key log, decrypted with that key log, into
# test/golden/decrypt/tshark.json (run once; test/session/decrypt.test.ts compares tlsdiag against it,
# so CI needs no tshark). Per frame with a TLS record: tcp.stream, the handshake types, alert
# descriptions and (inner) content types tshark shows, and the first word of each decrypted
# application data record (an FTP command or reply code: never more, so no password is kept).
set -eu
cd "$(dirname "$0")/../.."
mkdir -p test/golden/decrypt
out=test/golden/decrypt/tshark.json
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
version=$(tshark --version | head -1)
: > "$tmp"
for k in samples/keys/*.keys samples/decrypt/*.keys; do
  case $k in samples/keys/*) pcap=samples/$(basename "$k" .keys).pcap ;; *) pcap=${k%.keys}.pcap ;; esac
  tshark -r "$pcap" -o "tls.keylog_file:$k" -Y tls -T fields -E separator='|' -E occurrence=a -E aggregator=, \
    -e frame.number -e tcp.stream -e tls.handshake.type -e tls.alert_message.desc -e tls.record.content_type -e data.data 2>/dev/null |
    sed "s#^#$pcap|$k|#" >> "$tmp"
done
node - "$tmp" "$out" "$version" <<'JS'
const fs = require('fs');
const [tmp, out, version] = process.argv.slice(2);
const captures = {};
for (const line of fs.readFileSync(tmp, 'utf8').split('\n')) {
  if (!line) continue;
  const [pcap, keys, frame, stream, hs, alerts, cts, data] = line.split('|');
  const c = (captures[pcap] ??= { keys, frames: [] });
  const words = (data ? data.split(',') : []).map((h) => Buffer.from(h, 'hex').toString('latin1').split(/[ \r\n]/)[0]);
  c.frames.push({ frame: +frame, stream: +stream, handshakeTypes: hs, alerts, contentTypes: cts, firstWords: words.join(',') });
}
fs.writeFileSync(out, JSON.stringify({ tshark: version, captures }, null, 1) + '\n');
JS
echo "wrote $out"
