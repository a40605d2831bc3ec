// What every report carries (the capture's identity, tlsdiag's version and command line), and the
// properties of the text and markdown formats a ticket depends on.
import { expect } from 'chai';
import path from 'node:path';
import { FORMATS, formatFromFileName, render } from '../../src/report/render.js';
import { mdCode, mdText } from '../../src/report/markdown.js';
import { escapeHtml } from '../../src/report/html-safe.js';
import { groupDigits } from '../../src/report/describe.js';
import { captureReport } from '../../src/report/document.js';
import { GROUP_CAP, GroupIndex, OTHER_SERVERS, SERVER_CAP } from '../../src/report/groups.js';
import { textCapture } from '../../src/report/text.js';
import { CORPUS, SAMPLES } from '../support/paths.js';
import { documentOf, documentOfResults, hostileCapture, HOSTILE_BANNER } from './support.js';

const SAMPLE = path.join(SAMPLES, 'zos-empty-ca-list-tls12.pcap');

describe('report: every format', () => {
  it('offers text, json, ndjson, markdown, html and trace, and picks them from the output file name', () => {
    expect([...FORMATS]).to.include.members(['text', 'json', 'ndjson', 'markdown', 'html', 'trace']);
    const expected: Record<string, string> = {
      'r.md': 'markdown',
      'r.markdown': 'markdown',
      'R.HTML': 'html',
      'r.htm': 'html',
      'r.ndjson': 'ndjson',
      'r.jsonl': 'ndjson',
      'r.json': 'json',
      'r.txt': 'text',
      'dir.v2/r.trace': 'trace',
    };
    for (const [file, format] of Object.entries(expected)) expect(formatFromFileName(file), file).to.equal(format);
    expect(formatFromFileName('report')).to.equal(undefined);
    expect(formatFromFileName('report.pdf')).to.equal(undefined);
  });

  it('text, markdown and html name the capture (file, size, SHA-256, format, link types, packets, time span), the tool version and the command line', async () => {
    const doc = await documentOf([SAMPLE], ['--format', 'x', '--only', 'failing', 'it has spaces.pcap']);
    const cap = doc.captures[0];
    for (const format of ['text', 'markdown', 'html'] as const) {
      const out = render(format, doc, { color: false, redact: false });
      expect(out, format).to.include(cap.file);
      expect(out, format).to.include(cap.sha256!);
      expect(out, format).to.include(groupDigits(cap.size!));
      expect(out, format).to.include('pcap');
      expect(out, format).to.include('ETHERNET');
      expect(out, format).to.match(new RegExp(`\\b${cap.packets} (frames|packets)|packets\\W+${cap.packets}\\b|<dd>${cap.packets}</dd>`, 'i'));
      expect(out, format).to.include(cap.firstTime!.slice(11, 26)); // 03:46:33.123456
      expect(out, format).to.include(`${doc.tool.name} ${doc.tool.version}`);
      const command = "tlsdiag --format x --only failing 'it has spaces.pcap'";
      expect(out, format).to.include(format === 'html' ? escapeHtml(command) : command);
      expect(out, format).to.include(cap.verdict.text.replace(/'/g, format === 'html' ? '&#39;' : "'"));
    }
  });

  it('an unreadable capture is reported with its error in every format', async () => {
    const doc = await documentOf([path.join(SAMPLES, '..', 'package.json')]);
    for (const format of FORMATS) {
      const out = render(format, doc, { color: false, redact: false });
      expect(out, format).to.match(/not a capture file|unknown magic/);
    }
  });
});

describe('report: text', () => {
  it('puts the verdict right under the capture name', async () => {
    const doc = await documentOf([SAMPLE]);
    const lines = render('text', doc, { color: false, redact: false }).split('\n');
    expect(lines[0]).to.equal(doc.captures[0].file);
    expect(lines[1]).to.match(/^ {2}Verdict: 1 of 1 TLS handshake failed \(0 established\): empty-ca-list-rejected at \S+ \(stream 0\)$/);
  });

  it('colours only when asked, and never copies control characters from the capture', async () => {
    const doc = documentOfResults([await hostileCapture()]);
    const plain = render('text', doc, { color: false, redact: false });
    expect(plain).to.not.include('\x1b');
    const coloured = render('text', doc, { color: true, redact: false });
    expect(coloured).to.include('\x1b[31m');
    // The banner's ESC [2J (clear screen) is shown, not sent to the terminal.
    expect(coloured.replace(/\x1b\[\d+m/g, '')).to.not.include('\x1b');
  });

  it('does not depend on the terminal width and has no trailing blanks', async () => {
    const doc = await documentOf([path.join(SAMPLES, 'vsftpd-zos-auth-tls-empty-ca-list.pcap')]);
    const stdout = process.stdout as { columns?: number };
    const saved = stdout.columns;
    try {
      stdout.columns = 40;
      const narrow = render('text', doc, { color: false, redact: false });
      stdout.columns = 250;
      const wide = render('text', doc, { color: false, redact: false });
      expect(narrow).to.equal(wide);
      expect(narrow.split('\n').filter((l) => l !== l.trimEnd())).to.deep.equal([]);
    } finally {
      stdout.columns = saved;
    }
  });

  it('marks the failing step of a ladder, once', async () => {
    const doc = await documentOf([path.join(SAMPLES, 'handshake-aborted-by-server.pcap')]);
    const out = render('text', doc, { color: false, redact: false });
    const marked = out.split('\n').filter((l) => l.includes('← failing step'));
    // The server's FIN decided it; the client's decode_error alert that followed is its reaction.
    expect(marked).to.have.length(1);
    expect(marked[0]).to.match(/^\s+6\s.*FIN/);
  });
});

describe('report: markdown', () => {
  it('escapes what markdown would interpret', () => {
    expect(mdText('<script>x</script>')).to.equal('\\<script\\>x\\</script\\>');
    expect(mdText('a|b *c* _d_ `e` [f](g) ~h~')).to.equal('a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\~h\\~');
    expect(mdText('illegal_parameter(47)')).to.equal('illegal_parameter(47)');
    expect(mdText('# not a heading')).to.equal('\\# not a heading');
    expect(mdText('&lt;b&gt; & co')).to.equal('&amp;lt;b&amp;gt; & co');
    expect(mdText('two\r\nlines')).to.equal('two lines');
    // No link made of a captured URL: cmark-gfm (GitHub) autolinks `http://…` and `www.…` in text.
    expect(mdText('see http://evil.example/ or www.evil.example')).to.equal('see http\\://evil.example/ or www\\.evil.example');
    // An e-mail address is linked by GFM whatever is escaped: it goes in a code span, which nothing links.
    expect(mdText('emailAddress=denicadmmail@arcor.de,CN=www.lilawelt.net')).to.equal('emailAddress=`denicadmmail@arcor.de`,CN=www\\.lilawelt.net');
    expect(mdText('mail a_b+c@d-e.f_g and x@y')).to.equal('mail `a_b+c@d-e.f_g` and `x@y`');
    expect(mdCode('a `b` c')).to.equal('``a `b` c``');
    expect(mdCode('x|y', true)).to.equal('`x\\|y`');
  });

  it('leaves no e-mail address of a certificate name outside a code span (no mailto: link)', async () => {
    // tshark -r dhe.pcap -Y tls.handshake.certificate -V: rdnSequence emailAddress=denicadmmail@arcor.de
    for (const file of ['dhe.pcap', 'imap-starttls.pcap']) {
      const md = render('markdown', await documentOf([path.join(CORPUS, file)]), { color: false, redact: false, all: true });
      const outsideCode = md.replace(/`[^`\n]*`/g, '');
      expect(md, file).to.match(/emailAddress=`[^`]+@[^`]+`/);
      expect(outsideCode, file).not.to.match(/[\w.+-]+@[\w-]+/);
    }
  });

  it('keeps every table row to its columns, even with pipes, markup and backticks in a banner', async () => {
    const doc = documentOfResults([await hostileCapture()]);
    const md = render('markdown', doc, { color: false, redact: false });
    expect(md).to.not.match(/(?<!\\)<(script|img)/);
    let columns = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      // Cells are split at pipes that are not escaped (GFM's rule, code spans included).
      const cells = line.replace(/\\\\/g, '').split(/(?<!\\)\|/).length - 2;
      if (columns === 0) columns = cells;
      expect(cells, line).to.equal(columns);
    }
    expect(md).to.include(mdText(`"${HOSTILE_BANNER.replace('\x1b', '\\x1b')}"`));
  });

  it('has the verdict, findings with remedies and product messages, a ladder table per failing connection, and the metadata', async () => {
    const doc = await documentOf([SAMPLE]);
    const md = render('markdown', doc, { color: false, redact: false });
    const order = ['**Verdict: FAILED**', '- **SHA-256:**', '### Findings', '**What to change**', '**What the products log**', '**Wireshark filter:**', '##### Example: stream 0:', '| frame | time | direction | record | message or alert |'];
    let at = -1;
    for (const part of order) {
      const k = md.indexOf(part);
      expect(k, part).to.be.greaterThan(at);
      at = k;
    }
    expect(md).to.match(/\| \*\*8\*\* \| .* \*\*alert fatal illegal\\?_parameter\(47\)\*\* ← failing step \|/);
  });
});

describe('report: bounded at any number of causes', () => {
  it('text prints 25 groups in full and one line for each of the rest, at most 200', async () => {
    const doc = await documentOf([SAMPLE]);
    const cap = doc.captures[0];
    const c = cap.connections[0];
    const findings = cap.findings.filter((f) => f.stream === c.stream);
    expect(findings.length).to.be.greaterThan(0);
    // 300 servers failing the same way: 300 groups (a group is rule + server + cause).
    const index = new GroupIndex();
    for (let i = 0; i < 300; i++) {
      const server = `10.0.${i >> 8}.${i & 255}:443`;
      index.add({ ...c, stream: i, server }, findings.map((f) => ({ ...f, stream: i })));
    }
    const report = captureReport(cap, index.result());
    expect(report.groups.groups).to.have.length(300);
    const text = textCapture(report, { color: false });
    expect(text.match(/^ {2}ERROR /gm) ?? []).to.have.length(25);
    expect(text).to.include('275 more groups of findings, one line each:');
    expect(text).to.include('and 75 more groups (all in --format json)');
    expect(text.split('\n').length).to.be.lessThan(2_000);
  });

  it('folds servers past the caps into "other servers", so memory follows the caps and not the servers', async () => {
    const doc = await documentOf([SAMPLE]);
    const cap = doc.captures[0];
    const c = cap.connections.find((x) => x.status === 'failed')!;
    const findings = cap.findings.filter((f) => f.stream === c.stream);
    const healthy = { ...c, status: 'established' as const, tls: { ...c.tls!, alert: null } };
    // A client-side capture: 12,000 servers, each failing once and serving one healthy connection.
    const servers = 12_000;
    const index = new GroupIndex();
    for (let i = 0; i < servers; i++) {
      const server = `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:443`;
      index.add({ ...c, stream: 2 * i, server }, findings.map((f) => ({ ...f, stream: 2 * i })));
      index.add({ ...healthy, stream: 2 * i + 1, server }, []);
    }
    const g = index.result();
    expect(g.counts.connections).to.equal(2 * servers);
    expect(g.groups.length).to.be.at.most(GROUP_CAP + 1);
    expect(g.healthy.length).to.be.at.most(GROUP_CAP + 1);
    expect(g.servers).to.have.length(SERVER_CAP + 1);
    // Nothing is lost: every finding and connection is counted in some group, row or server.
    expect(g.groups.reduce((n, x) => n + x.count, 0)).to.equal(servers * findings.length);
    expect(g.healthy.reduce((n, x) => n + x.count, 0)).to.equal(servers);
    expect(g.servers.reduce((n, x) => n + x.failed, 0)).to.equal(servers);
    const other = g.groups.find((x) => x.server === OTHER_SERVERS)!;
    expect(other.count).to.equal((servers - GROUP_CAP / findings.length) * findings.length);
    expect(other.streams[0]).to.equal(2 * (GROUP_CAP / findings.length));
    expect(g.capped).to.deep.equal({ groups: other.count, statusGroups: 0, healthy: servers - GROUP_CAP, servers: servers - SERVER_CAP });
    const text = textCapture(captureReport(cap, g), { color: false });
    expect(text).to.match(/Many servers: [\d,]+ findings, [\d,]+ healthy connections of servers past the first 500 groups/);
    // With fewer servers than the caps, nothing is folded.
    const few = new GroupIndex();
    few.add(c, findings);
    expect(few.result().capped).to.equal(null);
  });
});
