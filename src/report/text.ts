/**
 * The default report, for a terminal or a ticket, readable at 10,000 connections: per capture the
 * verdict first (naming the groups of failures), what was analysed, the findings per rule and per
 * failing server, then each group of findings once in full (the example connection's evidence,
 * remedies, product messages and ladder) followed by the streams of the rest, incomplete handshakes
 * the same way, healthy connections as a table of what they agreed, and the count of other
 * conversations. `--all` adds every connection in full. The run's tool version and command line
 * close the report.
 *
 * Colour only when asked (the CLI asks on a terminal without NO_COLOR). Nothing depends on the
 * terminal's width: the same document gives the same text everywhere.
 */
import { shownProducts, shownRemedies } from '../findings/relevance.js';
import { table, getBorderCharacters } from 'table';
import type { CaptureReport, ConnectionDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import type { FindingGroup, StatusGroup } from './groups.js';
import type { BatchSummary } from './run-summary.js';
import { renderSummaryText, wantsSummary } from './summary-text.js';
import { ladder } from './ladder.js';
import { upgradeWords } from './describe.js';
import {
  cappedSentence,
  connectionFacts,
  connectionProblems,
  formatText,
  groupDigits,
  plural,
  readableTime,
  remedyText,
  shellWord,
  statusText,
  groupSpan,
  PRINT_LIMITS,
  streamList,
  streamLabel,
  streamHeading,
  connectionKey,
  timeSpan,
  verdictTone,
  wrapText,
  rowCipherText,
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

/** The verdict wraps only past this (other prose wraps at TEXT_WIDTH). */
const VERDICT_WIDTH = 190;
/** Stream numbers printed per list; the JSON lists every connection. */
const STREAMS_SHOWN = 50;
const { tableRows: TABLE_ROWS, groupsInFull: GROUPS_IN_FULL, statusInFull: STATUS_IN_FULL, shortRows: SHORT_ROWS, rowStreams: ROW_STREAMS, otherStreams: OTHER_STREAMS } = PRINT_LIMITS;

/**
 * One capture's part of the text report: the verdict, what was analysed, the findings per rule and
 * per server, then each group of findings once in full (its example connection's evidence, ladder
 * and remedies) with the streams of the rest, incomplete handshakes, healthy connections as a table,
 * and the count of other conversations. With `all`, a heading announces every connection in full
 * (textConnection() each) after it.
 */
export function textCapture(cap: CaptureReport, options: TextOptions & { readonly all?: boolean }): string {
  const p = paint(options.color);
  const lines: string[] = [];
  lines.push(p.bold(cap.file));
  if (cap.error) {
    lines.push(`  ${p.red('cannot be read')}: ${cap.error.message}${cap.error.offset !== null ? ` (at byte ${cap.error.offset})` : ''}`);
    lines.push(p.dim(`  ${cap.size !== null ? `${groupDigits(cap.size)} bytes, ` : ''}sha256 ${cap.sha256 ?? 'unknown'}`));
    for (const pr of cap.problems) lines.push(`  ${p.dim('note')}: ${pr.message}`);
    return finishLines(lines);
  }
  const tone = verdictTone(cap);
  const verdictColor = tone === 'failed' ? p.red : tone === 'warning' ? p.yellow : tone === 'ok' ? p.green : (s: string) => s;
  // The verdict stays one line unless it would pass the line limit (a person greps for it).
  const verdict = wrapText(cap.verdict.text, VERDICT_WIDTH, '  Verdict: ', '           ');
  lines.push(...verdict.map((l, i) => (i === 0 ? `  ${p.bold('Verdict:')} ${verdictColor(l.slice(11))}` : verdictColor(l))));
  const size = cap.size !== null ? `, ${groupDigits(cap.size)} bytes` : '';
  const links = cap.linkTypes.map((l) => l.name).join('+') || 'no link type';
  lines.push(p.dim(`  ${formatText(cap)}, ${links}, ${groupDigits(cap.packets)} frame${cap.packets === 1 ? '' : 's'}${size}, ${timeSpan(cap)}`));
  lines.push(p.dim(`  sha256 ${cap.sha256 ?? 'unknown'}`));
  for (const pr of cap.problems) lines.push(...wrapText(`${pr.severity === 'error' ? p.red('capture problem') : p.dim('note')}: ${pr.message}`, TEXT_WIDTH, '  ', '    '));
  lines.push('');

  const g = cap.groups;
  const findingCount = g.rules.reduce((n, r) => n + r.findings, 0);
  // The per-rule and per-server summary pays off once there is more than one finding to sum up.
  if (findingCount > 1) {
    lines.push(p.bold('  Findings per rule:'));
    lines.push(columns(g.rules.slice(0, TABLE_ROWS).map((r) => [groupDigits(r.findings), r.severity, r.rule, r.title]), [0], 4));
    if (g.rules.length > TABLE_ROWS) lines.push(`    and ${plural(g.rules.length - TABLE_ROWS, 'more rule')}`);
    if (g.servers.length > 0) {
      lines.push(p.bold('  Failing servers:'));
      lines.push(columns(g.servers.slice(0, TABLE_ROWS).map((s) => [groupDigits(s.failed), s.server + (s.sni.length ? ` (${s.sni.slice(0, 2).join(', ')})` : ''), listed(s.rules, 3)]), [0], 4));
      if (g.servers.length > TABLE_ROWS) lines.push(`    and ${plural(g.servers.length - TABLE_ROWS, 'more server')}`);
    }
    lines.push('');
  }

  const laddered = new Set<number>();
  for (const group of g.groups.slice(0, GROUPS_IN_FULL)) lines.push(renderGroup(group, p, laddered));
  if (g.groups.length > GROUPS_IN_FULL) {
    // Many distinct causes (a certificate per server, an alert per client) still give a bounded report.
    const rest = g.groups.slice(GROUPS_IN_FULL);
    lines.push(p.bold(`  ${plural(rest.length, 'more group')} of findings, one line each:`));
    const rows = rest.slice(0, SHORT_ROWS).map((x) => [groupDigits(x.count), x.severity, x.rule, x.server, x.fact, streamList(x.streams, x.count, ROW_STREAMS, x.example.connection.transport)]);
    lines.push(columns([['count', 'severity', 'rule', 'server', 'what sets it apart', 'streams'], ...rows], [0], 4));
    if (rest.length > SHORT_ROWS) lines.push(`    and ${plural(rest.length - SHORT_ROWS, 'more group')} (all in --format json)`);
    lines.push('');
  }
  for (const sg of g.statusGroups.slice(0, STATUS_IN_FULL)) lines.push(renderStatusGroup(sg, p, laddered));
  if (g.statusGroups.length > STATUS_IN_FULL) {
    const rest = g.statusGroups.slice(STATUS_IN_FULL);
    lines.push(p.bold(`  ${plural(rest.length, 'more server')} with handshakes failed or cut off without a finding:`));
    const rows = rest.slice(0, SHORT_ROWS).map((x) => [groupDigits(x.count), x.status, x.server, streamList(x.streams, x.count, ROW_STREAMS, x.example.transport)]);
    lines.push(columns([['count', 'status', 'server', 'streams'], ...rows], [0], 4));
    if (rest.length > SHORT_ROWS) lines.push(`    and ${plural(rest.length - SHORT_ROWS, 'more server')} (all in --format json)`);
    lines.push('');
  }

  if (g.healthy.length > 0) {
    lines.push(p.bold('  Established TLS connections:'));
    const rows = [['count', 'server', 'version', 'cipher suite', 'resumed / upgrade', 'handshake ms min/med/max', 'streams']];
    for (const r of g.healthy.slice(0, SHORT_ROWS)) {
      rows.push([
        groupDigits(r.count),
        r.server + (r.sni.length ? ` (SNI ${r.sni.join(', ')})` : ''),
        r.version,
        rowCipherText(r),
        [r.resumption, r.upgradedFrom ? upgradeWords(r.upgradedFrom) : null].filter(Boolean).join(', '),
        r.handshakeMs ? `${r.handshakeMs.min.toFixed(1)} / ${r.handshakeMs.median.toFixed(1)} / ${r.handshakeMs.max.toFixed(1)}` : '',
        streamList(r.streams, r.count, ROW_STREAMS, r.transport),
      ]);
    }
    lines.push(columns(rows, [0], 4));
    if (g.healthy.length > SHORT_ROWS) lines.push(`    and ${plural(g.healthy.length - SHORT_ROWS, 'more row')} (all in --format json)`);
    lines.push('');
  }
  const capped = cappedSentence(g);
  if (capped !== null) lines.push(...wrapText(capped, TEXT_WIDTH, '  ', '    '), '');
  if (g.other.count > 0) lines.push(...wrapText(`${plural(g.other.count, 'other TCP connection')} without TLS: ${streamList(g.other.streams, g.other.count, OTHER_STREAMS)}.`, TEXT_WIDTH, '  ', '    ').map((l) => p.dim(l)), '');
  if (g.counts.connections === 0) lines.push(p.dim('  No TCP conversation in this capture.'), '');
  if (options.all && g.counts.connections > 0) lines.push(p.bold(`  Every connection (${groupDigits(g.counts.connections)}):`), '');
  return finishLines(lines);
}

/** One connection in full, for `--all`: its status, facts, findings (in short) and ladder. */
export function textConnection(c: ConnectionDocument, findings: readonly Finding[], options: TextOptions): string {
  const p = paint(options.color);
  const out = [renderConnection(c, p, '  ')];
  if (findings.length > 0) {
    const block = findings.flatMap((f) => wrapText(`${severityTag(f.severity, p)} ${f.rule}: ${f.message}`, TEXT_WIDTH, '    ', '      '));
    out[0] = out[0].replace(/\n$/, '') + '\n' + block.join('\n') + '\n';
  }
  return finishLines(out.join('\n').split('\n'));
}

/** After the captures: the batch summary (when there is one) and the line that says what was run. */
export function textRunTail(summary: BatchSummary | null, tool: { name: string; version: string }, command: readonly string[], redacted: boolean, color: boolean): string {
  const p = paint(color);
  const out: string[] = [];
  if (summary !== null && wantsSummary(summary)) out.push(renderSummaryText(summary, color));
  const note = redacted ? ' (redacted: addresses, names and certificate identities are pseudonyms)' : '';
  out.push(p.dim(`${tool.name} ${tool.version}: ${[tool.name, ...command.map(shellWord)].join(' ')}${note}`) + '\n');
  return out.join('\n');
}

function finishLines(lines: readonly string[]): string {
  return lines.join('\n').split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n*$/, '\n');
}

/** `a, b, c and 4 more`: a list that stays on one line. */
function listed(items: readonly string[], shown: number): string {
  return items.slice(0, shown).join(', ') + (items.length > shown ? ` and ${items.length - shown} more` : '');
}

function columns(rows: string[][], alignRight: readonly number[], indentBy: number): string {
  return indent(
    table(rows, {
      border: getBorderCharacters('void'),
      columnDefault: { paddingLeft: 0, paddingRight: 2 },
      columns: Object.fromEntries(alignRight.map((i) => [i, { alignment: 'right' as const }])),
      drawHorizontalLine: () => false,
    }).trimEnd(),
    indentBy,
  )
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

function renderGroup(group: FindingGroup, p: Paint, laddered: Set<number>): string {
  const f = group.example.finding;
  const c = group.example.connection;
  if (group.count === 1) {
    const block = [renderFinding(f, p)];
    if (!laddered.has(connectionKey(c))) {
      laddered.add(connectionKey(c));
      block.push(renderConnection(c, p, '  '));
    }
    return block.join('\n');
  }
  const l: string[] = [];
  l.push(`  ${severityTag(group.severity, p)} ${p.bold(f.title)}  [${f.rule}]`);
  l.push(...wrapText(`${groupDigits(group.count)} connections to ${group.server}${group.sni.length ? ` (SNI ${group.sni.join(', ')})` : ''}: ${group.fact}; ${groupSpan(group.first, group.last, group.count)}.`, TEXT_WIDTH, '    '));
  l.push(`    Example: ${streamLabel(f.transport)} ${f.stream}`);
  l.push(renderFindingBody(f, p));
  if (!laddered.has(connectionKey(c))) {
    laddered.add(connectionKey(c));
    l.push(renderConnection(c, p, '    '));
  }
  const rest = group.streams.filter((s) => s !== c.stream);
  l.push(...wrapText(`The same in ${plural(group.count - 1, 'more connection')}: ${streamList(rest, group.count - 1, STREAMS_SHOWN, c.transport)}.`, TEXT_WIDTH, '    ', '      '));
  l.push('');
  return l.join('\n');
}

function renderStatusGroup(group: StatusGroup, p: Paint, laddered: Set<number>): string {
  const c = group.example;
  const l: string[] = [];
  const what = group.status === 'incomplete' ? 'Handshake incomplete: the capture ends mid-handshake' : 'Handshake failed, no rule explains it';
  l.push(`  ${group.status === 'incomplete' ? p.yellow('INCOMPLETE') : p.red('FAILED')} ${p.bold(what)}  [${plural(group.count, 'connection')} to ${group.server}]`);
  if (!laddered.has(connectionKey(c))) {
    laddered.add(connectionKey(c));
    l.push(renderConnection(c, p, '    '));
  }
  if (group.count > 1) {
    l.push(...wrapText(`The same in ${plural(group.count - 1, 'more connection')}: ${streamList(group.streams.filter((s) => s !== c.stream), group.count - 1, STREAMS_SHOWN, c.transport)}.`, TEXT_WIDTH, '    ', '      '));
    l.push('');
  }
  return l.join('\n');
}

function severityTag(s: Finding['severity'], p: Paint): string {
  return s === 'error' ? p.red('ERROR') : s === 'warning' ? p.yellow('WARNING') : p.dim('INFO');
}

function renderFinding(f: Finding, p: Paint): string {
  return `  ${severityTag(f.severity, p)} ${p.bold(f.title)}  [${f.rule}, ${streamLabel(f.transport)} ${f.stream}]\n${renderFindingBody(f, p)}\n`;
}

/** A finding's message, evidence, remedies, product messages and filter, indented under its heading. */
function renderFindingBody(f: Finding, p: Paint): string {
  const l: string[] = [];
  l.push(...wrapText(f.message, TEXT_WIDTH, '    '));
  if (f.evidence.length) {
    l.push('    Evidence:');
    for (const e of f.evidence) l.push(`      ${e.text}`);
  }
  const remedies = shownRemedies(f);
  if (remedies.length) {
    l.push('    What to change:');
    for (const r of remedies) l.push(...wrapText(remedyText(r), TEXT_WIDTH, '      - ', '        '));
  }
  const products = shownProducts(f);
  if (products.length) {
    l.push('    What the products log:');
    for (const m of products) l.push(`      ${m.product}: ${m.text}`);
  }
  if (f.wiresharkFilter) l.push(`    Wireshark: ${f.wiresharkFilter}`);
  return l.join('\n');
}

function renderConnection(c: ConnectionDocument, p: Paint, at: string): string {
  const l: string[] = [];
  const status = statusText(c);
  l.push(`${at}${p.bold(streamHeading(c))}  ${c.client} → ${c.server}  ${c.status === 'established' ? p.green(status) : c.status === 'incomplete' ? p.yellow(status) : p.red(status)}`);
  for (const f of connectionFacts(c)) l.push(...wrapText(f, TEXT_WIDTH, `${at}  `, `${at}    `));
  const rows = ladder(c.events, c.tls?.established ?? false, c.tls);
  const data = [['frame', '+time', '', 'record', 'message']];
  for (const r of rows) {
    const arrow = r.from === 'client' ? 'C → S' : 'C ← S';
    const what = truncate(r.what, LADDER_TEXT);
    data.push([String(r.frame), r.offset.toFixed(3), arrow, r.record, r.failure ? p.red(`${what}  ← failing step`) : what]);
  }
  // No payload at all (a refused SYN): no ladder, only the heading and the facts.
  if (rows.length > 0) {
    l.push(
      indent(
        table(data, {
          border: getBorderCharacters('void'),
          columnDefault: { paddingLeft: 0, paddingRight: 2 },
          drawHorizontalLine: () => false,
        }).trimEnd(),
        at.length + 2,
      ),
    );
  }
  for (const pr of connectionProblems(c)) l.push(`${at}  ${p.yellow('problem')}: ${pr.frame !== null ? `frame ${pr.frame}: ` : ''}${pr.text}`);
  l.push('');
  return l.join('\n');
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
