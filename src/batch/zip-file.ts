/**
 * The members of a zip file on disk. The central directory is the archive's own index (APPNOTE
 * §4.3.6): it is read when it can be found; when it cannot (a zip cut short by a failed download or
 * transfer), the local headers are walked from the start instead, as a streaming reader would.
 * Only listing happens here: each member's bytes are read later, by range, by whoever analyzes it.
 */
import type { FileHandle } from 'node:fs/promises';
import { classifyMember, listArchiveFile, readAt, type ArchiveListing, type ListedMember } from './archive.js';
import { memberDisplayName, memberName } from './names.js';
import { inflateRawSync, constants } from 'node:zlib';
import { SNIFF_BYTES, sniff, type Sniffed } from './sniff.js';
import {
  CENTRAL_HEADER_SIGNATURE,
  END_SEARCH_LENGTH,
  END_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  FLAG_ENCRYPTED,
  LOCAL_HEADER_LENGTH,
  METHOD_DEFLATED,
  METHOD_STORED,
  ZIP64_END_LENGTH,
  ZIP64_LOCATOR_LENGTH,
  decodeCentralEntry,
  decodeLocalHeader,
  decodeZip64End,
  decodeZip64Locator,
  descriptorAt,
  type LocalHeader,
  findEndRecord,
  matchDataDescriptor,
  methodName,
} from './zip.js';

/** A central directory larger than this is not read (a million members take about 100 MB). */
const MAX_DIRECTORY_BYTES = 256 * 1024 * 1024;
/** Bytes read at a time while looking for the data descriptor that ends a member. */
const SCAN_CHUNK = 1 << 20;

/** Where a member is, wherever that was learnt (central directory or local header). */
interface Located {
  readonly rawName: string;
  readonly flags: number;
  readonly method: number;
  /** null when unknown (a member cut short before its data descriptor). */
  readonly crc32: number | null;
  readonly compressedSize: number;
  readonly size: number | null;
  readonly headerOffset: number;
}

export function listZip(path: string, archive: string): Promise<ArchiveListing> {
  return listArchiveFile(path, async (fh, fileSize, listing) => {
    const central = await readCentralDirectory(fh, fileSize);
    let located: Located[];
    if (typeof central === 'string') {
      listing.notes.push(`${central}: members found from their local headers instead (the zip may be cut short)`);
      located = await walkLocalHeaders(fh, fileSize, listing);
    } else {
      located = central;
    }
    const overlapping = overlaps(located);
    for (const m of located) {
      if (m.rawName.endsWith('/') && m.size === 0) continue; // a directory entry
      listing.members.push(await member(fh, path, archive, m, overlapping.has(m)));
    }
  });
}

/**
 * The local header at `at` and the bytes after it (in one read, as a rule: a header is rarely
 * longer than a few hundred bytes; a longer name or extra field costs a second read).
 */
async function readLocalHeader(fh: FileHandle, at: number): Promise<{ header: LocalHeader | null | 'short'; bytes: Buffer }> {
  let bytes = await readAt(fh, at, LOCAL_HEADER_LENGTH + 512 + SNIFF_BYTES);
  let header = decodeLocalHeader(bytes, 0);
  if (header === 'short' && bytes.length >= LOCAL_HEADER_LENGTH) {
    bytes = await readAt(fh, at, LOCAL_HEADER_LENGTH + bytes.readUInt16LE(26) + bytes.readUInt16LE(28) + SNIFF_BYTES);
    header = decodeLocalHeader(bytes, 0);
  }
  return { header, bytes };
}

/** The central directory's entries, or why it cannot be used. */
async function readCentralDirectory(fh: FileHandle, fileSize: number): Promise<Located[] | string> {
  const tailLength = Math.min(fileSize, END_SEARCH_LENGTH);
  const end = findEndRecord(await readAt(fh, fileSize - tailLength, tailLength), fileSize - tailLength);
  if (end === null) return 'no end of central directory record';
  let { entries, directorySize, directoryOffset } = end;
  if (end.zip64) {
    const locator = decodeZip64Locator(await readAt(fh, end.offset - ZIP64_LOCATOR_LENGTH, ZIP64_LOCATOR_LENGTH));
    const record = locator === null ? null : decodeZip64End(await readAt(fh, locator, ZIP64_END_LENGTH));
    if (record === null) return 'a zip64 end of central directory that cannot be read';
    ({ entries, directorySize, directoryOffset } = record);
  }
  if (directoryOffset + directorySize > end.offset) return 'a central directory that does not fit before its end record';
  if (directorySize > MAX_DIRECTORY_BYTES) return `a central directory of ${directorySize} bytes (more than tlsdiag reads)`;
  const directory = await readAt(fh, directoryOffset, directorySize);
  const out: Located[] = [];
  for (let at = 0, i = 0; i < entries; i++) {
    const e = decodeCentralEntry(directory, at);
    if (typeof e === 'string') return `a central directory that does not decode (${e})`;
    out.push({ ...e, rawName: e.name, headerOffset: e.localHeaderOffset });
    at += e.length;
  }
  return out;
}

/** The fallback: every local header from the start of the file, each member's end found from its sizes or its data descriptor. */
async function walkLocalHeaders(fh: FileHandle, fileSize: number, listing: ArchiveListing): Promise<Located[]> {
  const out: Located[] = [];
  let at = 0;
  while (at + 4 <= fileSize) {
    const { header, bytes: buf } = await readLocalHeader(fh, at);
    if (header === 'short') {
      listing.error = `the archive ends inside the local header at byte ${at}`;
      break;
    }
    if (header === null) {
      const sig = buf.length >= 4 ? buf.readUInt32LE(0) : 0;
      if (sig !== CENTRAL_HEADER_SIGNATURE && sig !== END_SIGNATURE) listing.notes.push(`bytes that are no zip header at byte ${at}: the rest is not read`);
      break;
    }
    const dataStart = at + header.length;
    let compressedSize = header.compressedSize;
    let size: number | null = header.size;
    let crc32: number | null = header.crc32;
    let trailer = 0;
    if (header.flags & FLAG_DATA_DESCRIPTOR) {
      if (compressedSize > 0) {
        // The header has the sizes too; the descriptor says how long it is itself (and the CRC).
        const found = descriptorAt(await readAt(fh, dataStart + compressedSize, 28), 0);
        if (found !== null) {
          crc32 = found.crc32;
          trailer = found.length;
        }
      } else {
        const found = await scanForDescriptor(fh, dataStart, fileSize);
        if (found === null) {
          // Cut short before its descriptor: its data runs to the end of the file, size and CRC unknown.
          out.push({ rawName: header.name, flags: header.flags, method: header.method, crc32: null, compressedSize: fileSize - dataStart, size: null, headerOffset: at });
          listing.error = `the archive ends inside "${memberName(header.name).display}" (no data descriptor after its data)`;
          break;
        }
        ({ compressedSize, size, crc32 } = found);
        trailer = found.length;
      }
    }
    out.push({ rawName: header.name, flags: header.flags, method: header.method, crc32, compressedSize, size, headerOffset: at });
    at = dataStart + compressedSize + trailer;
  }
  return out;
}

/** Looks for the data descriptor that closes data starting at `dataStart`, reading forward. */
async function scanForDescriptor(fh: FileHandle, dataStart: number, fileSize: number) {
  // Chunks overlap by the descriptor's length so that one split across two reads is seen.
  for (let base = dataStart; base < fileSize; base += SCAN_CHUNK) {
    const buf = await readAt(fh, base, SCAN_CHUNK + 24);
    const last = Math.min(SCAN_CHUNK, buf.length);
    for (let i = buf.indexOf(0x50); i >= 0 && i < last; i = buf.indexOf(0x50, i + 1)) {
      const d = matchDataDescriptor(buf, i, base + i - dataStart);
      if (d !== null) return d;
    }
  }
  return null;
}

/**
 * Members whose bytes overlap: the construction of the "better zip bomb" (many central entries
 * pointing into one deflate stream), never the work of an honest zip writer.
 */
function overlaps(located: readonly Located[]): Set<Located> {
  const byOffset = [...located].sort((a, b) => a.headerOffset - b.headerOffset);
  const out = new Set<Located>();
  let end = -1;
  for (const m of byOffset) {
    if (m.headerOffset < end) out.add(m);
    end = Math.max(end, m.headerOffset + LOCAL_HEADER_LENGTH + m.compressedSize);
  }
  return out;
}

async function member(fh: FileHandle, path: string, archive: string, m: Located, overlapping: boolean): Promise<ListedMember> {
  const { display } = memberName(m.rawName);
  const name = memberDisplayName(archive, display);
  if (overlapping) return { type: 'error', name, message: 'its data overlaps another member\'s (how zip bombs are built): not read' };
  if (m.flags & FLAG_ENCRYPTED) return { type: 'error', name, message: 'it is encrypted (not supported: extract it with its password)' };
  if (m.method !== METHOD_STORED && m.method !== METHOD_DEFLATED) {
    return { type: 'error', name, message: `compression method ${m.method} (${methodName(m.method)}) is not supported (only stored and deflated)` };
  }
  const { header, bytes } = await readLocalHeader(fh, m.headerOffset);
  if (header === null || header === 'short') return { type: 'error', name, message: `no local header at byte ${m.headerOffset} where the central directory puts it` };
  const start = m.headerOffset + header.length;
  const want = Math.min(SNIFF_BYTES, m.compressedSize);
  const prefix = header.length + want <= bytes.length ? bytes.subarray(header.length, header.length + want) : await readAt(fh, start, want);
  let head: Uint8Array | Sniffed = prefix;
  if (m.method === METHOD_DEFLATED) {
    try {
      head = inflateRawSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (err) {
      head = { kind: 'unreadable', reason: `corrupt deflate data at its start (${(err as Error).message})` };
    }
  }
  return classifyMember(
    archive,
    m.rawName,
    head instanceof Uint8Array ? sniff(head) : head,
    { kind: 'range', path, start, length: m.compressedSize, method: m.method === METHOD_STORED ? 'stored' : 'deflated', crc32: m.crc32 },
    m.size,
    m.compressedSize,
  );
}
