// A layer of bytes (stage.ts): chunks delivered before a failure are not lost with it; bounds end it.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Stage, peekHead } from '../../src/input/stage.js';
import { ExpansionLimitError, checkExpansion, parseSize } from '../../src/input/expansion.js';
import { capture } from './builders.js';

const TLS12 = capture('tls1.2.pcap');

/** Reads a stream as readCapture does (its async iterator), returning the bytes and the error. */
async function read(stream: Readable): Promise<{ bytes: Buffer; error: Error | null }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stream) parts.push(chunk as Buffer);
    return { bytes: Buffer.concat(parts), error: null };
  } catch (err) {
    return { bytes: Buffer.concat(parts), error: err as Error };
  }
}

describe('batch: a stage of bytes', () => {
  it('passes every byte through, in order', async () => {
    const chunks = [TLS12.subarray(0, 100), TLS12.subarray(100, 5000), TLS12.subarray(5000)];
    const { bytes, error } = await read(new Stage([Readable.from(chunks)]));
    expect(error).to.equal(null);
    expect(bytes.equals(TLS12)).to.equal(true);
  });

  it('delivers what was inflated before the data broke off, then the error', async () => {
    // Random bytes do not compress, so 60% of the gzip data is about 60% of them.
    const big = randomBytes(400_000);
    const gz = gzipSync(big);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const { bytes, error } = await read(new Stage([Readable.from([cut]), createGunzip({ chunkSize: 16 * 1024 })]));
    expect(error?.message).to.equal('unexpected end of file');
    // All but the chunk zlib was filling when the input ended.
    expect(bytes.length).to.be.greaterThan(big.length * 0.6 - 32 * 1024);
    expect(bytes.equals(big.subarray(0, bytes.length))).to.equal(true);
  });

  it('ends with the error a hook raises, and keeps it as its failure', async () => {
    let seen = 0;
    const stage = new Stage([Readable.from([Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10)])], {
      inspect: (chunk) => ((seen += chunk.length) > 15 ? new ExpansionLimitError('too much') : null),
    });
    const { bytes, error } = await read(stage);
    expect(bytes.length).to.equal(10);
    expect(error).to.be.instanceOf(ExpansionLimitError);
    expect(stage.failure?.message).to.equal('too much');
  });

  it('runs the last check at the end of the input', async () => {
    const stage = new Stage([Readable.from([Buffer.alloc(5)])], { finish: () => new Error('short') });
    const { bytes, error } = await read(stage);
    expect(bytes.length).to.equal(5);
    expect(error?.message).to.equal('short');
  });

  it('peeks at the first bytes without taking them, also from a stream that has ended', async () => {
    const { head, stream } = await peekHead(new Stage([Readable.from([TLS12.subarray(0, 1), TLS12.subarray(1)])]), 4);
    expect([...head.subarray(0, 4)]).to.deep.equal([0xd4, 0xc3, 0xb2, 0xa1]);
    expect((await read(stream)).bytes.equals(TLS12)).to.equal(true);
    const tiny = await peekHead(Readable.from([Buffer.from([1, 2])]), 4);
    expect([...tiny.head]).to.deep.equal([1, 2]);
    expect([...(await read(tiny.stream)).bytes]).to.deep.equal([1, 2]);
  });
});

describe('batch: expansion bounds', () => {
  it('allows a small member that compresses well, stops a ratio past the bound or a size past the limit', () => {
    const limits = { maxBytes: 1 << 30, maxRatio: 100 };
    expect(checkExpansion(900 * 1024, 10, limits)).to.equal(null);
    expect(checkExpansion(2 << 20, 1 << 20, limits)).to.equal(null);
    expect(checkExpansion(2 << 20, 1000, limits)?.message).to.match(/more than 100:1 \(--max-ratio\)/);
    expect(checkExpansion((1 << 30) + 1, 1 << 30, limits)?.message).to.match(/limit of 1\.0 GiB per member \(--max-decompressed\)/);
  });

  it('reads sizes as the options take them', () => {
    expect(parseSize('64G')).to.equal(64 * 1024 ** 3);
    expect(parseSize('1.5m')).to.equal(1.5 * 1024 ** 2);
    expect(parseSize('100000')).to.equal(100000);
    expect(parseSize('12 parsecs')).to.equal(null);
    expect(parseSize('0')).to.equal(null);
  });
});
