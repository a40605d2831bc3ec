/**
 * Zip structures, decoded from bytes at explicit offsets (PKWARE APPNOTE.TXT 6.3.10, cited by
 * section). Pure: no I/O, never throws on bad bytes; a structure that does not decode is null or a
 * reason. Reading the archive (seeking to the central directory, streaming members) is zip-file.ts.
 */

/** APPNOTE §4.3.7 local file header. */
export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
/** APPNOTE §4.3.12 central directory file header. */
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
/** APPNOTE §4.3.16 end of central directory record. */
export const END_SIGNATURE = 0x06054b50;
/** APPNOTE §4.3.14 zip64 end of central directory record. */
export const ZIP64_END_SIGNATURE = 0x06064b50;
/** APPNOTE §4.3.15 zip64 end of central directory locator. */
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
/** APPNOTE §4.3.9.3: the optional signature of a data descriptor. */
export const DESCRIPTOR_SIGNATURE = 0x08074b50;

export const LOCAL_HEADER_LENGTH = 30;
export const CENTRAL_HEADER_LENGTH = 46;
export const END_LENGTH = 22;
export const ZIP64_LOCATOR_LENGTH = 20;
export const ZIP64_END_LENGTH = 56;
/** The end record sits within its own length plus the longest comment (65535) of the file's end. */
export const END_SEARCH_LENGTH = END_LENGTH + 0xffff;

/** APPNOTE §4.4.4 general purpose bit flag. */
export const FLAG_ENCRYPTED = 1 << 0;
export const FLAG_DATA_DESCRIPTOR = 1 << 3;
export const FLAG_UTF8 = 1 << 11;

/** APPNOTE §4.4.5 compression methods: the two read here, and names for the message about the rest. */
export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;
const METHOD_NAMES: Readonly<Record<number, string>> = {
  1: 'shrunk', 2: 'reduced', 3: 'reduced', 4: 'reduced', 5: 'reduced', 6: 'imploded',
  9: 'deflate64', 10: 'PKWARE DCL implode', 12: 'bzip2', 14: 'LZMA', 18: 'IBM TERSE', 19: 'IBM LZ77',
  93: 'Zstandard', 94: 'MP3', 95: 'xz', 96: 'JPEG', 97: 'WavPack', 98: 'PPMd', 99: 'AES encryption',
};

export function methodName(method: number): string {
  if (method === METHOD_STORED) return 'stored';
  if (method === METHOD_DEFLATED) return 'deflated';
  return METHOD_NAMES[method] ?? 'unknown';
}

/** 0xFFFFFFFF (or 0xFFFF for counts) in a field means: the value is in the zip64 extra field. */
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
/** APPNOTE §4.5.3 zip64 extended information extra field. */
const ZIP64_EXTRA_ID = 0x0001;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A 64-bit little-endian length as a number; null beyond 2^53 (no file is that large). */
function u64(v: DataView, at: number): number | null {
  const lo = v.getUint32(at, true);
  const hi = v.getUint32(at + 4, true);
  const n = hi * 2 ** 32 + lo;
  return Number.isSafeInteger(n) ? n : null;
}

export interface EndRecord {
  /** File offset of the end of central directory record. */
  readonly offset: number;
  readonly entries: number;
  readonly directorySize: number;
  readonly directoryOffset: number;
  /** A field holds its "see zip64" value: the zip64 records must be read. */
  readonly zip64: boolean;
}

/**
 * Finds the end of central directory record in the last bytes of a file (`tail`, which starts at
 * file offset `tailOffset`): the last signature whose comment length reaches exactly to the end.
 */
export function findEndRecord(tail: Uint8Array, tailOffset: number): EndRecord | null {
  const v = view(tail);
  for (let at = tail.length - END_LENGTH; at >= 0; at--) {
    if (v.getUint32(at, true) !== END_SIGNATURE) continue;
    const commentLength = v.getUint16(at + 20, true);
    if (at + END_LENGTH + commentLength !== tail.length) continue;
    const entries = v.getUint16(at + 10, true);
    const directorySize = v.getUint32(at + 12, true);
    const directoryOffset = v.getUint32(at + 16, true);
    return {
      offset: tailOffset + at,
      entries,
      directorySize,
      directoryOffset,
      zip64: entries === U16_MAX || directorySize === U32_MAX || directoryOffset === U32_MAX,
    };
  }
  return null;
}

/** APPNOTE §4.3.15: where the zip64 end record is, from the locator just before the end record. */
export function decodeZip64Locator(bytes: Uint8Array): number | null {
  if (bytes.length < ZIP64_LOCATOR_LENGTH) return null;
  const v = view(bytes);
  if (v.getUint32(0, true) !== ZIP64_LOCATOR_SIGNATURE) return null;
  return u64(v, 8);
}

/** APPNOTE §4.3.14: the zip64 end record's counts and offsets. */
export function decodeZip64End(bytes: Uint8Array): { entries: number; directorySize: number; directoryOffset: number } | null {
  if (bytes.length < ZIP64_END_LENGTH) return null;
  const v = view(bytes);
  if (v.getUint32(0, true) !== ZIP64_END_SIGNATURE) return null;
  const entries = u64(v, 32);
  const directorySize = u64(v, 40);
  const directoryOffset = u64(v, 48);
  if (entries === null || directorySize === null || directoryOffset === null) return null;
  return { entries, directorySize, directoryOffset };
}

export interface CentralEntry {
  /** The name's bytes, decoded (UTF-8 when flagged, else as Latin-1: every byte kept). */
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  /** Bytes this header occupies in the central directory. */
  readonly length: number;
}

/** Text of a name field (APPNOTE §4.4.4 bit 11, appendix D). */
export function decodeName(bytes: Uint8Array, flags: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1');
}

/**
 * APPNOTE §4.5.3: the zip64 extra field holds, in this order, only the values whose 32-bit fields
 * are 0xFFFFFFFF: size, compressed size, local header offset.
 */
function zip64Values(
  extra: Uint8Array,
  want: { size: boolean; compressed: boolean; offset: boolean },
): { size?: number; compressed?: number; offset?: number } | null {
  const v = view(extra);
  for (let at = 0; at + 4 <= extra.length;) {
    const id = v.getUint16(at, true);
    const length = v.getUint16(at + 2, true);
    const end = at + 4 + length;
    if (end > extra.length) return null;
    if (id === ZIP64_EXTRA_ID) {
      const out: { size?: number; compressed?: number; offset?: number } = {};
      let p = at + 4;
      for (const key of ['size', 'compressed', 'offset'] as const) {
        if (!want[key]) continue;
        if (p + 8 > end) return null;
        const n = u64(v, p);
        if (n === null) return null;
        out[key] = n;
        p += 8;
      }
      return out;
    }
    at = end;
  }
  return null;
}

/** One central directory header at `at`, or the reason it does not decode. */
export function decodeCentralEntry(bytes: Uint8Array, at: number): CentralEntry | string {
  if (at + CENTRAL_HEADER_LENGTH > bytes.length) return 'the central directory ends inside a header';
  const v = view(bytes);
  if (v.getUint32(at, true) !== CENTRAL_HEADER_SIGNATURE) return `no central directory header signature at byte ${at} of the directory`;
  const flags = v.getUint16(at + 8, true);
  const method = v.getUint16(at + 10, true);
  const crc32 = v.getUint32(at + 16, true);
  let compressedSize = v.getUint32(at + 20, true);
  let size = v.getUint32(at + 24, true);
  const nameLength = v.getUint16(at + 28, true);
  const extraLength = v.getUint16(at + 30, true);
  const commentLength = v.getUint16(at + 32, true);
  let localHeaderOffset = v.getUint32(at + 42, true);
  const length = CENTRAL_HEADER_LENGTH + nameLength + extraLength + commentLength;
  if (at + length > bytes.length) return 'the central directory ends inside a header';
  const nameStart = at + CENTRAL_HEADER_LENGTH;
  const name = decodeName(bytes.subarray(nameStart, nameStart + nameLength), flags);
  const want = { size: size === U32_MAX, compressed: compressedSize === U32_MAX, offset: localHeaderOffset === U32_MAX };
  if (want.size || want.compressed || want.offset) {
    const extra = zip64Values(bytes.subarray(nameStart + nameLength, nameStart + nameLength + extraLength), want);
    if (extra === null) return `"${name}": sizes marked zip64 but no valid zip64 extra field`;
    size = extra.size ?? size;
    compressedSize = extra.compressed ?? compressedSize;
    localHeaderOffset = extra.offset ?? localHeaderOffset;
  }
  return { name, flags, method, crc32, compressedSize, size, localHeaderOffset, length };
}

export interface LocalHeader {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  /** From the header; 0 (unknown) when a data descriptor follows the data. */
  readonly compressedSize: number;
  readonly size: number;
  /** Header length: the member's data starts this many bytes after the header's offset. */
  readonly length: number;
}

/**
 * The local header at `at` (APPNOTE §4.3.7); null when no header starts there; a reason when one
 * starts but does not fit in `bytes` (read more and call again).
 */
export function decodeLocalHeader(bytes: Uint8Array, at: number): LocalHeader | null | 'short' {
  if (at + 4 > bytes.length) return 'short';
  const v = view(bytes);
  if (v.getUint32(at, true) !== LOCAL_HEADER_SIGNATURE) return null;
  if (at + LOCAL_HEADER_LENGTH > bytes.length) return 'short';
  const flags = v.getUint16(at + 6, true);
  const method = v.getUint16(at + 8, true);
  const crc32 = v.getUint32(at + 14, true);
  let compressedSize = v.getUint32(at + 18, true);
  let size = v.getUint32(at + 22, true);
  const nameLength = v.getUint16(at + 26, true);
  const extraLength = v.getUint16(at + 28, true);
  const length = LOCAL_HEADER_LENGTH + nameLength + extraLength;
  if (at + length > bytes.length) return 'short';
  const nameStart = at + LOCAL_HEADER_LENGTH;
  const name = decodeName(bytes.subarray(nameStart, nameStart + nameLength), flags);
  if (size === U32_MAX || compressedSize === U32_MAX) {
    // In a local header both sizes are in the zip64 field whenever it is used (APPNOTE §4.5.3).
    const extra = zip64Values(bytes.subarray(nameStart + nameLength, nameStart + length - LOCAL_HEADER_LENGTH), {
      size: true,
      compressed: true,
      offset: false,
    });
    if (extra !== null) {
      size = extra.size ?? size;
      compressedSize = extra.compressed ?? compressedSize;
    }
  }
  return { name, flags, method, crc32, compressedSize, size, length };
}

export interface DataDescriptor {
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly length: number;
}

/**
 * A data descriptor (APPNOTE §4.3.9) with its signature at `at` that closes data of `dataLength`
 * bytes: its compressed size must equal that length, in the 32-bit or the zip64 (64-bit) layout.
 * Matching the size is what tells a real descriptor from the same four bytes inside the data.
 */
export function matchDataDescriptor(bytes: Uint8Array, at: number, dataLength: number): DataDescriptor | null {
  if (at + 16 > bytes.length) return null;
  const v = view(bytes);
  if (v.getUint32(at, true) !== DESCRIPTOR_SIGNATURE) return null;
  const crc32 = v.getUint32(at + 4, true);
  if (v.getUint32(at + 8, true) === dataLength) return { crc32, compressedSize: dataLength, size: v.getUint32(at + 12, true), length: 16 };
  if (at + 24 <= bytes.length && u64(v, at + 8) === dataLength) {
    return { crc32, compressedSize: dataLength, size: u64(v, at + 16) ?? 0, length: 24 };
  }
  return null;
}

/**
 * The data descriptor right after a member's data, when the local header gave its sizes: with or
 * without signature, 32- or 64-bit sizes (APPNOTE §4.3.9). The layout is the one followed by a
 * zip signature (the next local header, the central directory, or the end record); null when none is.
 */
export function descriptorAt(bytes: Uint8Array, at: number): DataDescriptor | null {
  const v = view(bytes);
  const signatureAt = (n: number) => {
    if (n + 4 > bytes.length) return false;
    const sig = v.getUint32(n, true);
    return sig === LOCAL_HEADER_SIGNATURE || sig === CENTRAL_HEADER_SIGNATURE || sig === END_SIGNATURE;
  };
  const signed = at + 4 <= bytes.length && v.getUint32(at, true) === DESCRIPTOR_SIGNATURE;
  const base = signed ? at + 4 : at;
  for (const wide of [false, true]) {
    const length = (signed ? 4 : 0) + (wide ? 20 : 12);
    if (!signatureAt(at + length)) continue;
    const crc32 = v.getUint32(base, true);
    const compressedSize = wide ? u64(v, base + 4) : v.getUint32(base + 4, true);
    const size = wide ? u64(v, base + 12) : v.getUint32(base + 8, true);
    if (compressedSize === null || size === null) return null;
    return { crc32, compressedSize, size, length };
  }
  return null;
}
