// The HTML report as markup: self-contained, escaped, every failing handshake drawn, bounded at any
// number of connections, balanced however its pieces are joined, every in-page link landing
// somewhere. (browser.test.ts opens it.)
import { expect } from 'chai';
import path from 'node:path';
import { escapeHtml, html } from '../../src/report/html-safe.js';
import type { CaptureReport } from '../../src/report/document.js';
import type { FindingGroup, HealthyRow } from '../../src/report/groups.js';
import { htmlCapture, htmlConnection, htmlRunHead, htmlRunTail } from '../../src/report/html.js';
import { render } from '../../src/report/render.js';
import { arrows, sequenceDiagram, wrapLabel } from '../../src/report/svg.js';
import { CORPUS, SAMPLES } from '../support/paths.js';
import { documentOf, documentOfResults, hostileCapture, HOSTILE_BANNER } from './support.js';

const FAILING = path.join(SAMPLES, 'vsftpd-zos-auth-tls-empty-ca-list.pcap');
const MIXED = path.join(CORPUS, 'tls13draft16-chrome55.0.2879.0-canary.pcap'); // stream 0 fails, stream 1 fine
const MANY = path.join(CORPUS, 'google-cert-repeat.pcap'); // 8 established connections

function ids(page: string): Set<string> {
  return new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
}

describe('report: html', () => {
  it('escapes interpolated text and attribute values, and only those', () => {
    const evil = `"><script>alert('x')</script>&`;
    expect(escapeHtml(evil)).to.equal('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;');
    expect(html`<td title="${evil}">${evil}</td>`.value).to.equal(`<td title="${escapeHtml(evil)}">${escapeHtml(evil)}</td>`);
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.value).to.equal('<ul>&lt;a&gt;<li>ok</li></ul>');
  });

  it('is self-contained: no script, no external style sheet, font, image or link, and a CSP that forbids them', async () => {
    const doc = await documentOf([FAILING, MIXED, MANY]);
    for (const all of [false, true]) {
      const page = render('html', doc, { color: false, redact: false, all });
      expect(page.startsWith('<!DOCTYPE html>')).to.equal(true);
      expect(page).to.include(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
      expect(page).to.not.match(/<script|<link|<iframe|<object|<embed|<img|@import|url\(|@font-face/i);
      expect(page).to.not.match(/\ssrc=/i);
      for (const m of page.matchAll(/href="([^"]*)"/g)) expect(m[1], 'in-page links only').to.match(/^#/);
      expect(page).to.include('@media print');
    }
  });

  it('prints a hostile banner and file name as text', async () => {
    const doc = documentOfResults([await hostileCapture()]);
    expect(render('html', doc, { color: false, redact: false, all: true })).to.not.match(/<script|<img|<b>ftp|onerror="/i);
    const page = render('html', doc, { color: false, redact: false });
    expect(page).to.not.match(/<script|<img|<b>ftp/i);
    expect(page).to.not.include('onerror="');
    expect(page).to.include('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(page).to.include(escapeHtml(HOSTILE_BANNER.slice(4, 40)));
    expect(page).to.include('hostile &lt;b&gt;ftp&lt;/b&gt; | capture.pcap');
    // The banner is drawn in the diagram too, escaped the same way.
    const svg = /<svg[\s\S]*?<\/svg>/.exec(page)![0];
    expect(svg).to.include('&lt;script&gt;');
  });

  it('puts the verdict and the findings before the first diagram', async () => {
    const doc = await documentOf([FAILING]);
    const page = render('html', doc, { color: false, redact: false });
    const verdict = page.indexOf('class="verdict tone-failed"');
    const finding = page.indexOf('class="finding group sev-error"');
    const diagram = page.indexOf('<svg');
    expect(verdict).to.be.greaterThan(0);
    expect(finding).to.be.greaterThan(verdict);
    expect(diagram).to.be.greaterThan(finding);
    const filter = doc.captures[0].findings[0].wiresharkFilter;
    expect(filter).to.match(/^tcp\.stream eq 0 && frame\.number in \{/);
    expect(page).to.include(`<pre><code>${escapeHtml(filter)}</code></pre>`);
  });

  it('draws one sequence diagram per failing handshake, with exactly one step highlighted', async () => {
    const doc = await documentOf([MIXED]);
    const page = render('html', doc, { color: false, redact: false });
    const diagrams = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(diagrams).to.have.length(1);
    expect(diagrams[0].match(/fill="#fdecea"/g)).to.have.length(1);
    expect(diagrams[0]).to.include('Client').and.to.include('Server');
    expect(diagrams[0]).to.include(escapeHtml(doc.captures[0].connections[0].client));
  });

  it('groups a flight into one arrow, and a failing step into its own', async () => {
    const doc = await documentOf([path.join(SAMPLES, 'zos-empty-ca-list-tls10.pcap')]);
    const c = doc.captures[0].connections[0];
    const list = arrows(c.events, c.tls);
    expect(list.map((a) => a.label)).to.include('TLS 1.0 · ServerHello, Certificate, CertificateRequest, ServerHelloDone');
    const failing = list.filter((a) => a.tone === 'failure');
    expect(failing).to.have.length(1);
    expect(failing[0].label).to.equal('TLS 1.0 · alert fatal illegal_parameter(47)');
    expect(failing[0].from).to.equal('client');
    expect(wrapLabel('aaa bbb ccc', 7)).to.deep.equal(['aaa bbb', 'ccc']);
    expect(wrapLabel('x'.repeat(10), 4)).to.deep.equal(['xxxx', 'xxxx', 'xx']);
  });

  it('draws a long transcript as its head and tail with a gap marker, keeping the failing step', async () => {
    const doc = await documentOf([path.join(SAMPLES, 'zos-empty-ca-list-tls10.pcap')]);
    const c = doc.captures[0].connections[0];
    const alert = c.events.findIndex((e) => e.type === 'alert');
    // 200 application data exchanges inserted before the alert: no capture here has that many
    // records in a failing connection, so the transcript is lengthened.
    const filler = Array.from({ length: 200 }, (_, k) => ({
      type: 'application_data' as const,
      recordVersion: 0x0301,
      records: 1,
      bytes: 100 + k,
      lastFrame: 1000 + k,
      frame: 1000 + k,
      time: c.events[alert].time,
      from: k % 2 === 0 ? ('client' as const) : ('server' as const),
    }));
    const long = { ...c, events: [...c.events.slice(0, alert), ...filler, ...c.events.slice(alert)] };
    const svg = sequenceDiagram(long, 'long').value;
    expect(svg).to.match(/⋯ \d+ more not drawn/);
    expect(svg.match(/<line x1=/g)!.length - 2).to.be.lessThan(60); // arrows, less the two lifelines
    expect(svg).to.include('alert fatal illegal_parameter(47)');
    expect(svg.match(/fill="#fdecea"/g)).to.have.length(1);
  });

  it('with --all follows each capture with every connection, collapsed, the healthy ones marked so; every link lands on an anchor', async () => {
    const doc = await documentOf([MANY, MIXED]);
    const page = render('html', doc, { color: false, redact: false, all: true });
    const connections = doc.captures.reduce((n, cap) => n + cap.connections.length, 0);
    expect(page.match(/<details class="conn[ "]/g)).to.have.length(connections);
    expect(page.match(/<details class="conn healthy"/g)).to.have.length(8 + 1);
    for (const cap of doc.captures) for (const c of cap.connections) expect(page).to.include(`<summary>stream ${c.stream}: ${escapeHtml(c.client)} → ${escapeHtml(c.server)} · `);
    expect(page.match(/<h3 class="every">/g)).to.have.length(2);
    balanced(page);
    for (const p of [page, render('html', doc, { color: false, redact: false })]) {
      const anchors = ids(p);
      expect(anchors.size, 'ids are unique').to.equal([...p.matchAll(/\sid="([^"]+)"/g)].length);
      for (const m of p.matchAll(/href="#([^"]+)"/g)) expect(anchors.has(m[1]), m[1]).to.equal(true);
    }
  });

  it('is a balanced page whichever way its pieces are joined', async () => {
    const doc = await documentOf([FAILING, MANY]);
    for (const all of [false, true]) balanced(render('html', doc, { color: false, redact: false, all }));
    const cap = doc.captures[0];
    const head = htmlRunHead({ name: 'tlsdiag', version: '0' }, ['x.pcap'], true);
    const tail = htmlRunTail(null);
    const pieces = [head, htmlCapture(cap, true), ...cap.connections.map((c) => htmlConnection(c, cap.findings.filter((f) => f.stream === c.stream))), tail];
    balanced(pieces.join(''));
    // Each piece but the head and the tail is balanced by itself, so the writer adds nothing between.
    for (const piece of pieces.slice(1, -1)) balanced(piece);
  });

  it('names a group once with its count, lists at most 50 of its streams, and stays small at 10,000 connections', async () => {
    const cap = (await documentOf([FAILING])).captures[0];
    const big = bigReport(cap, 1);
    const page = htmlRunHead({ name: 'tlsdiag', version: '0' }, [], false) + htmlCapture(big, false) + htmlRunTail(null);
    expect(page).to.include('<strong>10,000 connections</strong>');
    expect(page).to.include('<strong>The same in 9,999 more connections:</strong>');
    expect(page).to.include('(first 49 listed)');
    const filter = /tcp\.stream in \{([^}]*)\}/.exec(page)!;
    expect(filter[1].split(', ')).to.have.length(50);
    expect(page).to.include('Wireshark filter for the group (the first 50 connections)');
    expect(page.match(/<svg/g)).to.have.length(1);
    expect(page).to.include('90,000');
    expect(page).to.include('5,000 other TCP connections without TLS');
    expect(page.length).to.be.lessThan(100_000);
  });

  it('stays bounded with thousands of distinct groups: 25 in full, the rest in a capped table', async () => {
    const cap = (await documentOf([FAILING])).captures[0];
    const page = htmlCapture(bigReport(cap, 3000), false);
    expect(page.match(/<article class="finding group/g)).to.have.length(25);
    expect(page).to.include('2,975 more groups of findings, in short');
    expect(page).to.include('And 2,775 more groups');
    // The rule's product messages and references are listed once, not per group.
    expect(page.match(/<details class="products">/g)).to.have.length(1);
    expect(page.length).to.be.lessThan(3_000_000);
  });
});

/** Every element that is opened is closed, in order (void elements and self-closed SVG aside). */
function balanced(page: string): void {
  const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'col', 'wbr', 'area', 'base', 'source', 'track']);
  const open: string[] = [];
  for (const m of page.replace(/<!DOCTYPE html>/i, '').matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    const tag = name.toLowerCase();
    if (VOID.has(tag) || self) continue;
    if (!close) open.push(tag);
    else expect(open.pop(), `</${tag}> at ${m.index}`).to.equal(tag);
  }
  expect(open, 'left open').to.deep.equal([]);
}

/**
 * A capture report as a big capture gives it: its one group `groups` times over (distinct servers)
 * with 10,000 connections each and the lowest 50 streams, 90,000 healthy connections, 5,000 others.
 * No capture in the repository has that many connections; the renderer only sees the report.
 */
function bigReport(cap: CaptureReport, groups: number): CaptureReport {
  const g = cap.groups.groups[0];
  const streams = Array.from({ length: 50 }, (_, k) => k * 7);
  const many: FindingGroup[] = Array.from({ length: groups }, (_, k) => ({
    ...g,
    key: `${g.key}|${k}`,
    server: `10.${k >> 8}.${k & 255}.1:443`,
    count: 10_000,
    streams,
    last: { ...g.last, frame: 1_000_000 },
  }));
  const healthy: HealthyRow = { server: '10.0.0.1:443', sni: ['a.example'], version: 'TLS 1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', resumption: null, upgradedFrom: null, count: 90_000, handshakeMs: { min: 1, median: 2, max: 30 }, streams };
  return { ...cap, groups: { ...cap.groups, groups: many, healthy: [healthy], other: { count: 5000, streams } } };
}
