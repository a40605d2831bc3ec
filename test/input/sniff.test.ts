// Recognising captures by their first bytes, as batch mode does.
import { expect } from 'chai';
import { sniffCaptureMagic } from '../../src/input/read.js';
import { pcapFileHeader, sectionHeader } from './builders.js';

describe('capture input: sniffCaptureMagic', () => {
  it('tells classic pcap, nanosecond pcap and pcapng apart in both byte orders', () => {
    expect(sniffCaptureMagic(pcapFileHeader({ littleEndian: true }))).to.equal('pcap');
    expect(sniffCaptureMagic(pcapFileHeader({ littleEndian: false }))).to.equal('pcap');
    expect(sniffCaptureMagic(pcapFileHeader({ nanoseconds: true, littleEndian: true }))).to.equal('pcap-ns');
    expect(sniffCaptureMagic(pcapFileHeader({ nanoseconds: true, littleEndian: false }))).to.equal('pcap-ns');
    expect(sniffCaptureMagic(sectionHeader(true))).to.equal('pcapng');
    expect(sniffCaptureMagic(sectionHeader(false))).to.equal('pcapng');
  });

  it('needs only the four magic bytes', () => {
    expect(sniffCaptureMagic(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1))).to.equal('pcap');
    expect(sniffCaptureMagic(Uint8Array.of(0x4d, 0x3c, 0xb2, 0xa1))).to.equal('pcap-ns');
    expect(sniffCaptureMagic(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a))).to.equal('pcapng');
  });

  it('recognises gzip from two bytes, whatever follows', () => {
    expect(sniffCaptureMagic(Uint8Array.of(0x1f, 0x8b))).to.equal('gzip');
    expect(sniffCaptureMagic(Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0x00))).to.equal('gzip');
  });

  it('says null for text, other formats, and too few bytes', () => {
    expect(sniffCaptureMagic(Buffer.from('<!DOCTYPE html>'))).to.equal(null);
    expect(sniffCaptureMagic(Buffer.from('PK\x03\x04rest', 'latin1'))).to.equal(null);
    expect(sniffCaptureMagic(Uint8Array.of(0xa1, 0xb2, 0xcd, 0x34))).to.equal(null);
    expect(sniffCaptureMagic(Uint8Array.of(0xd4, 0xc3, 0xb2))).to.equal(null);
    expect(sniffCaptureMagic(Uint8Array.of(0x1f))).to.equal(null);
    expect(sniffCaptureMagic(new Uint8Array(0))).to.equal(null);
  });

  it('rejects CR LF LF CR followed by anything but a byte-order magic, once twelve bytes are given', () => {
    expect(sniffCaptureMagic(Buffer.from('\r\n\n\rsome text here', 'latin1'))).to.equal(null);
  });
});
