// Where a capture's bytes come from: a file read in large chunks, or a caller's stream; gzip
// recognised by its magic bytes and inflated as it streams; stream failures put into words.
import { createReadStream } from 'node:fs';
import { Writable, pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureError } from './frame.js';
import type { CaptureProblemCode } from './frame.js';
import { CHUNK_SIZE } from './limits.js';

/**
 * Output chunk size of the gzip inflater. zlib inflates in the thread pool, one chunk per round
 * trip, so small chunks leave the reader idle: on 300 MB of real TLS traffic, 16 KiB (zlib's
 * default) inflated at 154-187 MB/s, 64 KiB at 173-265 MB/s, 256 KiB at 285 MB/s. But when zlib
 * meets corrupt data, the chunk being filled is dropped with the error, so this also bounds the
 * good data lost before a corruption: 64 KiB keeps most of the speed and loses little.
 */
const GUNZIP_CHUNK_SIZE = 64 * 1024;

export function openSource(source: string | Readable): Readable {
  return typeof source === 'string' ? createReadStream(source, { highWaterMark: CHUNK_SIZE }) : source;
}

/** True when the bytes open with the gzip member header ID1 ID2 (RFC 1952 §2.3.1). */
function isGzip(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= 2 && firstBytes[0] === 0x1f && firstBytes[1] === 0x8b;
}

/**
 * A stream's chunks as Buffers. A stream of text (setEncoding was called) cannot carry a capture.
 * Returning early leaves the stream undestroyed, with no listener of ours, so that a caller who
 * handed it over can still drain it.
 */
async function* bufferChunks(stream: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<unknown>) {
    if (Buffer.isBuffer(chunk)) yield chunk;
    else if (chunk instanceof Uint8Array) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new CaptureError('the stream delivers text, not bytes (was setEncoding called on it?)');
  }
}

/** `head`, then the rest of `chunks`: bytes read ahead to sniff gzip are put back in front. */
async function* prepend(head: Buffer, chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) return;
    yield next.value;
  }
}

/** Reads from `chunks` until at least `n` bytes are in hand or the stream ends. */
async function readAhead(chunks: AsyncIterator<Buffer>, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const next = await chunks.next();
    if (next.done === true) break;
    parts.push(next.value);
    size += next.value.length;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
}

/** Receives the capture's bytes in order; returns false to stop the reading. Must not throw. */
export type BytesHandler = (chunk: Buffer) => boolean;

/**
 * Reads `raw` to its end, inflating it when it is gzip data, and hands every chunk of capture bytes
 * to `onBytes` until that returns false. `onStart` learns first whether the data is compressed.
 * Rejects with the error of the stream or of the inflater.
 */
export async function pumpCapture(raw: Readable, onStart: (compressed: boolean) => void, onBytes: BytesHandler): Promise<void> {
  const chunks = bufferChunks(raw);
  try {
    const head = await readAhead(chunks, 2);
    const compressed = isGzip(head);
    onStart(compressed);
    if (compressed) {
      await inflate(prepend(head, chunks), onBytes);
      return;
    }
    if (head.length > 0 && !onBytes(head)) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done === true || !onBytes(next.value)) return;
    }
  } finally {
    // Stopping early (a problem): let go of the stream. Closing it is for whoever opened it.
    await chunks.return(undefined);
  }
}

/** Passed to a Writable's callback to end a pipeline because the reading has stopped. */
const STOPPED = new Error('reading stopped');

/**
 * The inflated bytes go to `onBytes` as zlib produces them, through a Writable at the end of the
 * pipeline: read through an async iterator instead, the output still buffered when zlib meets
 * corrupt data would be dropped with the stream, and the frames it held lost.
 */
function inflate(compressedChunks: AsyncIterable<Buffer>, onBytes: BytesHandler): Promise<void> {
  const deliver = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      callback(onBytes(chunk) ? null : STOPPED);
    },
  });
  return new Promise<void>((resolve, reject) => {
    pipeline(compressedChunks, createGunzip({ chunkSize: GUNZIP_CHUNK_SIZE }), deliver, (err) => {
      if (err && err !== STOPPED) reject(err);
      else resolve();
    });
  });
}

/** What went wrong with the stream, as a stable code and plain words. */
export interface StreamFailure {
  readonly code: Extract<CaptureProblemCode, 'gzip-truncated' | 'gzip-corrupt' | 'read-error'>;
  readonly words: string;
}

const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
};

export function describeStreamFailure(err: unknown): StreamFailure {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'Z_BUF_ERROR') return { code: 'gzip-truncated', words: `gzip data ends early (${message})` };
  if (code.startsWith('Z_')) return { code: 'gzip-corrupt', words: `corrupt gzip data (${message})` };
  const known = SYSTEM_ERRORS[code];
  if (known !== undefined) return { code: 'read-error', words: known };
  return { code: 'read-error', words: code === '' ? `read error: ${message}` : `read error (${code})` };
}
