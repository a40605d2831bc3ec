/**
 * Sentences and values every human-readable format shows (text, markdown, html): the capture's
 * identity, a connection's status and facts, the command line. One wording, so a ticket that carries
 * the markdown and an e-mail that carries the HTML say the same thing.
 */
import { guessText } from '../findings/software.js';
import { printable } from './printable.js';
import type { CaptureHeader, CaptureReport, ConnectionDocument, ReportDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import type { TranscriptEvent } from '../session/transcript.js';
import { versionName } from '../../decoders/tls/registry/versions.js';
import { offeredSuites } from '../../decoders/tls/registry/cipher-suites.js';
import { GROUP_CAP, OTHER_SERVERS, SERVER_CAP, type CaptureGroups, type GroupPoint, type HealthyRow } from './groups.js';

/**
 * How much of a capture the formats people read print, whatever its size (the JSON has everything):
 * the same bounds for text, Markdown and HTML.
 */
export const PRINT_LIMITS = {
  /** Rows of the per-rule and per-server tables. */
  tableRows: 20,
  /** Finding groups shown in full; the rest are one table row each. */
  groupsInFull: 25,
  /** Status groups (failed or cut off without a finding) shown in full; the rest one row each. */
  statusInFull: 10,
  /** Rows of the tables of groups not shown in full, and of the healthy table. */
  shortRows: 200,
  /** Stream numbers listed in a table row. */
  rowStreams: 5,
  /** Stream numbers listed for conversations without TLS. */
  otherStreams: 20,
} as const;

/** `0xC02F`: a cipher suite's code as z/OS and OpenSSL configurations write it. */
export function cipherHex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)`: the name and the code administrators configure. */
export function cipherText(suite: { readonly code: number; readonly name: string }): string {
  return suite.name.startsWith('unknown(') ? suite.name : `${suite.name} (${cipherHex(suite.code)})`;
}

/** A healthy row's cipher suite with its code: `TLS_AES_128_GCM_SHA256 (0x1301)`. */
export function rowCipherText(r: { readonly cipherSuite: string | null; readonly cipherSuiteCode?: number | null }): string {
  if (r.cipherSuite === null) return '';
  return r.cipherSuiteCode !== null && r.cipherSuiteCode !== undefined ? cipherText({ name: r.cipherSuite, code: r.cipherSuiteCode }) : r.cipherSuite;
}

/** `2,035` — grouping fixed to commas, so the output does not depend on the machine's locale. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `2026-11-23 04:02:36.600437` from `2026-11-23T04:02:36.600437Z`. */
export function readableTime(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, '');
}

/** Epoch seconds (microsecond precision) of an ISO string as document.ts writes them. */
export function isoSeconds(iso: string): number {
  const ms = Date.parse(iso.slice(0, 23) + 'Z');
  const micros = /^\d{3}/.test(iso.slice(23, 26)) ? Number(iso.slice(23, 26)) : 0;
  return ms / 1000 + micros / 1e6;
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${groupDigits(n)} ${n === 1 ? word : words}`;
}

/** `2026-11-23 04:02:36.600437 → 04:02:36.611055 UTC (0.011 s)`; the date repeats only when it changes. */
export function timeSpan(cap: CaptureHeader): string {
  if (!cap.firstTime || !cap.lastTime) return cap.packets > 0 ? 'times beyond any date' : 'no frames';
  const last = cap.lastTime.slice(0, 10) === cap.firstTime.slice(0, 10) ? cap.lastTime.slice(11) : cap.lastTime;
  const seconds = Math.max(0, isoSeconds(cap.lastTime) - isoSeconds(cap.firstTime));
  return `${readableTime(cap.firstTime)} → ${readableTime(last)} UTC (${seconds.toFixed(3)} s)`;
}

export function formatText(cap: CaptureHeader): string {
  if (!cap.format) return 'unknown';
  return `${cap.format}${cap.compressed ? ' (gzip-compressed)' : ''}`;
}

export function linkTypesText(cap: CaptureHeader): string {
  return cap.linkTypes.map((l) => `${l.name} (${l.code})`).join(', ') || 'none';
}

/** The capture's identity as label/value pairs, in the order every format prints them. */
export function identityRows(cap: CaptureHeader): [string, string][] {
  const rows: [string, string][] = [['file', cap.file]];
  rows.push(['size', cap.size === null ? 'unknown' : `${groupDigits(cap.size)} bytes`]);
  rows.push(['SHA-256', cap.sha256 ?? 'unknown']);
  if (cap.error) {
    rows.push(['error', cap.error.message + (cap.error.offset !== null ? ` (at byte ${cap.error.offset})` : '')]);
    return rows;
  }
  rows.push(['format', formatText(cap)]);
  rows.push(['link types', linkTypesText(cap)]);
  rows.push(['packets', groupDigits(cap.packets)]);
  rows.push(['time span', timeSpan(cap)]);
  return rows;
}

/** A POSIX-shell rendering of one argument: bare when safe, single-quoted otherwise. */
export function shellWord(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  // A control or bidi character (a hostile file name) would act on the terminal or reorder the line:
  // bash's $'…' quoting spells it as an escape, and the command still runs as printed.
  if (printable(arg) !== arg) return `$'${printable(arg.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `tlsdiag --format markdown capture.pcap`: what was run, as the user could run it again. */
export function commandLine(doc: ReportDocument): string {
  return [doc.tool.name, ...doc.command.map(shellWord)].join(' ');
}

export function toolLine(doc: ReportDocument): string {
  return `${doc.tool.name} ${doc.tool.version}`;
}

export type VerdictTone = 'failed' | 'warning' | 'ok' | 'none';

export function verdictTone(cap: CaptureReport): VerdictTone {
  const v = cap.verdict;
  if (cap.error || v.findings.error > 0 || v.failed > 0) return 'failed';
  if (v.findings.warning > 0 || v.incomplete > 0) return 'warning';
  return v.tlsConnections > 0 ? 'ok' : 'none';
}

/** The verdict sentence; an unreadable capture's verdict is its error. */
export function verdictSentence(cap: CaptureReport): string {
  return cap.error ? `cannot be read: ${cap.error.message}` : cap.verdict.text;
}




/**
 * `fatal illegal_parameter(47)`, or `an encrypted alert` when level and description are unknown
 * (the summary's internal `encrypted` / `unknown (encrypted)` labels are not for readers).
 */
export function alertWords(a: { readonly level: string; readonly description: string; readonly code: number }): string {
  if (a.level === 'encrypted') return 'an encrypted alert';
  return `${a.level} ${a.description}${a.code >= 0 ? `(${a.code})` : ''}`;
}

/** Where a product logs a message, in words: `client`, `server`, `client or server`. */
export function sideWords(side: string): string {
  return side === 'either' ? 'client or server' : side;
}

/** The FTP data connection's session reuse verdict in words (`not-reused` is a JSON value). */
const REUSE_WORDS: Readonly<Record<string, string>> = { reused: 'reused', 'not-reused': 'not reused', unknown: 'cannot be told' };

/** `FAILED: client sent fatal illegal_parameter(47) in frame 8`. */
export function statusText(c: ConnectionDocument): string {
  const t = c.tls;
  if (t === null && c.end.kind === 'icmp-unreachable' && c.end.icmp) return `REFUSED: ICMP ${c.end.icmp.meaning} from ${c.end.icmp.sender} in frame ${c.end.frame}`;
  if (t === null) return 'no TLS seen';
  if (c.status === 'established') return 'established';
  if (c.status === 'incomplete') return 'incomplete (the capture ends mid-handshake)';
  if (c.status === 'mid-connection') return 'mid-connection (its start is not in the capture)';
  if (t.alert && t.ended.how === 'alert') {
    return `FAILED: ${t.alert.from} sent ${alertWords(t.alert)} in frame ${t.alert.frame}`;
  }
  if ((t.ended.how === 'fin' || t.ended.how === 'rst') && t.ended.by) {
    return `FAILED: ${t.ended.by} closed the connection (${t.ended.how.toUpperCase()}) in frame ${t.ended.frame}`;
  }
  return 'FAILED';
}


/** What was offered and agreed, one fact a line (the same facts the text report lists). */
export function connectionFacts(c: ConnectionDocument): string[] {
  const facts: string[] = [];
  const t = c.tls;
  if (c.ftp) {
    if (c.ftp.role === 'control') {
      const security = c.ftp.security === 'explicit' ? 'explicit FTPS (AUTH TLS)' : c.ftp.security === 'implicit' ? 'implicit FTPS' : 'plain FTP';
      const data = c.ftp.dataStreams.length ? `; data connections: stream${c.ftp.dataStreams.length > 1 ? 's' : ''} ${c.ftp.dataStreams.join(', ')}` : '';
      facts.push(`FTP control connection, ${security}${data}`);
    } else {
      facts.push(`FTP data connection of control stream ${c.ftp.controlStream} (${c.ftp.link === 'announced' ? 'announced by PASV/EPSV/PORT/EPRT' : 'inferred from hosts and timing'})`);
      if (c.ftp.resumption) facts.push(`TLS session reuse: ${REUSE_WORDS[c.ftp.resumption.verdict] ?? c.ftp.resumption.verdict}. ${c.ftp.resumption.explanation}`);
    }
  }
  if (t === null) return facts;
  if (t.midConnection === true) {
    const basis = c.clientBasis === 'ports' ? `; the server told by its port` : c.clientBasis === 'first-packet' ? '; client and server guessed from who spoke first' : '';
    facts.push(`picked up mid-way from frame ${t.startFrame}: no hello in the capture, so what was negotiated is unknown${basis}`);
    if (t.handshakeSeconds !== null) facts.push(`handshake ${(t.handshakeSeconds * 1000).toFixed(1)} ms`);
    return facts;
  }
  if (t.upgradedFrom) facts.push(`TLS ${upgradeWords(t.upgradedFrom)} (frame ${t.startFrame})`);
  facts.push(`client offered ${t.offeredVersions.map((v) => versionName(v)).join(', ') || 'unknown'} with ${plural(t.offeredCipherSuites, 'cipher suite')}${t.offeredSignalling ? ` (and ${t.offeredSignalling.join(', ')})` : ''}`);
  if (t.negotiatedVersion !== null) facts.push(`server chose ${versionName(t.negotiatedVersion)}${t.cipherSuite ? `, ${cipherText(t.cipherSuite)}` : ''}`);
  if (t.sni) facts.push(`SNI ${t.sni}`);
  if (t.alpn) facts.push(`ALPN ${t.alpn}`);
  if (c.software) facts.push(`software: client ${guessText(c.software.client)}; server ${guessText(c.software.server)}`);
  const fp = t.fingerprints;
  if (fp.client || fp.server) {
    const parts = fp.client ? [`JA4 ${fp.client.ja4}`, `JA3 ${fp.client.ja3}`] : [];
    if (fp.server) parts.push(`JA3S ${fp.server.ja3s}`);
    facts.push(`fingerprints: ${parts.join(', ')}`);
  }
  if (t.resumption.accepted) facts.push(`resumed (${t.resumption.via})`);
  if (t.clientCertificate.requested) {
    const sent = t.clientCertificate.sent === null ? 'not seen whether one was sent' : t.clientCertificate.sent ? 'one was sent' : 'none was sent';
    // TLS 1.3 names CAs in an optional extension: length 0 is then its absence, not an empty list.
    const cas = t.negotiatedVersion === 0x0304 && t.clientCertificate.authoritiesLength === 0 ? 'no certificate_authorities extension' : `CA list length ${t.clientCertificate.authoritiesLength ?? '?'}`;
    facts.push(`client certificate requested (${cas}); ${sent}`);
  }
  const cert = t.serverCertificates[0];
  if (cert) facts.push(`server certificate: ${cert.subject || '(empty subject)'} (issuer ${cert.issuer || '(empty issuer)'}, valid to ${cert.validTo.slice(0, 10)})`);
  if (t.handshakeSeconds !== null) facts.push(`handshake ${(t.handshakeSeconds * 1000).toFixed(1)} ms`);
  return facts;
}


/** `remedy.where: action (caveat)` */
export function remedyText(r: Finding['remedies'][number]): string {
  return `${remedyWhere(r)}: ${r.action}${r.caveat ? ` (${r.caveat})` : ''}`;
}

/** `vsftpd`, or with its condition when the product is not known to be there: `if the client is IBM z/OS (System SSL), in z/OS`. */
export function remedyWhere(r: Finding['remedies'][number]): string {
  return r.appliesTo ? `${r.appliesTo}, in ${r.where}` : r.where;
}

export function sourceText(s: Finding['references'][number]): string {
  return `${s.title}${s.section ? `, ${s.section}` : ''}${s.publisher ? ` (${s.publisher})` : ''}`;
}

/** The source's article id or URL when it adds something to its title (`RFC 5246` does not). */
export function sourceRef(s: Finding['references'][number]): string | null {
  return s.ref && !s.title.includes(s.ref) ? s.ref : null;
}

/** Greedy word wrap at a fixed width (never the terminal's), continuation lines indented by `rest`. */
export function wrapText(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Problems of a connection, each with its frame: the connection's own and those of its events. */
export function connectionProblems(c: ConnectionDocument): { frame: number | null; text: string }[] {
  const out: { frame: number | null; text: string }[] = [];
  const text = (p: { message: string; rule?: string }) => `${p.message}${p.rule && !p.message.includes(p.rule) ? ` (${p.rule})` : ''}`;
  for (const p of c.problems) out.push({ frame: p.frame ?? null, text: text(p) });
  for (const e of c.events) for (const p of e.problems ?? []) out.push({ frame: e.frame, text: text(p) });
  return out;
}


/**
 * What a message carried that a support engineer asks about first (offered versions and suites,
 * the chosen suite, the certificates, the acceptable CAs); '' when there is nothing to add.
 */
export function eventDetail(e: TranscriptEvent): string {
  if (e.type === 'plaintext') return e.protocol !== 'unknown' ? `${e.protocol}, ${plural(e.length, 'byte')}` : plural(e.length, 'byte');
  if (e.type === 'sslv2') return e.cipherSpecs ? plural(e.cipherSpecs.length, 'cipher spec') : '';
  if (e.type !== 'handshake' || !e.body) return '';
  const b = e.body;
  switch (b.kind) {
    case 'ClientHello': {
      const parts = [`version ${versionName(b.version)}`, offeredSuites(b.cipherSuites).text];
      for (const x of b.extensions) {
        const v = x.value;
        if (v?.kind === 'supported_versions') parts.push(`supported_versions ${v.versions.map((n) => versionName(n)).join(', ')}`);
        if (v?.kind === 'server_name' && v.names.length) parts.push(`SNI ${v.names.join(', ')}`);
        if (v?.kind === 'alpn' && v.protocols.length) parts.push(`ALPN ${v.protocols.join(', ')}`);
      }
      return parts.join('; ');
    }
    case 'ServerHello':
      return `${b.helloRetryRequest ? 'HelloRetryRequest; ' : ''}${versionName(b.negotiatedVersion)}, ${cipherText(b.cipherSuite)}`;
    case 'Certificate':
      if (b.certificates.length === 0) return 'empty certificate list';
      return `${plural(b.certificates.length, 'certificate')}: ${b.certificates
        .map((c, i) => `[${i}] ${c.subject || '(empty subject)'} issued by ${c.issuer || '(empty issuer)'}, valid ${c.validFrom.slice(0, 10)} to ${c.validTo.slice(0, 10)}`)
        .join('; ')}`;
    case 'CertificateRequest': {
      const types = b.certificateTypes.map((t) => t.name).join(', ');
      const cas = b.authorities.length ? `: ${b.authorities.map((a) => a.text).join('; ')}` : '';
      return `${types ? `types ${types}; ` : ''}certificate_authorities length ${b.authoritiesLength}${cas}`;
    }
    case 'ServerKeyExchange':
      return [b.keyExchange, b.group?.name, b.dhPrimeBits ? `${b.dhPrimeBits}-bit prime` : '', b.signatureScheme?.name].filter(Boolean).join(', ');
    case 'NewSessionTicket':
      return `lifetime ${b.lifetime} s, ticket ${b.ticketLength} bytes`;
    default:
      return '';
  }
}

/**
 * What the caps on groups folded away, in one sentence (null when nothing was): a capture with more
 * servers than GROUP_CAP shows the later ones together as `other servers`.
 */
export function cappedSentence(g: CaptureGroups): string | null {
  const c = g.capped;
  if (c === null) return null;
  const parts: string[] = [];
  if (c.groups > 0) parts.push(`${groupDigits(c.groups)} finding${c.groups === 1 ? '' : 's'}`);
  if (c.statusGroups > 0) parts.push(`${groupDigits(c.statusGroups)} failed or cut-off handshake${c.statusGroups === 1 ? '' : 's'}`);
  if (c.healthy > 0) parts.push(`${groupDigits(c.healthy)} healthy connection${c.healthy === 1 ? '' : 's'}`);
  const folded = parts.length ? `${parts.join(', ')} of servers past the first ${groupDigits(GROUP_CAP)} groups are shown together as "${OTHER_SERVERS}"` : '';
  const servers = c.servers > 0 ? `${groupDigits(c.servers)} failing connection${c.servers === 1 ? '' : 's'} of servers past the first ${groupDigits(SERVER_CAP)} are counted as "${OTHER_SERVERS}" in the table of failing servers` : '';
  return `Many servers: ${[folded, servers].filter(Boolean).join('; ')}. Every connection is in --format json and ndjson.`;
}

/**
 * `stream 4` or `streams 3, 8, 13, … (first 50 listed)`: never more than `shown` numbers. With a
 * transport (DTLS, QUIC) the numbers are udp.stream indices and say so: `udp.stream 0`.
 */
export function streamList(streams: readonly number[], total: number, shown: number, transport?: string): string {
  const list = streams.slice(0, shown);
  const word = transport !== undefined ? 'udp.stream' : 'stream';
  if (total <= list.length) return `${word}${total === 1 ? '' : 's'} ${list.join(', ')}`;
  return `${word}s ${list.join(', ')}, … (first ${list.length} listed)`;
}

/** Wireshark's field for a connection's stream index: tcp.stream, or udp.stream for DTLS and QUIC. */
export function streamField(transport: string | undefined): 'tcp.stream' | 'udp.stream' {
  return transport !== undefined ? 'udp.stream' : 'tcp.stream';
}

/** How the reports name a connection's stream index: `stream`, or `udp.stream` for DTLS and QUIC. */
export function streamLabel(transport: string | undefined): string {
  return transport !== undefined ? 'udp.stream' : 'stream';
}

/** `udp.stream 0 (DTLS)`, or `stream 4` for TLS over TCP: a connection's heading. */
export function streamHeading(c: { readonly stream: number; readonly transport?: string }): string {
  return c.transport !== undefined ? `udp.stream ${c.stream} (${c.transport.toUpperCase()})` : `stream ${c.stream}`;
}

/** A map key for connections of one capture: tcp.stream and udp.stream indices kept apart. */
export function connectionKey(c: { readonly stream: number; readonly transport?: string }): number {
  return c.transport !== undefined ? -1 - c.stream : c.stream;
}

/** `frame 11 (2026-11-23 04:29:54.405700)` */
export function frameAt(p: GroupPoint): string {
  return `frame ${p.frame} (${readableTime(p.time)})`;
}

/** When a group happened: its one frame, or its first and last (the date said once). */
export function groupSpan(first: GroupPoint, last: GroupPoint, n: number): string {
  if (n === 1 || (first.frame === last.frame && first.stream === last.stream)) return frameAt(first);
  const lastTime = readableTime(last.time.slice(0, 10) === first.time.slice(0, 10) ? last.time.slice(11) : last.time);
  return `first ${frameAt(first)}, last frame ${last.frame} (${lastTime})`;
}

/**
 * How TLS began after a plaintext dialogue: `after FTP upgrade` (STARTTLS and the like), `after a
 * SOCKS5 handshake`, `inside an HTTP CONNECT tunnel`.
 */
export function upgradeWords(upgradedFrom: string): string {
  switch (upgradedFrom) {
    case 'socks4':
      return 'after a SOCKS4 handshake';
    case 'socks5':
      return 'after a SOCKS5 handshake';
    case 'http-connect':
      return 'inside an HTTP CONNECT tunnel';
    case 'unknown':
      return 'after a plaintext dialogue of unknown protocol';
    default:
      return `after ${upgradedFrom.toUpperCase()} upgrade`;
  }
}

/** How a healthy row's connections were set up: `resumed (session_ticket), after FTP upgrade`, or `full handshake`. */
export function healthyHow(r: HealthyRow): string {
  const how = [r.resumption ?? 'full handshake'];
  if (r.upgradedFrom) how.push(upgradeWords(r.upgradedFrom));
  return how.join(', ');
}

/** A table cell's streams: `0, 8, 10, 11, 12, …` (PRINT_LIMITS.rowStreams of them). */
export function firstStreams(streams: readonly number[], total: number, transport?: string): string {
  const list = (transport !== undefined ? 'udp.stream ' : '') + streams.slice(0, PRINT_LIMITS.rowStreams).join(', ');
  return total > PRINT_LIMITS.rowStreams ? `${list}, …` : list;
}
