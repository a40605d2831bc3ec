// Zip archives: the structures (APPNOTE) decoded from bytes, and listing a zip on disk, whole or cut.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { decodeCentralEntry, decodeLocalHeader, descriptorAt, findEndRecord, matchDataDescriptor } from '../../src/batch/zip.js';
import { listZip } from '../../src/batch/zip-file.js';
import type { ArchiveListing } from '../../src/batch/archive.js';
import { capture, tar, zip } from './builders.js';

const TLS12 = capture('tls1.2.pcap');
const SSL3 = capture('ssl.v3.pcap');

function summary(listing: ArchiveListing): string[] {
  return listing.members.map((m) => (m.type === 'capture' ? `capture ${m.job.name} ${m.job.source.kind === 'range' ? m.job.source.method : ''}` : m.type === 'skipped' ? `skipped ${m.name}: ${m.reason}` : `error ${m.name}: ${m.message}`));
}

describe('batch: zip structures', () => {
  it('finds the end record behind a comment, and not a signature inside the comment', () => {
    const body = zip([{ name: 'a.pcap', data: TLS12 }]);
    const end = body.subarray(body.length - 22);
    // A comment that itself contains an end record signature, which does not reach the file's end.
    const comment = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(30, 0x41)]);
    end.writeUInt16LE(comment.length, 20);
    const file = Buffer.concat([body, comment]);
    const found = findEndRecord(file, 0);
    expect(found).to.include({ offset: body.length - 22, entries: 1, zip64: false });
  });

  it('decodes central and local headers, sizes from zip64 extra fields', () => {
    const file = zip([{ name: 'big.pcap', data: TLS12, zip64: true, method: 'stored' }], { zip64End: true });
    const end = findEndRecord(file, 0)!;
    expect(end.zip64).to.equal(true);
    const local = decodeLocalHeader(file, 0);
    expect(local).to.include({ name: 'big.pcap', method: 0, compressedSize: TLS12.length, size: TLS12.length });
    const directoryOffset = file.length - 22 - 20 - 56 - (46 + 8 + 28);
    const central = decodeCentralEntry(file, directoryOffset);
    expect(central).to.include({ name: 'big.pcap', size: TLS12.length, compressedSize: TLS12.length, localHeaderOffset: 0 });
  });

  it('says why a central header does not decode instead of throwing', () => {
    expect(decodeCentralEntry(Buffer.alloc(10), 0)).to.be.a('string');
    expect(decodeCentralEntry(Buffer.alloc(100), 0)).to.match(/signature/);
    expect(decodeLocalHeader(Buffer.from('PK\x03\x04'), 0)).to.equal('short');
    expect(decodeLocalHeader(Buffer.from('nope'), 0)).to.equal(null);
  });

  it('tells a data descriptor from the same four bytes inside the data by the size it gives', () => {
    const d = Buffer.concat([Buffer.from([0x50, 0x4b, 0x07, 0x08]), Buffer.alloc(4), Buffer.from([100, 0, 0, 0]), Buffer.from([200, 0, 0, 0])]);
    expect(matchDataDescriptor(d, 0, 100)).to.deep.equal({ crc32: 0, compressedSize: 100, size: 200, length: 16 });
    expect(matchDataDescriptor(d, 0, 99)).to.equal(null);
  });

  it('reads a descriptor in whichever layout is followed by the next header', () => {
    const next = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    const unsigned = Buffer.concat([Buffer.from([1, 2, 3, 4]), Buffer.from([10, 0, 0, 0]), Buffer.from([20, 0, 0, 0]), next]);
    expect(descriptorAt(unsigned, 0)).to.deep.equal({ crc32: 0x04030201, compressedSize: 10, size: 20, length: 12 });
    expect(descriptorAt(Buffer.alloc(40), 0)).to.equal(null);
  });
});

describe('batch: listing a zip file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-zip-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('lists captures (stored, deflated, gzip\'d) by their bytes, and skips what is no capture', async () => {
    const p = write('mixed.zip', zip([
      { name: 'dir/a.pcap', data: TLS12, method: 'stored' },
      { name: 'dir/b.cap', data: SSL3, method: 'deflated' },
      { name: 'c.pcap.gz', data: gzipSync(TLS12), method: 'stored' },
      { name: 'README.txt', data: Buffer.from('captures from the customer') },
      { name: 'empty/', data: Buffer.alloc(0), method: 'stored' },
      { name: 'inner.tar', data: tar([{ name: 'x.pcap', data: TLS12 }]) },
    ]));
    const listing = await listZip(p, 'mixed.zip');
    expect(summary(listing)).to.deep.equal([
      'capture mixed.zip!dir/a.pcap stored',
      'capture mixed.zip!dir/b.cap deflated',
      'capture mixed.zip!c.pcap.gz stored',
      'skipped mixed.zip!README.txt: not a capture',
      'skipped mixed.zip!inner.tar: an archive inside an archive (not opened: extract the outer one first)',
    ]);
    expect(listing.error).to.equal(null);
    expect(listing.notes).to.deep.equal([]);
  });

  it('names a member that climbs out of the archive safely, and flags it', async () => {
    const p = write('evil.zip', zip([{ name: '../../etc/cron.d/x.pcap', data: TLS12 }, { name: '/abs/y.pcap', data: TLS12 }]));
    const listing = await listZip(p, 'evil.zip');
    const jobs = listing.members.map((m) => (m.type === 'capture' ? m.job : null));
    expect(jobs.map((j) => j?.name)).to.deep.equal(['evil.zip!etc/cron.d/x.pcap', 'evil.zip!abs/y.pcap']);
    expect(jobs[0]?.notes[0]).to.include({ severity: 'warning', code: 'unsafe-member-name' });
    expect(jobs[0]?.notes[0].message).to.match(/"\.\.\/\.\.\/etc\/cron\.d\/x\.pcap" has "\.\." segments/);
    expect(jobs[1]?.notes[0].message).to.match(/an absolute path/);
  });

  it('says which members it cannot read: encrypted, an unsupported method, overlapping data', async () => {
    const p = write('bad.zip', zip([
      { name: 'secret.pcap', data: TLS12, encrypted: true },
      { name: 'bz.pcap', data: TLS12, method: 12 },
    ]));
    expect(summary(await listZip(p, 'bad.zip'))).to.deep.equal([
      'error bad.zip!secret.pcap: it is encrypted (not supported: extract it with its password)',
      'error bad.zip!bz.pcap: compression method 12 (bzip2) is not supported (only stored and deflated)',
    ]);
    // Two central entries pointing into the same bytes: the construction of an overlapping zip bomb.
    const q = write('overlap.zip', zip([{ name: 'one.pcap', data: TLS12 }, { name: 'two.pcap', data: TLS12 }], { offsets: { 1: 10 } }));
    expect(summary(await listZip(q, 'overlap.zip'))[1]).to.match(/two\.pcap: its data overlaps another member's/);
  });

  it('walks the local headers of a zip cut before its central directory, data descriptors included', async () => {
    const p = write('cut.zip', zip([
      { name: 'a.pcap', data: TLS12, descriptor: true },
      { name: 'b.pcap', data: SSL3, descriptor: true, method: 'stored' },
      { name: 'c.pcap', data: TLS12 },
    ], { central: false }));
    const listing = await listZip(p, 'cut.zip');
    expect(summary(listing)).to.deep.equal(['capture cut.zip!a.pcap deflated', 'capture cut.zip!b.pcap stored', 'capture cut.zip!c.pcap deflated']);
    expect(listing.notes[0]).to.match(/no end of central directory record: members found from their local headers/);
    const b = listing.members[1];
    expect(b.type === 'capture' && b.job.source.kind === 'range' ? b.job.source.length : null).to.equal(SSL3.length);
  });

  it('reads a member cut before its data descriptor to the end of the file, and says the archive is cut', async () => {
    const whole = zip([{ name: 'a.pcap', data: TLS12 }, { name: 'b.pcap', data: SSL3, descriptor: true }], { central: false });
    const p = write('cut-inside.zip', whole.subarray(0, whole.length - 1000));
    const listing = await listZip(p, 'cut-inside.zip');
    expect(summary(listing)).to.deep.equal(['capture cut-inside.zip!a.pcap deflated', 'capture cut-inside.zip!b.pcap deflated']);
    expect(listing.error).to.match(/the archive ends inside "b\.pcap"/);
  });

  it('reads a member whose local header is longer than the first read', async () => {
    const long = `${'n'.repeat(700)}/a.pcap`;
    for (const central of [true, false]) {
      const p = write(`long-${central}.zip`, zip([{ name: long, data: TLS12, method: 'stored' }, { name: 'b.pcap', data: SSL3 }], { central }));
      expect(summary(await listZip(p, 'l.zip'))).to.deep.equal([`capture l.zip!${long} stored`, 'capture l.zip!b.pcap deflated']);
    }
  });

  it('reads a zip64 central directory', async () => {
    const p = write('z64.zip', zip([{ name: 'a.pcap', data: TLS12, zip64: true }], { zip64End: true }));
    expect(summary(await listZip(p, 'z64.zip'))).to.deep.equal(['capture z64.zip!a.pcap deflated']);
  });
});
