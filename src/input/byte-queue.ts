// The unread bytes of a stream, kept as the chunks that brought them, joined only when a record
// or block straddles two chunks. Records inside one chunk are decoded in place, with no copy.
const EMPTY = Buffer.alloc(0);

export class ByteQueue {
  /** The chunk being decoded; its unread bytes are `buf[pos..]`. Read-only for callers. */
  buf: Buffer = EMPTY;
  pos = 0;
  /** Stream offset of `buf[pos]`: where the next unread byte sits in the capture. */
  offset = 0;
  private readonly later: Buffer[] = [];
  private laterBytes = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.pos === this.buf.length && this.later.length === 0) {
      this.buf = chunk;
      this.pos = 0;
    } else {
      this.later.push(chunk);
      this.laterBytes += chunk.length;
    }
  }

  /** Unread bytes held, contiguous or not. */
  get available(): number {
    return this.buf.length - this.pos + this.laterBytes;
  }

  /**
   * Makes `n` unread bytes contiguous at `buf[pos]`. False when fewer than `n` are held: then
   * nothing is copied, so a record arriving in many small chunks is joined once, not once a chunk.
   */
  ensure(n: number): boolean {
    let inBuf = this.buf.length - this.pos;
    if (inBuf >= n) return true;
    if (inBuf + this.laterBytes < n) return false;
    if (inBuf === 0) {
      const next = this.later.shift() as Buffer;
      this.laterBytes -= next.length;
      this.buf = next;
      this.pos = 0;
      inBuf = next.length;
      if (inBuf >= n) return true;
    }
    // Join exactly the n bytes wanted; what follows them stays in its own chunk, uncopied.
    const joined = Buffer.allocUnsafe(n);
    let filled = this.buf.copy(joined, 0, this.pos);
    while (filled < n) {
      const next = this.later[0];
      const take = Math.min(next.length, n - filled);
      next.copy(joined, filled, 0, take);
      filled += take;
      this.laterBytes -= take;
      if (take === next.length) this.later.shift();
      else this.later[0] = next.subarray(take);
    }
    this.buf = joined;
    this.pos = 0;
    return true;
  }

  /** Consumes `n` bytes already made contiguous by `ensure(n)`. */
  skip(n: number): void {
    this.pos += n;
    this.offset += n;
  }
}
