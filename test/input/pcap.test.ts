// Classic pcap in both byte orders and both timestamp resolutions, built from a corpus capture.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { CORPUS } from '../support/paths.js';
import { chunkedStream, corpusRecords, pcapFile } from './builders.js';
import type { TestRecord } from './builders.js';
import { collect } from './collect.js';
import type { CollectedFrame } from './collect.js';

const TLS12 = path.join(CORPUS, 'tls1.2.pcap');
const { records, snaplen, linkType } = corpusRecords(TLS12);

/** The frames a reader must produce from `recs`, with sub-seconds in nanoseconds. */
function expectedFrames(recs: readonly TestRecord[], nanosPerTick: number, lt = linkType): CollectedFrame[] {
  return recs.map((r, i) => ({
    number: i + 1, seconds: r.seconds, nanos: r.subsecond * nanosPerTick, linkType: lt,
    hex: Buffer.from(r.data).toString('hex'), capturedLength: r.data.length, originalLength: r.originalLength,
  }));
}

/** The corpus records with nanosecond sub-seconds whose last three digits are not zero. */
const nsRecords: TestRecord[] = records.map((r, i) => ({ ...r, subsecond: r.subsecond * 1000 + ((i * 137 + 1) % 1000) }));

describe('capture input: classic pcap', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-pcap-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  function file(name: string, bytes: Uint8Array): string {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  }

  it('reads the little-endian microsecond corpus file with microsecond times made nanoseconds', async () => {
    const { frames, info } = await collect(TLS12);
    expect(frames).to.deep.equal(expectedFrames(records, 1000));
    expect(info.format).to.equal('pcap');
    expect(info.linkTypes).to.deep.equal([1]);
  });

  it('reads the same capture written big-endian, frame for frame', async () => {
    const p = file('be.pcap', pcapFile(records, { littleEndian: false, snaplen, linkType }));
    const { frames, info } = await collect(p);
    expect(frames).to.deep.equal(expectedFrames(records, 1000));
    expect(info.format).to.equal('pcap');
    expect(info.problems).to.deep.equal([]);
  });

  for (const littleEndian of [true, false]) {
    it(`reads nanosecond pcap written ${littleEndian ? 'little' : 'big'}-endian, nanoseconds preserved`, async () => {
      const p = file(`ns-${littleEndian}.pcap`, pcapFile(nsRecords, { nanoseconds: true, littleEndian, snaplen, linkType }));
      const { frames, info } = await collect(p);
      expect(frames).to.deep.equal(expectedFrames(nsRecords, 1));
      expect(frames[0].nanos % 1000).to.not.equal(0);
      expect(info.format).to.equal('pcap-ns');
      expect(info.firstTime).to.equal(nsRecords[0].seconds + nsRecords[0].subsecond / 1e9);
      expect(info.problems).to.deep.equal([]);
    });
  }

  for (const [name, bytes] of [
    ['microsecond', pcapFile(records, { littleEndian: false, snaplen, linkType })],
    ['nanosecond', pcapFile(nsRecords, { nanoseconds: true, snaplen, linkType })],
  ] as const) {
    it(`gives the same frames whatever the chunking of a ${name} stream (1 byte, odd sizes, big)`, async () => {
      const whole = await collect(Readable.from([bytes]));
      for (const sizes of [[1], [7, 1, 13, 2, 100], [4096]]) {
        const { frames, info } = await collect(chunkedStream(bytes, sizes));
        expect(frames).to.deep.equal(whole.frames);
        expect(info.problems).to.deep.equal([]);
        expect(info.bytesRead).to.equal(bytes.length);
      }
    });
  }

  for (const nanoseconds of [false, true]) {
    it(`delivers a ${nanoseconds ? 'nanosecond' : 'microsecond'} record of 200000 bytes arriving in 1000-byte chunks intact`, async () => {
      const big = Buffer.alloc(200_000, 0xab);
      big.writeUInt32BE(0xdeadbeef, 199_996);
      const recs: TestRecord[] = [records[0], { seconds: 7, subsecond: 8, data: big, originalLength: 200_000 }, records[1]];
      const { frames, info } = await collect(chunkedStream(pcapFile(recs, { nanoseconds, snaplen: 262_144 }), [1000]));
      expect(frames.map((f) => f.capturedLength)).to.deep.equal([records[0].data.length, 200_000, records[1].data.length]);
      expect(frames[1].hex).to.equal(big.toString('hex'));
      expect(info.problems).to.deep.equal([]);
    });
  }

  it('delivers snaplen-cut frames whole and reports them in one note naming the first and the count', async () => {
    const cut = records.map((r, i) => (i === 2 || i === 4 ? { ...r, data: r.data.subarray(0, 60) } : r));
    const { frames, info, reported } = await collect(Readable.from([pcapFile(cut, { snaplen: 60 })]));
    expect(frames).to.have.length(records.length);
    expect(frames[2]).to.include({ capturedLength: 60, originalLength: records[2].originalLength });
    const note = {
      severity: 'note', code: 'snaplen-cut', frame: 3,
      message: `2 frames were cut short by the snapshot length (first: frame 3, 60 of ${records[2].originalLength} bytes captured)`,
    };
    expect(info.problems).to.deep.equal([note]);
    expect(reported).to.deep.equal([note]);
  });

  it('takes the link type from the low bits of the header field, without the FCS flags (LT_LINKTYPE)', async () => {
    const { frames, info } = await collect(Readable.from([pcapFile(records.slice(0, 1), { linkType: 0x1400_0001 })]));
    expect(info.linkTypes).to.deep.equal([1]);
    expect(frames[0].linkType).to.equal(1);
  });

  it('carries a sub-second field of a second or more into the seconds', async () => {
    const odd: TestRecord = { ...records[0], seconds: 100, subsecond: 1_500_000 };
    const { frames } = await collect(Readable.from([pcapFile([odd])]));
    expect(frames[0]).to.include({ seconds: 101, nanos: 500_000_000 });
  });

  it('resolves with no frames and no problem for a header with no records', async () => {
    const { frames, info } = await collect(Readable.from([pcapFile([], { linkType: 113 })]));
    expect(frames).to.deep.equal([]);
    expect(info).to.deep.include({ packets: 0, firstTime: null, lastTime: null, linkTypes: [113], problems: [] });
  });
});
