/**
 * `--format markdown`: a report to paste into a ticket (GitHub, GitLab, Jira's markdown editor,
 * ServiceNow, a mail client that renders markdown). Only constructs every CommonMark/GFM renderer
 * shares: headings, paragraphs, bullet lists, emphasis, code spans and pipe tables; no HTML, which
 * most ticket systems strip.
 *
 * Readable at 10,000 connections: per capture the verdict, the findings per rule and per failing
 * server, each group of findings once in full (its example connection's ladder, then the streams of
 * the rest, at most 50 of them), handshakes that failed or stopped without a finding the same way,
 * healthy connections as one table, and the count of other conversations. Every list is capped, so
 * the size of a capture's section follows the number of groups, not of connections. With `--all`
 * the caller appends markdownConnection() for every connection.
 *
 * The report is written in pieces as the captures finish: markdownRunHead(), then per capture
 * markdownCapture() (and markdownConnection() per connection), then markdownRunTail(). Every piece
 * but the head starts with a blank line and every piece ends with one newline, so any concatenation
 * in that order is a well-formed document ending in a single newline.
 *
 * Everything from a capture is hostile input: text is escaped (a banner's `<script>`, `|` that would
 * split a table cell, `*`/`_` that would start emphasis) or set in a code span sized to its content.
 */
import type { CaptureReport, ConnectionDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import type { FindingGroup, HealthyRow, StatusGroup } from './groups.js';
import type { BatchSummary } from './run-summary.js';
import { wantsSummary } from './summary-text.js';
import { ladder } from './ladder.js';
import { printable } from './printable.js';
import { cappedSentence, plural, connectionFacts, connectionProblems, groupDigits, identityRows, readableTime, shellWord, sourceRef, sourceText, statusText, verdictSentence, verdictTone, type VerdictTone, groupSpan, streamList, PRINT_LIMITS, healthyHow, firstStreams, sideWords, rowCipherText, streamField, streamLabel, streamHeading, connectionKey } from './describe.js';

const { tableRows: TABLE_ROWS, groupsInFull: GROUPS_IN_FULL, statusInFull: STATUS_IN_FULL, shortRows: SHORT_ROWS, otherStreams: OTHER_STREAMS } = PRINT_LIMITS;

/** Escapes text so that it renders as itself, inline; line breaks become spaces. */
export function mdText(s: string): string {
  const t = s.replace(/\s*[\r\n]+\s*/g, ' ');
  if (!t.includes('@')) return escapeInline(t);
  // An e-mail address (a certificate's emailAddress=, a banner) becomes a mailto: link in GFM and
  // most other renderers whatever is escaped around it: a code span is the one place none links.
  let out = '';
  let at = 0;
  for (const m of t.matchAll(EMAIL)) {
    out += escapeInline(t.slice(at, m.index)) + mdCode(m[0]);
    at = m.index + m[0].length;
  }
  return out + escapeInline(t.slice(at));
}

/** What GFM's extended e-mail autolink (and permissive linkers) would take for an address. */
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*/g;

function escapeInline(t: string): string {
  let out = '';
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
    // e-mail addresses whatever is escaped: mdText puts those in code spans.)
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

/** `2,001 connections`: counts grouped, so a large one reads at a glance. */
const SEVERITY: Record<Finding['severity'], string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
const TONE: Record<VerdictTone, string> = { failed: 'FAILED', warning: 'WARNING', ok: 'OK', none: 'NO TLS' };


/** The report's title and what produced it: the first piece of a report. */
export function markdownRunHead(tool: { name: string; version: string }, command: readonly string[], redacted: boolean): string {
  const out = ['# tlsdiag report', ''];
  out.push(`- **Analyzed with:** ${mdText(`${tool.name} ${tool.version}`)}`);
  out.push(`- **Command:** ${mdCode([tool.name, ...command.map(shellWord)].join(' '))}`);
  if (redacted) out.push('- **Redacted:** addresses, host names and certificate identities are replaced by pseudonyms');
  return out.join('\n') + '\n';
}

/**
 * One capture's section: verdict, identity, capture problems, findings per rule and per server,
 * the groups, the healthy table, other conversations; with `all`, the heading the caller's
 * markdownConnection() pieces go under.
 */
export function markdownCapture(report: CaptureReport, all: boolean): string {
  const out: string[] = [''];
  out.push(`## ${mdText(report.file)}`, '');
  out.push(`**Verdict: ${TONE[verdictTone(report)]}** — ${mdText(verdictSentence(report))}`, '');
  for (const [label, value] of identityRows(report)) {
    const code = label === 'file' || label === 'SHA-256';
    out.push(`- **${label[0].toUpperCase()}${label.slice(1)}:** ${code ? mdCode(value) : mdText(value)}`);
  }
  out.push('');
  if (report.problems.length) {
    out.push('**Capture problems**', '');
    for (const p of report.problems) out.push(`- ${p.severity}: ${mdText(p.message)}${p.frame !== undefined ? ` (frame ${p.frame})` : ''}`);
    out.push('');
  }
  if (report.error) return finish(out);

  const g = report.groups;
  // With a single finding the group below says it all; the tables pay off from two on.
  const findings = g.rules.reduce((n, r) => n + r.findings, 0);
  if (findings > 1) {
    out.push('### Findings per rule', '');
    out.push(row(['findings', 'severity', 'rule', 'title']), row(['---:', '---', '---', '---']));
    for (const r of g.rules.slice(0, TABLE_ROWS)) out.push(row([groupDigits(r.findings), r.severity, mdCode(r.rule, true), mdText(r.title)]));
    out.push('');
    if (g.rules.length > TABLE_ROWS) out.push(`And ${plural(g.rules.length - TABLE_ROWS, 'more rule')} (all in \`--format json\`).`, '');
    if (g.servers.length) {
      out.push('### Failing servers', '');
      out.push(row(['failed', 'server', 'SNI', 'rules']), row(['---:', '---', '---', '---']));
      for (const s of g.servers.slice(0, TABLE_ROWS)) {
        out.push(row([groupDigits(s.failed), mdCode(s.server, true), s.sni.map((n) => mdCode(n, true)).join(', '), s.rules.map((r) => mdCode(r, true)).join(', ')]));
      }
      out.push('');
      if (g.servers.length > TABLE_ROWS) out.push(`And ${plural(g.servers.length - TABLE_ROWS, 'more server')} (all in \`--format json\`).`, '');
    }
  }

  // A connection that is the example of several groups is drawn once, and a rule's product messages
  // and references are listed once: later groups point to the first.
  const seen: Seen = { drawn: new Map(), listed: new Map() };
  if (g.groups.length) {
    out.push('### Findings', '');
    g.groups.slice(0, GROUPS_IN_FULL).forEach((group, k) => out.push(...findingGroup(group, k + 1, seen)));
    if (g.groups.length > GROUPS_IN_FULL) out.push(...shortGroups(g.groups.slice(GROUPS_IN_FULL), GROUPS_IN_FULL + 1));
  }
  if (g.statusGroups.length) {
    out.push('### Handshakes that failed or stopped without a finding', '');
    g.statusGroups.slice(0, STATUS_IN_FULL).forEach((sg) => out.push(...statusGroup(sg, seen)));
    if (g.statusGroups.length > STATUS_IN_FULL) out.push(...shortStatusGroups(g.statusGroups.slice(STATUS_IN_FULL)));
  }
  if (g.healthy.length) out.push(...healthyTable(g.healthy));
  const capped = cappedSentence(g);
  if (capped !== null) out.push(mdText(capped), '');
  if (g.other.count > 0) {
    out.push(`${plural(g.other.count, 'other TCP connection')} without TLS: ${streamList(g.other.streams, g.other.count, OTHER_STREAMS)}.`, '');
  }
  if (g.counts.connections === 0) out.push('No TCP conversation was found in this capture.', '');
  if (all && g.counts.connections > 0) out.push(`### Every connection (${groupDigits(g.counts.connections)})`, '');
  return finish(out);
}

/** One connection in full, for `--all`: its findings in short (the groups above have them in full). */
export function markdownConnection(c: ConnectionDocument, findings: readonly Finding[]): string {
  const out: string[] = [''];
  out.push(`#### ${mdText(`Stream ${c.stream}: ${c.client} → ${c.server}`)}`, '');
  const short = findings.map((f) => `- **${SEVERITY[f.severity]}** ${mdCode(f.rule)}: ${mdText(f.message)} (frame${f.frames.length === 1 ? '' : 's'} ${f.frames.join(', ')})`);
  out.push(...connectionBody(c, short.length ? ['**Findings**', '', ...short, ''] : []));
  return finish(out);
}

/** The batch summary, when the run has one worth printing (as the text report decides): the last piece. */
export function markdownRunTail(summary: BatchSummary | null): string {
  if (summary === null || !wantsSummary(summary)) return '';
  // The summary is not a ReportDocument, so the caller's printable pass may not have reached it.
  const p = (s: string) => printable(s);
  const out: string[] = ['', '## Summary', ''];
  const covered = [plural(summary.captures, 'capture') + (summary.unreadable ? ` (${groupDigits(summary.unreadable)} unreadable)` : '')];
  if (summary.skipped.length) covered.push(`${groupDigits(summary.skipped.length)} skipped (not captures)`);
  if (summary.errors.length) covered.push(`${plural(summary.errors.length, 'input')} that could not be read`);
  const handshakes = [`${groupDigits(summary.established)} established`, `${groupDigits(summary.failed)} failed`];
  if (summary.incomplete) handshakes.push(`${groupDigits(summary.incomplete)} incomplete`);
  out.push(`${covered.join(', ')}; ${plural(summary.connections, 'TCP connection')}, ${plural(summary.tlsConnections, 'TLS handshake')}: ${handshakes.join(', ')}.`, '');
  if (summary.rules.length) {
    out.push('**Findings per rule**', '');
    out.push(row(['findings', 'severity', 'rule', 'title', 'captures']), row(['---:', '---', '---', '---', '---:']));
    for (const r of summary.rules) out.push(row([groupDigits(r.findings), r.severity, mdCode(p(r.rule), true), mdText(p(r.title)), groupDigits(r.captures)]));
    out.push('');
  }
  if (summary.failingServers.length) {
    out.push('**Failing servers** (failed handshakes or error findings)', '');
    out.push(row(['failed', 'server', 'SNI', 'captures', 'rules']), row(['---:', '---', '---', '---:', '---']));
    for (const s of summary.failingServers.slice(0, TABLE_ROWS)) {
      out.push(row([groupDigits(s.failed), mdCode(p(s.server), true), s.sni.map((n) => mdCode(p(n), true)).join(', '), groupDigits(s.captures), s.rules.map((r) => mdCode(p(r), true)).join(', ')]));
    }
    out.push('');
    if (summary.failingServers.length > TABLE_ROWS) out.push(`And ${plural(summary.failingServers.length - TABLE_ROWS, 'more server')} (all in \`--format json\`).`, '');
  }
  if (summary.perCapture.length > 1) {
    out.push('**Per capture**', '');
    out.push(row(['capture', 'connections', 'TLS', 'failed', 'findings']), row(['---', '---:', '---:', '---:', '---']));
    for (const c of summary.perCapture) {
      if (c.error !== null && c.connections === 0) out.push(row([mdCode(p(c.file), true), '', '', '', `cannot be read: ${mdText(p(c.error))}`]));
      else {
        const rules = c.topRules.map((r) => mdCode(p(r), true)).join(', ') + (c.error ? ` (${mdText(p(c.error))})` : '');
        out.push(row([mdCode(p(c.file), true), groupDigits(c.connections), groupDigits(c.tlsConnections), groupDigits(c.failed), rules]));
      }
    }
    out.push('');
  }
  if (summary.errors.length) {
    out.push('**Could not be read**', '');
    for (const e of summary.errors) out.push(`- ${mdCode(p(e.name))}: ${mdText(p(e.message))}`);
    out.push('');
  }
  if (summary.skipped.length) {
    out.push('**Skipped**', '');
    for (const s of summary.skipped.slice(0, TABLE_ROWS)) out.push(`- ${mdCode(p(s.name))}: ${mdText(p(s.reason))}`);
    if (summary.skipped.length > TABLE_ROWS) out.push(`- and ${groupDigits(summary.skipped.length - TABLE_ROWS)} more`);
    out.push('');
  }
  if (summary.warnings.length) {
    out.push('**Warnings**', '');
    for (const w of summary.warnings.slice(0, TABLE_ROWS)) out.push(`- ${mdCode(p(w.name))}: ${mdText(p(w.message))}`);
    if (summary.warnings.length > TABLE_ROWS) out.push(`- and ${groupDigits(summary.warnings.length - TABLE_ROWS)} more`);
    out.push('');
  }
  return finish(out);
}

/** Lines to a piece: no run of blank lines, exactly one newline at the end. */
function finish(lines: readonly string[]): string {
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
}


function serverText(server: string, sni: readonly string[]): string {
  return `${mdCode(server)}${sni.length ? ` (SNI ${sni.map((n) => mdCode(n)).join(', ')})` : ''}`;
}

/** What a capture's section has shown in full already, and where: the group's label. */
interface Seen {
  readonly drawn: Map<number, string>;
  readonly listed: Map<string, string>;
}

function findingGroup(group: FindingGroup, n: number, seen: Seen): string[] {
  const f = group.example.finding;
  const c = group.example.connection;
  const out: string[] = [];
  out.push(`#### ${n}. ${SEVERITY[group.severity]}: ${mdText(group.title)}`, '');
  const related = f.relatedStreams?.length ? ` (related: ${f.relatedStreams.join(', ')})` : '';
  const where = `${streamLabel(f.transport)} ${f.stream}${related} · frame${f.frames.length === 1 ? '' : 's'} ${f.frames.join(', ')}`;
  if (group.count === 1) {
    out.push(`Rule ${mdCode(group.rule)} · server ${serverText(group.server, group.sni)} · ${where} · ${readableTime(group.first.time)}`, '');
  } else {
    out.push(`Rule ${mdCode(group.rule)} · server ${serverText(group.server, group.sni)} · **${plural(group.count, 'connection')}** · ${groupSpan(group.first, group.last, group.count)}`, '');
    if (group.fact) out.push(`**In common:** ${mdText(group.fact)}`, '');
    out.push(`**Example:** the group's first, ${where}`, '');
  }
  out.push(...findingBody(f, `group ${n}`, seen));
  out.push(...example(c, `group ${n}`, seen.drawn));
  out.push(...theRest(group.streams, group.count, c.stream, c.transport));
  return out;
}

function findingBody(f: Finding, label: string, seen: Seen): string[] {
  const out: string[] = [mdText(f.message), ''];
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
  // Product messages and references belong to the rule: the same in each of its groups.
  const key = JSON.stringify([f.products, f.references]);
  const earlier = seen.listed.get(key);
  if (earlier === undefined) seen.listed.set(key, label);
  const listed = earlier !== undefined && (f.products.length > 0 || f.references.length > 0);
  if (listed) out.push(`**What the products log** and **References**: as in ${earlier} above.`, '');
  if (f.products.length && !listed) {
    out.push('**What the products log**', '');
    out.push(row(['product', 'side', 'message']), row(['---', '---', '---']));
    for (const m of f.products) out.push(row([mdText(m.product), sideWords(m.side), mdCode(m.text, true)]));
    out.push('');
  }
  if (f.wiresharkFilter) out.push(`**Wireshark filter:** ${mdCode(f.wiresharkFilter)}`, '');
  if (f.references.length && !listed) {
    out.push('**References**', '');
    for (const s of f.references) out.push(`- ${mdText(sourceText(s))}${sourceRef(s) ? ` ${mdRef(sourceRef(s)!)}` : ''}`);
    out.push('');
  }
  return out;
}

/** The example connection in full, unless an earlier group drew it already. */
function example(c: ConnectionDocument, where: string, drawn: Map<number, string>): string[] {
  const earlier = drawn.get(connectionKey(c));
  if (earlier !== undefined) return [mdText(`The example connection, ${streamHeading(c)}, is shown under ${earlier} above.`), ''];
  drawn.set(connectionKey(c), where);
  return [`##### ${mdText(`Example: ${streamHeading(c)}: ${c.client} → ${c.server}`)}`, '', ...connectionBody(c)];
}

/** The other connections of a group: at most STREAM_LIST_CAP numbers, and a filter for those listed. */
function theRest(streams: readonly number[], total: number, exampleStream: number, transport?: string): string[] {
  if (total <= 1) return [];
  const rest = streams.filter((s) => s !== exampleStream);
  const out = [`**The same in ${plural(total - 1, 'more connection')}:** ${streamList(rest, total - 1, rest.length, transport)}.`, ''];
  const listed = streams.length < total ? ` (the first ${streams.length} connections)` : '';
  out.push(`**Wireshark filter for the group${listed}:** ${mdCode(`${streamField(transport)} in {${streams.join(', ')}}`)}`, '');
  return out;
}

function statusGroup(sg: StatusGroup, seen: Seen): string[] {
  const out: string[] = [];
  const what = sg.status === 'incomplete' ? 'INCOMPLETE: Handshake incomplete (the capture ends mid-handshake)' : 'FAILED: Handshake failed, and no rule explains it';
  out.push(`#### ${what}`, '');
  out.push(`Server ${mdCode(sg.server)} · **${plural(sg.count, 'connection')}** · ${groupSpan(sg.first, sg.last, sg.count)}`, '');
  out.push(...example(sg.example, `${sg.status} handshakes to ${sg.server}`, seen.drawn));
  out.push(...theRest(sg.streams, sg.count, sg.example.stream, sg.example.transport));
  return out;
}

/** Groups past GROUPS_IN_FULL: one row each, so many distinct causes still give a bounded report. */
function shortGroups(groups: readonly FindingGroup[], from: number): string[] {
  const out = [`#### ${plural(groups.length, 'more group')} of findings, in short`, ''];
  out.push(row(['#', 'severity', 'rule', 'server', 'in common', 'connections', 'first streams']), row(['---:', '---', '---', '---', '---', '---:', '---']));
  groups.slice(0, SHORT_ROWS).forEach((g, k) => {
    out.push(row([String(from + k), g.severity, mdCode(g.rule, true), mdCode(g.server, true), mdText(g.fact), groupDigits(g.count), firstStreams(g.streams, g.count, g.example.connection.transport)]));
  });
  out.push('');
  if (groups.length > SHORT_ROWS) out.push(`And ${plural(groups.length - SHORT_ROWS, 'more group')} (all in \`--format json\`).`, '');
  return out;
}

function shortStatusGroups(groups: readonly StatusGroup[]): string[] {
  const out = [`#### ${plural(groups.length, 'more server')} with failed or incomplete handshakes, in short`, ''];
  out.push(row(['status', 'server', 'connections', 'first streams']), row(['---', '---', '---:', '---']));
  for (const g of groups.slice(0, SHORT_ROWS)) out.push(row([g.status, mdCode(g.server, true), groupDigits(g.count), firstStreams(g.streams, g.count, g.example.transport)]));
  out.push('');
  if (groups.length > SHORT_ROWS) out.push(`And ${plural(groups.length - SHORT_ROWS, 'more')} (all in \`--format json\`).`, '');
  return out;
}

function ms(n: number): string {
  return n.toFixed(1);
}

function healthyTable(rows: readonly HealthyRow[]): string[] {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const out = [`### Established connections (${groupDigits(total)})`, ''];
  out.push(
    row(['server', 'SNI', 'version', 'cipher suite', 'resumed / upgrade', 'connections', 'handshake ms (min / median / max)', 'first streams']),
    row(['---', '---', '---', '---', '---', '---:', '---:', '---']),
  );
  for (const r of rows.slice(0, SHORT_ROWS)) {
    out.push(
      row([
        mdCode(r.server, true),
        r.sni.map((n) => mdCode(n, true)).join(', '),
        mdText(r.version),
        r.cipherSuite ? mdCode(rowCipherText(r), true) : '',
        mdText(healthyHow(r)),
        groupDigits(r.count),
        r.handshakeMs ? `${ms(r.handshakeMs.min)} / ${ms(r.handshakeMs.median)} / ${ms(r.handshakeMs.max)}` : '',
        firstStreams(r.streams, r.count, r.transport),
      ]),
    );
  }
  out.push('');
  if (rows.length > SHORT_ROWS) out.push(`And ${plural(rows.length - SHORT_ROWS, 'more row')} (all in \`--format json\`).`, '');
  return out;
}

/** Status, facts, `extra` (its findings), ladder and decode problems of a connection (its heading is the caller's). */
function connectionBody(c: ConnectionDocument, extra: readonly string[] = []): string[] {
  const out: string[] = [];
  out.push(`**${mdText(statusText(c))}**`, '');
  for (const fact of connectionFacts(c)) out.push(`- ${mdText(fact)}`);
  if (c.findings.length) out.push(`- findings: ${c.findings.map((r) => mdCode(r)).join(', ')}`);
  out.push(`- Wireshark: ${mdCode(`${streamField(c.transport)} eq ${c.stream}`)}`);
  out.push('', ...extra);
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
