/**
 * What listing an archive yields, whatever its kind: members to analyze (with where their bytes
 * are), members skipped (not captures), members that cannot be read, and notes about the archive.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { fsMessage } from '../analyze.js';
import type { CaptureProblem } from '../input/frame.js';
import { memberDisplayName, memberName } from './names.js';
import type { Sniffed } from './sniff.js';
import type { CaptureJob, CaptureSource } from './types.js';

export type ListedMember =
  | { readonly type: 'capture'; readonly job: CaptureJob }
  | { readonly type: 'skipped'; readonly name: string; readonly reason: string }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

export interface ArchiveListing {
  readonly members: ListedMember[];
  /** Warnings about the archive itself (no central directory, trailing garbage). */
  readonly notes: string[];
  /** Set when the archive stopped being readable before its end (the members before it stand). */
  error: string | null;
}

/**
 * Opens an archive on disk, lets `list` fill the listing, and closes it: a file-system error at any
 * point becomes the listing's error, and the members listed before it stand.
 */
export async function listArchiveFile(path: string, list: (fh: FileHandle, fileSize: number, listing: ArchiveListing) => Promise<void>): Promise<ArchiveListing> {
  const listing: ArchiveListing = { members: [], notes: [], error: null };
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    listing.error = fsMessage(err);
    return listing;
  }
  try {
    await list(fh, (await fh.stat()).size, listing);
  } catch (err) {
    listing.error = fsMessage(err);
  } finally {
    await fh.close();
  }
  return listing;
}

/** Reads up to `length` bytes at `offset` (fewer at the end of the file). */
export async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** An unsafe member name as a problem on the capture, so that the report says so beside it. */
function unsafeNote(message: string): CaptureProblem {
  return { severity: 'warning', code: 'unsafe-member-name', message };
}

export const NESTED_ARCHIVE = 'an archive inside an archive (not opened: extract the outer one first)';

/**
 * The listing entry for one member, from what its first bytes are (as stored: already inflated
 * from the archive's own compression).
 */
export function classifyMember(
  archive: string,
  rawName: string,
  kind: Sniffed,
  source: CaptureSource,
  size: number | null,
  diskBytes: number,
): ListedMember {
  const { display, unsafe } = memberName(rawName);
  const name = memberDisplayName(archive, display);
  const because = unsafe === null ? '' : `; ${unsafe}`;
  switch (kind.kind) {
    case 'capture':
      return { type: 'capture', job: { name, size, source, diskBytes, notes: unsafe === null ? [] : [unsafeNote(unsafe)] } };
    case 'zip':
    case 'tar':
    case 'tar.gz':
      return { type: 'skipped', name, reason: NESTED_ARCHIVE + because };
    case 'unreadable':
      return { type: 'error', name, message: kind.reason + because };
    case 'other':
      return { type: 'skipped', name, reason: kind.reason + because };
  }
}
