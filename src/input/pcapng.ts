// pcapng (draft-ietf-opsawg-pcapng): sections in either byte order, interfaces each with their own
// link type and timestamp units, and the three packet-carrying blocks. Blocks of other types
// (name resolution, statistics, secrets, custom) are checked for length and skipped; those that
// Wireshark numbers as frames use up a frame number.
import { ByteQueue } from './byte-queue.js';
import { readU16, readU32 } from './bytes.js';
import type { CaptureReader } from './capture-reader.js';
import { CaptureError } from './frame.js';
import { byteOrderOf, hex32 } from './magic.js';
import {
  BLOCK_HEADER_LENGTH, BlockType, MIN_DECRYPTION_SECRETS_LENGTH, MIN_ENHANCED_PACKET_LENGTH, SECRETS_TYPE_TLS_KEY_LOG, MIN_OBSOLETE_PACKET_LENGTH,
  MIN_SECTION_HEADER_LENGTH, MIN_SIMPLE_PACKET_LENGTH, NUMBERED_NON_PACKET_BLOCKS, blockLengthFault, blockName, decodeInterface,
  sectionHeaderFault,
} from './pcapng-blocks.js';
import type { PcapngInterface } from './pcapng-blocks.js';
import type { TimeParts } from './pcapng-time.js';
import { truncationProblem } from './read-state.js';
import type { ReadState } from './read-state.js';

/** The range of an ECMAScript Date, in seconds either side of 1970 (ECMA-262 §21.4.1.22). */
const MAX_DATE_SECONDS = 8.64e12;

/** Offsets inside the Enhanced Packet Block (§4.3) and the obsolete Packet Block (Appendix A): same layout after the interface ID. */
const PACKET_TS_HIGH = 12;
const PACKET_TS_LOW = 16;
const PACKET_CAPTURED = 20;
const PACKET_ORIGINAL = 24;
const PACKET_DATA = 28;
/** Simple Packet Block (§4.4). */
const SIMPLE_ORIGINAL = 8;
const SIMPLE_DATA = 12;

export class PcapngReader implements CaptureReader {
  private readonly state: ReadState;
  private readonly queue = new ByteQueue();
  private littleEndian = true;
  private interfaces: PcapngInterface[] = [];
  private readonly time: TimeParts = { seconds: 0, nanos: 0 };

  constructor(state: ReadState) {
    this.state = state;
  }

  push(chunk: Buffer): void {
    if (this.state.stopped) return;
    this.queue.push(chunk);
    this.walkBlocks();
  }

  end(): void {
    if (this.state.stopped) return;
    const q = this.queue;
    const left = q.available;
    if (left === 0) return;
    const claimed = this.peekLength();
    if (!this.state.headerRead) {
      const needed = Math.max(claimed ?? 0, MIN_SECTION_HEADER_LENGTH);
      this.state.fail(new CaptureError(
        `truncated pcapng section header block (${needed} bytes needed, ${left} present)`, 0));
      return;
    }
    this.state.stop(truncationProblem(q.offset, this.state.lastFrame, 'block', claimed, left, BLOCK_HEADER_LENGTH));
  }

  /** The total length the next block claims, when its header is complete and readable. */
  private peekLength(): number | null {
    const q = this.queue;
    if (!q.ensure(BLOCK_HEADER_LENGTH)) return null;
    if (readU32(q.buf, q.pos, this.littleEndian) === BlockType.SectionHeader) {
      if (!q.ensure(12)) return null;
      const order = byteOrderOf(q.buf.readUInt32BE(q.pos + 8));
      return order === null ? null : readU32(q.buf, q.pos + 4, order);
    }
    return readU32(q.buf, q.pos + 4, this.littleEndian);
  }

  private walkBlocks(): void {
    const q = this.queue;
    while (!this.state.stopped) {
      if (!q.ensure(BLOCK_HEADER_LENGTH)) return;
      const start = q.offset;
      const type = readU32(q.buf, q.pos, this.littleEndian);
      if (type === BlockType.SectionHeader) {
        // The section's byte order is known only from its own header (§4.1).
        if (!q.ensure(12)) return;
        const bigEndianMagic = q.buf.readUInt32BE(q.pos + 8);
        const order = byteOrderOf(bigEndianMagic);
        if (order === null) {
          this.corrupt(start, `pcapng section header block at byte ${start}: unknown byte-order magic ${hex32(bigEndianMagic)}`);
          return;
        }
        this.littleEndian = order;
      }
      const length = readU32(q.buf, q.pos + 4, this.littleEndian);
      const lengthFault = blockLengthFault(length);
      if (lengthFault !== null) {
        this.corrupt(start, `pcapng block at byte ${start}: ${lengthFault}`);
        return;
      }
      if (!q.ensure(length)) return;
      const trailer = readU32(q.buf, q.pos + length - 4, this.littleEndian);
      if (trailer !== length) {
        this.corrupt(start, `pcapng block at byte ${start}: total length ${length} at start but ${trailer} at end`);
        return;
      }
      const fault = type === BlockType.DecryptionSecrets ? this.secrets(q.buf, q.pos, length, start) : this.decodeBlock(type, q.buf, q.pos, length);
      if (fault !== null) {
        this.corrupt(start, `pcapng ${blockName(type)} at byte ${start}: ${fault}`);
        return;
      }
      q.skip(length);
    }
  }

  /** Decodes one whole block; returns what is wrong with it, or null. */
  private decodeBlock(type: number, buf: Buffer, at: number, length: number): string | null {
    switch (type) {
      case BlockType.EnhancedPacket:
        if (length < MIN_ENHANCED_PACKET_LENGTH) return `total length ${length} is too short (${MIN_ENHANCED_PACKET_LENGTH})`;
        return this.packet(readU32(buf, at + 8, this.littleEndian), buf, at, length);
      case BlockType.ObsoletePacket:
        if (length < MIN_OBSOLETE_PACKET_LENGTH) return `total length ${length} is too short (${MIN_OBSOLETE_PACKET_LENGTH})`;
        return this.packet(readU16(buf, at + 8, this.littleEndian), buf, at, length);
      case BlockType.SimplePacket:
        return this.simplePacket(buf, at, length);
      case BlockType.InterfaceDescription: {
        const described = decodeInterface(buf, at, length, this.littleEndian);
        if (typeof described === 'string') return described;
        this.interfaces.push(described);
        this.state.declareLinkType(described.linkType);
        return null;
      }
      case BlockType.SectionHeader: {
        const fault = sectionHeaderFault(buf, at, length, this.littleEndian);
        if (fault !== null) return fault;
        // Interface IDs are numbered afresh in every section (§4.2).
        this.interfaces = [];
        this.state.headerRead = true;
        return null;
      }
      default: {
        const numbered = NUMBERED_NON_PACKET_BLOCKS.get(type);
        if (numbered !== undefined) this.state.skipFrame(numbered);
        return null;
      }
    }
  }

  /**
   * Decryption Secrets Block (§4.7): a TLS key log goes to the reader's owner; other secrets types
   * (WireGuard, ZigBee, ...) are not tlsdiag's and are passed over.
   */
  private secrets(buf: Buffer, at: number, length: number, offset: number): null {
    // Never a reason to stop reading: a block too short for its header, or of another secrets type, is passed over.
    if (length < MIN_DECRYPTION_SECRETS_LENGTH) return null;
    const secretsType = readU32(buf, at + 8, this.littleEndian);
    if (secretsType !== SECRETS_TYPE_TLS_KEY_LOG || this.state.onSecrets === null) return null;
    // A secrets length that overruns the block gives what the block holds (the key log says what it can use).
    const secretsLength = Math.min(readU32(buf, at + 12, this.littleEndian), length - MIN_DECRYPTION_SECRETS_LENGTH);
    this.state.onSecrets(buf.toString('latin1', at + 16, at + 16 + secretsLength), offset);
    return null;
  }

  /** Enhanced and obsolete Packet Blocks: same fields after the interface ID. */
  private packet(interfaceId: number, buf: Buffer, at: number, length: number): string | null {
    const le = this.littleEndian;
    const iface = this.interfaces[interfaceId];
    if (iface === undefined) {
      return `interface ${interfaceId} is not described (the section has ${this.interfaces.length})`;
    }
    const captured = readU32(buf, at + PACKET_CAPTURED, le);
    const room = length - PACKET_DATA - 4;
    if (captured > room) return `captured length ${captured} does not fit in a block of ${length} bytes`;
    iface.scale.convert(readU32(buf, at + PACKET_TS_HIGH, le), readU32(buf, at + PACKET_TS_LOW, le), this.time);
    const data = buf.subarray(at + PACKET_DATA, at + PACKET_DATA + captured);
    const seconds = this.time.seconds + iface.offsetSeconds;
    if (seconds > MAX_DATE_SECONDS || seconds < -MAX_DATE_SECONDS) this.state.timeBeyondDates();
    this.state.frame(iface.linkType, seconds, this.time.nanos, data,
      readU32(buf, at + PACKET_ORIGINAL, le));
    return null;
  }

  /**
   * Simple Packet Block: no interface ID (interface 0), no timestamp (frames get time 0), and no
   * captured length: it is the original length cut to interface 0's snaplen (§4.4).
   */
  private simplePacket(buf: Buffer, at: number, length: number): string | null {
    if (length < MIN_SIMPLE_PACKET_LENGTH) return `total length ${length} is too short (${MIN_SIMPLE_PACKET_LENGTH})`;
    const iface = this.interfaces[0];
    if (iface === undefined) return 'no interface is described before it';
    const original = readU32(buf, at + SIMPLE_ORIGINAL, this.littleEndian);
    const captured = iface.snaplen === 0 ? original : Math.min(original, iface.snaplen);
    if (captured > length - SIMPLE_DATA - 4) return `packet of ${captured} bytes does not fit in a block of ${length} bytes`;
    this.state.frame(iface.linkType, 0, 0, buf.subarray(at + SIMPLE_DATA, at + SIMPLE_DATA + captured), original);
    return null;
  }

  /** A block that cannot be right: before the first section is read, the capture is unreadable. */
  private corrupt(offset: number, message: string): void {
    if (this.state.headerRead) this.state.stop({ severity: 'error', code: 'bad-block', message, offset });
    else this.state.fail(new CaptureError(message, offset));
  }
}
