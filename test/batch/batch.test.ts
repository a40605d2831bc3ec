// A whole batch: a directory of captures, gzip'd captures and archives of every kind (built here from
// corpus captures), with a corrupt member, a member that is no capture, a "../" name and a bomb.
// What each input becomes, in input order, identically with one job in the main thread and with
// worker threads.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { planInputs } from '../../src/batch/inputs.js';
import { runBatch, type BatchEvent } from '../../src/batch/run.js';
import { DEFAULT_LIMITS } from '../../src/input/expansion.js';
import { SummaryBuilder } from '../../src/report/run-summary.js';
import type { JobSettings } from '../../src/batch/types.js';
import { TempFiles } from '../../src/report/temp.js';
import { capture, tar, zip } from './builders.js';

const TLS12 = capture('tls1.2.pcap');
const FAILURE = capture('tls-1.2-handshake-failure.pcap');
const SSL3 = capture('ssl.v3.pcap');

/** A copy of a little-endian pcap whose `index`-th record claims an absurd captured length. */
function corruptRecord(pcap: Buffer, index: number): Buffer {
  const out = Buffer.from(pcap);
  let at = 24;
  for (let i = 0; i < index; i++) at += 16 + out.readUInt32LE(at + 8);
  out.writeUInt32LE(0x7fffffff, at + 8);
  return out;
}

/** A pcap header and 4 MiB of zeros: deflates about 1000:1. */
const BOMB = Buffer.concat([TLS12.subarray(0, 24), Buffer.alloc(4 << 20)]);

interface Seen {
  readonly type: string;
  readonly name: string;
  readonly detail: string;
  readonly part?: string | null;
}

function seen(e: BatchEvent): Seen {
  switch (e.type) {
    case 'capture': {
      const d = e.result.digest;
      const detail = d.error ?? (d.readErrors.length ? `read errors: ${d.readErrors.join('; ')}` : `${d.packets} frames, ${d.tlsConnections} TLS, ${d.failed} failed`);
      return { type: 'capture', name: d.file, detail: detail + (e.job.notes.length ? ` [${e.job.notes.map((n) => n.code).join()}]` : ''), part: readFileSync(e.result.part.path, 'utf8') };
    }
    case 'skipped':
      return { type: e.type, name: e.name, detail: e.reason };
    case 'error':
    case 'note':
    case 'internal':
      return { type: e.type, name: e.name, detail: e.message };
  }
}

describe('batch: a run over directories and archives', function () {
  this.timeout(60_000);
  let dir: string;
  const temp = new TempFiles();
  const settings: JobSettings = {
    rules: null,
    limits: DEFAULT_LIMITS,
    render: { format: 'trace', detail: 'compact', color: false, all: false, filters: {}, redact: false },
    tempDir: temp.dir,
    idleTimeoutSeconds: null,
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-batch-'));
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'a.pcap'), TLS12);
    writeFileSync(path.join(dir, 'sub', 'b.pcap'), FAILURE);
    writeFileSync(path.join(dir, 'd.pcap.gz'), gzipSync(SSL3));
    writeFileSync(path.join(dir, 'notes.txt'), 'the customer says it fails at 10:02');
    writeFileSync(
      path.join(dir, 'archive.zip'),
      zip([
        { name: 'day1/x.pcap', data: FAILURE },
        { name: 'day1/y.pcap', data: TLS12, method: 'stored' },
        { name: '../evil.pcap', data: TLS12 },
        { name: 'readme.md', data: Buffer.from('# captures') },
        { name: 'corrupt.pcap', data: corruptRecord(TLS12, 5) },
        { name: 'bomb.pcap', data: BOMB },
        { name: 'crc.pcap', data: TLS12, method: 'stored', crc: 0x12345678 },
      ]),
    );
    writeFileSync(path.join(dir, 'archive.tar'), tar([{ name: 't1.pcap', data: SSL3 }, { name: 't2.pcap.gz', data: gzipSync(FAILURE) }]));
    writeFileSync(
      path.join(dir, 'archive.tgz'),
      gzipSync(tar([{ name: 'g/g1.pcap', data: FAILURE }, { name: 'g/notes', data: Buffer.from('nothing') }, { name: 'g/g2.pcap', data: TLS12 }])),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(jobs: number): Promise<Seen[]> {
    const plan = await planInputs([dir]);
    const events: Seen[] = [];
    await runBatch(plan, { jobs, settings }, async (e) => {
      events.push(seen(e));
    });
    return events;
  }

  it('turns every input into a capture, a skipped file or an error, in input order', async () => {
    const events = await run(1);
    const rel = (s: Seen) =>
      `${s.type} ${path.relative(dir, s.name.split('!')[0])}${s.name.includes('!') ? '!' + s.name.split('!')[1] : ''}: ${s.detail.startsWith('read errors: ') ? 'READ ERRORS' : s.detail}`;
    const corrupt = events.find((e) => e.name.endsWith('!corrupt.pcap'));
    expect(corrupt?.detail).to.match(/^read errors: .*(absurd|captured length|record)/i);
    expect(events.find((e) => e.name.endsWith('!crc.pcap'))?.detail).to.match(/CRC-32 is 0x[0-9a-f]{8} where the archive says 0x12345678: the member is corrupt/);
    expect(events.map(rel)).to.deep.equal([
      'capture a.pcap: 22 frames, 1 TLS, 0 failed',
      'capture archive.tar!t1.pcap: 252 frames, 3 TLS, 0 failed',
      'capture archive.tar!t2.pcap.gz: 11 frames, 1 TLS, 1 failed',
      'capture archive.tgz!g/g1.pcap: 11 frames, 1 TLS, 1 failed',
      'skipped archive.tgz!g/notes: not a capture',
      'capture archive.tgz!g/g2.pcap: 22 frames, 1 TLS, 0 failed',
      'capture archive.zip!day1/x.pcap: 11 frames, 1 TLS, 1 failed',
      'capture archive.zip!day1/y.pcap: 22 frames, 1 TLS, 0 failed',
      'capture archive.zip!evil.pcap: 22 frames, 1 TLS, 0 failed [unsafe-member-name]',
      'skipped archive.zip!readme.md: not a capture',
      'capture archive.zip!corrupt.pcap: READ ERRORS',
      'capture archive.zip!bomb.pcap: decompression stopped: 1.1 MiB out of 1.1 KiB compressed is more than 200:1 (--max-ratio); this looks like a decompression bomb',
      'capture archive.zip!crc.pcap: READ ERRORS',
      'capture d.pcap.gz: 252 frames, 3 TLS, 0 failed',
      'skipped notes.txt: not a capture',
      'capture sub/b.pcap: 11 frames, 1 TLS, 1 failed',
    ]);
  });

  it('gives the same events, parts and order with worker threads as with one job', async () => {
    const one = await run(1);
    const three = await run(3);
    expect(three).to.deep.equal(one);
    expect(one.filter((e) => e.part).length).to.be.greaterThan(5);
  });

  it('summarises the run: the failing server common to several captures comes first', async () => {
    const plan = await planInputs([dir]);
    const summary = new SummaryBuilder();
    await runBatch(plan, { jobs: 2, settings }, async (e) => {
      if (e.type === 'capture') summary.addCapture(e.result.digest);
      else if (e.type === 'skipped') summary.addSkipped(e.name, e.reason);
      else if (e.type === 'error' || e.type === 'internal') summary.addError(e.name, e.message);
    });
    const s = summary.build();
    expect(s.captures).to.equal(13);
    expect(s.unreadable).to.equal(3);
    expect(s.skipped.map((x) => path.relative(dir, x.name))).to.deep.equal(['archive.tgz!g/notes', 'archive.zip!readme.md', 'notes.txt']);
    expect(s.failingServers[0]).to.deep.include({ server: '74.125.239.37:443', failed: 4, captures: 4, rules: ['no-shared-cipher'] });
    expect(s.rules[0]).to.deep.include({ rule: 'no-shared-cipher', findings: 4, captures: 4, severity: 'error' });
    expect(s.perCapture.map((c) => path.basename(c.file))).to.have.length(13);
  });

  it('streams a tar.gz member by member with a bound per member, and stops the archive at a bomb', async () => {
    const bombDir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-bomb-'));
    try {
      writeFileSync(path.join(bombDir, 'bomb.tgz'), gzipSync(tar([{ name: 'ok.pcap', data: TLS12 }, { name: 'bomb.pcap', data: BOMB }, { name: 'after.pcap', data: TLS12 }])));
      const events: Seen[] = [];
      await runBatch(await planInputs([bombDir]), { jobs: 2, settings }, async (e) => {
        events.push(seen(e));
      });
      expect(events.map((e) => `${e.type} ${path.basename(e.name)}`)).to.deep.equal(['capture bomb.tgz!ok.pcap', 'capture bomb.tgz!bomb.pcap', 'error bomb.tgz']);
      expect(events[1].detail).to.match(/--max-ratio/);
      expect(events[2].detail).to.equal('stopped inside "bomb.pcap": the rest of the archive is not read');
    } finally {
      rmSync(bombDir, { recursive: true, force: true });
    }
  });

  it('does not take large members of a tar.gz that were inflated ahead of their reading for bombs', async () => {
    // Members of random bytes (no compression at all), each larger than the ratio's grace, so small
    // that the whole archive is inflated before the first member is read.
    const noise = (n: number) => {
      const records: Buffer[] = [TLS12.subarray(0, 24)];
      for (let i = 0; i < n; i++) {
        const header = Buffer.alloc(16);
        header.writeUInt32LE(1400, 8);
        header.writeUInt32LE(1400, 12);
        records.push(header, randomBytes(1400));
      }
      return Buffer.concat(records);
    };
    const bigDir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-big-'));
    try {
      writeFileSync(path.join(bigDir, 'big.tgz'), gzipSync(tar([1, 2, 3].map((i) => ({ name: `n${i}.pcap`, data: noise(1100) })))));
      const events: Seen[] = [];
      await runBatch(await planInputs([bigDir]), { jobs: 1, settings }, async (e) => {
        events.push(seen(e));
      });
      expect(events.map((e) => `${e.type} ${path.basename(e.name)}: ${e.detail}`)).to.deep.equal([1, 2, 3].map((i) => `capture big.tgz!n${i}.pcap: 1100 frames, 0 TLS, 0 failed`));
    } finally {
      rmSync(bigDir, { recursive: true, force: true });
    }
  });

  it('stops at the size limit whatever the ratio', async () => {
    const plan = await planInputs([path.join(dir, 'd.pcap.gz')]);
    const events: Seen[] = [];
    await runBatch(plan, { jobs: 1, settings: { ...settings, limits: { maxBytes: 10_000, maxRatio: 1000 } } }, async (e) => {
      events.push(seen(e));
    });
    expect(events[0].detail).to.match(/^decompression stopped at .*: more than the limit of 9\.8 KiB per member \(--max-decompressed\)$/);
  });
});
