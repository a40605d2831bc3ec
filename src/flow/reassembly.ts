/**
 * One direction of a TCP conversation turned back into the byte stream its sender wrote: segments
 * in sequence order, each byte once, holes reported as gaps, the FIN after the last byte.
 * Knows nothing of conversations or handlers; it reports to a StreamSink.
 */
import type { DirectionStats } from './types.js';
import { MAX_WINDOW, seqAdd, seqDiff } from './sequence.js';

/** Where a DirectionStream delivers. Called synchronously, in sequence order. */
export interface StreamSink {
  data(data: Uint8Array, frame: number, time: number): void;
  gap(bytes: number, frame: number, time: number): void;
  fin(frame: number, time: number): void;
  /** A segment too far from the expected sequence number to belong to this stream was dropped. */
  outOfWindow(frame: number): void;
  /** The out-of-order buffer was over its bound: the hole before its oldest segment became a gap. */
  overLimit(frame: number): void;
}

/**
 * Out-of-order segments kept per direction at most, whatever their bytes: a segment costs memory
 * even when it carries one byte (or none of interest), and a hostile capture sends millions.
 */
export const MAX_PENDING_SEGMENTS = 65_536;

/** A segment that arrived ahead of a hole, kept until the hole is filled or declared a gap. */
interface Pending {
  readonly seq: number;
  /** Sequence space the segment covers (its TCP payload length). */
  readonly length: number;
  /**
   * The captured bytes (a copy), a prefix of `length` when the snap length cut the segment; null
   * when nobody wants the payload (only the sequence bookkeeping matters then).
   */
  readonly data: Uint8Array | null;
  readonly captured: number;
  readonly frame: number;
  readonly time: number;
  /** Arrival order: segments at one sequence number leave in the order they came. */
  readonly order: number;
}

export function newDirectionStats(): DirectionStats {
  return { segments: 0, bytes: 0, gapBytes: 0, gaps: 0, retransmissions: 0, outOfOrder: 0 };
}

export class DirectionStream {
  readonly stats: DirectionStats;
  /** A first sequence number is known (from the SYN, or the first segment seen). */
  private started = false;
  /** Sequence number of the next byte to deliver. */
  private nextSeq = 0;
  private synSeen = false;
  private synSeq = 0;
  private finKnown = false;
  private finSeq = 0;
  private finFrame = 0;
  private finTime = 0;
  private finDone = false;
  /** Highest acknowledgment the peer sent for this stream's bytes. */
  private ackSet = false;
  private ackedTo = 0;
  /**
   * Out-of-order segments, a binary min-heap by sequence number then arrival: insertion and removal
   * in O(log n) whatever the order segments arrive in (one-byte segments in reverse order were
   * quadratic with a sorted array). Sequence numbers compare with seqDiff: every pending segment
   * lies within MAX_WINDOW after nextSeq, so any two are less than 2^31 apart.
   */
  private pending: Pending[] = [];
  /** The length of the last segment buffered at each pending sequence number (retransmissions of it are not kept). */
  private pendingAt: Map<number, { length: number; count: number }> | null = null;
  private arrivals = 0;
  private bufferedLength = 0;

  constructor(
    private readonly sink: StreamSink,
    private readonly keepData: boolean,
    private readonly maxBuffered: number,
    stats: DirectionStats,
  ) {
    this.stats = stats;
  }

  /** The FIN has been delivered: every byte before it too. */
  get finished(): boolean {
    return this.finDone;
  }

  /** The side has sent a SYN or a segment carrying data or FIN. */
  get isStarted(): boolean {
    return this.started;
  }

  /** A SYN from this side: the stream starts after its sequence number. */
  syn(seq: number): void {
    if (!this.started) {
      this.started = true;
      this.synSeen = true;
      this.synSeq = seq;
      this.nextSeq = seqAdd(seq, 1);
      return;
    }
    if (this.synSeen && seq === this.synSeq) this.stats.retransmissions++;
  }

  /**
   * A segment's payload and/or FIN. `length` is the payload length the headers announce,
   * `captured` how much of it the capture holds (bytes[offset .. offset+captured)); the missing tail
   * of a snap-length-cut segment becomes a gap once it is reached.
   */
  segment(
    seq: number,
    bytes: Uint8Array,
    offset: number,
    captured: number,
    length: number,
    fin: boolean,
    frame: number,
    time: number,
  ): void {
    if (!this.started) {
      // A stream picked up mid-way starts at its first segment that carries something; a pure ACK
      // does not start it (a keep-alive's sequence number is one before the stream's).
      if (length === 0 && !fin) return;
      if (!fin && length <= 1 && this.ackSet && seq === seqAdd(this.ackedTo, -1)) return;
      this.start(seq);
    }
    if (length === 0 && !fin) return;
    const rel = seqDiff(seq, this.nextSeq);
    // A keep-alive repeats the last byte already acknowledged, with at most one byte of garbage
    // (RFC 9293 §3.8.4); it carries nothing of the stream.
    if (!fin && length <= 1 && rel === -1) return;
    if (rel > MAX_WINDOW) {
      this.sink.outOfWindow(frame);
      return;
    }
    if (fin) this.noteFin(seqAdd(seq, length), length === 0, frame, time);
    if (length > 0) {
      const end = rel + length;
      if (end <= 0) {
        this.stats.retransmissions++;
      } else if (rel <= 0) {
        if (rel < 0) this.stats.retransmissions++;
        this.deliver(bytes, offset, captured, length, -rel, frame, time);
        this.drain();
      } else {
        this.buffer(seq, bytes, offset, captured, length, frame, time);
      }
    } else if (fin && this.finDone && rel <= 0) {
      this.stats.retransmissions++;
    }
    this.settleHoles(frame, time);
    this.deliverFinIfReached();
  }

  /** The peer acknowledged this stream's bytes up to `ack` (exclusive). */
  ack(ack: number, frame: number, time: number): void {
    if (!this.started) {
      // Remembered to tell a first segment that is a keep-alive (see segment()).
      this.ackSet = true;
      this.ackedTo = ack;
      return;
    }
    if (!this.ackSet || seqDiff(ack, this.ackedTo) > 0) {
      // An acknowledgment further ahead than any window is not about this stream.
      if (seqDiff(ack, this.nextSeq) > MAX_WINDOW) return;
      this.ackSet = true;
      this.ackedTo = ack;
      this.settleHoles(frame, time);
      this.deliverFinIfReached();
    }
  }

  /**
   * The conversation ends (FIN both ways, RST, idle, capture end): every hole left is a gap, every
   * buffered byte after it is delivered, and bytes the peer acknowledged but the capture never
   * showed are a final gap.
   */
  flush(frame: number, time: number): void {
    if (!this.started) return;
    while (this.pending.length > 0) {
      const hole = seqDiff(this.pending[0].seq, this.nextSeq);
      if (hole > 0) this.declareGap(hole, frame, time);
      this.drain();
    }
    if (this.finKnown && !this.finDone) {
      const hole = seqDiff(this.finSeq, this.nextSeq);
      if (hole > 0) this.declareGap(hole, frame, time);
      this.deliverFinIfReached();
    }
    if (!this.finDone && this.ackSet) {
      const unseen = seqDiff(this.ackedTo, this.nextSeq);
      if (unseen > 0) this.declareGap(unseen, frame, time);
    }
    this.release();
  }

  /** Drops buffered segments (the conversation is over). */
  release(): void {
    this.pending = [];
    this.pendingAt = null;
    this.bufferedLength = 0;
  }

  private start(seq: number): void {
    this.started = true;
    this.nextSeq = seq;
  }

  /** `bare`: the FIN carries no payload (a FIN with payload is counted by the payload's handling). */
  private noteFin(finSeq: number, bare: boolean, frame: number, time: number): void {
    if (this.finKnown) {
      if (bare && finSeq === this.finSeq && !this.finDone) this.stats.retransmissions++;
      return;
    }
    this.finKnown = true;
    this.finSeq = finSeq;
    this.finFrame = frame;
    this.finTime = time;
  }

  private deliverFinIfReached(): void {
    if (this.finKnown && !this.finDone && this.nextSeq === this.finSeq) {
      this.finDone = true;
      this.nextSeq = seqAdd(this.finSeq, 1);
      this.sink.fin(this.finFrame, this.finTime);
    }
  }

  /**
   * Delivers bytes [skip, length) of a segment that starts at or before nextSeq. Bytes past
   * `captured` were cut by the snap length: they become a gap.
   */
  private deliver(
    bytes: Uint8Array | null,
    offset: number,
    captured: number,
    length: number,
    skip: number,
    frame: number,
    time: number,
  ): void {
    if (skip < captured) {
      const count = captured - skip;
      this.stats.bytes += count;
      if (bytes !== null && this.keepData) {
        this.sink.data(bytes.subarray(offset + skip, offset + captured), frame, time);
      }
    }
    this.nextSeq = seqAdd(this.nextSeq, length - skip);
    const cut = length - (skip > captured ? skip : captured);
    if (cut > 0) {
      this.stats.gaps++;
      this.stats.gapBytes += cut;
      this.sink.gap(cut, frame, time);
    }
  }

  private buffer(
    seq: number,
    bytes: Uint8Array,
    offset: number,
    captured: number,
    length: number,
    frame: number,
    time: number,
  ): void {
    const at = (this.pendingAt ??= new Map()).get(seq);
    if (at !== undefined && at.length >= length) {
      this.stats.retransmissions++;
      return;
    }
    if (at === undefined) this.pendingAt.set(seq, { length, count: 1 });
    else {
      at.length = length;
      at.count++;
    }
    this.stats.outOfOrder++;
    const data = this.keepData ? bytes.slice(offset, offset + captured) : null;
    this.push({ seq, length, data, captured, frame, time, order: this.arrivals++ });
    this.bufferedLength += length;
    // Over a bound, the oldest hole is given up for lost so that memory stays bounded.
    if (this.bufferedLength > this.maxBuffered || this.pending.length > MAX_PENDING_SEGMENTS) {
      this.sink.overLimit(frame);
      while ((this.bufferedLength > this.maxBuffered || this.pending.length > MAX_PENDING_SEGMENTS) && this.pending.length > 0) {
        const hole = seqDiff(this.pending[0].seq, this.nextSeq);
        if (hole > 0) this.declareGap(hole, frame, time);
        this.drain();
      }
    }
  }

  /** Delivers buffered segments that have become contiguous. */
  private drain(): void {
    const pending = this.pending;
    while (pending.length > 0) {
      const first = pending[0];
      const rel = seqDiff(first.seq, this.nextSeq);
      if (rel > 0) break;
      this.pop();
      this.bufferedLength -= first.length;
      const end = rel + first.length;
      if (end <= 0) {
        this.stats.retransmissions++;
        continue;
      }
      this.deliver(first.data, 0, first.captured, first.length, -rel, first.frame, first.time);
    }
  }

  /** `a` leaves the buffer before `b`. */
  private static before(a: Pending, b: Pending): boolean {
    const d = seqDiff(a.seq, b.seq);
    return d < 0 || (d === 0 && a.order < b.order);
  }

  private push(entry: Pending): void {
    const heap = this.pending;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!DirectionStream.before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  /** Removes the first segment (heap[0]). */
  private pop(): void {
    const heap = this.pending;
    const first = heap[0];
    const last = heap.pop()!;
    // The last segment at its sequence number is leaving: a new one there is no retransmission of it.
    const at = this.pendingAt?.get(first.seq);
    if (at !== undefined && --at.count === 0) this.pendingAt!.delete(first.seq);
    if (heap.length === 0) return;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && DirectionStream.before(heap[r], heap[l]) ? r : l;
      if (!DirectionStream.before(heap[c], last)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
  }

  /**
   * A hole before something already seen (a buffered segment, or the FIN) that the peer has
   * acknowledged past was received but not captured: it will never be retransmitted, so it is a
   * gap now. A hole the peer has not acknowledged may still be filled by a retransmission.
   */
  private settleHoles(frame: number, time: number): void {
    if (!this.ackSet) return;
    for (;;) {
      let target: number;
      if (this.pending.length > 0) target = this.pending[0].seq;
      else if (this.finKnown && !this.finDone) target = this.finSeq;
      else return;
      const hole = seqDiff(target, this.nextSeq);
      if (hole <= 0) return;
      const acked = seqDiff(this.ackedTo, this.nextSeq);
      if (acked <= 0) return;
      this.declareGap(acked < hole ? acked : hole, frame, time);
      this.drain();
    }
  }

  private declareGap(bytes: number, frame: number, time: number): void {
    this.stats.gaps++;
    this.stats.gapBytes += bytes;
    this.nextSeq = seqAdd(this.nextSeq, bytes);
    this.sink.gap(bytes, frame, time);
  }
}
