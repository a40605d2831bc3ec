/**
 * What a file or an archive member is, from its first bytes (never its name): a capture (maybe
 * gzip'd), an archive to open (zip, tar, tar.gz), or something else. gzip data is judged by the
 * magic of its decompressed start, inflated here from a bounded prefix.
 */
import { constants, gunzipSync, inflateRawSync } from 'node:zlib';
import { sniffCaptureMagic } from '../input/read.js';
import { textExport } from '../input/magic.js';
import { BLOCK, looksLikeTar } from './tar.js';

/** Bytes read from the start of a file or member to judge it (a tar header needs 512 decompressed). */
export const SNIFF_BYTES = 4096;

export type Sniffed =
  | { readonly kind: 'capture'; readonly compressed: boolean }
  | { readonly kind: 'zip' }
  | { readonly kind: 'tar' }
  /** gzip whose decompressed start is a tar header. */
  | { readonly kind: 'tar.gz' }
  /** gzip whose start does not even decompress: maybe a capture, maybe not; an error either way. */
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'other'; readonly reason: string };

/** RFC 1952 §2.3.1 ID1 ID2. */
function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** PKWARE APPNOTE §4.3.7 local header or §4.3.16 end record (an empty zip). */
function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

/** Decompresses as much of a prefix as it holds (a sync flush: a cut input is no error). */
function inflatePrefix(bytes: Uint8Array, raw: boolean): Buffer {
  const options = { finishFlush: constants.Z_SYNC_FLUSH };
  return raw ? inflateRawSync(bytes, options) : gunzipSync(bytes, options);
}

/** The decompressed start of a deflate (zip member) prefix; empty when it does not decompress. */
export function inflateRawPrefix(bytes: Uint8Array): Buffer | string {
  try {
    return inflatePrefix(bytes, true);
  } catch (err) {
    return (err as Error).message;
  }
}

export function sniff(head: Uint8Array): Sniffed {
  if (isGzip(head)) {
    let inner: Buffer;
    try {
      inner = inflatePrefix(head, false);
    } catch (err) {
      return { kind: 'unreadable', reason: `gzip data whose start does not decompress (${(err as Error).message})` };
    }
    if (sniffCaptureMagic(inner) !== null && !isGzip(inner)) return { kind: 'capture', compressed: true };
    if (inner.length >= BLOCK && looksLikeTar(inner.subarray(0, BLOCK))) return { kind: 'tar.gz' };
    if (isGzip(inner)) return { kind: 'other', reason: 'gzip data inside gzip data' };
    if (isZip(inner)) return { kind: 'other', reason: 'a zip archive inside gzip data (not opened)' };
    return { kind: 'other', reason: inner.length === 0 && head.length < SNIFF_BYTES ? 'empty gzip data' : 'not a capture (gzip data)' };
  }
  if (sniffCaptureMagic(head) !== null) return { kind: 'capture', compressed: false };
  if (isZip(head)) return { kind: 'zip' };
  if (head.length >= BLOCK && looksLikeTar(head.subarray(0, BLOCK))) return { kind: 'tar' };
  const exported = head.length > 0 ? textExport(head) : null;
  if (exported !== null) return { kind: 'other', reason: `not a capture: text, ${exported}; send the .pcapng or .pcap itself` };
  return { kind: 'other', reason: head.length === 0 ? 'empty file' : 'not a capture' };
}
