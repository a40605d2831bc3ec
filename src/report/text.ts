/**
 * The default report, for a terminal or a ticket: per capture the verdict first, then what was
 * analysed, then each finding with its evidence, what to change and what the products log; then the
 * failing connections with a ladder of their steps; then one line per healthy connection. The run's
 * tool version and command line close the report.
 *
 * Colour only when asked (the CLI asks on a terminal without NO_COLOR). Nothing depends on the
 * terminal's width: the same document gives the same text everywhere.
 */
import { table, getBorderCharacters } from 'table';
import type { CaptureDocument, ConnectionDocument, ReportDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import { ladder } from './ladder.js';
import {
  batchTotals,
  commandLine,
  connectionFacts,
  connectionProblems,
  formatText,
  groupConnections,
  groupDigits,
  healthyLine,
  plural,
  remedyText,
  statusText,
  timeSpan,
  toolLine,
  verdictTone,
  wrapText,
} from './describe.js';

export interface TextOptions {
  readonly color: boolean;
}

interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

function paint(color: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

/** Longest message shown in a ladder row; the JSON has the whole text. */
const LADDER_TEXT = 90;
/** Prose wraps here, whatever the terminal: a ticket or an e-mail shows the same lines. */
const TEXT_WIDTH = 100;

export function renderText(doc: ReportDocument, options: TextOptions): string {
  const p = paint(options.color);
  const out: string[] = [];
  for (const cap of doc.captures) out.push(renderCapture(cap, p));
  if (doc.captures.length > 1) out.push(batchSummary(doc, p));
  const redacted = (doc as { redacted?: boolean }).redacted ? ' (redacted: addresses, names and certificate identities are pseudonyms)' : '';
  out.push(p.dim(`${toolLine(doc)}: ${commandLine(doc)}${redacted}`) + '\n');
  return out
    .join('\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

function renderCapture(cap: CaptureDocument, p: Paint): string {
  const lines: string[] = [];
  lines.push(p.bold(cap.file));
  if (cap.error) {
    lines.push(`  ${p.red('cannot be read')}: ${cap.error.message}${cap.error.offset !== null ? ` (at byte ${cap.error.offset})` : ''}`);
    lines.push(p.dim(`  ${cap.size !== null ? `${groupDigits(cap.size)} bytes, ` : ''}sha256 ${cap.sha256 ?? 'unknown'}`));
    return lines.join('\n') + '\n';
  }
  const tone = verdictTone(cap);
  const verdictColor = tone === 'failed' ? p.red : tone === 'warning' ? p.yellow : tone === 'ok' ? p.green : (s: string) => s;
  lines.push(`  ${p.bold('Verdict:')} ${verdictColor(cap.verdict.text)}`);
  const size = cap.size !== null ? `, ${groupDigits(cap.size)} bytes` : '';
  const links = cap.linkTypes.map((l) => l.name).join('+') || 'no link type';
  lines.push(p.dim(`  ${formatText(cap)}, ${links}, ${plural(cap.packets, 'frame')}${size}, ${timeSpan(cap)}`));
  lines.push(p.dim(`  sha256 ${cap.sha256 ?? 'unknown'}`));
  for (const pr of cap.problems) lines.push(`  ${pr.severity === 'error' ? p.red('capture problem') : p.dim('note')}: ${pr.message}`);
  lines.push('');

  for (const f of cap.findings) lines.push(renderFinding(f, p));

  const groups = groupConnections(cap);
  for (const c of groups.detailed) lines.push(renderConnection(c, p));
  if (groups.healthy.length > 0) {
    lines.push(p.bold('  Established TLS connections:'));
    for (const c of groups.healthy) lines.push(`    ${healthyLine(c)}`);
    lines.push('');
  }
  const other = groups.other.length;
  if (other > 0) lines.push(p.dim(`  ${plural(other, 'other TCP connection')} without TLS.`), '');
  if (cap.connections.length === 0) lines.push(p.dim('  No TCP conversation in this capture.'), '');
  return lines.join('\n');
}

function severityTag(s: Finding['severity'], p: Paint): string {
  return s === 'error' ? p.red('ERROR') : s === 'warning' ? p.yellow('WARNING') : p.dim('INFO');
}

function renderFinding(f: Finding, p: Paint): string {
  const l: string[] = [];
  l.push(`  ${severityTag(f.severity, p)} ${p.bold(f.title)}  [${f.rule}, stream ${f.stream}]`);
  l.push(...wrapText(f.message, TEXT_WIDTH, '    '));
  if (f.evidence.length) {
    l.push('    Evidence:');
    for (const e of f.evidence) l.push(`      ${e.text}`);
  }
  if (f.remedies.length) {
    l.push('    What to change:');
    for (const r of f.remedies) l.push(...wrapText(remedyText(r), TEXT_WIDTH, '      - ', '        '));
  }
  if (f.products.length) {
    l.push('    What the products log:');
    for (const m of f.products) l.push(`      ${m.product}: ${m.text}`);
  }
  if (f.wiresharkFilter) l.push(`    Wireshark: ${f.wiresharkFilter}`);
  l.push('');
  return l.join('\n');
}

function renderConnection(c: ConnectionDocument, p: Paint): string {
  const l: string[] = [];
  const status = statusText(c);
  l.push(`  ${p.bold(`stream ${c.stream}`)}  ${c.client} → ${c.server}  ${c.status === 'established' ? p.green(status) : c.status === 'incomplete' ? p.yellow(status) : p.red(status)}`);
  for (const f of connectionFacts(c)) l.push(`    ${f}`);
  const rows = ladder(c.events, c.tls?.established ?? false, c.tls);
  const data = [['frame', '+time', '', 'record', 'message']];
  for (const r of rows) {
    const arrow = r.from === 'client' ? 'C → S' : 'C ← S';
    const what = truncate(r.what, LADDER_TEXT);
    data.push([String(r.frame), r.offset.toFixed(3), arrow, r.record, r.failure ? p.red(`${what}  ← failing step`) : what]);
  }
  l.push(
    indent(
      table(data, {
        border: getBorderCharacters('void'),
        columnDefault: { paddingLeft: 0, paddingRight: 2 },
        drawHorizontalLine: () => false,
      }).trimEnd(),
      4,
    ),
  );
  for (const pr of connectionProblems(c)) l.push(`    ${p.yellow('problem')}: ${pr.frame !== null ? `frame ${pr.frame}: ` : ''}${pr.text}`);
  l.push('');
  return l.join('\n');
}

function batchSummary(doc: ReportDocument, p: Paint): string {
  const t = batchTotals(doc);
  const l: string[] = [p.bold('Summary')];
  l.push(`  ${plural(t.captures, 'capture')}${t.unreadable ? ` (${t.unreadable} unreadable)` : ''}, ${plural(t.tls, 'TLS handshake')}, ${t.failed} failed`);
  for (const [rule, n] of t.perRule) l.push(`  ${String(n).padStart(5)}  ${rule}`);
  return l.join('\n') + '\n';
}

function indent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s
    .split('\n')
    .map((x) => (x.length ? pad + x : x))
    .join('\n');
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
