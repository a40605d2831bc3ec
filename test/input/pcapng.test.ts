// pcapng: editcap's conversions of corpus captures (samples/pcapng), and files built block by
// block for what editcap does not write: big-endian sections, several sections, interfaces with
// their own link types and timestamp units, simple and obsolete packet blocks, unknown blocks.
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { CORPUS, SAMPLES } from '../support/paths.js';
import {
  chunkedStream, enhancedPacket, interfaceDescription, obsoletePacket, pcapngBlock, sectionHeader, simplePacket,
} from './builders.js';
import { collect } from './collect.js';

const SAMPLE_NAMES = ['tls1.2', 'openjdk-25.0.2-zeek.org', 'tls-1.2-handshake-failure'];

function bytes(n: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));
}

describe('capture input: pcapng', () => {
  for (const name of SAMPLE_NAMES) {
    it(`samples/pcapng/${name}.pcapng gives the frames of the corpus ${name}.pcap`, async () => {
      const ng = await collect(path.join(SAMPLES, 'pcapng', `${name}.pcapng`));
      const classic = await collect(path.join(CORPUS, `${name}.pcap`));
      expect(ng.frames.length).to.be.greaterThan(0);
      expect(ng.frames).to.deep.equal(classic.frames);
      expect(ng.info.format).to.equal('pcapng');
      expect(ng.info.linkTypes).to.deep.equal(classic.info.linkTypes);
      expect(ng.info.firstTime).to.equal(classic.info.firstTime);
      expect(ng.info.lastTime).to.equal(classic.info.lastTime);
      expect(ng.info.problems).to.deep.equal([]);
    });
  }

  describe('a file of two sections in opposite byte orders', () => {
    const eth = bytes(60, 1);
    const raw = bytes(41, 2);
    const sll2 = bytes(80, 3);
    const file = Buffer.concat([
      // Section 1, big-endian.
      sectionHeader(false),
      interfaceDescription({ linkType: 1, snaplen: 64, tsresol: 9 }, false),
      interfaceDescription({ linkType: 101, tsresol: 0x80 | 10, tsoffset: 100n }, false),
      enhancedPacket(0, 1_357_328_848_512_314_123n, eth, 60, false),
      // 1000 s + 512/1024 s at 2^-10, plus if_tsoffset 100 s.
      enhancedPacket(1, 1000n * 1024n + 512n, raw, 1500, false),
      pcapngBlock(4, Buffer.alloc(4), false), // name resolution, only its end record: skipped
      // A custom block (private enterprise number 32767): no packet, but Wireshark numbers it frame 3.
      pcapngBlock(0x0000_0bad, Buffer.concat([Buffer.from([0, 0, 0x7f, 0xff]), bytes(29, 5)]), false),
      pcapngBlock(0x7777_0001, bytes(8, 6), false), // a type nobody knows: skipped, not numbered
      // 100 bytes on the wire, 64 kept: the snaplen of interface 0.
      simplePacket(bytes(100, 7).subarray(0, 64), 100, false),
      obsoletePacket(1, 3n * 1024n + 1n, raw, 41, false),
      // Section 2, little-endian: interface 0 is new, with the default 10^-6 resolution.
      sectionHeader(true),
      interfaceDescription({ linkType: 276 }, true),
      enhancedPacket(0, 1_776_243_128_835_142n, sll2, 80, true),
    ]);

    // tshark 4.0.17 -T fields -e frame.number -e frame.time_epoch -e frame.cap_len -e frame.len on
    // this file: 1 1357328848.512314123 60 60 / 2 1100.500000000 41 1500 / 3 (custom block) /
    // 4 (no time) 64 100 / 5 103.000976562 41 41 / 6 1776243128.835142000 80 80.
    it('delivers the frames numbered as Wireshark numbers them, each with its interface link type and time', async () => {
      const { frames, info } = await collect(Readable.from([file]));
      expect(frames.map((f) => ({ ...f, hex: f.hex.length / 2 }))).to.deep.equal([
        { number: 1, seconds: 1_357_328_848, nanos: 512_314_123, linkType: 1, hex: 60, capturedLength: 60, originalLength: 60 },
        { number: 2, seconds: 1100, nanos: 500_000_000, linkType: 101, hex: 41, capturedLength: 41, originalLength: 1500 },
        { number: 4, seconds: 0, nanos: 0, linkType: 1, hex: 64, capturedLength: 64, originalLength: 100 },
        { number: 5, seconds: 103, nanos: 976_562, linkType: 101, hex: 41, capturedLength: 41, originalLength: 41 },
        { number: 6, seconds: 1_776_243_128, nanos: 835_142_000, linkType: 276, hex: 80, capturedLength: 80, originalLength: 80 },
      ]);
      expect(frames[0].hex).to.equal(eth.toString('hex'));
      expect(frames[2].hex).to.equal(bytes(100, 7).subarray(0, 64).toString('hex'));
      expect(frames[4].hex).to.equal(sll2.toString('hex'));
      expect(info.format).to.equal('pcapng');
      expect(info.linkTypes).to.deep.equal([1, 101, 276]);
      expect(info.bytesRead).to.equal(file.length);
      expect(info.packets).to.equal(5);
      expect(info.problems).to.deep.equal([
        {
          severity: 'note', code: 'non-packet-records', frame: 3,
          message: '1 record that Wireshark numbers as a frame carries no packet; no frame is delivered under its number (first: frame 3, a custom block)',
        },
        {
          severity: 'note', code: 'snaplen-cut', frame: 2,
          message: '2 frames were cut short by the snapshot length (first: frame 2, 41 of 1500 bytes captured)',
        },
      ]);
    });

    it('gives the same frames whatever the chunking of the stream', async () => {
      const whole = await collect(Readable.from([file]));
      for (const sizes of [[1], [3, 5, 7, 11], [64]]) {
        const { frames, info } = await collect(chunkedStream(file, sizes));
        expect(frames).to.deep.equal(whole.frames);
        expect(info.problems).to.deep.equal(whole.info.problems);
      }
    });
  });

  it('numbers interfaces afresh in each section: an interface of an earlier section is not described', async () => {
    const file = Buffer.concat([
      sectionHeader(true),
      interfaceDescription({ linkType: 1 }, true),
      interfaceDescription({ linkType: 1 }, true),
      enhancedPacket(1, 0n, bytes(20, 1), 20, true),
      sectionHeader(true),
      interfaceDescription({ linkType: 1 }, true),
      enhancedPacket(1, 0n, bytes(20, 1), 20, true),
    ]);
    const at = file.length - 52;
    const { frames, info } = await collect(Readable.from([file]));
    expect(frames).to.have.length(1);
    expect(info.problems).to.deep.equal([{
      severity: 'error', code: 'bad-block', offset: at,
      message: `pcapng enhanced packet block at byte ${at}: interface 1 is not described (the section has 1)`,
    }]);
  });

  // tshark 4.0.17 numbers each of these blocks as a frame (SHB, IDB, EPB, the block, EPB gives
  // frames 1, 2, 3), and none of name resolution (4), statistics (5), secrets (0x0a), local (0x80000001).
  for (const [type, what] of [
    [0x0000_0009, 'systemd journal export block'],
    [0x0000_0204, 'Sysdig event block'],
    [0x0000_0216, 'Sysdig event block (version 2)'],
    [0x0000_0221, 'Sysdig event block (version 2, large)'],
    [0x0000_0bad, 'custom block'],
    [0x4000_0bad, 'custom block (not to be copied)'],
    [0x0000_0004, null],
    [0x0000_0005, null],
    [0x0000_000a, null],
    [0x8000_0001, null],
  ] as const) {
    it(`${what === null ? 'skips' : 'uses up a frame number for'} a block of type 0x${type.toString(16)}`, async () => {
      const file = Buffer.concat([
        sectionHeader(true), interfaceDescription({ linkType: 1 }, true), enhancedPacket(0, 1n, bytes(60, 1), 60, true),
        pcapngBlock(type, bytes(64, 2), true), enhancedPacket(0, 2n, bytes(60, 1), 60, true),
      ]);
      const { frames, info } = await collect(Readable.from([file]));
      expect(frames.map((f) => f.number)).to.deep.equal(what === null ? [1, 2] : [1, 3]);
      expect(info.packets).to.equal(2);
      expect(info.problems).to.deep.equal(what === null ? [] : [{
        severity: 'note', code: 'non-packet-records', frame: 2,
        message: `1 record that Wireshark numbers as a frame carries no packet; no frame is delivered under its number (first: frame 2, a ${what})`,
      }]);
    });
  }

  it('takes a simple packet whole when interface 0 has no snaplen (0)', async () => {
    const file = Buffer.concat([sectionHeader(true), interfaceDescription({ linkType: 1, snaplen: 0 }, true), simplePacket(bytes(70, 9), 70, true)]);
    const { frames, info } = await collect(Readable.from([file]));
    expect(frames.map((f) => [f.capturedLength, f.originalLength])).to.deep.equal([[70, 70]]);
    expect(info.problems).to.deep.equal([]);
  });
});
