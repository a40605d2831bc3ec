/**
 * `--format html`: one self-contained page to attach to a ticket or an e-mail. No script, no style
 * sheet, font or image from anywhere else (a Content-Security-Policy of `default-src 'none'` says so
 * to the browser too); it works offline and prints (details open, colours kept, no page break inside
 * a finding or a diagram).
 *
 * Reading order: per capture the verdict, then the findings (evidence frames, what to change, the
 * Wireshark filter, what the products log), then each failing handshake as a sequence diagram with
 * its transcript, then every other connection, collapsed. Every text from the capture goes through
 * the escaping template of html-safe.ts.
 */
import type { CaptureDocument, ConnectionDocument, ReportDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import { ladder } from './ladder.js';
import {
  batchTotals,
  commandLine,
  connectionFacts,
  connectionProblems,
  eventDetail,
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
  type VerdictTone,
} from './describe.js';
import { html, join, trusted, type Html } from './html-safe.js';
import { sequenceDiagram } from './svg.js';
import { versionName } from '../../decoders/tls/registry/versions.js';

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
.finding { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px; padding: 14px 18px; margin: 0 0 16px; }
.finding.sev-error { border-left-color: var(--red); } .finding.sev-warning { border-left-color: var(--amber); }
.sev { font-size: 12px; letter-spacing: .06em; padding: 1px 7px; border-radius: 4px; color: #fff; background: var(--muted); margin-right: 8px; vertical-align: 2px; }
.sev-error .sev { background: var(--red); } .sev-warning .sev { background: var(--amber); }
.meta { color: var(--muted); font-size: 13.5px; margin: 0 0 8px; }
.message { margin: 8px 0; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
@media (max-width: 760px) { .cols { grid-template-columns: 1fr; } }
ul { margin: 4px 0; padding-left: 20px; }
li { margin: 2px 0; }
.caveat { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.dir, td.rec { white-space: nowrap; }
table.conns td { overflow-wrap: anywhere; }
tr.failure td { background: var(--red-bg); color: var(--red); font-weight: 600; }
.detail { color: var(--muted); font-size: 12.5px; overflow-wrap: anywhere; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--blue); font-weight: 600; }
details.conn { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
details.conn > summary { color: var(--ink); font-weight: 500; }
.conn-block { border: 1px solid var(--line); border-radius: 6px; padding: 14px 18px; margin: 0 0 18px; }
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
  h3 { break-after: avoid; }
  .finding, figure.diagram, .verdict, tr { break-inside: avoid; }
  .conn-block { break-inside: auto; }
  details > summary { list-style: none; color: var(--ink); }
  details > summary::-webkit-details-marker { display: none; }
  details:not(.healthy)::details-content { content-visibility: visible; display: contents; }
  details.healthy > *:not(summary) { display: none; }
  figure.diagram svg { width: 100%; }
  a { color: inherit; text-decoration: none; }
}
`);

export function renderHtml(doc: ReportDocument): string {
  const redacted = (doc as { redacted?: boolean }).redacted === true;
  const title =
    doc.captures.length === 1
      ? `tlsdiag report: ${doc.captures[0].file} (${TONE_WORD[verdictTone(doc.captures[0])]})`
      : `tlsdiag report: ${plural(doc.captures.length, 'capture')}`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${toolLine(doc)}">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="report-head">
<h1>tlsdiag report</h1>
<p class="run">${toolLine(doc)} · <code>${commandLine(doc)}</code></p>
${redacted ? html`<p class="notice">Redacted: addresses, host names and certificate identities are replaced by pseudonyms (the same value has the same pseudonym throughout this report).</p>` : ''}
</header>
<main>
${doc.captures.length > 1 ? batchSummary(doc) : ''}
${doc.captures.map((cap, i) => captureSection(cap, `c${i + 1}`))}
</main>
<footer>Produced by ${toolLine(doc)} from the capture${doc.captures.length === 1 ? '' : 's'} named above. Frame numbers and stream indexes are Wireshark's: open the capture in Wireshark and apply the filters shown to see the same packets.</footer>
</body>
</html>
`;
  return page.value;
}

function batchSummary(doc: ReportDocument): Html {
  const t = batchTotals(doc);
  return html`<section class="summary"><h2>Summary</h2>
<p>${plural(t.captures, 'capture')}${t.unreadable ? ` (${t.unreadable} unreadable)` : ''}, ${plural(t.tls, 'TLS handshake')}, ${t.failed} failed.</p>
<table><thead><tr><th>capture</th><th>verdict</th></tr></thead><tbody>
${doc.captures.map(
  (cap, i) =>
    html`<tr><td><a href="#c${i + 1}"><code>${cap.file}</code></a></td><td><span class="status-${verdictTone(cap) === 'failed' ? 'failed' : verdictTone(cap) === 'ok' ? 'established' : 'incomplete'}">${TONE_WORD[verdictTone(cap)]}</span> ${verdictText(cap)}</td></tr>\n`,
)}</tbody></table></section>
`;
}

function captureSection(cap: CaptureDocument, id: string): Html {
  const tone = verdictTone(cap);
  const groups = groupConnections(cap);
  const failing = groups.detailed;
  return html`<section class="capture" id="${id}">
<h2>${cap.file}</h2>
<div class="verdict tone-${tone}"><span class="badge">${TONE_WORD[tone]}</span><span>${verdictText(cap)}</span></div>
<dl class="identity">${identityRows(cap).map(([k, v]) => html`<dt>${k}</dt><dd>${k === 'SHA-256' || k === 'file' ? html`<span class="mono">${v}</span>` : v}</dd>`)}</dl>
${cap.problems.length ? html`<h5>Capture problems</h5><ul class="problems">${cap.problems.map((p) => html`<li>${p.severity}: ${p.message}${p.frame !== undefined ? ` (frame ${p.frame})` : ''}</li>`)}</ul>` : ''}
${cap.error ? '' : html`${cap.findings.length ? html`<h3>Findings</h3>\n${cap.findings.map((f, k) => finding(f, `${id}-f${k + 1}`, id))}` : ''}
${failing.length ? html`<h3>${failing.some((c) => c.status === 'failed') ? 'Failing handshakes' : 'Connections with findings'}</h3>\n${failing.map((c) => connectionBlock(cap, c, id))}` : ''}
${connectionList(cap, id)}`}
</section>
`;
}

function frameLinks(frames: readonly number[], stream: number, id: string): Html {
  return join(
    frames.map((f) => html`<a href="#${id}-s${stream}-f${f}">${f}</a>`),
    ', ',
  );
}

function finding(f: Finding, fid: string, id: string): Html {
  const related = f.relatedStreams?.length ? html` (related: ${join(f.relatedStreams.map((s) => html`<a href="#${id}-s${s}">${s}</a>`), ', ')})` : '';
  return html`<article class="finding sev-${f.severity}" id="${fid}">
<h4><span class="sev">${SEVERITY_WORD[f.severity]}</span>${f.title}</h4>
<p class="meta">rule <code>${f.rule}</code> · stream <a href="#${id}-s${f.stream}">${f.stream}</a>${related} · frame${f.frames.length === 1 ? '' : 's'} ${frameLinks(f.frames, f.stream, id)}</p>
<p class="message">${f.message}</p>
<div class="cols">
<div><h5>Evidence</h5><ul>${f.evidence.map((e) => html`<li><a href="#${id}-s${f.stream}-f${e.frame}">frame ${e.frame}</a>: ${e.text.replace(/^frame \d+:\s*/, '')}</li>`)}</ul></div>
<div><h5>What to change</h5>${
    f.remedies.length
      ? html`<ul>${f.remedies.map((r) => html`<li><strong>${r.where}:</strong> ${r.action}${r.caveat ? html` <span class="caveat">(${r.caveat})</span>` : ''}</li>`)}</ul>`
      : html`<p>No change to suggest from the capture alone.</p>`
  }</div>
</div>
${f.wiresharkFilter ? html`<h5>Wireshark filter</h5><pre><code>${f.wiresharkFilter}</code></pre>` : ''}
${
  f.products.length
    ? html`<details class="products"><summary>What the products log (${f.products.length})</summary><table><thead><tr><th>product</th><th>side</th><th>message</th></tr></thead><tbody>${f.products.map(
        (m) => html`<tr><td>${m.product}</td><td>${m.side}</td><td><code>${m.text}</code></td></tr>`,
      )}</tbody></table></details>`
    : ''
}
${f.references.length ? html`<details class="references"><summary>References (${f.references.length})</summary><ul>${f.references.map((s) => html`<li>${sourceText(s)}${sourceRef(s) ? html` — <span class="mono">${sourceRef(s)}</span>` : ''}</li>`)}</ul></details>` : ''}
</article>
`;
}

function statusClass(c: ConnectionDocument): string {
  return c.status === 'failed' ? 'status-failed' : c.status === 'incomplete' ? 'status-incomplete' : c.status === 'established' ? 'status-established' : '';
}

function facts(cap: CaptureDocument, c: ConnectionDocument): Html {
  const about = [...new Set(findingsAbout(cap, c.stream).map((f) => f.rule))];
  return html`<ul class="facts">${connectionFacts(c).map((x) => html`<li>${x}</li>`)}${
    about.length ? html`<li>findings: ${join(about.map((r) => html`<code>${r}</code>`), ', ')}</li>` : ''
  }<li>Wireshark: <code>tcp.stream eq ${c.stream}</code></li></ul>`;
}

function ladderTable(c: ConnectionDocument, id: string): Html {
  const rows = ladder(c.events, c.tls?.established ?? false, c.tls);
  const seen = new Set<number>();
  return html`<table class="ladder"><thead><tr><th class="num">frame</th><th class="num">time</th><th>direction</th><th>record</th><th>message or alert</th><th>details</th></tr></thead><tbody>
${rows.map((r, k) => {
  // The first row of a frame is the anchor evidence links land on.
  const anchor = seen.has(r.frame) ? '' : html` id="${id}-s${c.stream}-f${r.frame}"`;
  seen.add(r.frame);
  return html`<tr${anchor}${r.failure ? html` class="failure"` : ''}><td class="num">${r.frame}</td><td class="num">+${r.offset.toFixed(3)} s</td><td class="dir">${r.from === 'client' ? 'client → server' : 'server → client'}</td><td class="rec">${r.record}</td><td>${r.what}${r.failure ? ' ← failing step' : ''}</td><td class="detail">${eventDetail(c.events[k])}</td></tr>\n`;
})}</tbody></table>`;
}

function problemsList(c: ConnectionDocument): Html {
  const problems = connectionProblems(c);
  if (!problems.length) return html``;
  return html`<h5>Decode problems</h5><ul class="problems">${problems.map((p) => html`<li>${p.frame !== null ? `frame ${p.frame}: ` : ''}${p.text}</li>`)}</ul>`;
}

function connectionBlock(cap: CaptureDocument, c: ConnectionDocument, id: string): Html {
  const title = `stream ${c.stream}: ${c.client} → ${c.server}: ${statusText(c)}`;
  return html`<section class="conn-block" id="${id}-s${c.stream}">
<h4>Stream ${c.stream}: ${c.client} → ${c.server} <span class="${statusClass(c)}">${statusText(c)}</span></h4>
${facts(cap, c)}
<figure class="diagram">${sequenceDiagram(c, title)}<figcaption>Client on the left, server on the right; one arrow per side's records in one frame; the failing step in red.</figcaption></figure>
<details class="transcript" open><summary>Transcript (${plural(c.events.length, 'step')})</summary>${ladderTable(c, id)}</details>
${problemsList(c)}
</section>
`;
}

function connectionList(cap: CaptureDocument, id: string): Html {
  if (cap.connections.length === 0) return html`<p>No TCP conversation was found in this capture.</p>`;
  const detailed = new Set(groupConnections(cap).detailed);
  const others = cap.connections.filter((c) => !detailed.has(c));
  return html`<h3>All connections</h3>
<table class="conns"><thead><tr><th class="num">stream</th><th>client</th><th>server</th><th>status</th><th>version</th><th>cipher suite</th><th>SNI</th></tr></thead><tbody>
${cap.connections.map((c) => {
  const t = c.tls;
  return html`<tr><td class="num"><a href="#${id}-s${c.stream}">${c.stream}</a></td><td class="mono">${c.client}</td><td class="mono">${c.server}</td><td class="${statusClass(c)}">${c.status}</td><td>${t && t.negotiatedVersion !== null ? versionName(t.negotiatedVersion) : ''}</td><td>${t?.cipherSuite?.name ?? ''}</td><td>${t?.sni ?? ''}</td></tr>\n`;
})}</tbody></table>
${others.map(
  (c) => html`<details class="conn healthy" id="${id}-s${c.stream}"><summary>stream ${c.stream}: ${c.client} → ${c.server} · <span class="${statusClass(c)}">${statusText(c)}</span></summary>
${facts(cap, c)}
${ladderTable(c, id)}
${problemsList(c)}
</details>
`,
)}`;
}
