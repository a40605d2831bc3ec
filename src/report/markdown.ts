/**
 * `--format markdown`: a report to paste into a ticket (GitHub, GitLab, Jira's markdown editor,
 * ServiceNow, a mail client that renders markdown). Only constructs every CommonMark/GFM renderer
 * shares: headings, paragraphs, bullet lists, emphasis, code spans and pipe tables; no HTML, which
 * most ticket systems strip.
 *
 * Everything from a capture is hostile input: text is escaped (a banner's `<script>`, `|` that would
 * split a table cell, `*`/`_` that would start emphasis) or set in a code span sized to its content.
 */
import type { CaptureDocument, ConnectionDocument, ReportDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import { ladder } from './ladder.js';
import {
  batchTotals,
  commandLine,
  connectionFacts,
  connectionProblems,
  connectionTitle,
  findingsAbout,
  groupConnections,
  identityRows,
  plural,
  sourceRef,
  sourceText,
  statusText,
  toolLine,
  verdictText,
  verdictTone,
} from './describe.js';
import { versionName } from '../../decoders/tls/registry/versions.js';

/** Escapes text so that it renders as itself, inline; line breaks become spaces. */
export function mdText(s: string): string {
  let out = '';
  const t = s.replace(/\s*[\r\n]+\s*/g, ' ');
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if ('\\`*[]<>|~'.includes(c)) out += '\\' + c;
    else if (c === '_') {
      // An underscore inside a word (illegal_parameter) never starts emphasis; elsewhere it may.
      const inside = i > 0 && i < t.length - 1 && /[A-Za-z0-9]/.test(t[i - 1]) && /[A-Za-z0-9]/.test(t[i + 1]);
      out += inside ? c : '\\_';
    } else if (c === '&' && /^&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(t.slice(i, i + 12))) out += '&amp;';
    // GFM turns `scheme://…` and `www.…` in text into links: a URL in a captured banner must stay
    // text, not become a link in the ticket; an escaped `:` or `.` prevents that. (cmark-gfm links
    // e-mail addresses whatever is escaped: those become mailto: links.)
    else if (c === ':' && t.startsWith('//', i + 1) && /[A-Za-z]$/.test(t.slice(0, i))) out += '\\:';
    else if (c === '.' && /(?:^|[^\w.-])www$/i.test(t.slice(Math.max(0, i - 4), i))) out += '\\.';
    else if ((c === '#' || c === '!') && i === 0) out += '\\' + c;
    else out += c;
  }
  return out;
}

/** A code span holding `s` literally; in a table cell its `|` are escaped (GFM unescapes them in cells). */
export function mdCode(s: string, inTable = false): string {
  let t = s.replace(/[\r\n]+/g, ' ');
  if (inTable) t = t.replace(/\|/g, '\\|');
  const runs = t.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A knowledge-base reference: a link when it is a plain http(s) URL, else text. */
function mdRef(ref: string): string {
  return /^https?:\/\/[^\s<>]+$/.test(ref) ? `<${ref}>` : mdText(ref);
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const SEVERITY: Record<Finding['severity'], string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
const TONE: Record<ReturnType<typeof verdictTone>, string> = { failed: 'FAILED', warning: 'WARNING', ok: 'OK', none: 'NO TLS' };

export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [];
  out.push('# tlsdiag report', '');
  out.push(`- **Analyzed with:** ${mdText(toolLine(doc))}`);
  out.push(`- **Command:** ${mdCode(commandLine(doc))}`);
  if ((doc as { redacted?: boolean }).redacted) out.push('- **Redacted:** addresses, host names and certificate identities are replaced by pseudonyms');
  out.push('');
  if (doc.captures.length > 1) out.push(...batchSummary(doc));
  for (const cap of doc.captures) out.push(...captureSection(cap));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function batchSummary(doc: ReportDocument): string[] {
  const t = batchTotals(doc);
  const out = ['## Summary', ''];
  out.push(`${plural(t.captures, 'capture')}${t.unreadable ? ` (${t.unreadable} unreadable)` : ''}, ${plural(t.tls, 'TLS handshake')}, ${t.failed} failed.`, '');
  out.push(row(['capture', 'verdict']), row(['---', '---']));
  for (const cap of doc.captures) out.push(row([mdCode(cap.file, true), `**${TONE[verdictTone(cap)]}** ${mdText(verdictText(cap))}`]));
  out.push('');
  if (t.perRule.length) {
    out.push(row(['findings', 'rule']), row(['---:', '---']));
    for (const [rule, n] of t.perRule) out.push(row([String(n), mdCode(rule, true)]));
    out.push('');
  }
  return out;
}

function captureSection(cap: CaptureDocument): string[] {
  const out: string[] = [];
  out.push(`## ${mdText(cap.file)}`, '');
  out.push(`**Verdict: ${TONE[verdictTone(cap)]}** — ${mdText(verdictText(cap))}`, '');
  for (const [label, value] of identityRows(cap)) {
    const code = label === 'file' || label === 'SHA-256';
    out.push(`- **${label[0].toUpperCase()}${label.slice(1)}:** ${code ? mdCode(value) : mdText(value)}`);
  }
  out.push('');
  if (cap.problems.length) {
    out.push('**Capture problems**', '');
    for (const p of cap.problems) out.push(`- ${p.severity}: ${mdText(p.message)}${p.frame !== undefined ? ` (frame ${p.frame})` : ''}`);
    out.push('');
  }
  if (cap.error) return out;

  if (cap.findings.length) {
    out.push('### Findings', '');
    cap.findings.forEach((f, i) => out.push(...finding(f, i + 1)));
  }
  const groups = groupConnections(cap);
  if (groups.detailed.length) {
    out.push('### Connections that failed or have findings', '');
    for (const c of groups.detailed) out.push(...connection(cap, c));
  }
  if (groups.healthy.length) {
    out.push('### Established connections', '');
    out.push(row(['stream', 'client', 'server', 'version', 'cipher suite', 'SNI', 'handshake']), row(['---:', '---', '---', '---', '---', '---', '---:']));
    for (const c of groups.healthy) {
      const t = c.tls!;
      out.push(
        row([
          String(c.stream),
          mdCode(c.client, true),
          mdCode(c.server, true),
          t.negotiatedVersion !== null ? versionName(t.negotiatedVersion) : '',
          t.cipherSuite ? mdCode(t.cipherSuite.name, true) : '',
          t.sni ? mdCode(t.sni, true) : '',
          t.handshakeSeconds !== null ? `${(t.handshakeSeconds * 1000).toFixed(1)} ms` : '',
        ]),
      );
    }
    out.push('');
  }
  if (groups.other.length) {
    const shown = groups.other.slice(0, 20).map((c) => String(c.stream));
    const more = groups.other.length > 20 ? ` and ${groups.other.length - 20} more` : '';
    out.push(`${plural(groups.other.length, 'other TCP connection')} without TLS: stream${groups.other.length > 1 ? 's' : ''} ${shown.join(', ')}${more}.`, '');
  }
  if (cap.connections.length === 0) out.push('No TCP conversation was found in this capture.', '');
  return out;
}

function finding(f: Finding, n: number): string[] {
  const out: string[] = [];
  out.push(`#### ${n}. ${SEVERITY[f.severity]}: ${mdText(f.title)}`, '');
  const related = f.relatedStreams?.length ? ` (related: ${f.relatedStreams.join(', ')})` : '';
  out.push(`Rule ${mdCode(f.rule)} · stream ${f.stream}${related} · frame${f.frames.length === 1 ? '' : 's'} ${f.frames.join(', ')}`, '');
  out.push(mdText(f.message), '');
  if (f.evidence.length) {
    out.push('**Evidence**', '');
    for (const e of f.evidence) out.push(`- ${mdText(e.text)}`);
    out.push('');
  }
  if (f.remedies.length) {
    out.push('**What to change**', '');
    for (const r of f.remedies) out.push(`- **${mdText(r.where)}:** ${mdText(r.action)}${r.caveat ? ` (${mdText(r.caveat)})` : ''}`);
    out.push('');
  }
  if (f.products.length) {
    out.push('**What the products log**', '');
    out.push(row(['product', 'side', 'message']), row(['---', '---', '---']));
    for (const m of f.products) out.push(row([mdText(m.product), m.side, mdCode(m.text, true)]));
    out.push('');
  }
  if (f.wiresharkFilter) out.push(`**Wireshark filter:** ${mdCode(f.wiresharkFilter)}`, '');
  if (f.references.length) {
    out.push('**References**', '');
    for (const s of f.references) out.push(`- ${mdText(sourceText(s))}${sourceRef(s) ? ` ${mdRef(sourceRef(s)!)}` : ''}`);
    out.push('');
  }
  return out;
}

function connection(cap: CaptureDocument, c: ConnectionDocument): string[] {
  const out: string[] = [];
  out.push(`#### ${mdText(connectionTitle(c).replace(/^stream/, 'Stream'))}`, '');
  out.push(`**${mdText(statusText(c))}**`, '');
  for (const fact of connectionFacts(c)) out.push(`- ${mdText(fact)}`);
  const about = findingsAbout(cap, c.stream);
  if (about.length) out.push(`- findings: ${[...new Set(about.map((f) => f.rule))].map((r) => mdCode(r)).join(', ')}`);
  out.push(`- Wireshark: ${mdCode(`tcp.stream eq ${c.stream}`)}`);
  out.push('');
  const rows = ladder(c.events, c.tls?.established ?? false, c.tls);
  if (rows.length) {
    out.push(row(['frame', 'time', 'direction', 'record', 'message or alert']), row(['---:', '---:', '---', '---', '---']));
    for (const r of rows) {
      const cells = [String(r.frame), `+${r.offset.toFixed(3)} s`, r.from === 'client' ? 'client → server' : 'server → client', mdText(r.record), mdText(r.what)];
      out.push(row(r.failure ? [...cells.slice(0, 4).map((x) => `**${x}**`), `**${cells[4]}** ← failing step`] : cells));
    }
    out.push('');
  }
  const problems = connectionProblems(c);
  if (problems.length) {
    out.push('**Decode problems**', '');
    for (const p of problems) out.push(`- ${p.frame !== null ? `frame ${p.frame}: ` : ''}${mdText(p.text)}`);
    out.push('');
  }
  return out;
}
