// pcapng block layouts (draft-ietf-opsawg-pcapng) and the decoding of the blocks that describe
// rather than carry packets. Pure: bytes and offsets in, values or a fault description out.
import { ABSURD_LENGTH } from './limits.js';
import { readU16, readU32 } from './bytes.js';
import { DEFAULT_TSRESOL, TimestampScale } from './pcapng-time.js';

/** Block types, draft-ietf-opsawg-pcapng §4 and Appendix A. */
export const BlockType = {
  /** §4.1 */
  SectionHeader: 0x0a0d0d0a,
  /** §4.2 */
  InterfaceDescription: 0x00000001,
  /** Appendix A: the obsolete Packet Block, which tools still write in old files. */
  ObsoletePacket: 0x00000002,
  /** §4.4 */
  SimplePacket: 0x00000003,
  /** §4.3 */
  EnhancedPacket: 0x00000006,
  /** §4.7: Decryption Secrets Block (editcap --inject-secrets). */
  DecryptionSecrets: 0x0000000a,
} as const;

/** Decryption Secrets Block secrets type of a TLS key log (NSS key log text), §4.7. */
export const SECRETS_TYPE_TLS_KEY_LOG = 0x544c534b;
/** Decryption Secrets Block: type (4), length (4), secrets type (4), secrets length (4), data, trailer (4). */
export const MIN_DECRYPTION_SECRETS_LENGTH = 20;

/**
 * Blocks that carry no packet but that Wireshark numbers as frames (tshark 4.0.17, tried on each
 * type): their numbers must be used up so that later frames keep Wireshark's numbers. Types from
 * the pcapng block type registry (draft-ietf-opsawg-pcapng, "Block Type Codes").
 */
export const NUMBERED_NON_PACKET_BLOCKS: ReadonlyMap<number, string> = new Map([
  [0x0000_0009, 'systemd journal export block'],
  [0x0000_0204, 'Sysdig event block'],
  [0x0000_0216, 'Sysdig event block (version 2)'],
  [0x0000_0221, 'Sysdig event block (version 2, large)'],
  [0x0000_0bad, 'custom block'],
  [0x4000_0bad, 'custom block (not to be copied)'],
]);

/** Every block: type (4), total length (4), body, total length again (4). §3.1 */
export const BLOCK_HEADER_LENGTH = 8;
export const MIN_BLOCK_LENGTH = 12;
/** Shortest well-formed block of each kind, options empty (§4.1–§4.4, Appendix A). */
export const MIN_SECTION_HEADER_LENGTH = 28;
export const MIN_INTERFACE_LENGTH = 20;
export const MIN_ENHANCED_PACKET_LENGTH = 32;
export const MIN_SIMPLE_PACKET_LENGTH = 16;
export const MIN_OBSOLETE_PACKET_LENGTH = 32;

/** Option codes of the Interface Description Block, §4.2. */
const OPT_ENDOFOPT = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** Why a block's total length cannot be right, or null when it can. §3.1: a multiple of 4, at least 12. */
export function blockLengthFault(length: number): string | null {
  if (length < MIN_BLOCK_LENGTH) return `total length ${length} is less than ${MIN_BLOCK_LENGTH}`;
  if (length % 4 !== 0) return `total length ${length} is not a multiple of 4`;
  if (length > ABSURD_LENGTH) return `total length ${length} exceeds 256 MiB`;
  return null;
}

/** Human names of the blocks, for messages. */
export function blockName(type: number): string {
  switch (type) {
    case BlockType.SectionHeader: return 'section header block';
    case BlockType.InterfaceDescription: return 'interface description block';
    case BlockType.ObsoletePacket: return 'packet block';
    case BlockType.SimplePacket: return 'simple packet block';
    case BlockType.EnhancedPacket: return 'enhanced packet block';
    case BlockType.DecryptionSecrets: return 'decryption secrets block';
    default: return 'block';
  }
}

/** One interface of a section: what its packets' link type, snaplen and timestamp units are. */
export interface PcapngInterface {
  readonly linkType: number;
  /** 0 means no limit (§4.2). */
  readonly snaplen: number;
  readonly scale: TimestampScale;
  /** if_tsoffset: seconds added to every timestamp of the interface. */
  readonly offsetSeconds: number;
}

/** Checks a Section Header Block's version: major 1 (§4.1); the minor version is not checked. */
export function sectionHeaderFault(buf: Buffer, at: number, length: number, littleEndian: boolean): string | null {
  if (length < MIN_SECTION_HEADER_LENGTH) return `total length ${length} is too short for a section header (${MIN_SECTION_HEADER_LENGTH})`;
  const major = readU16(buf, at + 12, littleEndian);
  const minor = readU16(buf, at + 14, littleEndian);
  if (major !== 1) return `unsupported pcapng version ${major}.${minor}`;
  return null;
}

/** Decodes an Interface Description Block (§4.2) whose lengths have been checked. */
export function decodeInterface(buf: Buffer, at: number, length: number, littleEndian: boolean): PcapngInterface | string {
  if (length < MIN_INTERFACE_LENGTH) return `total length ${length} is too short for an interface description (${MIN_INTERFACE_LENGTH})`;
  const linkType = readU16(buf, at + 8, littleEndian);
  const snaplen = readU32(buf, at + 12, littleEndian);
  let tsresol = DEFAULT_TSRESOL;
  let offsetSeconds = 0;
  const end = at + length - 4;
  let opt = at + 16;
  while (opt + 4 <= end) {
    const code = readU16(buf, opt, littleEndian);
    const size = readU16(buf, opt + 2, littleEndian);
    if (code === OPT_ENDOFOPT) break;
    const value = opt + 4;
    if (value + size > end) return `option ${code} at byte +${opt - at} runs past the end of the block`;
    if (code === IF_TSRESOL) {
      if (size !== 1) return `if_tsresol option has length ${size}, not 1`;
      tsresol = buf[value];
    } else if (code === IF_TSOFFSET) {
      if (size !== 8) return `if_tsoffset option has length ${size}, not 8`;
      offsetSeconds = Number(littleEndian ? buf.readBigInt64LE(value) : buf.readBigInt64BE(value));
    }
    opt = value + ((size + 3) & ~3);
  }
  return { linkType, snaplen, scale: new TimestampScale(tsresol), offsetSeconds };
}
