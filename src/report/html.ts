/**
 * `--format html`: one self-contained page to attach to a ticket or an e-mail. No script, no style
 * sheet, font or image from anywhere else (a Content-Security-Policy of `default-src 'none'` says so
 * to the browser too); it works offline and prints (details open, colours kept, no page break inside
 * a diagram).
 *
 * Readable at 10,000 connections, and small whatever the capture: per capture the verdict, the
 * findings per rule and per failing server, then each group of findings once in full (evidence,
 * what to change, the Wireshark filter, what the products log, and its example connection as a
 * sequence diagram with its transcript), followed by the streams of the rest of the group (at most
 * 50); handshakes that failed or stopped without a finding the same way; healthy connections as one
 * table; the count of other conversations. Every list is capped, so a capture's section grows with
 * its number of groups, not of connections. With `--all` every connection follows, collapsed.
 *
 * The page is written in pieces as the captures finish: htmlRunHead() opens it, htmlCapture() per
 * capture (then htmlConnection() per connection with `--all`), htmlRunTail() closes it. Each piece
 * but the head and the tail is balanced markup, so the caller adds nothing between them.
 *
 * Every text from the capture goes through the escaping template of html-safe.ts.
 */
import type { CaptureReport, ConnectionDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import type { FindingGroup, HealthyRow, StatusGroup } from './groups.js';
import type { BatchSummary } from './run-summary.js';
import { wantsSummary } from './summary-text.js';
import { ladder } from './ladder.js';
import { printable } from './printable.js';
import { cappedSentence, plural, connectionFacts, connectionProblems, eventDetail, groupDigits, identityRows, readableTime, shellWord, sourceRef, sourceText, statusText, verdictSentence, verdictTone, type VerdictTone, groupSpan, streamList, PRINT_LIMITS, healthyHow, firstStreams, sideWords, rowCipherText, streamField, streamLabel, streamHeading, connectionKey } from './describe.js';
import { html, join, trusted, type Html } from './html-safe.js';
import { sequenceDiagram } from './svg.js';

const { tableRows: TABLE_ROWS, groupsInFull: GROUPS_IN_FULL, statusInFull: STATUS_IN_FULL, shortRows: SHORT_ROWS, otherStreams: OTHER_STREAMS } = PRINT_LIMITS;

const TONE_WORD: Record<VerdictTone, string> = { failed: 'FAILED', warning: 'WARNING', ok: 'OK', none: 'NO TLS' };
const SEVERITY_WORD: Record<Finding['severity'], string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

const STYLE = trusted(`
:root { --ink:#1b2733; --muted:#5f6b77; --line:#d5dce3; --soft:#f4f6f8; --red:#c62828; --red-bg:#fdecea; --amber:#9a5b00; --amber-bg:#fff4e0; --green:#2e7d32; --green-bg:#e8f5e9; --blue:#24425e; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, .report-head, footer { max-width: 1080px; margin: 0 auto; padding: 0 24px; }
.report-head { padding-top: 20px; padding-bottom: 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 10px; word-break: break-all; }
h3 { font-size: 17px; margin: 26px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h4 { font-size: 15.5px; margin: 0 0 6px; }
h5 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 4px; }
h5.example-head { text-transform: none; letter-spacing: 0; font-size: 14px; color: var(--ink); }
code, pre, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
code { background: var(--soft); padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--soft); padding: 8px 10px; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
a { color: var(--blue); }
.run { color: var(--muted); margin: 0; }
.run code { color: var(--ink); }
.notice { background: var(--amber-bg); border-left: 4px solid var(--amber); padding: 6px 10px; margin: 8px 0 0; }
.verdict { display: flex; gap: 12px; align-items: baseline; padding: 12px 16px; border-radius: 6px; border-left: 6px solid; font-size: 17px; font-weight: 600; margin: 8px 0 14px; }
.verdict .badge { font-size: 13px; letter-spacing: .06em; padding: 2px 8px; border-radius: 4px; color: #fff; flex: none; }
.tone-failed { background: var(--red-bg); border-color: var(--red); } .tone-failed .badge { background: var(--red); }
.tone-warning { background: var(--amber-bg); border-color: var(--amber); } .tone-warning .badge { background: var(--amber); }
.tone-ok { background: var(--green-bg); border-color: var(--green); } .tone-ok .badge { background: var(--green); }
.tone-none { background: var(--soft); border-color: var(--muted); } .tone-none .badge { background: var(--muted); }
dl.identity { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 8px; font-size: 14px; }
dl.identity dt { color: var(--muted); }
dl.identity dd { margin: 0; overflow-wrap: anywhere; }
.group { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px; padding: 14px 18px; margin: 0 0 16px; }
.group.sev-error { border-left-color: var(--red); } .group.sev-warning { border-left-color: var(--amber); }
.sev { font-size: 12px; letter-spacing: .06em; padding: 1px 7px; border-radius: 4px; color: #fff; background: var(--muted); margin-right: 8px; vertical-align: 2px; }
.sev-error .sev { background: var(--red); } .sev-warning .sev { background: var(--amber); }
.meta { color: var(--muted); font-size: 13.5px; margin: 0 0 8px; }
.meta strong { color: var(--ink); }
.common { margin: 4px 0 8px; }
.message { margin: 8px 0; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
@media (max-width: 760px) { .cols { grid-template-columns: 1fr; } }
ul { margin: 4px 0; padding-left: 20px; }
li { margin: 2px 0; }
.caveat { color: var(--muted); }
.example { border-top: 1px dashed var(--line); margin-top: 12px; padding-top: 4px; }
.more { margin: 12px 0 4px; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.dir, td.rec { white-space: nowrap; }
table.rows td { overflow-wrap: break-word; }
table.rows td.mono { white-space: nowrap; }
table.rows td.suite { overflow-wrap: anywhere; }
table.rows td.streams { min-width: 8em; }
tr.failure td { background: var(--red-bg); color: var(--red); font-weight: 600; }
.detail { color: var(--muted); font-size: 12.5px; overflow-wrap: anywhere; }
p.and-more { color: var(--muted); font-size: 13.5px; margin: 2px 0 12px; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--blue); font-weight: 600; }
details.conn { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
details.conn > summary { color: var(--ink); font-weight: 500; }
/* With --all a page holds thousands of these: let the browser skip laying out those off screen. */
details.conn { content-visibility: auto; contain-intrinsic-size: auto 44px; }
.status-failed { color: var(--red); font-weight: 700; }
.status-incomplete { color: var(--amber); font-weight: 700; }
.status-established { color: var(--green); font-weight: 700; }
figure.diagram { margin: 10px 0; overflow-x: auto; }
figure.diagram svg { max-width: 100%; height: auto; }
figure.diagram figcaption { color: var(--muted); font-size: 12.5px; }
.problems li { color: var(--amber); }
footer { color: var(--muted); font-size: 12.5px; padding-top: 16px; padding-bottom: 28px; border-top: 1px solid var(--line); margin-top: 28px; }
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main, .report-head, footer { max-width: none; padding: 0; }
  h3, h4, h5 { break-after: avoid; }
  figure.diagram, .verdict, tr, .finding-text { break-inside: avoid; }
  details > summary { list-style: none; color: var(--ink); }
  details > summary::-webkit-details-marker { display: none; }
  details:not(.healthy)::details-content { content-visibility: visible; display: contents; }
  details.healthy > *:not(summary) { display: none; }
  figure.diagram svg { width: 100%; }
  a { color: inherit; text-decoration: none; }
}
`);


/**
 * Anchors must be unique in the page, but a capture's piece is rendered without knowing its place in
 * the run: its id comes from what it is. Two archives may hold members of the same name; only the
 * same bytes twice share an id, and then a link lands on the same content either way.
 */
function captureId(r: CaptureReport): string {
  const key = `${r.file}\0${r.sha256 ?? ''}\0${r.packets}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return `cap-${(h >>> 0).toString(36)}`;
}

/** `2,001 connections` */
/** Opens the page: head, style sheet, the run's header, and <main> (htmlRunTail closes both). */
export function htmlRunHead(tool: { name: string; version: string }, command: readonly string[], redacted: boolean): string {
  const toolLine = `${tool.name} ${tool.version}`;
  const commandLine = [tool.name, ...command.map(shellWord)].join(' ');
  const args = command.map(shellWord).join(' ');
  const title = `tlsdiag report${args ? `: ${args.length > 100 ? `${args.slice(0, 99)}…` : args}` : ''}`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${toolLine}">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="report-head">
<h1>tlsdiag report</h1>
<p class="run">${toolLine} · <code>${commandLine}</code></p>
${redacted ? html`<p class="notice">Redacted: addresses, host names and certificate identities are replaced by pseudonyms (the same value has the same pseudonym throughout this report).</p>` : ''}
</header>
<main>
`.value;
}

/**
 * One capture's section, balanced. With `all` (and connections to show) it is followed by the
 * "Every connection" heading, under which the caller appends htmlConnection() for each.
 */
export function htmlCapture(report: CaptureReport, all: boolean): string {
  const id = captureId(report);
  const tone = verdictTone(report);
  const g = report.groups;
  const every = all && !report.error && g.counts.connections > 0;
  return html`<section class="capture" id="${id}">
<h2>${report.file}</h2>
<div class="verdict tone-${tone}"><span class="badge">${TONE_WORD[tone]}</span><span>${verdictSentence(report)}</span></div>
<dl class="identity">${identityRows(report).map(([k, v]) => html`<dt>${k}</dt><dd>${k === 'SHA-256' || k === 'file' ? html`<span class="mono">${v}</span>` : v}</dd>`)}</dl>
${report.problems.length ? html`<h5>Capture problems</h5><ul class="problems">${report.problems.map((p) => html`<li>${p.severity}: ${p.message}${p.frame !== undefined ? ` (frame ${p.frame})` : ''}</li>`)}</ul>` : ''}
${report.error ? '' : captureBody(report, id)}</section>
${every ? html`<h3 class="every">Every connection of <span class="mono">${report.file}</span> (${groupDigits(g.counts.connections)})</h3>\n` : ''}`.value;
}

/** One connection in full, collapsed, for `--all`: its findings in short (its group has them in full). */
export function htmlConnection(c: ConnectionDocument, findings: readonly Finding[]): string {
  const healthy = c.status === 'established' && findings.length === 0 && c.findings.length === 0;
  const title = `${streamHeading(c)}: ${c.client} → ${c.server}: ${statusText(c)}`;
  return html`<details class="conn${healthy ? ' healthy' : ''}"><summary>${streamHeading(c)}: ${c.client} → ${c.server} · <span class="${statusClass(c)}">${statusText(c)}</span></summary>
${facts(c)}
${
  findings.length
    ? html`<ul class="conn-findings">${findings.map(
        (f) => html`<li class="sev-${f.severity}"><span class="sev">${SEVERITY_WORD[f.severity]}</span><code>${f.rule}</code>: ${f.message} (frame${f.frames.length === 1 ? '' : 's'} ${f.frames.join(', ')})</li>`,
      )}</ul>`
    : ''
}
${healthy ? '' : html`<figure class="diagram">${sequenceDiagram(c, title)}</figure>`}
${ladderTable(c, null)}
${problemsList(c)}
</details>
`.value;
}

/** Closes the page: the batch summary when the run has one worth printing (as the text report decides), then </main>, the footer, </body></html>. */
export function htmlRunTail(summary: BatchSummary | null): string {
  return html`${summary !== null && wantsSummary(summary) ? batchSummary(summary) : ''}</main>
<footer>Frame numbers and stream indexes are Wireshark's: open the capture in Wireshark and apply the filters shown to see the same packets. Lists of streams name at most the first 50 of a group; <code>--format json</code> has every connection.</footer>
</body>
</html>
`.value;
}

/** Where an example connection was drawn, so a later group links to it and evidence links land. */
interface Drawn {
  readonly anchor: string;
  readonly label: string;
  readonly frames: ReadonlySet<number>;
}

interface Page {
  readonly id: string;
  readonly drawn: Map<number, Drawn>;
  /** Product messages and references already listed, by content: the group that lists them. */
  readonly listed: Map<string, { anchor: string; label: string }>;
}

function captureBody(report: CaptureReport, id: string): Html {
  const g = report.groups;
  const page: Page = { id, drawn: new Map(), listed: new Map() };
  const findings = g.rules.reduce((n, r) => n + r.findings, 0);
  const firstOfRule = new Map<string, number>();
  g.groups.slice(0, GROUPS_IN_FULL).forEach((x, k) => firstOfRule.has(x.rule) || firstOfRule.set(x.rule, k + 1));
  const groups = g.groups.slice(0, GROUPS_IN_FULL).map((x, k) => findingGroup(x, k + 1, page));
  const statusGroups = g.statusGroups.slice(0, STATUS_IN_FULL).map((x, k) => statusGroup(x, k + 1, page));
  return html`${
    // With a single finding the group below says it all; the tables pay off from two on.
    findings > 1
      ? html`<h3>Findings per rule</h3>
<table class="rows"><thead><tr><th class="num">findings</th><th>severity</th><th>rule</th><th>title</th></tr></thead><tbody>
${g.rules.slice(0, TABLE_ROWS).map((r) => {
  const k = firstOfRule.get(r.rule);
  return html`<tr><td class="num">${groupDigits(r.findings)}</td><td>${r.severity}</td><td>${k !== undefined ? html`<a href="#${id}-g${k}"><code>${r.rule}</code></a>` : html`<code>${r.rule}</code>`}</td><td>${r.title}</td></tr>\n`;
})}</tbody></table>
${andMore(g.rules.length - TABLE_ROWS, 'more rule')}${
          g.servers.length
            ? html`<h3>Failing servers</h3>
<table class="rows"><thead><tr><th class="num">failed</th><th>server</th><th>SNI</th><th>rules</th></tr></thead><tbody>
${g.servers.slice(0, TABLE_ROWS).map(
  (s) => html`<tr><td class="num">${groupDigits(s.failed)}</td><td class="mono">${s.server}</td><td>${s.sni.join(', ')}</td><td>${join(s.rules.map((r) => html`<code>${r}</code>`), ', ')}</td></tr>\n`,
)}</tbody></table>
${andMore(g.servers.length - TABLE_ROWS, 'more server')}`
            : ''
        }`
      : ''
  }${g.groups.length ? html`<h3>Findings</h3>\n${groups}${g.groups.length > GROUPS_IN_FULL ? shortGroups(g.groups.slice(GROUPS_IN_FULL), GROUPS_IN_FULL + 1) : ''}` : ''}${
    g.statusGroups.length
      ? html`<h3>Handshakes that failed or stopped without a finding</h3>\n${statusGroups}${g.statusGroups.length > STATUS_IN_FULL ? shortStatusGroups(g.statusGroups.slice(STATUS_IN_FULL)) : ''}`
      : ''
  }${g.healthy.length ? healthyTable(g.healthy) : ''}${
    cappedSentence(g) !== null ? html`<p class="capped">${cappedSentence(g)!}</p>\n` : ''
  }${g.other.count > 0 ? html`<p class="other">${plural(g.other.count, 'other TCP connection')} without TLS: ${streamList(g.other.streams, g.other.count, OTHER_STREAMS)}.</p>\n` : ''
  }${g.counts.connections === 0 ? html`<p>No TCP conversation was found in this capture.</p>\n` : ''}`;
}

function andMore(n: number, what: string): Html {
  return n > 0 ? html`<p class="and-more">And ${plural(n, what)} (all in <code>--format json</code>).</p>\n` : html``;
}


function serverHtml(server: string, sni: readonly string[]): Html {
  return html`<code>${server}</code>${sni.length ? html` (SNI ${join(sni.map((n) => html`<code>${n}</code>`), ', ')})` : ''}`;
}

/** A frame of the example, linked to its transcript row when that row is in the page. */
function frameLink(frame: number, key: number, page: Page): Html {
  const d = page.drawn.get(key);
  return d && d.frames.has(frame) ? html`<a href="#${d.anchor}-f${frame}">${frame}</a>` : html`${frame}`;
}

function streamLink(stream: number, page: Page, transport?: string): Html {
  const d = page.drawn.get(connectionKey({ stream, transport }));
  return d ? html`<a href="#${d.anchor}">${stream}</a>` : html`${stream}`;
}

function findingGroup(group: FindingGroup, n: number, page: Page): Html {
  const f = group.example.finding;
  const c = group.example.connection;
  const anchor = `${page.id}-g${n}`;
  // Drawn first, so the finding's frame links can land in it.
  const exampleBlock = example(c, anchor, `group ${n}`, page);
  const related = f.relatedStreams?.length ? html` (related: ${join(f.relatedStreams.map((s) => streamLink(s, page)), ', ')})` : '';
  const frames = html`frame${f.frames.length === 1 ? '' : 's'} ${join(f.frames.map((x) => frameLink(x, connectionKey(f), page)), ', ')}`;
  return html`<article class="finding group sev-${group.severity}" id="${anchor}">
<div class="finding-text">
<h4><span class="sev">${SEVERITY_WORD[group.severity]}</span>${group.title}</h4>
${
  group.count === 1
    ? html`<p class="meta">rule <code>${group.rule}</code> · server ${serverHtml(group.server, group.sni)} · ${streamLabel(f.transport)} ${streamLink(f.stream, page, f.transport)}${related} · ${frames} · ${readableTime(group.first.time)}</p>`
    : html`<p class="meta">rule <code>${group.rule}</code> · server ${serverHtml(group.server, group.sni)} · <strong>${plural(group.count, 'connection')}</strong> · ${groupSpan(group.first, group.last, group.count)}</p>
${group.fact ? html`<p class="common"><strong>In common:</strong> ${group.fact}</p>\n` : ''}<p class="meta">example, the group's first: ${streamLabel(f.transport)} ${streamLink(f.stream, page, f.transport)}${related} · ${frames}</p>`
}
<p class="message">${f.message}</p>
</div>
<div class="cols">
<div><h5>Evidence</h5><ul>${f.evidence.map((e) => html`<li>frame ${frameLink(e.frame, f.stream, page)}: ${e.text.replace(/^frame \d+:\s*/, '')}</li>`)}</ul></div>
<div><h5>What to change</h5>${
    f.remedies.length
      ? html`<ul>${f.remedies.map((r) => html`<li><strong>${r.where}:</strong> ${r.action}${r.caveat ? html` <span class="caveat">(${r.caveat})</span>` : ''}</li>`)}</ul>`
      : html`<p>No change to suggest from the capture alone.</p>`
  }</div>
</div>
${f.wiresharkFilter ? html`<h5>Wireshark filter</h5><pre><code>${f.wiresharkFilter}</code></pre>` : ''}
${productsAndReferences(f, anchor, `group ${n}`, page)}
${exampleBlock}
${theRest(group.streams, group.count, c.stream, c.transport)}
</article>
`;
}

/** What the products log and the references: a rule's are the same in each of its groups, so listed once. */
function productsAndReferences(f: Finding, anchor: string, label: string, page: Page): Html {
  if (!f.products.length && !f.references.length) return html``;
  const key = JSON.stringify([f.products, f.references]);
  const earlier = page.listed.get(key);
  if (earlier) return html`<p class="meta">What the products log and the references: as in <a href="#${earlier.anchor}">${earlier.label}</a>.</p>`;
  page.listed.set(key, { anchor, label });
  return html`${
    f.products.length
      ? html`<details class="products"><summary>What the products log (${f.products.length})</summary><table><thead><tr><th>product</th><th>side</th><th>message</th></tr></thead><tbody>${f.products.map(
          (m) => html`<tr><td>${m.product}</td><td>${sideWords(m.side)}</td><td><code>${m.text}</code></td></tr>`,
        )}</tbody></table></details>`
      : ''
  }
${f.references.length ? html`<details class="references"><summary>References (${f.references.length})</summary><ul>${f.references.map((s) => html`<li>${sourceText(s)}${sourceRef(s) ? html` — <span class="mono">${sourceRef(s)}</span>` : ''}</li>`)}</ul></details>` : ''}`;
}

/** The example connection drawn in full, or a link to the group that drew it already. */
function example(c: ConnectionDocument, owner: string, label: string, page: Page): Html {
  const earlier = page.drawn.get(connectionKey(c));
  if (earlier) return html`<p class="example">The example connection, ${streamHeading(c)}, is drawn under <a href="#${earlier.anchor}">${earlier.label}</a>.</p>`;
  const anchor = `${owner}-${c.transport !== undefined ? 'u' : 's'}${c.stream}`;
  page.drawn.set(connectionKey(c), { anchor, label, frames: new Set(c.events.map((e) => e.frame)) });
  const title = `${streamHeading(c)}: ${c.client} → ${c.server}: ${statusText(c)}`;
  return html`<div class="example" id="${anchor}">
<h5 class="example-head">Example: ${streamHeading(c)}: ${c.client} → ${c.server} <span class="${statusClass(c)}">${statusText(c)}</span></h5>
${facts(c)}
<figure class="diagram">${sequenceDiagram(c, title)}<figcaption>Client on the left, server on the right; one arrow per side's records in one frame; the failing step in red.</figcaption></figure>
<details class="transcript" open><summary>Transcript (${plural(c.events.length, 'step')})</summary>${ladderTable(c, anchor)}</details>
${problemsList(c)}
</div>`;
}

/** The other connections of a group: at most 50 stream numbers, and a filter for those listed. */
function theRest(streams: readonly number[], total: number, exampleStream: number, transport?: string): Html {
  if (total <= 1) return html``;
  const rest = streams.filter((s) => s !== exampleStream);
  const listed = streams.length < total ? ` (the first ${streams.length} connections)` : '';
  return html`<p class="more"><strong>The same in ${plural(total - 1, 'more connection')}:</strong> ${streamList(rest, total - 1, rest.length, transport)}.</p>
<h5>Wireshark filter for the group${listed}</h5><pre><code>${streamField(transport)} in {${streams.join(', ')}}</code></pre>`;
}

function statusGroup(sg: StatusGroup, n: number, page: Page): Html {
  const anchor = `${page.id}-u${n}`;
  const incomplete = sg.status === 'incomplete';
  const exampleBlock = example(sg.example, anchor, `${sg.status} handshakes to ${sg.server}`, page);
  return html`<article class="group status-group sev-${incomplete ? 'warning' : 'error'}" id="${anchor}">
<h4><span class="sev">${incomplete ? 'INCOMPLETE' : 'FAILED'}</span>${incomplete ? 'Handshake incomplete (the capture ends mid-handshake)' : 'Handshake failed, and no rule explains it'}</h4>
<p class="meta">server <code>${sg.server}</code> · <strong>${plural(sg.count, 'connection')}</strong> · ${groupSpan(sg.first, sg.last, sg.count)}</p>
${exampleBlock}
${theRest(sg.streams, sg.count, sg.example.stream, sg.example.transport)}
</article>
`;
}

/** Groups past GROUPS_IN_FULL: one row each, so many distinct causes still give a bounded page. */
function shortGroups(groups: readonly FindingGroup[], from: number): Html {
  return html`<h4>${plural(groups.length, 'more group')} of findings, in short</h4>
<table class="rows"><thead><tr><th class="num">#</th><th>severity</th><th>rule</th><th>server</th><th>in common</th><th class="num">connections</th><th>first streams</th></tr></thead><tbody>
${groups
  .slice(0, SHORT_ROWS)
  .map(
    (g, k) =>
      html`<tr><td class="num">${from + k}</td><td>${g.severity}</td><td><code>${g.rule}</code></td><td class="mono">${g.server}</td><td>${g.fact}</td><td class="num">${groupDigits(g.count)}</td><td class="streams">${firstStreams(g.streams, g.count, g.example.connection.transport)}</td></tr>\n`,
  )}</tbody></table>
${andMore(groups.length - SHORT_ROWS, 'more group')}`;
}

function shortStatusGroups(groups: readonly StatusGroup[]): Html {
  return html`<h4>${plural(groups.length, 'more server')} with failed or incomplete handshakes, in short</h4>
<table class="rows"><thead><tr><th>status</th><th>server</th><th class="num">connections</th><th>first streams</th></tr></thead><tbody>
${groups
  .slice(0, SHORT_ROWS)
  .map((g) => html`<tr><td>${g.status}</td><td class="mono">${g.server}</td><td class="num">${groupDigits(g.count)}</td><td class="streams">${firstStreams(g.streams, g.count, g.example.transport)}</td></tr>\n`)}</tbody></table>
${andMore(groups.length - SHORT_ROWS, 'more server')}`;
}

function healthyTable(rows: readonly HealthyRow[]): Html {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const ms = (n: number) => n.toFixed(1);
  return html`<h3>Established connections (${groupDigits(total)})</h3>
<table class="rows established"><thead><tr><th>server</th><th>SNI</th><th>version</th><th>cipher suite</th><th>resumed / upgrade</th><th class="num">connections</th><th class="num">handshake ms<br>min / median / max</th><th>first streams</th></tr></thead><tbody>
${rows
  .slice(0, SHORT_ROWS)
  .map(
    (r) =>
      html`<tr><td class="mono">${r.server}</td><td>${r.sni.join(', ')}</td><td>${r.version}</td><td class="suite">${rowCipherText(r)}</td><td>${healthyHow(r)}</td><td class="num">${groupDigits(r.count)}</td><td class="num">${r.handshakeMs ? `${ms(r.handshakeMs.min)} / ${ms(r.handshakeMs.median)} / ${ms(r.handshakeMs.max)}` : ''}</td><td class="streams">${firstStreams(r.streams, r.count)}</td></tr>\n`,
  )}</tbody></table>
${andMore(rows.length - SHORT_ROWS, 'more row')}`;
}

function statusClass(c: ConnectionDocument): string {
  return c.status === 'failed' ? 'status-failed' : c.status === 'incomplete' ? 'status-incomplete' : c.status === 'established' ? 'status-established' : '';
}

function facts(c: ConnectionDocument): Html {
  return html`<ul class="facts">${connectionFacts(c).map((x) => html`<li>${x}</li>`)}${
    c.findings.length ? html`<li>findings: ${join(c.findings.map((r) => html`<code>${r}</code>`), ', ')}</li>` : ''
  }<li>Wireshark: <code>${streamField(c.transport)} eq ${c.stream}</code></li></ul>`;
}

/** The transcript table; with an anchor, each frame's first row is a target for evidence links. */
function ladderTable(c: ConnectionDocument, anchor: string | null): Html {
  const rows = ladder(c.events, c.tls?.established ?? false, c.tls);
  const seen = new Set<number>();
  return html`<table class="ladder"><thead><tr><th class="num">frame</th><th class="num">time</th><th>direction</th><th>record</th><th>message or alert</th><th>details</th></tr></thead><tbody>
${rows.map((r, k) => {
  const id = anchor !== null && !seen.has(r.frame) ? html` id="${anchor}-f${r.frame}"` : '';
  seen.add(r.frame);
  return html`<tr${id}${r.failure ? html` class="failure"` : ''}><td class="num">${r.frame}</td><td class="num">+${r.offset.toFixed(3)} s</td><td class="dir">${r.from === 'client' ? 'client → server' : 'server → client'}</td><td class="rec">${r.record}</td><td>${r.what}${r.failure ? ' ← failing step' : ''}</td><td class="detail">${eventDetail(c.events[k])}</td></tr>\n`;
})}</tbody></table>`;
}

function problemsList(c: ConnectionDocument): Html {
  const problems = connectionProblems(c);
  if (!problems.length) return html``;
  return html`<h5>Decode problems</h5><ul class="problems">${problems.map((p) => html`<li>${p.frame !== null ? `frame ${p.frame}: ` : ''}${p.text}</li>`)}</ul>`;
}

function batchSummary(s: BatchSummary): Html {
  // The summary is not a ReportDocument, so the caller's printable pass may not have reached it.
  const p = (t: string) => printable(t);
  const covered = [plural(s.captures, 'capture') + (s.unreadable ? ` (${groupDigits(s.unreadable)} unreadable)` : '')];
  if (s.skipped.length) covered.push(`${groupDigits(s.skipped.length)} skipped (not captures)`);
  if (s.errors.length) covered.push(`${plural(s.errors.length, 'input')} that could not be read`);
  const handshakes = [`${groupDigits(s.established)} established`, `${groupDigits(s.failed)} failed`];
  if (s.incomplete) handshakes.push(`${groupDigits(s.incomplete)} incomplete`);
  return html`<section class="summary"><h2>Summary</h2>
<p>${covered.join(', ')}; ${plural(s.connections, 'TCP connection')}, ${plural(s.tlsConnections, 'TLS handshake')}: ${handshakes.join(', ')}.</p>
${
  s.rules.length
    ? html`<h3>Findings per rule</h3><table class="rows"><thead><tr><th class="num">findings</th><th>severity</th><th>rule</th><th>title</th><th class="num">captures</th></tr></thead><tbody>
${s.rules.map((r) => html`<tr><td class="num">${groupDigits(r.findings)}</td><td>${r.severity}</td><td><code>${p(r.rule)}</code></td><td>${p(r.title)}</td><td class="num">${groupDigits(r.captures)}</td></tr>\n`)}</tbody></table>\n`
    : ''
}${
    s.failingServers.length
      ? html`<h3>Failing servers</h3><table class="rows"><thead><tr><th class="num">failed</th><th>server</th><th>SNI</th><th class="num">captures</th><th>rules</th></tr></thead><tbody>
${s.failingServers
  .slice(0, TABLE_ROWS)
  .map(
    (v) =>
      html`<tr><td class="num">${groupDigits(v.failed)}</td><td class="mono">${p(v.server)}</td><td>${p(v.sni.join(', '))}</td><td class="num">${groupDigits(v.captures)}</td><td>${join(v.rules.map((r) => html`<code>${p(r)}</code>`), ', ')}</td></tr>\n`,
  )}</tbody></table>
${andMore(s.failingServers.length - TABLE_ROWS, 'more server')}`
      : ''
  }${
    s.perCapture.length > 1
      ? html`<h3>Per capture</h3><table class="rows"><thead><tr><th>capture</th><th class="num">connections</th><th class="num">TLS</th><th class="num">failed</th><th>findings</th></tr></thead><tbody>
${s.perCapture.map((c) =>
  c.error !== null && c.connections === 0
    ? html`<tr><td class="mono">${p(c.file)}</td><td></td><td></td><td></td><td class="status-failed">cannot be read: ${p(c.error)}</td></tr>\n`
    : html`<tr><td class="mono">${p(c.file)}</td><td class="num">${groupDigits(c.connections)}</td><td class="num">${groupDigits(c.tlsConnections)}</td><td class="num${c.failed ? ' status-failed' : ''}">${groupDigits(c.failed)}</td><td>${join(c.topRules.map((r) => html`<code>${p(r)}</code>`), ', ')}${c.error ? html` <span class="status-failed">(${p(c.error)})</span>` : ''}</td></tr>\n`,
)}</tbody></table>\n`
      : ''
  }${s.errors.length ? html`<h3>Could not be read</h3><ul class="problems">${s.errors.map((e) => html`<li><span class="mono">${p(e.name)}</span>: ${p(e.message)}</li>`)}</ul>\n` : ''}${
    s.skipped.length
      ? html`<h3>Skipped</h3><ul>${s.skipped.slice(0, TABLE_ROWS).map((x) => html`<li><span class="mono">${p(x.name)}</span>: ${p(x.reason)}</li>`)}${
          s.skipped.length > TABLE_ROWS ? html`<li>and ${groupDigits(s.skipped.length - TABLE_ROWS)} more</li>` : ''
        }</ul>\n`
      : ''
  }${
    s.warnings.length
      ? html`<h3>Warnings</h3><ul class="problems">${s.warnings.slice(0, TABLE_ROWS).map((x) => html`<li><span class="mono">${p(x.name)}</span>: ${p(x.message)}</li>`)}${
          s.warnings.length > TABLE_ROWS ? html`<li>and ${groupDigits(s.warnings.length - TABLE_ROWS)} more</li>` : ''
        }</ul>\n`
      : ''
  }</section>
`;
}
