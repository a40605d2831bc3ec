/**
 * --redact: addresses, host names and SNI, certificate subjects, issuers, SANs, serial numbers and
 * fingerprints, and the distinguished names of CA lists become stable pseudonyms (the same value is the
 * same pseudonym everywhere in one report). Versions, suites, alerts, frame numbers and findings stay.
 *
 * Two passes over the document: the first learns every sensitive value from the fields that hold
 * them; the second rewrites every string, so a value quoted inside a sentence (evidence, messages,
 * a plaintext banner) is replaced as well as the field itself.
 */
import type { ReportDocument } from './document.js';

type Kind = 'ip' | 'host' | 'name' | 'serial' | 'fp' | 'user';

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
// IPv6: at least two colons with hex groups; bracketed or bare. Conservative, to spare "12:34" times.
const IPV6 = /(?<![\w:.])(?:[0-9a-fA-F]{1,4}:){2,7}(?::|[0-9a-fA-F]{1,4})(?:::?[0-9a-fA-F]{1,4})*(?![\w:])|(?<![\w:])::(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4}(?![\w:])/g;
// A dotted name whose last label is alphabetic (a TLD-like word), e.g. ftp.example.com, mainframe.corp.
const HOSTNAME = /\b[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,62})(?:\.[a-zA-Z0-9-]{1,63})*\.[a-zA-Z]{2,63}\b/g;
/** Words that look like dotted names but are not hosts (file names, versions, OIDs in our own text). */
const NOT_A_HOST = /\.(pcap|pcapng|gz|tgz|zip|tar|json|md|html|txt|conf|cnf|log|keys|so|c|h|ts|js)$|^(vsftpd|openssl|tls|ssl|rfc)\b/i;

class Pseudonyms {
  private readonly maps = new Map<Kind, Map<string, string>>();
  private readonly labels: Record<Kind, (n: number) => string> = {
    ip: (n) => `ip-${n}`,
    host: (n) => `host-${n}.redacted`,
    name: (n) => `CN=redacted-${n}`,
    serial: (n) => `serial-${n}`,
    fp: (n) => `fingerprint-${n}`,
    user: (n) => `user-${n}`,
  };

  get(kind: Kind, value: string): string {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    let p = m.get(value);
    if (p === undefined) {
      p = this.labels[kind](m.size + 1);
      m.set(value, p);
    }
    return p;
  }

  /** Every learnt literal, longest first, so a longer value is replaced before a value inside it. */
  literals(): [string, string][] {
    const all: [string, string][] = [];
    for (const [kind, m] of this.maps) if (kind !== 'ip') for (const [v, p] of m) if (v.length >= 3) all.push([v, p]);
    return all.sort((a, b) => b[0].length - a[0].length);
  }
}

export function redactDocument(doc: ReportDocument): ReportDocument {
  const p = new Pseudonyms();
  learn(doc, p, null);
  const literals = p.literals();
  const rewrite = (s: string): string => {
    let out = s;
    for (const [v, r] of literals) if (out.includes(v)) out = out.split(v).join(r);
    out = out.replace(IPV6, (m) => (m.includes('.') || !/[0-9a-fA-F]/.test(m) ? m : p.get('ip', m.toLowerCase())));
    out = out.replace(IPV4, (m) => p.get('ip', m));
    return out;
  };
  const copy = transform(doc, rewrite, p) as ReportDocument;
  return { ...copy, redacted: true } as ReportDocument;
}

/** First pass: learn the sensitive values from the fields that carry them. */
function learn(node: unknown, p: Pseudonyms, key: string | null): void {
  if (typeof node === 'string') {
    switch (key) {
      case 'sni':
        p.get('host', node);
        break;
      case 'subject':
      case 'issuer':
      case 'text': // DistinguishedName.text
        if (/=/.test(node)) p.get('name', node);
        break;
      case 'serialNumber':
        p.get('serial', node);
        break;
      case 'fingerprintSha256':
        p.get('fp', node);
        break;
    }
    return;
  }
  if (Array.isArray(node)) {
    for (const x of node) learn(x, p, key === 'subjectAltNames' || key === 'names' ? 'san' : key);
    if (key === 'subjectAltNames' || key === 'names') {
      for (const x of node) if (typeof x === 'string') p.get('host', x.replace(/^(DNS|IP Address|email|URI):/, ''));
    }
    return;
  }
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) learn(v, p, k);
  }
}

/** Second pass: a deep copy with every string rewritten; free text also loses host names and FTP users. */
function transform(node: unknown, rewrite: (s: string) => string, p: Pseudonyms, key: string | null = null): unknown {
  if (typeof node === 'string') {
    if (key === 'file' || key === 'sha256' || key === 'schemaVersion') return node;
    let s = rewrite(node);
    if (key === 'text' || key === 'message' || key === 'evidence') {
      s = s.replace(/^(\s*USER\s+)(\S+)/i, (_m, verb: string, user: string) => verb + p.get('user', user));
      s = s.replace(HOSTNAME, (m) => (NOT_A_HOST.test(m) || /^\d+(\.\d+)+$/.test(m) || m.endsWith('.redacted') ? m : p.get('host', m.toLowerCase())));
    }
    return s;
  }
  if (Array.isArray(node)) return node.map((x) => transform(x, rewrite, p, key));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = transform(v, rewrite, p, k);
    return out;
  }
  return node;
}
