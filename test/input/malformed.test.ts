// Captures that are not what they claim: each gives its exact message and byte offset, and
// every frame that could be read before the trouble is still delivered.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { CaptureError } from '../../src/input/frame.js';
import { CORPUS } from '../support/paths.js';
import {
  corpusRecords, enhancedPacket, interfaceDescription, pcapFile, pcapngBlock, pcapRecord, sectionHeader,
} from './builders.js';
import { collect, rejection } from './collect.js';

const TLS12 = path.join(CORPUS, 'tls1.2.pcap');
const tls12 = readFileSync(TLS12);
const { records } = corpusRecords(TLS12);
/** Byte offset of each record of tls1.2.pcap, and of its end. */
const recordOffsets = records.reduce<number[]>((acc, r) => [...acc, acc[acc.length - 1] + 16 + r.data.length], [24]);

function expectCaptureError(err: Error & { offset?: number }, message: string, offset: number | undefined): void {
  expect(err).to.be.instanceOf(CaptureError);
  expect(err.message).to.equal(message);
  expect(err.offset).to.equal(offset);
}

describe('capture input: malformed captures', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-bad-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  function file(name: string, bytes: Uint8Array): string {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  }

  describe('that cannot be read at all (readCapture rejects)', () => {
    it('an empty file', async () => {
      expectCaptureError(await rejection(file('empty.pcap', Buffer.alloc(0))), 'empty file', 0);
    });

    it('a stream that ends without a byte, promptly', async () => {
      expectCaptureError(await rejection(Readable.from([])), 'empty file', 0);
    });

    it('garbage: an HTML page', async () => {
      const html = Buffer.from('<!DOCTYPE html><html><body>404</body></html>');
      expectCaptureError(await rejection(file('page.pcap', html)), 'not a capture file (unknown magic 0x3c21444f at byte 0)', 0);
    });

    it('a bad magic, one bit away from pcap', async () => {
      const bad = Buffer.from(tls12);
      bad[0] ^= 0x01;
      expectCaptureError(await rejection(file('bad-magic.pcap', bad)), 'not a capture file (unknown magic 0xd5c3b2a1 at byte 0)', 0);
    });

    it('a file too short to hold a magic', async () => {
      expectCaptureError(await rejection(file('three.pcap', Buffer.from([0xd4, 0xc3, 0xb2]))), 'not a capture file (only 3 bytes)', 0);
    });

    it('a known format this tool does not read, named with advice', async () => {
      const snoop = Buffer.concat([Buffer.from('snoop\0\0\0'), Buffer.alloc(8)]);
      expectCaptureError(await rejection(file('x.snoop', snoop)),
        'not a capture file this tool reads: a Sun snoop capture (RFC 1761) (magic 0x736e6f6f at byte 0); convert it with editcap -F pcapng', 0);
    });

    for (const nanoseconds of [false, true]) {
      it(`a truncated ${nanoseconds ? 'nanosecond ' : ''}pcap file header`, async () => {
        const bytes = pcapFile([], { nanoseconds }).subarray(0, 10);
        expectCaptureError(await rejection(file('short-header.pcap', bytes)), 'truncated pcap file header (24 bytes needed, 10 present)', 0);
      });

      it(`an unsupported pcap version, which pcap-parser would accept${nanoseconds ? ' (nanosecond)' : ''}`, async () => {
        const bytes = pcapFile(records.slice(0, 2), { nanoseconds, versionMajor: 1, versionMinor: 4 });
        expectCaptureError(await rejection(file('v1.pcap', bytes)), 'unsupported pcap version 1.4 at byte 4 (this tool reads version 2.4)', 4);
      });
    }

    it('a pcapng whose first section header is cut', async () => {
      const shb = sectionHeader(true).subarray(0, 20);
      expectCaptureError(await rejection(file('cut-shb.pcapng', shb)), 'truncated pcapng section header block (28 bytes needed, 20 present)', 0);
    });

    it('a pcapng section header with a bad byte-order magic', async () => {
      const shb = Buffer.from(sectionHeader(true));
      shb.writeUInt32LE(0x1a2b3c4e, 8);
      expectCaptureError(await rejection(file('bom.pcapng', shb)),
        'pcapng section header block at byte 0: unknown byte-order magic 0x4e3c2b1a', 0);
    });

    it('a pcapng whose first section header lengths disagree', async () => {
      const shb = Buffer.from(sectionHeader(false));
      shb.writeUInt32BE(32, shb.length - 4);
      expectCaptureError(await rejection(file('shb-len.pcapng', shb)), 'pcapng block at byte 0: total length 28 at start but 32 at end', 0);
    });

    it('a missing file, a directory, an unreadable stream: a plain message, no stack', async () => {
      expectCaptureError(await rejection(path.join(dir, 'no-such.pcap')), 'no such file or directory', undefined);
      const sub = path.join(dir, 'a-directory');
      mkdirSync(sub);
      expectCaptureError(await rejection(sub), 'is a directory, not a file', undefined);
      const denied = new Readable({
        read() { this.destroy(Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' })); },
      });
      expectCaptureError(await rejection(denied), 'permission denied', undefined);
    });

    it('gzip data that is not deflate data', async () => {
      const junk = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not deflate data at all')]);
      expectCaptureError(await rejection(file('junk.pcap.gz', junk)), 'corrupt gzip data (unknown compression method)', undefined);
    });

    it('gzip of garbage', async () => {
      const gz = gzipSync(Buffer.from('<!DOCTYPE html><html><body>404</body></html>'));
      expectCaptureError(await rejection(file('page.gz', gz)),
        'not a capture file (unknown magic 0x3c21444f at byte 0 of the decompressed data)', 0);
    });
  });

  describe('that end early or go bad after the header (readCapture resolves with the frames before)', () => {
    it('a last record cut short', async () => {
      const at = recordOffsets[21];
      const { frames, info } = await collect(file('cut.pcap', tls12.subarray(0, at + 16 + 20)));
      expect(records[21].data.length).to.be.greaterThan(20);
      expect(frames).to.have.length(21);
      expect(info.problems).to.deep.equal([{
        severity: 'error', code: 'truncated', offset: at,
        message: `capture truncated at byte ${at} after frame 21 (record header says ${records[21].data.length} bytes, 20 present)`,
      }]);
    });

    it('a file cut inside a record header', async () => {
      const at = recordOffsets[5];
      const { frames, info } = await collect(file('cut-header.pcap', tls12.subarray(0, at + 5)));
      expect(frames).to.have.length(5);
      expect(info.problems.map((p) => p.message)).to.deep.equal([
        `capture truncated at byte ${at} after frame 5 (record header cut: 16 bytes needed, 5 present)`,
      ]);
    });

    for (const nanoseconds of [false, true]) {
      it(`an absurd record length (over 256 MiB) in a ${nanoseconds ? 'nanosecond' : 'microsecond'} pcap`, async () => {
        const head = pcapFile(records.slice(0, 2), { nanoseconds });
        const bytes = Buffer.concat([head, pcapRecord(records[2], true, 0xfffffff0), pcapRecord(records[3])]);
        const { frames, info } = await collect(Readable.from([bytes]));
        expect(frames).to.have.length(2);
        expect(info.problems).to.deep.equal([{
          severity: 'error', code: 'absurd-length', offset: head.length,
          message: `absurd record length at byte ${head.length} after frame 2: captured length 4294967280 exceeds 256 MiB`,
        }]);
      });

      it(`a record longer than both the snaplen and libpcap's maximum (${nanoseconds ? 'nanosecond' : 'microsecond'})`, async () => {
        const bytes = Buffer.concat([pcapFile([], { nanoseconds, snaplen: 65535 }), pcapRecord(records[0], true, 300_000)]);
        const { frames, info } = await collect(Readable.from([bytes]));
        expect(frames).to.deep.equal([]);
        expect(info.problems).to.deep.equal([{
          severity: 'error', code: 'corrupt-record', offset: 24,
          message: 'corrupt record header at byte 24 before the first frame: captured length 300000 exceeds 262144 bytes '
            + "(the larger of the snapshot length 65535 and libpcap's maximum 262144)",
        }]);
      });
    }

    it('a record above the snaplen but within libpcap\'s maximum for its link type (D-Bus: 128 MiB)', async () => {
      const message = { seconds: 1, subsecond: 2, data: Buffer.alloc(300_000, 7), originalLength: 300_000 };
      const { frames, info } = await collect(Readable.from([pcapFile([message], { snaplen: 65535, linkType: 231 })]));
      expect(frames.map((f) => f.capturedLength)).to.deep.equal([300_000]);
      expect(info.problems).to.deep.equal([]);
    });

    it('a record up to the snaplen when the snaplen is above libpcap\'s maximum', async () => {
      const big = { seconds: 1, subsecond: 2, data: Buffer.alloc(300_000, 7), originalLength: 300_000 };
      const { frames, info } = await collect(Readable.from([pcapFile([big], { snaplen: 524_288 })]));
      expect(frames.map((f) => f.capturedLength)).to.deep.equal([300_000]);
      expect(info.problems).to.deep.equal([]);
    });

    describe('pcapng', () => {
      const pkt = Buffer.alloc(40, 0x42);
      const head = Buffer.concat([sectionHeader(true), interfaceDescription({ linkType: 1 }, true), enhancedPacket(0, 5n, pkt, 40, true)]);

      it('a block whose total lengths disagree', async () => {
        const bad = Buffer.from(enhancedPacket(0, 6n, pkt, 40, true));
        bad.writeUInt32LE(bad.length + 4, bad.length - 4);
        const { frames, info } = await collect(Readable.from([Buffer.concat([head, bad, enhancedPacket(0, 7n, pkt, 40, true)])]));
        expect(frames).to.have.length(1);
        expect(info.problems).to.deep.equal([{
          severity: 'error', code: 'bad-block', offset: head.length,
          message: `pcapng block at byte ${head.length}: total length 72 at start but 76 at end`,
        }]);
      });

      for (const [length, fault] of [
        [70, 'total length 70 is not a multiple of 4'],
        [8, 'total length 8 is less than 12'],
        [0x1000_0004, 'total length 268435460 exceeds 256 MiB'],
      ] as const) {
        it(`a block with an impossible total length: ${fault}`, async () => {
          const bad = Buffer.from(pcapngBlock(0x0bad, Buffer.alloc(8), true));
          bad.writeUInt32LE(length, 4);
          const { frames, info } = await collect(Readable.from([Buffer.concat([head, bad])]));
          expect(frames).to.have.length(1);
          expect(info.problems.map((p) => [p.message, p.offset])).to.deep.equal([[`pcapng block at byte ${head.length}: ${fault}`, head.length]]);
        });
      }

      it('a last block cut short', async () => {
        const last = enhancedPacket(0, 6n, pkt, 40, true);
        const { frames, info } = await collect(Readable.from([Buffer.concat([head, last.subarray(0, 30)])]));
        expect(frames).to.have.length(1);
        expect(info.problems).to.deep.equal([{
          severity: 'error', code: 'truncated', offset: head.length,
          message: `capture truncated at byte ${head.length} after frame 1 (block header says 72 bytes, 30 present)`,
        }]);
      });

      it('a packet longer than its block', async () => {
        const bad = Buffer.from(enhancedPacket(0, 6n, pkt, 40, true));
        bad.writeUInt32LE(41, 20);
        const { info } = await collect(Readable.from([Buffer.concat([head, bad])]));
        expect(info.problems.map((p) => p.message)).to.deep.equal([
          `pcapng enhanced packet block at byte ${head.length}: captured length 41 does not fit in a block of 72 bytes`,
        ]);
      });
    });

    it('gzip data cut short: the frames inflated before the cut are kept', async () => {
      const capture = readFileSync(path.join(CORPUS, 'ssl.v3.pcap'));
      const gz = gzipSync(capture);
      const whole = await collect(Readable.from([capture]));
      const { frames, info } = await collect(file('cut.pcap.gz', gz.subarray(0, gz.length >> 1)));
      expect(frames.length).to.be.greaterThan(50);
      expect(frames).to.deep.equal(whole.frames.slice(0, frames.length));
      expect(info.compressed).to.equal(true);
      expect(info.problems).to.deep.equal([{
        severity: 'error', code: 'gzip-truncated', offset: info.bytesRead,
        message: `gzip data ends early (unexpected end of file) after frame ${frames.length}, at byte ${info.bytesRead} of the decompressed data`,
      }]);
    });

    it('a stream that fails after the header: a read-error problem, frames kept', async () => {
      const failing = new Readable({
        read() {
          this.push(tls12.subarray(0, recordOffsets[3]));
          this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
        },
      });
      const { frames, info } = await collect(failing);
      expect(frames).to.have.length(3);
      expect(info.problems).to.deep.equal([{
        severity: 'error', code: 'read-error', offset: recordOffsets[3],
        message: `input/output error after frame 3, at byte ${recordOffsets[3]}`,
      }]);
    });
  });
});
