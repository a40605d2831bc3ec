// The "Example" sections of docs/rules/*.md are what tlsdiag prints today: scripts/doc-examples.ts
// regenerates them from the real analysis, and this suite fails when a page has fallen behind (run
// `npx tsc -p . && node dist/scripts/doc-examples.js`, then read the diff of docs/rules/).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SAMPLES } from '../support/paths.js';
import { LIST_LINES, checkExamples, cutLists, findingBlocks, parseExamples, regeneratePage } from '../../scripts/doc-examples.js';

const page = (body: string) => `# rule\n\n## What it means\n\nSomething.\n\n## Example\n\n${body}\n## References\n\n- RFC\n`;

describe('rule page examples (docs/rules/*.md)', function () {
  this.timeout(120_000);

  it('every marked example is what tlsdiag prints now, and every example is marked', async () => {
    const results = await checkExamples();
    const problems = results.flatMap((r) => r.problems.map((p) => `${r.page}: ${p}`));
    const stale = results.filter((r) => r.stale).flatMap((r) => r.differences.map((d) => `${r.page}: ${d}`));
    expect(problems).to.deep.equal([]);
    expect(stale, 'stale examples: regenerate them with node dist/scripts/doc-examples.js').to.deep.equal([]);
  });

  it('the page of every rule that a sample triggers shows a marked example', () => {
    const readme = readFileSync(path.join(SAMPLES, 'README.md'), 'utf8');
    const json = /```json\n([\s\S]*?)```/.exec(readme);
    expect(json, 'samples/README.md has its JSON block').to.not.equal(null);
    const table = JSON.parse(json![1]) as Record<string, { fires: string[] }>;
    const fired = [...new Set(Object.values(table).flatMap((e) => e.fires))].sort();
    expect(fired.length).to.be.greaterThan(5);
    const unmarked = fired.filter((rule) => parseExamples(readFileSync(path.join(ROOT, 'docs', 'rules', `${rule}.md`), 'utf8')).blocks.length === 0);
    expect(unmarked).to.deep.equal([]);
  });

  describe('regeneratePage', () => {
    it('replaces a stale block with the finding of the page rule only, and is then stable', async () => {
      const stale = page('<!-- example: samples/server-certificate-expired.pcap -->\n```text\n  ERROR old text\n```\n<!-- /example -->\n');
      const first = await regeneratePage('certificate-expired', stale, 'x.md');
      expect(first.problems).to.deep.equal([]);
      expect(first.stale).to.equal(true);
      expect(first.differences[0]).to.match(/^line 9 \(samples\/server-certificate-expired\.pcap\): example line 1 is/);
      expect(first.text).to.include('`node bin/tlsdiag.js samples/server-certificate-expired.pcap` prints (the certificate-expired finding');
      expect(first.text).to.include('  ERROR Certificate not valid at the time of the capture  [certificate-expired, stream 0]');
      expect(first.text).to.include('    Wireshark: tcp.stream eq 0 && frame.number in {6, 8}\n```\n<!-- /example -->');
      // The same capture also gives server-certificate-rejected: not this page's rule.
      expect(first.text).to.not.include('[server-certificate-rejected');
      expect(first.text.startsWith('# rule\n\n## What it means')).to.equal(true);
      expect(first.text.endsWith('## References\n\n- RFC\n')).to.equal(true);
      const second = await regeneratePage('certificate-expired', first.text, 'x.md');
      expect(second.stale).to.equal(false);
      expect(second.text).to.equal(first.text);
    });

    it('reads the shared corpus and filters streams as the CLI does', async () => {
      const corpus = await regeneratePage('sslv2-negotiated', page('<!-- example: corpus/ssl-v2.pcap -->\n<!-- /example -->\n'), 'x.md');
      expect(corpus.problems).to.deep.equal([]);
      expect(corpus.text).to.include('`node bin/tlsdiag.js ../shared/corpus/zeek/ssl-v2.pcap` prints');
      expect(corpus.text).to.include('[sslv2-negotiated, stream 0]');

      const data = await regeneratePage('ftps-session-not-reused', page('<!-- example: samples/ftps-session-not-reused-522.pcap stream=1 -->\n<!-- /example -->\n'), 'x.md');
      expect(data.problems).to.deep.equal([]);
      expect(data.text).to.include('`node bin/tlsdiag.js samples/ftps-session-not-reused-522.pcap --stream 1` prints');
      const control = await regeneratePage('ftps-session-not-reused', page('<!-- example: samples/ftps-session-not-reused-522.pcap stream=0 -->\n<!-- /example -->\n'), 'x.md');
      expect(control.problems).to.have.length(1);
      expect(control.problems[0]).to.include('gives no ftps-session-not-reused finding in stream 0');
    });

    it('reports a capture that no longer triggers the rule and leaves that block alone', async () => {
      const text = page('<!-- example: samples/clean-tls12.pcap -->\nkept as it was\n<!-- /example -->\n');
      const result = await regeneratePage('no-shared-cipher', text, 'x.md');
      expect(result.problems).to.have.length(1);
      expect(result.problems[0]).to.match(/^line 9: samples\/clean-tls12\.pcap gives no no-shared-cipher finding: choose a capture/);
      expect(result.stale).to.equal(false);
      expect(result.text).to.equal(text);
    });

    it('reports a capture that cannot be read', async () => {
      const result = await regeneratePage('no-shared-cipher', page('<!-- example: samples/no-such-capture.pcap -->\n<!-- /example -->\n'), 'x.md');
      expect(result.problems).to.have.length(1);
      expect(result.problems[0]).to.include('cannot analyze samples/no-such-capture.pcap');
    });
  });

  describe('parseExamples', () => {
    it('finds the marked blocks with their capture and streams', () => {
      const parsed = parseExamples(page('<!-- example: samples/a.pcap stream=1 stream=3 -->\nold\n<!-- /example -->\n\n<!-- example: corpus/b.pcap -->\n<!-- /example -->\n'));
      expect(parsed.problems).to.deep.equal([]);
      expect(parsed.blocks.map((b) => [b.spec.capture, b.spec.streams, b.openLine, b.closeLine])).to.deep.equal([
        ['samples/a.pcap', [1, 3], 8, 10],
        ['corpus/b.pcap', [], 12, 13],
      ]);
    });

    it('flags an unmarked fence in the Example section, but not elsewhere', () => {
      const text = '# rule\n\n## On the wire\n\n```\nladder\n```\n\n## Example\n\n```\n  ERROR pasted\n```\n';
      expect(parseExamples(text).problems).to.deep.equal(['line 11: a code fence in the Example section outside <!-- example: ... --> markers']);
    });

    it('flags malformed markers', () => {
      expect(parseExamples(page('<!-- example: ../etc/passwd -->\n<!-- /example -->\n')).problems[0]).to.include('must be samples/PATH or corpus/PATH');
      expect(parseExamples(page('<!-- example: samples/../x.pcap -->\n<!-- /example -->\n')).problems[0]).to.include('must be samples/PATH or corpus/PATH');
      expect(parseExamples(page('<!-- example: samples/a.pcap color=yes -->\n<!-- /example -->\n')).problems[0]).to.include('unknown marker attribute color=yes');
      expect(parseExamples(page('<!-- example: samples/a.pcap -->\ntext\n')).problems[0]).to.include('never closed');
      expect(parseExamples(page('<!-- /example -->\n')).problems[0]).to.include('without an opening marker');
      const nested = parseExamples(page('<!-- example: samples/a.pcap -->\n<!-- example: samples/b.pcap -->\n<!-- /example -->\n'));
      expect(nested.problems[0]).to.include('inside the example opened on line 9');
    });
  });

  describe('findingBlocks and cutLists', () => {
    const report = [
      'samples/x.pcap',
      '  Verdict: ...',
      '',
      '  ERROR One  [rule-a, stream 0]',
      '    message',
      '    Wireshark: tcp.stream eq 0 && frame.number in {4}',
      '',
      '  WARNING Two  [rule-b, stream 0]',
      '    message',
      '',
      '  ERROR Three  [rule-a, stream 2]',
      '    message',
      '',
    ].join('\n');

    it('takes every block of the rule, up to its blank line', () => {
      expect(findingBlocks(report, 'rule-a')).to.deep.equal([
        ['  ERROR One  [rule-a, stream 0]', '    message', '    Wireshark: tcp.stream eq 0 && frame.number in {4}'],
        ['  ERROR Three  [rule-a, stream 2]', '    message'],
      ]);
      expect(findingBlocks(report, 'rule-c')).to.deep.equal([]);
    });

    it('cuts a long list after whole entries, keeps a short one whole', () => {
      const products = Array.from({ length: 7 }, (_, i) => `      product ${i}: text`);
      const remedies = ['      - a: first', '        wrapped', '      - b: second', '        wrapped', '        again', '      - c: third'];
      const block = ['  ERROR t  [r, stream 0]', '    What to change:', ...remedies, '    What the products log:', ...products, '    Wireshark: f'];
      const { lines, cut } = cutLists(block);
      expect(cut).to.equal(true);
      expect(lines).to.deep.equal([
        '  ERROR t  [r, stream 0]',
        '    What to change:',
        '      - a: first',
        '        wrapped',
        '      [... 4 more lines ...]',
        '    What the products log:',
        ...products.slice(0, LIST_LINES),
        `      [... ${7 - LIST_LINES} more lines ...]`,
        '    Wireshark: f',
      ]);
      const short = ['  ERROR t  [r, stream 0]', '    What the products log:', ...products.slice(0, LIST_LINES + 1), '    Wireshark: f'];
      expect(cutLists(short)).to.deep.equal({ lines: short, cut: false });
    });

    it('keeps a first entry longer than the limit whole', () => {
      const long = ['      - a: one', '        two', '        three', '        four', '        five', '        six'];
      const block = ['    What to change:', ...long, '    Wireshark: f'];
      expect(cutLists(block)).to.deep.equal({ lines: block, cut: false });
    });
  });
});
