// Capture files made in memory for the tests: classic pcap in both byte orders and both
// timestamp resolutions, pcapng block by block, and the records of a corpus capture to fill them.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

export interface TestRecord {
  readonly seconds: number;
  /** Microseconds or nanoseconds, as the file's magic says. */
  readonly subsecond: number;
  readonly data: Uint8Array;
  readonly originalLength: number;
}

/**
 * The records of a little-endian microsecond pcap, read with a plain loop that shares nothing with
 * the readers under test (every corpus file is such a pcap).
 */
export function corpusRecords(path: string): { snaplen: number; linkType: number; records: TestRecord[] } {
  const file = readFileSync(path);
  if (file.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian microsecond pcap`);
  const records: TestRecord[] = [];
  for (let at = 24; at < file.length;) {
    const captured = file.readUInt32LE(at + 8);
    records.push({
      seconds: file.readUInt32LE(at),
      subsecond: file.readUInt32LE(at + 4),
      data: file.subarray(at + 16, at + 16 + captured),
      originalLength: file.readUInt32LE(at + 12),
    });
    at += 16 + captured;
  }
  return { snaplen: file.readUInt32LE(16), linkType: file.readUInt32LE(20), records };
}

export interface PcapOptions {
  readonly nanoseconds?: boolean;
  readonly littleEndian?: boolean;
  readonly snaplen?: number;
  readonly linkType?: number;
  readonly versionMajor?: number;
  readonly versionMinor?: number;
}

function u16(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(v); else b.writeUInt16BE(v);
  return b;
}

function u32(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(v >>> 0); else b.writeUInt32BE(v >>> 0);
  return b;
}

export function pcapFileHeader(o: PcapOptions = {}): Buffer {
  const le = o.littleEndian ?? true;
  return Buffer.concat([
    u32(o.nanoseconds === true ? 0xa1b23c4d : 0xa1b2c3d4, le),
    u16(o.versionMajor ?? 2, le), u16(o.versionMinor ?? 4, le),
    u32(0, le), u32(0, le),
    u32(o.snaplen ?? 65535, le), u32(o.linkType ?? 1, le),
  ]);
}

export function pcapRecord(r: TestRecord, le = true, capturedLength = r.data.length): Buffer {
  return Buffer.concat([u32(r.seconds, le), u32(r.subsecond, le), u32(capturedLength, le), u32(r.originalLength, le), r.data]);
}

export function pcapFile(records: readonly TestRecord[], o: PcapOptions = {}): Buffer {
  const le = o.littleEndian ?? true;
  return Buffer.concat([pcapFileHeader(o), ...records.map((r) => pcapRecord(r, le))]);
}

// pcapng (draft-ietf-opsawg-pcapng): every block is type, total length, body padded to 4, total length.

function pad4(b: Uint8Array): Buffer {
  const padded = Buffer.alloc((b.length + 3) & ~3);
  padded.set(b);
  return padded;
}

export function pcapngBlock(type: number, body: Uint8Array, le: boolean, trailerLength?: number): Buffer {
  const padded = pad4(body);
  const length = 12 + padded.length;
  return Buffer.concat([u32(type, le), u32(length, le), padded, u32(trailerLength ?? length, le)]);
}

export function pcapngOption(code: number, value: Uint8Array, le: boolean): Buffer {
  return Buffer.concat([u16(code, le), u16(value.length, le), pad4(value)]);
}

const END_OF_OPTIONS = (le: boolean): Buffer => Buffer.concat([u16(0, le), u16(0, le)]);

export function sectionHeader(le: boolean): Buffer {
  const body = Buffer.concat([u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]);
  return pcapngBlock(0x0a0d0d0a, body, le);
}

export interface InterfaceOptions {
  readonly linkType: number;
  readonly snaplen?: number;
  /** if_tsresol byte: 6 = 10^-6 (also the default when absent), 9 = 10^-9, 0x8a = 2^-10. */
  readonly tsresol?: number;
  /** if_tsoffset, seconds. */
  readonly tsoffset?: bigint;
}

export function interfaceDescription(o: InterfaceOptions, le: boolean): Buffer {
  const options: Buffer[] = [];
  if (o.tsresol !== undefined) options.push(pcapngOption(9, Buffer.from([o.tsresol]), le));
  if (o.tsoffset !== undefined) {
    const v = Buffer.alloc(8);
    if (le) v.writeBigInt64LE(o.tsoffset); else v.writeBigInt64BE(o.tsoffset);
    options.push(pcapngOption(14, v, le));
  }
  if (options.length > 0) options.push(END_OF_OPTIONS(le));
  return pcapngBlock(1, Buffer.concat([u16(o.linkType, le), u16(0, le), u32(o.snaplen ?? 0, le), ...options]), le);
}

/** The 64-bit timestamp count split as the blocks store it. */
export function splitCount(count: bigint): [number, number] {
  return [Number(count >> 32n), Number(count & 0xffffffffn)];
}

export function enhancedPacket(iface: number, count: bigint, data: Uint8Array, originalLength: number, le: boolean): Buffer {
  const [high, low] = splitCount(count);
  return pcapngBlock(6, Buffer.concat([u32(iface, le), u32(high, le), u32(low, le), u32(data.length, le), u32(originalLength, le), pad4(data)]), le);
}

export function obsoletePacket(iface: number, count: bigint, data: Uint8Array, originalLength: number, le: boolean): Buffer {
  const [high, low] = splitCount(count);
  return pcapngBlock(2, Buffer.concat([u16(iface, le), u16(0, le), u32(high, le), u32(low, le), u32(data.length, le), u32(originalLength, le), pad4(data)]), le);
}

export function simplePacket(data: Uint8Array, originalLength: number, le: boolean): Buffer {
  return pcapngBlock(3, Buffer.concat([u32(originalLength, le), pad4(data)]), le);
}

/** A stream delivering `bytes` in chunks of the given sizes, cycling through them. */
export function chunkedStream(bytes: Uint8Array, sizes: readonly number[]): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    chunks.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  return Readable.from(chunks);
}
