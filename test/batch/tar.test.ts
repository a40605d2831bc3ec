// Tar archives: headers (ustar, pax, GNU) decoded from blocks, a tar on disk listed by seeking,
// and a tar streamed member by member.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { decodePaxRecords, decodeTarHeader, tarNumber } from '../../src/batch/tar.js';
import { listTar } from '../../src/batch/tar-file.js';
import { CompressionMarks, walkTarStream, type StreamedEntry } from '../../src/batch/tar-stream.js';
import { DEFAULT_LIMITS } from '../../src/input/expansion.js';
import { capture, tar, tarWithPrefix } from './builders.js';

const TLS12 = capture('tls1.2.pcap');
const SSL3 = capture('ssl.v3.pcap');

/** Consumes a stream and returns its bytes. */
async function bytesOf(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Walks a tar given as bytes in chunks of `chunk` bytes; reads every capture member whole. */
async function walk(bytes: Buffer, chunk = 1000) {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  const seen: { entry: StreamedEntry; data?: Buffer; error?: string }[] = [];
  const result = await walkTarStream(Readable.from(chunks), 'a.tar', { limits: DEFAULT_LIMITS, compressedAt: () => 0 }, async (entry) => {
    if (entry.type !== 'stream') {
      seen.push({ entry });
      return;
    }
    try {
      seen.push({ entry, data: await bytesOf(entry.data) });
    } catch (err) {
      seen.push({ entry, error: (err as Error).message });
    }
  });
  return { result, seen };
}

describe('batch: tar headers', () => {
  it('decodes octal and GNU base-256 numbers', () => {
    expect(tarNumber(Buffer.from('00000012345\0'), 0, 12)).to.equal(0o12345);
    expect(tarNumber(Buffer.from('  17 \0\0\0\0\0\0\0'), 0, 12)).to.equal(0o17);
    const b256 = Buffer.alloc(12);
    b256[0] = 0x80;
    b256.writeUIntBE(10 * 1024 ** 3, 6, 6);
    expect(tarNumber(b256, 0, 12)).to.equal(10 * 1024 ** 3);
    expect(tarNumber(Buffer.from('0009x\0'), 0, 6)).to.equal(null);
  });

  it('reads name, prefix, type and size, and refuses a header whose checksum does not match', () => {
    const block = tarWithPrefix('some/long/prefix', 'x.pcap', TLS12).subarray(0, 512);
    expect(decodeTarHeader(block)).to.deep.equal({ type: 'header', header: { name: 'some/long/prefix/x.pcap', kind: 'file', typeflag: '0', size: TLS12.length } });
    const bad = tar([{ name: 'x', data: TLS12, badChecksum: true }]).subarray(0, 512);
    expect(decodeTarHeader(bad)).to.include({ type: 'bad' });
    expect(decodeTarHeader(Buffer.alloc(512))).to.deep.equal({ type: 'end' });
    expect(decodeTarHeader(Buffer.alloc(100))).to.include({ type: 'bad' });
  });

  it('decodes pax records, counting each record\'s own length', () => {
    const records = decodePaxRecords(Buffer.from('29 path=dir/a very long name\n11 size=42\n'));
    expect([...records]).to.deep.equal([['path', 'dir/a very long name'], ['size', '42']]);
    expect([...decodePaxRecords(Buffer.from('999 path=cut'))]).to.deep.equal([]);
  });
});

describe('batch: listing a tar file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-tar-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every regular file by range, with pax and GNU long names, and skips the rest', async () => {
    const longName = `${'d'.repeat(120)}/capture.pcap`;
    const p = path.join(dir, 'a.tar');
    writeFileSync(p, tar([
      { name: 'dir/', type: '5' },
      { name: 'x.pcap', data: TLS12 },
      { name: 'ignored', data: SSL3, pax: { path: longName } },
      { name: longName.replace('capture', 'other'), data: TLS12, gnuLongName: true },
      { name: 'link.pcap', type: '2' },
      { name: 'notes.txt', data: Buffer.from('hello') },
      { name: 'big.pcap', data: SSL3, base256Size: true },
    ]));
    const listing = await listTar(p, 'a.tar');
    const shown = listing.members.map((m) => (m.type === 'capture' ? `capture ${m.job.name} ${m.job.size}` : `${m.type} ${m.name}`));
    expect(shown).to.deep.equal([
      `capture a.tar!x.pcap ${TLS12.length}`,
      `capture a.tar!${longName} ${SSL3.length}`,
      `capture a.tar!${longName.replace('capture', 'other')} ${TLS12.length}`,
      'skipped a.tar!link.pcap',
      'skipped a.tar!notes.txt',
      `capture a.tar!big.pcap ${SSL3.length}`,
    ]);
    expect(listing.error).to.equal(null);
    const first = listing.members[0];
    expect(first.type === 'capture' && first.job.source).to.deep.equal({ kind: 'range', path: p, start: 1024, length: TLS12.length, method: 'stored', crc32: null });
  });

  it('stops at a corrupt header and says where; notes a missing end marker', async () => {
    const good = tar([{ name: 'a.pcap', data: TLS12 }], { end: false });
    const p = path.join(dir, 'broken.tar');
    writeFileSync(p, Buffer.concat([good, tar([{ name: 'b.pcap', data: TLS12, badChecksum: true }])]));
    const listing = await listTar(p, 'broken.tar');
    expect(listing.members).to.have.length(1);
    expect(listing.error).to.match(/checksum does not match .* at byte \d+: the rest of the archive is not read/);
    const q = path.join(dir, 'noend.tar');
    writeFileSync(q, good);
    expect((await listTar(q, 'noend.tar')).notes).to.deep.equal(['no end-of-archive marker (the tar may be cut short)']);
  });
});

describe('batch: a tar streamed member by member', () => {
  it('hands each capture member over as a stream of exactly its bytes, in order, whatever the chunking', async () => {
    const bytes = tar([{ name: 'a.pcap', data: TLS12 }, { name: 'readme', data: Buffer.from('x') }, { name: 'b.pcap', data: SSL3 }]);
    for (const chunk of [1, 511, 512, 7000, bytes.length]) {
      const { result, seen } = await walk(bytes, chunk);
      expect(result).to.deep.equal({ notes: [], error: null });
      expect(seen.map((s) => (s.entry.type === 'stream' ? s.entry.job.name : s.entry.type))).to.deep.equal(['a.tar!a.pcap', 'skipped', 'a.tar!b.pcap']);
      expect(seen[0].data?.equals(TLS12), `chunk ${chunk}`).to.equal(true);
      expect(seen[2].data?.equals(SSL3), `chunk ${chunk}`).to.equal(true);
    }
  });

  it('ends a member cut short with an error, and says the archive ends inside it', async () => {
    const bytes = tar([{ name: 'a.pcap', data: TLS12 }, { name: 'b.pcap', data: SSL3 }]);
    const { result, seen } = await walk(bytes.subarray(0, 512 + 8704 + 512 + 5000));
    expect(seen[1].error).to.match(/the archive ends inside this member \(5000 of \d+ bytes\)/);
    expect(result.error).to.match(/stopped inside "b\.pcap"/);
  });

  it('stops a member that expands beyond the ratio bound, and the archive with it', async () => {
    const zeros = Buffer.concat([TLS12.subarray(0, 24), Buffer.alloc(3 << 20)]);
    const bytes = tar([{ name: 'bomb.pcap', data: zeros }, { name: 'after.pcap', data: TLS12 }]);
    // As if the tar came out of 1 KiB of gzip for every 1 MiB.
    const seen: string[] = [];
    const result = await walkTarStream(Readable.from([bytes]), 'a.tar', { limits: { maxBytes: 1 << 30, maxRatio: 100 }, compressedAt: (offset) => offset / 1024 }, async (entry) => {
      if (entry.type === 'stream') seen.push(await bytesOf(entry.data).then(() => 'read', (e: Error) => e.message));
    });
    expect(seen).to.have.length(1);
    expect(seen[0]).to.match(/more than 100:1 \(--max-ratio\)/);
    expect(result.error).to.match(/stopped inside "bomb\.pcap": the rest of the archive is not read/);
  });

  it('holds a member that is skipped to the same bounds', async () => {
    const bytes = tar([{ name: 'notes.txt', data: Buffer.alloc(3 << 20, 0x41) }, { name: 'after.pcap', data: TLS12 }]);
    const entries: string[] = [];
    const result = await walkTarStream(Readable.from([bytes]), 'a.tar', { limits: { maxBytes: 1 << 30, maxRatio: 100 }, compressedAt: (offset) => offset / 1024 }, async (entry) => {
      entries.push(entry.type);
      if (entry.type === 'stream') entry.data.resume();
    });
    expect(entries).to.deep.equal(['skipped']);
    expect(result.error).to.match(/^"notes\.txt": decompression stopped: .* more than 100:1 \(--max-ratio\).*: the rest of the archive is not read$/);
  });
});

describe('batch: where inflated bytes came from', () => {
  it('gives the compressed bytes consumed when the chunk holding an offset was inflated', () => {
    const marks = new CompressionMarks();
    marks.note(100, 10);
    marks.note(100, 25);
    marks.note(50, 30);
    expect([0, 99, 100, 199, 200, 249].map((o) => marks.at(o))).to.deep.equal([10, 10, 25, 25, 30, 30]);
  });
});
