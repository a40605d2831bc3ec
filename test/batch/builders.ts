// Archives made in memory for the tests, with writers that share nothing with the readers under test
// (PKWARE APPNOTE zip, POSIX ustar/pax tar; gzip from node:zlib). No system zip or tar binary.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { CORPUS } from '../support/paths.js';

export const capture = (name: string): Buffer => readFileSync(path.join(CORPUS, name));

export interface ZipEntrySpec {
  readonly name: string;
  readonly data: Uint8Array;
  readonly method?: 'stored' | 'deflated' | number;
  /** Sizes and CRC after the data (general purpose flag bit 3), not in the local header. */
  readonly descriptor?: boolean;
  /** Sizes (and offset) in zip64 extra fields. */
  readonly zip64?: boolean;
  readonly encrypted?: boolean;
  /** A CRC-32 to write instead of the real one. */
  readonly crc?: number;
  /** Compressed bytes to write instead of the real ones (a corrupt member). */
  readonly compressed?: Uint8Array;
}

export interface ZipOptions {
  /** Write the central directory and end record (false: a zip cut before its index). */
  readonly central?: boolean;
  /** zip64 end of central directory records. */
  readonly zip64End?: boolean;
  /** Central entries whose local header offset is replaced (to build overlapping members). */
  readonly offsets?: Readonly<Record<number, number>>;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

export function zip(entries: readonly ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const method = e.method === undefined || e.method === 'deflated' ? 8 : e.method === 'stored' ? 0 : e.method;
    const data = Buffer.from(e.data);
    const compressed = e.compressed ? Buffer.from(e.compressed) : method === 8 ? deflateRawSync(data) : data;
    const crc = e.crc ?? crc32(data);
    const name = Buffer.from(e.name, 'utf8');
    const flags = (e.descriptor ? 8 : 0) | (e.encrypted ? 1 : 0) | 0x800;
    const localExtra = e.zip64 ? Buffer.concat([u16(1), u16(16), u64(data.length), u64(compressed.length)]) : Buffer.alloc(0);
    const local = Buffer.concat([
      u32(0x04034b50), u16(e.zip64 ? 45 : 20), u16(flags), u16(method), u16(0), u16(0),
      u32(e.descriptor ? 0 : crc),
      u32(e.descriptor ? 0 : e.zip64 ? 0xffffffff : compressed.length),
      u32(e.descriptor ? 0 : e.zip64 ? 0xffffffff : data.length),
      u16(name.length), u16(localExtra.length), name, localExtra,
    ]);
    const descriptor = e.descriptor
      ? Buffer.concat([u32(0x08074b50), u32(crc), ...(e.zip64 ? [u64(compressed.length), u64(data.length)] : [u32(compressed.length), u32(data.length)])])
      : Buffer.alloc(0);
    const headerOffset = options.offsets?.[i] ?? offset;
    const centralExtra = e.zip64 ? Buffer.concat([u16(1), u16(24), u64(data.length), u64(compressed.length), u64(headerOffset)]) : Buffer.alloc(0);
    central.push(
      Buffer.concat([
        u32(0x02014b50), u16(20), u16(e.zip64 ? 45 : 20), u16(flags), u16(method), u16(0), u16(0), u32(crc),
        u32(e.zip64 ? 0xffffffff : compressed.length), u32(e.zip64 ? 0xffffffff : data.length),
        u16(name.length), u16(centralExtra.length), u16(0), u16(0), u16(0), u32(0),
        u32(e.zip64 ? 0xffffffff : headerOffset), name, centralExtra,
      ]),
    );
    parts.push(local, compressed, descriptor);
    offset += local.length + compressed.length + descriptor.length;
  });
  if (options.central === false) return Buffer.concat(parts);
  const directory = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (options.zip64End) {
    const end64Offset = offset + directory.length;
    tail.push(
      Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(entries.length), u64(entries.length), u64(directory.length), u64(offset)]),
      Buffer.concat([u32(0x07064b50), u32(0), u64(end64Offset), u32(1)]),
      Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(0xffff), u16(0xffff), u32(0xffffffff), u32(0xffffffff), u16(0)]),
    );
  } else {
    tail.push(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(directory.length), u32(offset), u16(0)]));
  }
  return Buffer.concat([...parts, directory, ...tail]);
}

export interface TarEntrySpec {
  readonly name: string;
  readonly data?: Uint8Array;
  /** Typeflag; '0' (a regular file) when absent. */
  readonly type?: string;
  /** pax records written in an 'x' entry before this one. */
  readonly pax?: Readonly<Record<string, string>>;
  /** Write the name in a GNU 'L' entry before this one. */
  readonly gnuLongName?: boolean;
  /** Size field in GNU base-256. */
  readonly base256Size?: boolean;
  /** Break the header checksum. */
  readonly badChecksum?: boolean;
}

function field(block: Buffer, at: number, length: number, text: string): void {
  block.write(text.slice(0, length), at, length, 'utf8');
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(name: string, size: number, type: string, options: { base256?: boolean; badChecksum?: boolean; prefix?: string } = {}): Buffer {
  const block = Buffer.alloc(512);
  field(block, 0, 100, name);
  field(block, 100, 8, octal(0o644, 8));
  field(block, 108, 8, octal(0, 8));
  field(block, 116, 8, octal(0, 8));
  if (options.base256) {
    block[124] = 0x80;
    block.writeUIntBE(size, 124 + 12 - 6, 6);
  } else {
    field(block, 124, 12, octal(size, 12));
  }
  field(block, 136, 12, octal(1_700_000_000, 12));
  block[156] = type.charCodeAt(0);
  field(block, 257, 6, 'ustar\0');
  field(block, 263, 2, '00');
  if (options.prefix) field(block, 345, 155, options.prefix);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  field(block, 148, 8, octal(options.badChecksum ? sum + 1 : sum, 7) + ' ');
  return block;
}

function padded(data: Buffer): Buffer {
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([data, Buffer.alloc(pad)]);
}

function paxRecords(records: Readonly<Record<string, string>>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let length = body.length + 1;
    while (String(length).length + body.length !== length) length = String(length).length + body.length;
    out += `${length}${body}`;
  }
  return Buffer.from(out, 'utf8');
}

export function tar(entries: readonly TarEntrySpec[], options: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? new Uint8Array(0));
    if (e.pax) {
      const records = paxRecords(e.pax);
      parts.push(tarHeader('PaxHeaders/x', records.length, 'x'), padded(records));
    }
    if (e.gnuLongName) {
      const name = Buffer.from(e.name + '\0', 'utf8');
      parts.push(tarHeader('././@LongLink', name.length, 'L'), padded(name));
    }
    parts.push(tarHeader(e.name, data.length, e.type ?? '0', { base256: e.base256Size, badChecksum: e.badChecksum }), padded(data));
  }
  if (options.end !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A ustar header with the name split into prefix and name (POSIX ustar). */
export function tarWithPrefix(prefix: string, name: string, data: Uint8Array): Buffer {
  return Buffer.concat([tarHeader(name, data.length, '0', { prefix }), padded(Buffer.from(data)), Buffer.alloc(1024)]);
}
