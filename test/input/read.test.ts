// readCapture as a whole: sources, gzip by content, aborting, problem reporting.
import { copyFileSync, createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { readCapture } from '../../src/input/read.js';
import { CORPUS } from '../support/paths.js';
import { collect } from './collect.js';

const TLS12 = path.join(CORPUS, 'tls1.2.pcap');

describe('capture input: readCapture', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-read-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('reads a path and a stream of the same bytes alike', async () => {
    const fromPath = await collect(TLS12);
    const fromStream = await collect(Readable.from([readFileSync(TLS12)]));
    expect(fromStream.frames).to.deep.equal(fromPath.frames);
    expect(fromStream.info).to.deep.equal(fromPath.info);
  });

  it('recognises gzip by its bytes, not its name', async () => {
    const plain = await collect(TLS12);
    const gzNamedPcap = path.join(dir, 'really-gzip.pcap');
    writeFileSync(gzNamedPcap, gzipSync(readFileSync(TLS12)));
    const pcapNamedGz = path.join(dir, 'really-plain.pcap.gz');
    copyFileSync(TLS12, pcapNamedGz);
    const a = await collect(gzNamedPcap);
    const b = await collect(pcapNamedGz);
    expect(a.frames).to.deep.equal(plain.frames);
    expect(a.info).to.deep.include({ compressed: true, bytesRead: 8601, format: 'pcap' });
    expect(b.frames).to.deep.equal(plain.frames);
    expect(b.info.compressed).to.equal(false);
  });

  it('reads a gzip stream of several members as one capture', async () => {
    const bytes = readFileSync(TLS12);
    const twoMembers = Buffer.concat([gzipSync(bytes.subarray(0, 1000)), gzipSync(bytes.subarray(1000))]);
    const { frames, info } = await collect(Readable.from([twoMembers]));
    expect(frames).to.have.length(22);
    expect(info.problems).to.deep.equal([]);
  });

  it('rejects at once when the signal is already aborted, without calling the sink', async () => {
    let calls = 0;
    const controller = new AbortController();
    controller.abort();
    const err = await readCapture(TLS12, () => { calls++; }, { signal: controller.signal }).then(() => null, (e: Error) => e);
    expect(err?.name).to.equal('AbortError');
    expect(calls).to.equal(0);
  });

  it('stops delivering at the frame during which the signal was aborted, and rejects', async () => {
    const controller = new AbortController();
    const numbers: number[] = [];
    const err = await readCapture(TLS12, (f) => {
      numbers.push(f.number);
      if (f.number === 5) controller.abort();
    }, { signal: controller.signal }).then(() => null, (e: Error) => e);
    expect(err?.name).to.equal('AbortError');
    expect(numbers).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it('rejects when aborted while waiting for a stream that never sends', async () => {
    const controller = new AbortController();
    const silent = new Readable({ read() { /* never pushes */ } });
    setTimeout(() => controller.abort(), 20);
    const err = await readCapture(silent, () => undefined, { signal: controller.signal }).then(() => null, (e: Error) => e);
    expect(err?.name).to.equal('AbortError');
    expect(silent.destroyed).to.equal(true);
  });

  it('passes an exception thrown by the sink through as the rejection, also for gzip data', async () => {
    const boom = new Error('sink failed');
    for (const source of [TLS12, Readable.from([gzipSync(readFileSync(TLS12))])]) {
      const err = await readCapture(source, (f) => { if (f.number === 3) throw boom; }).then(() => null, (e: Error) => e);
      expect(err).to.equal(boom);
    }
  });

  for (const gzip of [false, true]) {
    it(`leaves a caller's ${gzip ? 'gzip ' : ''}stream undestroyed when the reading stops early, so it can be drained`, async () => {
      const head = readFileSync(TLS12).subarray(0, 294); // file header and 3 records
      const absurd = Buffer.alloc(16);
      absurd.writeUInt32LE(0xffff_fff0, 8);
      // Incompressible filler, so that the gzip'd file too is far from read when the reading stops.
      const filler = Buffer.alloc(3 << 20);
      for (let i = 0, x = 1; i < filler.length; i++) filler[i] = (x = (x * 1_103_515_245 + 12_345) >>> 0) >>> 24;
      const plain = Buffer.concat([head, absurd, filler]);
      const bytes = gzip ? gzipSync(plain) : plain;
      const p = path.join(dir, gzip ? 'stops-early.pcap.gz' : 'stops-early.pcap');
      writeFileSync(p, bytes);
      let seen = 0;
      const counting = new PassThrough({ transform(chunk: Buffer, _e, done) { seen += chunk.length; done(null, chunk); } });
      createReadStream(p).pipe(counting);
      const { frames, info } = await collect(counting);
      expect(frames).to.have.length(3);
      expect(info.problems.map((x) => x.code)).to.deep.equal(['absurd-length']);
      expect(counting.destroyed).to.equal(false);
      await new Promise<void>((resolve) => { counting.on('end', resolve); counting.resume(); });
      expect(seen).to.equal(bytes.length);
    });
  }

  it('hands a view of the file bytes to the sink, in file order, with frames numbered from 1', async () => {
    const bytes = readFileSync(TLS12);
    let at = 24;
    let expected = 1;
    await readCapture(TLS12, (f) => {
      expect(f.number).to.equal(expected++);
      expect(Buffer.from(f.data).equals(bytes.subarray(at + 16, at + 16 + f.capturedLength))).to.equal(true);
      at += 16 + f.capturedLength;
    });
    expect(at).to.equal(bytes.length);
  });
});
