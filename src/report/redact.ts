/**
 * --redact: IP addresses, host names and SNI, e-mail addresses, certificate subjects, issuers, SANs,
 * serial numbers and fingerprints, the distinguished names of CA lists and FTP user names become
 * stable pseudonyms: the same value is the same pseudonym everywhere in one report (`ipv4-1`,
 * `ipv6-1`, `host-1.redacted`, `dn-1`, `serial-1` …). Versions, suites, alerts, frame numbers and
 * findings stay, so a redacted report still proves its diagnosis.
 *
 * Two passes over the document. The first learns every sensitive value, from the fields that hold
 * them (sni, subject, subjectAltNames, authorities …) and from the free text that may quote them
 * (plaintext dialogue, evidence, messages: host-like and e-mail-like words). The second rewrites every
 * string — the capture's file name and the command line included — so a value quoted inside a
 * sentence is replaced as well as the field itself. Addresses are found by pattern in the second pass
 * (IPv6 in any spelling maps to one pseudonym: `::1` and `0:0:0:0:0:0:0:1` are one address).
 *
 * A record's first bytes (`--hex`) keep only the record header: the body may spell out names.
 *
 * The knowledge base's own sentences (what products log, remedies, references) are not searched for
 * host-like words, only rewritten: `javax.net.ssl.SSLHandshakeException` is a class, not a host.
 */
import type { CaptureDocument, ReportDocument } from './document.js';

type Kind = 'ipv4' | 'ipv6' | 'host' | 'email' | 'uri' | 'dn' | 'name' | 'serial' | 'fp' | 'user' | 'file';

const LABELS: Record<Kind, (n: number) => string> = {
  ipv4: (n) => `ipv4-${n}`,
  ipv6: (n) => `ipv6-${n}`,
  host: (n) => `host-${n}.redacted`,
  email: (n) => `email-${n}@redacted`,
  uri: (n) => `uri-${n}.redacted`,
  dn: (n) => `dn-${n}`,
  name: (n) => `name-${n}`,
  serial: (n) => `serial-${n}`,
  fp: (n) => `fingerprint-${n}`,
  user: (n) => `user-${n}`,
  file: (n) => `capture-${n}`,
};

/** Host names, e-mail addresses and hex are compared without case; names are not. */
const CASE_INSENSITIVE: ReadonlySet<Kind> = new Set<Kind>(['host', 'email', 'uri', 'serial', 'fp']);

/** Shortest value replaced wherever it occurs (shorter ones only in their own fields). */
const MIN_LITERAL: Record<Kind, number> = { ipv4: Infinity, ipv6: Infinity, host: 3, email: 3, uri: 3, dn: 3, name: 4, serial: 8, fp: 16, user: 3, file: Infinity };
/**
 * Values shorter than MIN_LITERAL that are still replaced as whole words in the capture's own free
 * text (never in the knowledge base's prose): a host `db` quoted in evidence, a user `jo` echoed in
 * `331 Password required for jo`.
 */
const SHORT_IN_FREE_TEXT: ReadonlySet<Kind> = new Set<Kind>(['host', 'user']);

const IPV4 = /(?<![\d.]|§\s?)(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?!\d|\.\d)/g;
/** IPv6 candidates (also `12:34:56` times and MAC addresses); ipv6Key() decides. */
const IPV6_CANDIDATE = /(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{1,4})?(?![\w:]|\.\d)/g;
/** Dotted words; hostKey() decides which are host names. */
const DOTTED = /(?<![\w.*-])(?:\*\.)?[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+/g;
const EMAIL = /(?<![\w.%+-])[A-Za-z0-9][\w.%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}(?![\w-])/g;
/**
 * An FTP address in its comma form (RFC 959 PORT and the 227 reply to PASV): h1,h2,h3,h4,p1,p2.
 * The host part is an IPv4 address; the port stays.
 */
const FTP_HOST_PORT = /(?<![\d,])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:,(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}),(\d{1,3},\d{1,3})(?![\d,])/g;
/** A reply code that opens a line of a multi-line reply (`250-mail.example.com Hello`): not part of a host name. */
const REPLY_CODE = /^\d{3}-/;
/** An FTP USER command, at the start of a dialogue line or quoted in a sentence. */
const FTP_USER = /((?:^|")\s*USER\s+)([^\s\\"]+)/gi;
/** Dotted words that are files, Java classes or our own product names, not hosts. */
const NOT_A_HOST =
  /\.(pcap|pcapng|cap|gz|tgz|zip|tar|json|ndjson|jsonl|md|html?|txt|conf|cnf|cfg|ini|log|keys?|pem|crt|cer|der|p12|pfx|jks|kdb|sth|so|dll|exe|c|h|ts|js|py|java|class|jar|xml|ya?ml|properties|sh)$|^(vsftpd|openssl|tls|ssl|rfc|java|javax|sun|jdk)\./i;
/** Keys whose strings are the knowledge base's prose, not the capture's data. */
const KNOWLEDGE = new Set(['products', 'remedies', 'references']);
/** Bibliographic fields of the knowledge base's sources: `§7.4.1.3` is a section, not an address. */
const BIBLIOGRAPHIC = new Set(['title', 'section', 'publisher', 'ref']);
/** Keys whose strings are free text that may quote a host, an address or a user. */
const FREE_TEXT = new Set(['text', 'message', 'explanation']);

class Pseudonyms {
  private readonly maps = new Map<Kind, Map<string, string>>();

  get(kind: Kind, value: string): string {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    const key = CASE_INSENSITIVE.has(kind) ? value.toLowerCase() : value;
    let p = m.get(key);
    if (p === undefined) {
      p = LABELS[kind](m.size + 1);
      m.set(key, p);
    }
    return p;
  }

  /** The learnt values too short to be replaced wherever they occur, that free text still hides. */
  shortWords(): Literal[] {
    const all: Literal[] = [];
    for (const [kind, m] of this.maps) {
      if (!SHORT_IN_FREE_TEXT.has(kind)) continue;
      for (const [value, pseudonym] of m) if (value.length < MIN_LITERAL[kind]) all.push({ value, pseudonym, folded: CASE_INSENSITIVE.has(kind) });
    }
    return all;
  }

  /** Every learnt value long enough to be replaced wherever it occurs. */
  literals(): Literal[] {
    const all: Literal[] = [];
    for (const [kind, m] of this.maps) {
      for (const [value, pseudonym] of m) if (value.length >= MIN_LITERAL[kind]) all.push({ value, pseudonym, folded: CASE_INSENSITIVE.has(kind) });
    }
    return all;
  }
}

interface Literal {
  readonly value: string;
  readonly pseudonym: string;
  /** Compared without ASCII case. */
  readonly folded: boolean;
}

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * Replaces learnt values inside any string in one left-to-right scan. Candidates are indexed by
 * their first three characters (case-folded) and tried longest first; a value that begins or ends
 * with a letter or digit must not continue a word there (`ftp` is a user name, not part of `vsftpd`).
 */
class LiteralMatcher {
  private readonly index = new Map<number, Literal[]>();

  constructor(literals: readonly Literal[]) {
    for (const l of literals) {
      const k = LiteralMatcher.key(l.value, 0);
      let bucket = this.index.get(k);
      if (!bucket) this.index.set(k, (bucket = []));
      bucket.push(l);
    }
    for (const bucket of this.index.values()) bucket.sort((a, b) => b.value.length - a.value.length);
  }

  private static key(s: string, i: number): number {
    return (fold(s.charCodeAt(i)) * 65536 + fold(s.charCodeAt(i + 1))) * 65536 + fold(s.charCodeAt(i + 2));
  }

  replace(s: string): string {
    if (this.index.size === 0 || s.length < 3) return s;
    let out = '';
    let copied = 0;
    for (let i = 0; i + 3 <= s.length; ) {
      const bucket = this.index.get(LiteralMatcher.key(s, i));
      const hit = bucket ? LiteralMatcher.match(bucket, s, i) : undefined;
      if (hit) {
        out += s.slice(copied, i) + hit.pseudonym;
        i += hit.value.length;
        copied = i;
      } else {
        i++;
      }
    }
    return copied === 0 ? s : out + s.slice(copied);
  }

  private static match(bucket: readonly Literal[], s: string, i: number): Literal | undefined {
    for (const l of bucket) {
      const v = l.value;
      const end = i + v.length;
      if (end > s.length) continue;
      if (isWord(v.charCodeAt(0)) && i > 0 && isWord(s.charCodeAt(i - 1))) continue;
      if (isWord(v.charCodeAt(v.length - 1)) && end < s.length && isWord(s.charCodeAt(end))) continue;
      let j = 0;
      if (l.folded) while (j < v.length && fold(s.charCodeAt(i + j)) === fold(v.charCodeAt(j))) j++;
      else while (j < v.length && s.charCodeAt(i + j) === v.charCodeAt(j)) j++;
      if (j === v.length) return l;
    }
    return undefined;
  }
}

/** The canonical form of an IPv6 address (eight groups, no leading zeros), or null when `s` is not one. */
export function ipv6Key(s: string): string | null {
  let text = s;
  const groups: number[] = [];
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  let tail: number[] = [];
  if (v4) {
    const o = v4.slice(1).map(Number);
    if (o.some((x) => x > 255)) return null;
    tail = [o[0] * 256 + o[1], o[2] * 256 + o[3]];
    text = text.slice(0, v4.index);
    if (!text.endsWith(':')) return null;
    text = text.endsWith('::') ? text : text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 2) {
    if (known > 7) return null;
    groups.push(...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail);
  } else {
    if (known !== 8) return null;
    groups.push(...head, ...tail);
  }
  return groups.map((g) => g.toString(16)).join(':');
}

/** The host name a dotted word names, or null when it is a version, a file, a class name … */
function hostKey(word: string): string | null {
  const labels = word.split('.');
  const last = labels[labels.length - 1];
  if (!/^[A-Za-z][A-Za-z0-9-]{1,62}$/.test(last) || !/[A-Za-z]{2}/.test(last)) return null;
  if (/[a-z]/.test(last) && /[A-Z]/.test(last)) return null; // SSLHandshakeException, not a TLD
  if (labels.some((l) => l === '' || l.length > 63)) return null;
  if (NOT_A_HOST.test(word)) return null;
  return word.toLowerCase();
}

/** Learns the host names, e-mail addresses and FTP users a free-text string quotes. */
function learnFreeText(s: string, p: Pseudonyms): void {
  for (const m of s.matchAll(FTP_USER)) p.get('user', m[2]);
  // A user name is not also a host name (`USER alice.admin`).
  const rest = s.replace(FTP_USER, '$1');
  for (const m of rest.matchAll(EMAIL)) p.get('email', m[0]);
  for (const m of rest.matchAll(DOTTED)) {
    const atLineStart = m.index === 0 || rest[m.index - 1] === '\n';
    const word = atLineStart && REPLY_CODE.test(m[0]) ? m[0].slice(4) : m[0];
    const host = hostKey(word);
    if (host !== null) p.get('host', host);
  }
}

/** The parts of a distinguished name that name a host or a mailbox (`CN=ftp.example.com`). */
function learnDnParts(dn: string, p: Pseudonyms): void {
  for (const m of dn.matchAll(/(?:^|[,+/])\s*(CN|emailAddress|E|DC)=((?:\\.|[^,+/])+)/g)) {
    const value = m[2].trim();
    if (/@/.test(value)) p.get('email', value);
    else if (value.includes('.') && hostKey(value.replace(/^\*\./, '')) !== null) p.get('host', value);
  }
}

function learnSan(san: string, p: Pseudonyms): void {
  const m = /^(DNS|IP|IP Address|email|URI|DirName|RID|othername|other):\s*(.*)$/i.exec(san);
  const type = m ? m[1].toLowerCase() : '';
  const value = m ? m[2] : san;
  if (value === '') return;
  if (type === 'dns') p.get('host', value);
  else if (type === 'email') p.get('email', value);
  else if (type === 'uri') p.get('uri', value);
  else if (type === 'dirname') {
    p.get('dn', value);
    learnDnParts(value, p);
  } else if (type === 'ip' || type === 'ip address') {
    // Addresses are rewritten by pattern; learning them here only fixes their number early.
    const v6 = ipv6Key(value);
    if (v6 !== null) p.get('ipv6', v6);
    else p.get('ipv4', value);
  } else p.get('name', value);
}

/** First pass: learn the sensitive values from the fields that carry them and from free text. */
function learn(node: unknown, p: Pseudonyms, key: string | null, parent: string | null): void {
  if (typeof node === 'string') {
    switch (key) {
      case 'sni':
        p.get('host', node);
        return;
      case 'subject':
      case 'issuer':
        if (node !== '') {
          p.get('dn', node);
          learnDnParts(node, p);
        }
        return;
      case 'serialNumber':
        if (node !== '') p.get('serial', node);
        return;
      case 'fingerprintSha256':
        if (node !== '') p.get('fp', node);
        return;
      case 'names': // server_name extension
        p.get('host', node);
        return;
      case 'subjectAltNames':
        learnSan(node, p);
        return;
      case 'text':
        if (parent === 'authorities') {
          p.get('dn', node);
          learnDnParts(node, p);
          return;
        }
        learnFreeText(node, p);
        return;
      default:
        if (key !== null && FREE_TEXT.has(key)) learnFreeText(node, p);
        return;
    }
  }
  if (Array.isArray(node)) {
    for (const x of node) learn(x, p, key, parent);
    return;
  }
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) if (!KNOWLEDGE.has(k)) learn(v, p, k, key);
  }
}

/** Rewrites one string: FTP users in free text, learnt values, then addresses by pattern. */
function rewriter(p: Pseudonyms): (s: string, freeText: boolean) => string {
  const matcher = new LiteralMatcher(p.literals());
  const short = p.shortWords();
  const shortWords = short.length === 0 ? null : new RegExp(`(?<![\\w.@-])(?:${short.map((l) => escapeRegExp(l.value)).join('|')})(?![\\w@-]|\\.\\w)`, 'gi');
  const shortPseudonym = new Map<string, string>();
  for (const l of short) shortPseudonym.set(l.folded ? l.value.toLowerCase() : l.value, l.pseudonym);
  return (s, freeText) => {
    // Users first: their names must not be taken for learnt host names.
    let out = freeText && /USER/i.test(s) ? s.replace(FTP_USER, (_m, verb: string, user: string) => verb + p.get('user', user)) : s;
    out = matcher.replace(out);
    if (freeText && shortWords !== null) {
      out = out.replace(shortWords, (m) => shortPseudonym.get(m) ?? shortPseudonym.get(m.toLowerCase()) ?? m);
    }
    if (out.includes(',')) out = out.replace(FTP_HOST_PORT, (_m, host: string, port: string) => `${p.get('ipv4', host.replace(/,/g, '.'))},${port}`);
    if (out.includes(':')) {
      out = out.replace(IPV6_CANDIDATE, (m) => {
        const k = m.length >= 2 ? ipv6Key(m) : null;
        return k === null ? m : p.get('ipv6', k);
      });
    }
    if (out.includes('.')) out = out.replace(IPV4, (m) => p.get('ipv4', m));
    return out;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function transform(node: unknown, rewrite: (s: string, freeText: boolean) => string, p: Pseudonyms, key: string | null, knowledge: boolean): unknown {
  if (typeof node === 'string') {
    if (key === 'sha256') return node;
    // --hex: a record's body can carry names (an SNI, a certificate's subject); its header cannot.
    if (key === 'recordHead') return node.slice(0, 10);
    if (node === '') return node;
    if (key === 'serialNumber') return p.get('serial', node);
    // A field that is a host name is its pseudonym however short (`db`): the literal scan skips those.
    if ((key === 'sni' || key === 'names') && !knowledge) return p.get('host', node);
    if (key === 'fingerprintSha256') return p.get('fp', node);
    if (key === 'subjectAltNames') return redactSan(node, rewrite, p);
    if (knowledge && key !== null && BIBLIOGRAPHIC.has(key)) return node;
    return rewrite(node, !knowledge && key !== null && FREE_TEXT.has(key));
  }
  if (Array.isArray(node)) return node.map((x) => transform(x, rewrite, p, key, knowledge));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = transform(v, rewrite, p, k, knowledge || KNOWLEDGE.has(k));
    return out;
  }
  return node;
}

/** `IP:0:0:0:0:0:0:0:1` → `IP:ipv6-1`: the type stays, the value goes (whatever its spelling). */
function redactSan(san: string, rewrite: (s: string, freeText: boolean) => string, p: Pseudonyms): string {
  const m = /^(IP|IP Address):\s*(.*)$/i.exec(san);
  if (m) {
    const v6 = ipv6Key(m[2]);
    return `${m[1]}:${v6 !== null ? p.get('ipv6', v6) : p.get('ipv4', m[2])}`;
  }
  const dns = /^(DNS):\s*(.+)$/i.exec(san);
  if (dns) return `${dns[1]}:${p.get('host', dns[2])}`;
  return rewrite(san, false);
}

/**
 * A redactor for a run that renders captures one at a time (batch streaming): pseudonyms stay stable
 * across every capture it is given.
 */
export interface Redactor {
  (capture: CaptureDocument): CaptureDocument;
  /**
   * A capture's name in a redacted report: `capture-N` and its extensions. A file name often holds a
   * host or a customer name, and when captures are streamed it is printed before their contents
   * could teach the redactor which names to hide, so the whole name is replaced.
   */
  fileName(name: string): string;
}

export function captureRedactor(): Redactor {
  const p = new Pseudonyms();
  const redact = (capture: CaptureDocument): CaptureDocument => {
    learn(capture, p, null, null);
    return transform(capture, rewriter(p), p, null, false) as CaptureDocument;
  };
  return Object.assign(redact, {
    fileName: (name: string) => `${p.get('file', name)}${/(\.(pcapng|pcap|cap|dmp|gz|zip|tgz|tar))+$/i.exec(name)?.[0] ?? ''}`,
  });
}

export function redactDocument(doc: ReportDocument): ReportDocument {
  const p = new Pseudonyms();
  learn(doc.captures, p, 'captures', null);
  const copy = transform(doc, rewriter(p), p, null, false) as ReportDocument;
  return { ...copy, redacted: true } as ReportDocument;
}
