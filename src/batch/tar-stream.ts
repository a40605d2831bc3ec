/**
 * The members of a tar read as a stream (a .tar.gz: gzip cannot be read at random), one after the
 * other. Each capture member is handed over as a Readable of its own bytes while the archive
 * streams; the walk moves on only when that member has been read (or abandoned), so no member is
 * ever held whole in memory.
 */
import { Readable } from 'node:stream';
import { classifyMember, type ListedMember } from './archive.js';
import { FeedStream } from './feed-stream.js';
import { checkExpansion, type ExpansionLimits } from '../input/expansion.js';
import { memberDisplayName, memberName } from './names.js';
import { SNIFF_BYTES, sniff } from './sniff.js';
import { BLOCK, MAX_EXTENSION_BYTES, TarOverrides, decodeTarHeader, isExtension, notAFile, paddedSize } from './tar.js';
import type { CaptureJob } from './types.js';

const EMPTY = Buffer.alloc(0);

/** Reads exact byte counts from an async iterator of chunks. */
class ChunkReader {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Bytes handed out or skipped so far. */
  offset = 0;

  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  /** Makes at least one byte available; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.buf.length) {
      const next = await this.chunks.next();
      if (next.done === true) return false;
      this.buf = next.value;
      this.pos = 0;
    }
    return true;
  }

  /** Up to `max` bytes of what is buffered (reading more when nothing is); empty at the end. */
  async some(max: number): Promise<Buffer> {
    if (!(await this.fill())) return EMPTY;
    const n = Math.min(max, this.buf.length - this.pos);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.offset += n;
    return out;
  }

  /** Exactly `n` bytes, or fewer when the stream ends first. */
  async exact(n: number): Promise<Buffer> {
    const first = await this.some(n);
    if (first.length === n || first.length === 0) return first;
    const parts = [first];
    let got = first.length;
    while (got < n) {
      const more = await this.some(n - got);
      if (more.length === 0) break;
      parts.push(more);
      got += more.length;
    }
    return Buffer.concat(parts, got);
  }

  /** Skips `n` bytes; returns how many there were. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const part = await this.some(left);
      if (part.length === 0) break;
      left -= part.length;
    }
    return n - left;
  }
}

/**
 * Hands a member's `size` bytes (starting with `head`, already read) to `data`; returns why it
 * stopped early, or null. The member stream ends, or is destroyed with that reason.
 */
async function feed(reader: ChunkReader, data: MemberStream, head: Buffer, size: number, bound: (sent: number) => Error | null): Promise<string | null> {
  let sent = 0;
  let chunk = head;
  while (chunk.length > 0) {
    sent += chunk.length;
    const err = bound(sent);
    if (err !== null) {
      data.fail(err);
      return err.message;
    }
    await data.deliver(chunk);
    if (sent >= size) break;
    chunk = await reader.some(size - sent);
  }
  if (sent < size) {
    const message = `the archive ends inside this member (${sent} of ${size} bytes)`;
    data.fail(new Error(message));
    return message;
  }
  if (!data.destroyed) data.push(null);
  return null;
}

/** A member's bytes as a Readable that the walk fills at the pace its reader reads. */
class MemberStream extends FeedStream {
  private wake: (() => void) | null = null;

  constructor() {
    super(() => this.release());
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.release();
    callback(err);
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Resolves when the reader wants more (or has gone). */
  async deliver(chunk: Buffer): Promise<void> {
    if (this.destroyed) return;
    if (this.push(chunk)) return;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }
}

export type StreamedEntry =
  | Exclude<ListedMember, { readonly type: 'capture' }>
  /** A capture member: `data` must be read (or destroyed) for the walk to go on. */
  | { readonly type: 'stream'; readonly job: CaptureJob; readonly data: Readable };

export interface TarStreamOptions {
  readonly limits: ExpansionLimits;
  /**
   * Compressed bytes of the archive it took to inflate the tar up to `offset` (for each member's
   * decompression ratio); 0 for a tar that was not compressed.
   */
  readonly compressedAt: (offset: number) => number;
}

/**
 * Where the inflated bytes came from: for each inflated chunk, the compressed bytes consumed when
 * it was produced. The walk reads behind the inflater (chunks wait in between), so the inflater's
 * counter at the time a member is read says nothing about that member; these marks do.
 */
export class CompressionMarks {
  private readonly ends: number[] = [];
  private readonly compressed: number[] = [];
  private head = 0;
  private inflated = 0;

  /** An inflated chunk of `length` bytes was produced when `compressed` bytes had been consumed. */
  note(length: number, compressed: number): void {
    this.inflated += length;
    this.ends.push(this.inflated);
    this.compressed.push(compressed);
  }

  /** Compressed bytes consumed to produce the inflated byte at `offset`; older marks are dropped. */
  at(offset: number): number {
    while (this.head < this.ends.length - 1 && this.ends[this.head] <= offset) this.head++;
    if (this.head > 1024) {
      this.ends.splice(0, this.head);
      this.compressed.splice(0, this.head);
      this.head = 0;
    }
    return this.head < this.compressed.length ? this.compressed[this.head] : 0;
  }
}

/**
 * Walks the tar in `input`, calling `onEntry` for every member in order and waiting for it.
 * Resolves with the archive's notes and the error that ended it early, if one did. Rejects with the
 * input stream's error.
 */
export async function walkTarStream(
  input: Readable,
  archive: string,
  options: TarStreamOptions,
  onEntry: (entry: StreamedEntry) => Promise<void>,
): Promise<{ notes: string[]; error: string | null }> {
  const reader = new ChunkReader(input[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const overrides = new TarOverrides();
  const notes: string[] = [];
  for (;;) {
    const at = reader.offset;
    const raw = await reader.exact(BLOCK);
    if (raw.length === 0) {
      notes.push('no end-of-archive marker (the tar may be cut short)');
      return { notes, error: null };
    }
    const block = decodeTarHeader(raw);
    if (block.type === 'end') return { notes, error: null };
    if (block.type === 'bad') return { notes, error: `${block.reason} at byte ${at} of the tar: the rest of the archive is not read` };
    let header = block.header;
    if (isExtension(header.kind)) {
      if (header.size > MAX_EXTENSION_BYTES) return { notes, error: `an extended header of ${header.size} bytes at byte ${at} of the tar: the rest is not read` };
      const data = await reader.exact(header.size);
      overrides.absorb(header.kind, data);
      await reader.skip(paddedSize(header.size) - header.size);
      continue;
    }
    header = overrides.apply(header);
    const padding = paddedSize(header.size) - header.size;
    const shortName = memberName(header.name).display;
    const name = memberDisplayName(archive, shortName);
    const why = header.kind === 'directory' ? '' : notAFile(header.kind, header.typeflag);
    if (why !== null) {
      if (why !== '') await onEntry({ type: 'skipped', name, reason: why });
      if ((await reader.skip(header.size + padding)) < header.size) return { notes, error: `the archive ends inside "${shortName}"` };
      continue;
    }
    const compressedAtStart = options.compressedAt(reader.offset);
    const head = await reader.exact(Math.min(SNIFF_BYTES, header.size));
    const listed = classifyMember(archive, header.name, sniff(head), { kind: 'stream' }, header.size, 0);
    const bound = (sent: number) => checkExpansion(sent, options.compressedAt(reader.offset) - compressedAtStart, options.limits);
    if (listed.type !== 'capture') {
      await onEntry(listed);
      // Skipping is inflating too: a bomb named notes.txt is held to the same bounds.
      let skipped = head.length;
      while (skipped < header.size) {
        const part = await reader.some(header.size - skipped);
        if (part.length === 0) return { notes, error: `the archive ends inside "${shortName}"` };
        skipped += part.length;
        const err = bound(skipped);
        if (err !== null) return { notes, error: `"${shortName}": ${err.message}: the rest of the archive is not read` };
      }
      await reader.skip(padding);
      continue;
    }
    const data = new MemberStream();
    const entry = onEntry({ type: 'stream', job: listed.job, data });
    let failure: string | null;
    try {
      failure = await feed(reader, data, head, header.size, bound);
    } catch (err) {
      // The archive's own stream failed (corrupt gzip): the member ends with that error, then the walk.
      data.fail(err as Error);
      await entry;
      throw err;
    }
    await entry;
    // The member's own line says why; the archive's says what it costs.
    if (failure !== null) return { notes, error: `stopped inside "${shortName}": the rest of the archive is not read` };
    await reader.skip(padding);
  }
}
