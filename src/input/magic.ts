// Recognising a capture by its first bytes, never by its file name.
import type { CaptureFormat } from './frame.js';

/** What the first bytes of a file say it is. */
export type CaptureMagic = 'pcap' | 'pcap-ns' | 'pcapng' | 'gzip';

/** Classic pcap, microsecond timestamps (draft-ietf-opsawg-pcap §4); written in the writer's byte order. */
export const PCAP_MAGIC = 0xa1b2c3d4;
/** Classic pcap, nanosecond timestamps (draft-ietf-opsawg-pcap §4). */
export const PCAP_NS_MAGIC = 0xa1b23c4d;
/** pcapng Section Header Block type, a palindrome so that it reads the same in both byte orders
 *  (draft-ietf-opsawg-pcapng §4.1). */
export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;
/** pcapng byte-order magic inside the Section Header Block (draft-ietf-opsawg-pcapng §4.1). */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** The first four bytes as a big-endian number, for matching and for messages. */
export function magicNumber(bytes: Uint8Array): number {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

/** `0x3c21444f`: a magic number as the messages print it. */
export function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/** The capture format whose magic opens `firstBytes` (four bytes needed), or null. */
export function captureFormatOf(firstBytes: Uint8Array): CaptureFormat | null {
  if (firstBytes.length < 4) return null;
  const magic = magicNumber(firstBytes);
  if (magic === PCAP_MAGIC || magic === swap32(PCAP_MAGIC)) return 'pcap';
  if (magic === PCAP_NS_MAGIC || magic === swap32(PCAP_NS_MAGIC)) return 'pcap-ns';
  if (magic === PCAPNG_SHB_TYPE) return 'pcapng';
  return null;
}

/**
 * Magic-byte sniffing: 'gzip' needs two bytes, the capture formats four. For pcapng, when twelve
 * or more bytes are given, the byte-order magic must match too, since the block type alone
 * (CR LF LF CR) can open a text file.
 */
export function sniffCaptureMagic(firstBytes: Uint8Array): CaptureMagic | null {
  // RFC 1952 §2.3.1: ID1 = 31, ID2 = 139.
  if (firstBytes.length >= 2 && firstBytes[0] === 0x1f && firstBytes[1] === 0x8b) return 'gzip';
  const format = captureFormatOf(firstBytes);
  if (format !== 'pcapng' || firstBytes.length < 12) return format;
  return byteOrderOf(magicNumber(firstBytes.subarray(8, 12))) === null ? null : 'pcapng';
}

/** The byte order a pcapng byte-order magic (read big-endian) declares: true for little-endian. */
export function byteOrderOf(bigEndianMagic: number): boolean | null {
  if (bigEndianMagic === PCAPNG_BYTE_ORDER_MAGIC) return false;
  if (bigEndianMagic === swap32(PCAPNG_BYTE_ORDER_MAGIC)) return true;
  return null;
}

/**
 * Files people send instead of a capture this tool reads, by their leading bytes, so that the
 * message can say what the file is and what to do. Each entry names where its magic is defined.
 */
const KNOWN_OTHER_FORMATS: readonly { readonly prefix: readonly number[]; readonly what: string; readonly advice: string }[] = [
  // libpcap sf-pcap.c KUZNETZOV_TCPDUMP_MAGIC, both byte orders (24-byte record headers).
  { prefix: [0xa1, 0xb2, 0xcd, 0x34], what: 'a modified-libpcap (Kuznetsov) capture', advice: 'convert it with editcap -F pcapng' },
  { prefix: [0x34, 0xcd, 0xb2, 0xa1], what: 'a modified-libpcap (Kuznetsov) capture', advice: 'convert it with editcap -F pcapng' },
  // RFC 1761 §3: "snoop\0\0\0".
  { prefix: [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00], what: 'a Sun snoop capture (RFC 1761)', advice: 'convert it with editcap -F pcapng' },
  // Microsoft Network Monitor 2.x capture file signature "GMBU".
  { prefix: [0x47, 0x4d, 0x42, 0x55], what: 'a Microsoft Network Monitor capture', advice: 'convert it with editcap -F pcapng' },
  // bzip2 "BZh"; xz (xz-file-format §2.1.1.1); zstd (RFC 8878 §3.1.1); zip (PKWARE APPNOTE §4.3.7).
  { prefix: [0x42, 0x5a, 0x68], what: 'bzip2-compressed data', advice: 'decompress it first' },
  { prefix: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed data', advice: 'decompress it first' },
  { prefix: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed data', advice: 'decompress it first' },
  { prefix: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive', advice: 'extract it, or give it to batch mode' },
  // RFC 1952 §2.3.1, met only inside gzip data: gzip outside is decompressed before this is asked.
  { prefix: [0x1f, 0x8b], what: 'gzip data inside gzip data', advice: 'decompress the outer layer first' },
];

/**
 * What tshark and Wireshark print instead of saving a capture, by the shape of its first lines: the
 * packet list (`tshark -r`, Wireshark's File > Export Packet Dissections as plain text or CSV), the
 * packet details (`tshark -V`), a hex dump (`tshark -x`), JSON (`tshark -T json`) and PDML.
 */
const TEXT_EXPORTS: readonly { readonly test: RegExp; readonly what: string }[] = [
  { test: /^\s*\d+\s+-?\d+\.\d+\s+\S+\s+(?:→|->)\s+\S+\s+\S+\s+\d+/m, what: 'a packet list printed by tshark' },
  { test: /^"?No\.?"?[ \t,]+"?Time"?[ \t,]+"?Source"?[ \t,]+"?Destination"?/m, what: 'a packet list exported by Wireshark as text' },
  { test: /^Frame \d+: \d+ bytes on wire/m, what: 'packet details printed by tshark -V or exported by Wireshark as text' },
  { test: /^0000  [0-9a-f]{2} [0-9a-f]{2} /m, what: 'a hex dump printed by tshark -x or exported by Wireshark' },
  { test: /^\s*\[\s*\{\s*"_index"\s*:/, what: 'JSON printed by tshark -T json' },
  { test: /^<\?xml[\s\S]{0,400}<pdml/, what: 'PDML printed by tshark -T pdml' },
];

/** The advice for a text export: the capture itself is what tlsdiag (and anyone else) needs. */
const TEXT_ADVICE = 'send the .pcapng or .pcap itself (Wireshark: File > Save As; tcpdump or tshark: -w FILE)';

/** When the first bytes are text printed by tshark or Wireshark: what kind. */
export function textExport(firstBytes: Uint8Array): string | null {
  const head = firstBytes.subarray(0, 2048);
  // Text only: no NUL and no other control bytes but tab, CR and LF.
  for (const b of head) if (b === 0 || (b < 0x20 && b !== 9 && b !== 10 && b !== 13) || b === 0x7f) return null;
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  return TEXT_EXPORTS.find((t) => t.test.test(text))?.what ?? null;
}

/** The message for a file whose first bytes are no capture magic this tool reads. */
export function unknownMagicMessage(firstBytes: Uint8Array, compressed: boolean): string {
  const where = `at byte 0${compressed ? ' of the decompressed data' : ''}`;
  const magic = hex32(magicNumber(firstBytes));
  const exported = textExport(firstBytes);
  if (exported !== null) return `not a capture file: this is text, ${exported} (${where}); ${TEXT_ADVICE}`;
  for (const known of KNOWN_OTHER_FORMATS) {
    if (firstBytes.length >= known.prefix.length && known.prefix.every((b, i) => firstBytes[i] === b)) {
      return `not a capture file this tool reads: ${known.what} (magic ${magic} ${where}); ${known.advice}`;
    }
  }
  return `not a capture file (unknown magic ${magic} ${where})`;
}
