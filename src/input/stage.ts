/**
 * One layer of a capture's bytes (a zip member's deflate data, a .gz wrapper, the bytes as stored
 * being hashed) as a Readable that checks every chunk on its way out.
 *
 * Why not a Transform: when a stream in a pipeline fails, Node destroys every stream of it, and
 * what they had buffered is dropped, so the frames in the last good chunks before a corruption or
 * a cut would be lost. Here the pipeline ends in a Writable that takes every chunk at once into
 * this stream's own queue (it pushes back only past QUEUE_LIMIT bytes), and an error is raised
 * only once the reader has taken everything queued before it.
 */
import { Readable, Writable, pipeline, type Duplex } from 'node:stream';

/** Bytes queued before the writer is held back (zlib writes all a compressed chunk inflates to). */
const QUEUE_LIMIT = 8 * 1024 * 1024;

export interface StageHooks {
  /** Sees each chunk before the reader does; an error ends the stage with it. */
  inspect?(chunk: Buffer): Error | null;
  /** The input ended normally: the last checks (lengths, checksums). */
  finish?(): Error | null;
  /** Puts an error of the streams below into this layer's words. */
  describe?(err: Error): Error;
}

export class Stage extends Readable {
  /** The error the hooks raised (a bound, a checksum), kept after the stream is gone. */
  failure: Error | null = null;
  private readonly queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private held: (() => void) | null = null;
  private wanted = false;
  /** How the input ended: null while it lasts, then true (normally) or the error. */
  private ending: true | Error | null = null;
  private readonly sink: Writable;

  constructor(streams: readonly [Readable, ...Duplex[]], private readonly hooks: StageHooks = {}) {
    super({ highWaterMark: 1 });
    this.sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => this.accept(chunk, done),
      final: (done) => {
        const err = this.hooks.finish?.() ?? null;
        if (err !== null) this.failure ??= err;
        done(err);
      },
    });
    pipeline([...streams, this.sink], (err) => this.settle(err ?? null));
  }

  private accept(chunk: Buffer, done: (err?: Error | null) => void): void {
    const err = this.hooks.inspect?.(chunk) ?? null;
    if (err !== null) {
      this.failure ??= err;
      done(err);
      return;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued < QUEUE_LIMIT) done();
    else this.held = () => done();
    if (this.wanted) this.pump();
  }

  override _read(): void {
    this.wanted = true;
    this.pump();
  }

  private pump(): void {
    while (this.wanted && this.head < this.queue.length) {
      const chunk = this.queue[this.head];
      this.queue[this.head++] = EMPTY;
      this.queued -= chunk.length;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      this.wanted = this.push(chunk);
    }
    if (this.held !== null && this.queued < QUEUE_LIMIT) {
      const release = this.held;
      this.held = null;
      release();
    }
    if (!this.wanted || this.head < this.queue.length || this.ending === null) return;
    if (this.ending === true) {
      this.push(null);
    } else {
      // read() asks for more before it hands out what is buffered: raise the error after that.
      const err = this.ending;
      process.nextTick(() => this.destroy(err));
    }
  }

  private settle(err: Error | null): void {
    if (this.destroyed) return;
    this.ending = err === null ? true : this.failure === err ? err : (this.hooks.describe?.(err) ?? err);
    if (this.wanted) this.pump();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.queue.length = 0;
    this.held = null;
    if (!this.sink.destroyed) this.sink.destroy();
    callback(err);
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * The first `n` bytes of a stream without consuming them: returns them and a stream that still
 * yields every byte (the same stream with the bytes put back, or a new one when it has ended).
 * Rejects with the stream's error.
 */
export async function peekHead(stream: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const parts: Buffer[] = [];
  let got = 0;
  let ended = false;
  while (got < n && !ended) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      parts.push(chunk);
      got += chunk.length;
      continue;
    }
    ended = await new Promise<boolean>((resolve, reject) => {
      const cleanup = () => {
        stream.off('readable', onReadable);
        stream.off('end', onEnd);
        stream.off('error', onError);
        stream.off('close', onClose);
      };
      const onReadable = () => { cleanup(); resolve(false); };
      const onEnd = () => { cleanup(); resolve(true); };
      const onError = (e: Error) => { cleanup(); reject(e); };
      const onClose = () => { cleanup(); resolve(true); };
      if (stream.readableEnded) return resolve(true);
      if (stream.destroyed) return stream.errored ? reject(stream.errored) : resolve(true);
      stream.on('readable', onReadable);
      stream.on('end', onEnd);
      stream.on('error', onError);
      stream.on('close', onClose);
    });
  }
  const head = parts.length === 1 ? parts[0] : Buffer.concat(parts, got);
  if (ended || stream.readableEnded) return { head, stream: Readable.from(head.length > 0 ? [head] : [], { objectMode: false }) };
  stream.unshift(head);
  return { head, stream };
}
