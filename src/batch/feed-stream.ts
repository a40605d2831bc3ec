/**
 * A Readable that someone else fills (an archive being walked, messages from the main thread), and
 * that ends with an error only after its reader has had every byte delivered before the error:
 * a member cut short keeps the frames it did carry.
 */
import { Readable } from 'node:stream';

const EMPTY = Buffer.alloc(0);

export class FeedStream extends Readable {
  private failing: Error | null = null;

  /** `onDemand` is called whenever the reader wants more. */
  constructor(private readonly onDemand: () => void) {
    super({ highWaterMark: 1 << 20 });
    // Its reader may not have started when the source fails; it finds the error on the stream then.
    this.on('error', () => {});
  }

  override _read(): void {
    if (this.failing === null) {
      this.onDemand();
    } else if (this.readableLength === 0) {
      this.destroy(this.failing);
    } else {
      // Asked while bytes wait (read() asks before it hands them out, and Node reads ahead):
      // an empty push lets the next read ask again, when they are gone.
      this.push(EMPTY);
    }
  }

  /** Ends the stream with an error, once its reader has had the bytes delivered before it. */
  fail(err: Error): void {
    if (this.destroyed) return;
    if (this.readableLength === 0) {
      this.destroy(err);
      return;
    }
    this.failing = err;
    // A read-ahead may be pending (asked, not answered): answer it, so that the reader asks again.
    this.push(EMPTY);
  }
}
