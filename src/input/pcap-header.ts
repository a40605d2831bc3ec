// The 24-byte file header of a classic pcap file (draft-ietf-opsawg-pcap §4): byte order and
// timestamp resolution from the magic, the version, and the link-type field without its flag bits.
// The checks are stricter than pcap-parser's, the reference the tests compare with (it accepts
// versions 1.4 and 5.4, see docs/capture-input.md).
import { CaptureError } from './frame.js';
import { PCAP_MAGIC, PCAP_NS_MAGIC, hex32 } from './magic.js';

export const PCAP_FILE_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;

export interface PcapFileHeader {
  readonly format: 'pcap' | 'pcap-ns';
  readonly littleEndian: boolean;
  /** Largest packet the writer kept (0 in files from writers that did not say). */
  readonly snaplen: number;
  /** LINKTYPE_* of every record, without the FCS flag bits above bit 25 (libpcap's LT_LINKTYPE). */
  readonly linkType: number;
  /** Nanoseconds in one unit of a record's sub-second field: 1000 (microsecond pcap) or 1. */
  readonly nanosPerTick: number;
}

/**
 * Reads and checks the file header at the start of `bytes`. Only version 2.4 is accepted: libpcap
 * also opens 2.0–2.3, whose records may have the captured and original lengths swapped (sf-pcap.c
 * "lengths_swapped"), which this reader does not undo; no writer has produced them since 1998.
 */
export function parsePcapFileHeader(bytes: Uint8Array): PcapFileHeader | CaptureError {
  if (bytes.length < PCAP_FILE_HEADER_LENGTH) {
    return new CaptureError(
      `truncated pcap file header (${PCAP_FILE_HEADER_LENGTH} bytes needed, ${bytes.length} present)`, 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, PCAP_FILE_HEADER_LENGTH);
  const bigEndianMagic = view.getUint32(0, false);
  const littleEndian = bigEndianMagic !== PCAP_MAGIC && bigEndianMagic !== PCAP_NS_MAGIC;
  const magic = view.getUint32(0, littleEndian);
  if (magic !== PCAP_MAGIC && magic !== PCAP_NS_MAGIC) {
    return new CaptureError(`not a capture file (unknown magic ${hex32(bigEndianMagic)} at byte 0)`, 0);
  }
  const major = view.getUint16(4, littleEndian);
  const minor = view.getUint16(6, littleEndian);
  if (major !== 2 || minor !== 4) {
    return new CaptureError(`unsupported pcap version ${major}.${minor} at byte 4 (this tool reads version 2.4)`, 4);
  }
  return {
    format: magic === PCAP_NS_MAGIC ? 'pcap-ns' : 'pcap',
    littleEndian,
    snaplen: view.getUint32(16, littleEndian),
    linkType: view.getUint32(20, littleEndian) & 0x03ff_ffff,
    nanosPerTick: magic === PCAP_NS_MAGIC ? 1 : 1000,
  };
}
