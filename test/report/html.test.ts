// The HTML report as markup: self-contained, escaped, every failing handshake drawn, every
// connection's transcript present, every in-page link landing somewhere. (browser.test.ts opens it.)
import { expect } from 'chai';
import path from 'node:path';
import { escapeHtml, html } from '../../src/report/html-safe.js';
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
    const page = render('html', await documentOf([FAILING, MIXED, MANY]), { color: false, redact: false });
    expect(page.startsWith('<!DOCTYPE html>')).to.equal(true);
    expect(page).to.include(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(page).to.not.match(/<script|<link|<iframe|<object|<embed|<img|@import|url\(|@font-face/i);
    expect(page).to.not.match(/\ssrc=/i);
    for (const m of page.matchAll(/href="([^"]*)"/g)) expect(m[1], 'in-page links only').to.match(/^#/);
    expect(page).to.include('@media print');
  });

  it('prints a hostile banner and file name as text', async () => {
    const doc = documentOfResults([await hostileCapture()]);
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
    const finding = page.indexOf('class="finding sev-error"');
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

  it('has every connection\'s transcript, the healthy ones collapsed, and every link lands on an anchor', async () => {
    const doc = await documentOf([MANY, MIXED]);
    const page = render('html', doc, { color: false, redact: false });
    const anchors = ids(page);
    doc.captures.forEach((cap, i) => {
      for (const c of cap.connections) expect(anchors.has(`c${i + 1}-s${c.stream}`), `c${i + 1}-s${c.stream}`).to.equal(true);
    });
    expect(page.match(/<details class="conn healthy"/g)).to.have.length(8 + 1);
    for (const m of page.matchAll(/href="#([^"]+)"/g)) expect(anchors.has(m[1]), m[1]).to.equal(true);
  });
});
