#!/usr/bin/env python3
"""Fingerprints of every ClientHello and ServerHello in the corpus and the samples, computed from
tshark's raw fields (never from tlsdiag's parse): test/golden/fingerprints.json.

For each hello tshark decodes (TLS over TCP, DTLS, and TLS in QUIC CRYPTO frames), this reads from
`tshark -T json --no-duplicate-keys` the handshake version, the cipher suites, the extension types
in order, the signature algorithms of the signature_algorithms extension (13) only, the first ALPN
value, supported_versions, supported_groups and ec_point_formats, and computes:

- JA4 in its four forms, from FoxIO's specification (github.com/FoxIO-LLC/ja4,
  technical_details/JA4.md), written here independently of decoders/tls/fingerprint.ts;
- JA3 / JA3S (github.com/salesforce/ja3), checked against tshark's own `ja3_full`/`ja3s_full`
  where tshark prints one (the script stops if they differ).

Run once after adding captures:  python3 scripts/record/fingerprint-golden.py
"""
import hashlib
import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpus', 'zeek')
SAMPLES = os.path.join(ROOT, 'samples')
OUT = os.path.join(ROOT, 'test', 'golden', 'fingerprints.json')

VERSIONS = {0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0002: 's2',
            0xfeff: 'd1', 0xfefd: 'd2', 0xfefc: 'd3'}


def grease(v):
    return (v & 0x0f0f) == 0x0a0a and (v >> 8) == (v & 0xff)


def num(s):
    return int(s, 16) if s.startswith('0x') else int(s)


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def find_all(node, key):
    """Every value under `key` anywhere below node, in document order."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                out.extend(as_list(v))
            else:
                out.extend(find_all(v, key))
    elif isinstance(node, list):
        for v in node:
            out.extend(find_all(v, key))
    return out


def handshakes(node, p):
    """Every `p.handshake` tree that is a ClientHello or ServerHello, in document order."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == p + '.handshake':
                for h in as_list(v):
                    # A DTLS fragment that tshark shows before reassembly has no version field.
                    if isinstance(h, dict) and h.get(p + '.handshake.type') in ('1', '2') and p + '.handshake.version' in h:
                        out.append(h)
            else:
                out.extend(handshakes(v, p))
    elif isinstance(node, list):
        for v in node:
            out.extend(handshakes(v, p))
    return out


def extensions(h, p):
    """(type, tree) of each extension, in the order tshark lists them."""
    exts = []
    for k, v in h.items():
        if k.startswith('Extension: '):
            for e in as_list(v):
                exts.append((int(e[p + '.handshake.extension.type']), e))
    return exts


def ja4_alpn(raw):
    if raw is None or raw == '':
        return '00'
    b = raw.encode('latin1')
    alnum = lambda c: chr(c).isascii() and chr(c).isalnum()
    if alnum(b[0]) and alnum(b[-1]):
        return chr(b[0]) + chr(b[-1])
    h = b.hex()
    return h[0] + h[-1]


def h12(s):
    return '000000000000' if s == '' else hashlib.sha256(s.encode()).hexdigest()[:12]


def client(h, p, proto):
    version = num(h[p + '.handshake.version'])
    ciphers = [num(c) for c in find_all(h.get(p + '.handshake.ciphersuites', {}), p + '.handshake.ciphersuite')]
    ciphers = [c for c in ciphers if not grease(c)]
    exts = [(t, e) for t, e in extensions(h, p) if not grease(t)]
    types = [t for t, _ in exts]
    sigs, alpn, groups, formats, supported = [], None, [], [], []
    for t, e in exts:
        if t == 13:
            sigs = [num(s) for s in find_all(e, p + '.handshake.sig_hash_alg')]
        elif t == 16:
            names = find_all(e, p + '.handshake.extensions_alpn_str')
            alpn = names[0] if names else ''
        elif t == 10:
            groups = [num(g) for g in find_all(e, p + '.handshake.extensions_supported_group')]
        elif t == 11:
            formats = [num(f) for f in find_all(e, p + '.handshake.extensions_ec_point_format')]
        elif t == 43:
            supported = [num(v) for v in find_all(e, p + '.handshake.extensions.supported_version')]
    sigs = [s for s in sigs if not grease(s)]
    supported = [v for v in supported if not grease(v)]
    if supported:
        version_ja4 = min(supported) if proto == 'd' else max(supported)
    else:
        version_ja4 = version
    a = '%s%s%s%02d%02d%s' % (proto, VERSIONS.get(version_ja4, '00'), 'd' if 0 in types else 'i',
                              min(len(ciphers), 99), min(len(types), 99), ja4_alpn(alpn))
    x = lambda v: '%04x' % v
    c_sorted = ','.join(x(c) for c in sorted(ciphers))
    c_orig = ','.join(x(c) for c in ciphers)
    e_sorted = ','.join(x(t) for t in sorted(types) if t not in (0, 16))
    e_orig = ','.join(x(t) for t in types)
    s = ','.join(x(v) for v in sigs)
    b_sorted = e_sorted + ('_' + s if s else '')
    b_orig = e_orig + ('_' + s if s else '')
    ja3_full = '%d,%s,%s,%s,%s' % (version, '-'.join(map(str, ciphers)), '-'.join(map(str, types)),
                                   '-'.join(str(g) for g in groups if not grease(g)), '-'.join(map(str, formats)))
    return {
        'ja4': '%s_%s_%s' % (a, h12(c_sorted), h12(b_sorted)),
        'ja4_r': '%s_%s_%s' % (a, c_sorted, b_sorted),
        'ja4_o': '%s_%s_%s' % (a, h12(c_orig), h12(b_orig)),
        'ja4_ro': '%s_%s_%s' % (a, c_orig, b_orig),
        'ja3_full': ja3_full,
        'ja3': hashlib.md5(ja3_full.encode()).hexdigest(),
    }, h.get(p + '.handshake.ja3_full')


def server(h, p):
    version = num(h[p + '.handshake.version'])
    cipher = num(h[p + '.handshake.ciphersuite'])
    types = [t for t, _ in extensions(h, p) if not grease(t)]
    full = '%d,%d,%s' % (version, cipher, '-'.join(map(str, types)))
    return {'ja3s_full': full, 'ja3s': hashlib.md5(full.encode()).hexdigest()}, h.get(p + '.handshake.ja3s_full')


# The samples' ports (samples/README.md): tshark needs "Decode As" for them.
SAMPLE_PORTS = ['-d', 'tcp.port==4431-4447,tls', '-d', 'tcp.port==2126,tls', '-d', 'tcp.port==2121-2125,ftp',
                '-d', 'tcp.port==2127-2128,ftp', '-d', 'tcp.port==30000-30079,tls']


def capture(path):
    """The hellos tshark finds with its heuristics, and for a sample also those it finds with the
    sample's ports decoded as TLS/FTP (each way misses some: FTP's data connections, AUTH TLS)."""
    rows, bad = capture_with(path, [])
    if path.startswith(SAMPLES):
        seen = {(r['transport'], r['stream'], r['frame'], r['message']) for r in rows}
        more, bad2 = capture_with(path, SAMPLE_PORTS)
        bad += bad2
        rows += [r for r in more if (r['transport'], r['stream'], r['frame'], r['message']) not in seen]
        rows.sort(key=lambda r: (r['frame'], r['message']))
    return rows, bad


def capture_with(path, decode_as):
    out = subprocess.run(['tshark', '-r', path, *decode_as, '-T', 'json', '--no-duplicate-keys'],
                         capture_output=True, check=False).stdout
    rows = []
    mismatches = 0
    for pkt in json.loads(out or b'[]'):
        layers = pkt['_source']['layers']
        frame = int(layers['frame']['frame.number'])
        for p, proto, stream_key in (('tls', 't', 'tcp'), ('dtls', 'd', 'udp')):
            if p not in layers and not (p == 'tls' and 'quic' in layers):
                continue
            root = layers.get(p) if p in layers else None
            if p == 'tls' and 'quic' in layers:
                root, proto, stream_key = layers['quic'], 'q', 'udp'
            stream = int(layers[stream_key][stream_key + '.stream'])
            for h in handshakes(root, p):
                t = h[p + '.handshake.type']
                if t == '1':
                    fp, tshark_full = client(h, p, proto)
                else:
                    fp, tshark_full = server(h, p)
                own = fp['ja3_full' if t == '1' else 'ja3s_full']
                if tshark_full is not None and tshark_full != own:
                    mismatches += 1
                    print('%s frame %d: tshark %s, computed %s' % (path, frame, tshark_full, own), file=sys.stderr)
                row = {'frame': frame, 'transport': {'t': 'tcp', 'd': 'dtls', 'q': 'quic'}[proto], 'stream': stream,
                       'message': 'ClientHello' if t == '1' else 'ServerHello'}
                row.update(fp)
                row['tsharkJa3'] = tshark_full is not None
                rows.append(row)
    return rows, mismatches


def main():
    files = sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS))
    files += sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES) if f.endswith('.pcap'))
    result = {'tshark': subprocess.run(['tshark', '--version'], capture_output=True, text=True).stdout.splitlines()[0],
              'captures': {}}
    bad = 0
    for f in files:
        rows, mismatches = capture(f)
        bad += mismatches
        if rows:
            name = ('samples/' if f.startswith(SAMPLES) else 'corpus/') + os.path.basename(f)
            result['captures'][name] = rows
    if bad:
        sys.exit('%d hellos where the JA3 string computed from the raw fields differs from tshark\'s' % bad)
    with open(OUT, 'w') as fh:
        json.dump(result, fh, indent=0, sort_keys=False)
        fh.write('\n')
    n = sum(len(r) for r in result['captures'].values())
    print('wrote %s: %d hellos in %d captures' % (OUT, n, len(result['captures'])))


if __name__ == '__main__':
    main()
