// The two classes of crash the fuzzing campaign of issue #14 found, through the command line as a
// user runs it: a gzip input whose inflated bytes are rejected, and a pcapng timestamp beyond any
// date. Each must give one line naming the file, an exit status of the contract, no stack trace, and
// leave the other inputs of the run analyzed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { SAMPLES } from '../support/paths.js';
import { tlsdiag } from '../support/cli.js';
import { capture, tar, zip } from '../batch/builders.js';
import { corpusRecords, enhancedPacket, interfaceDescription, sectionHeader } from '../input/builders.js';
import type { InterfaceOptions } from '../input/builders.js';

const STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$|Error: .*\n\s+at |ERR_STREAM_PREMATURE_CLOSE|Premature close/m;

/** A pcapng of the sample's frames on one interface with the given options and timestamp counts. */
function pcapngWith(iface: Omit<InterfaceOptions, 'linkType'>, count: (i: number, seconds: number, micros: number) => bigint): Buffer {
  const { linkType, records } = corpusRecords(path.join(SAMPLES, 'clean-tls12.pcap'));
  const blocks = [sectionHeader(true), interfaceDescription({ linkType, ...iface }, true)];
  records.forEach((r, i) => blocks.push(enhancedPacket(0, count(i, r.seconds, r.subsecond), r.data, r.originalLength, true)));
  return Buffer.concat(blocks);
}

describe('crash classes of the fuzzing campaign (issue #14)', function () {
  this.timeout(120_000);
  let dir: string;
  const files: Record<string, string> = {};

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-crash-'));
    const good = capture('tls1.2.pcap');
    const put = (name: string, data: Uint8Array) => {
      files[name] = path.join(dir, name);
      writeFileSync(files[name], data);
    };
    put('good.pcap', good);
    // printf hi | gzip > x.gz
    put('x.gz', gzipSync(Buffer.from('hi')));
    // A gzip'd text file longer than a capture's magic, and a gzip'd pcap with its magic overwritten.
    put('text.gz', gzipSync(Buffer.from('this is a README, not a capture\n'.repeat(50))));
    const badHeader = Buffer.from(good);
    badHeader.write('XXXX', 0, 'latin1');
    put('badhdr.pcap.gz', gzipSync(badHeader));
    // A .tgz cut in the middle of its deflate data, and one whose inflated bytes are no tar.
    const tgz = gzipSync(tar([{ name: 'a.pcap', data: good }, { name: 'b.pcap', data: capture('tls-1.2-handshake-failure.pcap') }]));
    put('cut.tgz', tgz.subarray(0, Math.floor(tgz.length / 2)));
    put('nottar.tgz', gzipSync(Buffer.from('plain words, no tar header here; '.repeat(40))));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const jobs of ['1', '2']) {
    it(`--jobs ${jobs}: each rejected gzip input is one line, and the capture after it is still analyzed`, async () => {
      for (const bad of ['x.gz', 'text.gz', 'badhdr.pcap.gz', 'cut.tgz', 'nottar.tgz']) {
        // Several times: the crash depended on the order in which streams closed.
        for (let round = 0; round < 3; round++) {
          const r = await tlsdiag('--jobs', jobs, '--format', 'json', files[bad], files['x.gz'], files['good.pcap']);
          expect(r.stderr, `${bad}: ${r.stderr}`).not.to.match(STACK);
          expect(r.stderr).not.to.contain('internal error');
          expect(r.status, `${bad} exit status`).to.equal(2);
          const doc = JSON.parse(r.stdout) as { captures: { file: string; error: { message: string } | null; packets: number }[] };
          const good = doc.captures.find((c) => c.file.endsWith('good.pcap'));
          // tshark -r tls1.2.pcap | wc -l: 22
          expect(good?.error ?? null).to.equal(null);
          expect(good?.packets).to.equal(22);
          for (const line of r.stderr.trim().split('\n')) expect(line).to.match(/^\S*(x\.gz|text\.gz|badhdr\.pcap\.gz|cut\.tgz|nottar\.tgz)\S*: /);
          expect(r.stderr).to.contain(path.basename(files[bad]));
        }
      }
    });
  }

  it('names the byte offset in the decompressed data for a gzip input that is not a capture', async () => {
    const r = await tlsdiag(files['badhdr.pcap.gz']);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim()).to.equal(`${files['badhdr.pcap.gz']}: not a capture file (unknown magic 0x58585858 at byte 0 of the decompressed data)`);
  });

  it('a corrupt zip with nothing to analyze: why each member was skipped, and a JSON document all the same', async () => {
    // a zip of a gzip'd non-capture and a capture, cut inside the second member's local header
    const whole = zip([{ name: 'notes.gz', data: gzipSync(Buffer.from('hi')) }, { name: 'b.pcap', data: capture('tls1.2.pcap') }]);
    const second = whole.indexOf(Buffer.from('b.pcap')) - 30;
    const file = path.join(dir, 'cut.zip');
    writeFileSync(file, whole.subarray(0, second + 20));
    const r = await tlsdiag('--format', 'json', file);
    expect(r.status).to.equal(2);
    expect(r.stderr).not.to.match(STACK);
    expect(r.stderr).to.contain('cut.zip!notes.gz: skipped (not a capture (gzip data))');
    expect(r.stderr).to.match(/cut\.zip: warning: .*cut short/);
    const doc = JSON.parse(r.stdout) as { captures: unknown[]; summary: { skipped: { name: string; reason: string }[] } };
    expect(doc.captures).to.deep.equal([]);
    expect(doc.summary.skipped.map((s) => s.name)).to.include(`${file}!notes.gz`);
  });

  describe('pcapng timestamps beyond any date', () => {
    const cases: [string, Omit<InterfaceOptions, 'linkType'>, (i: number, s: number, us: number) => bigint][] = [
      // tshark -t ad shows frame 1 at 285200673-06-15 20:30:41.914051
      ['a huge if_tsoffset', { tsoffset: 9_000_000_000_000_000n }, (_i, s, us) => BigInt(s) * 1_000_000n + BigInt(us)],
      ['if_tsresol 0 with huge counts', { tsresol: 0 }, (i) => 0xffff_ffff_ffff_0000n + BigInt(i)],
      ['if_tsresol 6 with huge counts', { tsresol: 6 }, (i) => 0xffff_ffff_ffff_0000n + BigInt(i)],
      ['if_tsresol 6 and a negative if_tsoffset', { tsresol: 6, tsoffset: -9_000_000_000_000_000n }, (_i, s, us) => BigInt(s) * 1_000_000n + BigInt(us)],
    ];
    cases.forEach(([what, iface, count], n) => {
      it(`${what}: a note, and the capture analyzed${n === 0 ? ' in every format' : ''}`, async () => {
        const file = path.join(dir, `far-${what.replace(/\W+/g, '-')}.pcapng`);
        writeFileSync(file, pcapngWith(iface, count));
        for (const format of n === 0 ? ['text', 'ndjson', 'markdown', 'html', 'trace'] : []) {
          const r = await tlsdiag('--format', format, '--all', file);
          expect(r.stderr, `${format}: ${r.stderr}`).to.equal('');
          expect(r.status, format).to.be.oneOf([0, 1]);
        }
        const r = await tlsdiag('--format', 'json', file);
        const cap = (JSON.parse(r.stdout) as { captures: { packets: number; error: unknown; firstTime: unknown; problems: { code: string; frame?: number }[]; verdict: { established: number } }[] }).captures[0];
        // tshark -r clean-tls12.pcap | wc -l: 18 frames, one handshake that completes
        expect(cap.error).to.equal(null);
        expect(cap.packets).to.equal(18);
        expect(cap.verdict.established).to.equal(1);
        expect(cap.firstTime).to.equal(null);
        expect(cap.problems.find((p) => p.code === 'time-out-of-range')?.frame).to.equal(1);
      });
    });
  });
});
