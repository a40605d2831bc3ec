/**
 * Tar headers, decoded from one 512-byte block (POSIX.1-2001 "ustar Interchange Format" and "pax
 * Interchange Format", with the GNU extensions real archives carry: base-256 numbers, long names).
 * Pure: no I/O, never throws on bad bytes. Walking an archive on disk is tar-file.ts; walking a
 * stream (a .tar.gz) is tar-stream.ts.
 */

export const BLOCK = 512;

/** What an entry is, from its typeflag (POSIX ustar typeflag values; GNU 'L', 'K', 'S', 'V', 'D', 'M'). */
export type TarEntryKind =
  | 'file' // '0', NUL (old tar), '7' contiguous file
  | 'hard-link' // '1'
  | 'symlink' // '2'
  | 'device' // '3', '4'
  | 'directory' // '5'
  | 'fifo' // '6'
  | 'pax' // 'x': pax extended header for the next entry
  | 'pax-global' // 'g'
  | 'gnu-long-name' // 'L': the next entry's name
  | 'gnu-long-link' // 'K': the next entry's link name
  | 'gnu-sparse' // 'S'
  | 'other';

export interface TarHeader {
  /** The name as the header holds it (prefix and name joined for ustar); a pax or GNU long name replaces it. */
  readonly name: string;
  readonly kind: TarEntryKind;
  readonly typeflag: string;
  /** Bytes of data after the header (before padding to a block). */
  readonly size: number;
}

export type TarBlock =
  | { readonly type: 'header'; readonly header: TarHeader }
  /** An all-zero block: the end of the archive (POSIX asks for two; one is enough to stop). */
  | { readonly type: 'end' }
  | { readonly type: 'bad'; readonly reason: string };

const KINDS: Readonly<Record<string, TarEntryKind>> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hard-link', '2': 'symlink', '3': 'device', '4': 'device',
  '5': 'directory', '6': 'fifo', x: 'pax', g: 'pax-global', L: 'gnu-long-name', K: 'gnu-long-link', S: 'gnu-sparse',
};

/** Data of `size` bytes, padded to whole blocks. */
export function paddedSize(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** A NUL-terminated text field. */
function text(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString('utf8');
}

/**
 * A numeric field: octal digits (leading spaces, ended by space or NUL), or GNU base-256 when the
 * first byte has its high bit set (big-endian binary in the rest). null when neither.
 */
export function tarNumber(block: Uint8Array, start: number, length: number): number | null {
  const first = block[start];
  if (first & 0x80) {
    if (first === 0xff) return null; // negative: no size or time here may be negative
    let n = first & 0x7f;
    for (let i = 1; i < length; i++) n = n * 256 + block[start + i];
    return Number.isSafeInteger(n) ? n : null;
  }
  let i = start;
  const end = start + length;
  while (i < end && block[i] === 0x20) i++;
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i];
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return null;
    n = n * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? 0 : Number.isSafeInteger(n) ? n : null;
}

/** The header checksum (POSIX ustar "chksum"): the sum of the block's bytes with the field as spaces. */
function checksumMatches(block: Uint8Array, stored: number): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  // Some old tars summed signed chars; accept either, as GNU tar does.
  return stored === unsigned || stored === signed;
}

function isZero(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** One 512-byte block read where a header is expected. */
export function decodeTarHeader(block: Uint8Array): TarBlock {
  if (block.length < BLOCK) return { type: 'bad', reason: 'the archive ends inside a header' };
  if (isZero(block)) return { type: 'end' };
  const stored = tarNumber(block, 148, 8);
  if (stored === null || !checksumMatches(block, stored)) return { type: 'bad', reason: 'a header whose checksum does not match (not a tar header, or corrupt)' };
  const size = tarNumber(block, 124, 12);
  if (size === null) return { type: 'bad', reason: 'a header with an unreadable size field' };
  const typeflag = String.fromCharCode(block[156]);
  const magic = text(block, 257, 6);
  let name = text(block, 0, 100);
  // Only POSIX ustar ("ustar\0") has a prefix there; GNU's "ustar  " keeps times in those bytes.
  if (magic === 'ustar' && block[262] === 0) {
    const prefix = text(block, 345, 155);
    if (prefix.length > 0) name = `${prefix}/${name}`;
  }
  return { type: 'header', header: { name, kind: KINDS[typeflag] ?? 'other', typeflag, size } };
}

/** True when the block is a tar header: a ustar magic or at least a checksum that matches. */
export function looksLikeTar(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  const decoded = decodeTarHeader(block);
  return decoded.type === 'header';
}

/**
 * pax extended header records (POSIX.1-2001 pax "extended header"): `LENGTH KEY=VALUE\n`, LENGTH
 * counting the whole record. Returns the records that decode; stops at the first that does not.
 */
export function decodePaxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at < buf.length) {
    const space = buf.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(buf.toString('latin1', at, space));
    if (!Number.isInteger(length) || length <= space - at + 1 || at + length > buf.length) break;
    const record = buf.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

/** A GNU long name ('L' data): text up to the first NUL. */
export function decodeLongName(data: Uint8Array): string {
  return text(data, 0, data.length);
}

/**
 * What the extension entries before a header say about it: the pax `path` and `size` records, or a
 * GNU long name. Collected while walking, applied to the next real entry, then cleared.
 */
export class TarOverrides {
  name: string | null = null;
  size: number | null = null;

  /** Takes an extension entry's data; true when the entry was one. */
  absorb(kind: TarEntryKind, data: Uint8Array): boolean {
    if (kind === 'pax') {
      const records = decodePaxRecords(data);
      const path = records.get('path');
      if (path !== undefined) this.name = path;
      const size = records.get('size');
      if (size !== undefined && /^\d+$/.test(size) && Number.isSafeInteger(Number(size))) this.size = Number(size);
      return true;
    }
    if (kind === 'gnu-long-name') {
      this.name = decodeLongName(data);
      return true;
    }
    return kind === 'gnu-long-link' || kind === 'pax-global';
  }

  /** The header as the extensions amend it; the overrides are used up. */
  apply(header: TarHeader): TarHeader {
    const out = { ...header, name: this.name ?? header.name, size: this.size ?? header.size };
    this.name = null;
    this.size = null;
    return out;
  }
}

/** Extension entries' data is read into memory; more than this is no real name or pax header. */
export const MAX_EXTENSION_BYTES = 1 << 20;

export function isExtension(kind: TarEntryKind): boolean {
  return kind === 'pax' || kind === 'pax-global' || kind === 'gnu-long-name' || kind === 'gnu-long-link';
}

/** Why a non-file entry is not looked at, or null for a regular file. */
export function notAFile(kind: TarEntryKind, typeflag: string): string | null {
  switch (kind) {
    case 'file':
      return null;
    case 'hard-link':
      return 'a hard link';
    case 'symlink':
      return 'a symbolic link';
    case 'device':
      return 'a device';
    case 'fifo':
      return 'a FIFO';
    case 'gnu-sparse':
      return 'a GNU sparse file (not supported)';
    default:
      return `an entry of type '${typeflag.replace(/[^\x21-\x7e]/g, '?')}'`;
  }
}
