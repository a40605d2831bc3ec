/**
 * The tracker's index of TCP 4-tuples: a hash map keyed by a number computed from the address
 * words and ports (no string per packet), chained per bucket, plus two recency lists (live and
 * closed conversations) so that idle ones can be found from the oldest end without a scan.
 */
import type { PacketView } from '../../decoders/packet.js';
import type { TupleSource } from './syn-table.js';

/** What the table needs of an entry; the tracker's Flow adds the conversation state. */
export class FlowKey {
  readonly version: number;
  readonly a0: number;
  readonly a1: number;
  readonly a2: number;
  readonly a3: number;
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly b3: number;
  /** Side A is the sender of the first packet seen on this 4-tuple. */
  readonly portA: number;
  readonly portB: number;
  readonly hash: number;
  nextInBucket: FlowKey | null = null;
  older: FlowKey | null = null;
  newer: FlowKey | null = null;
  /** Which recency list holds the entry: 0 none, 1 live, 2 closed. */
  list = 0;
  lastTime = 0;

  constructor(v: TupleSource) {
    this.version = v.ipVersion;
    this.a0 = v.src0;
    this.a1 = v.src1;
    this.a2 = v.src2;
    this.a3 = v.src3;
    this.b0 = v.dst0;
    this.b1 = v.dst1;
    this.b2 = v.dst2;
    this.b3 = v.dst3;
    this.portA = v.srcPort;
    this.portB = v.dstPort;
    this.hash = tupleHash(v);
  }
}

/** Symmetric in the two endpoints, so both directions of a conversation land in one bucket. */
export function tupleHash(v: TupleSource): number {
  const h = endpointHash(v.src0, v.src1, v.src2, v.src3, v.srcPort) + endpointHash(v.dst0, v.dst1, v.dst2, v.dst3, v.dstPort);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

function endpointHash(w0: number, w1: number, w2: number, w3: number, port: number): number {
  let h = Math.imul(w0 ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ w1 ^ (h >>> 16), 0x85ebca77);
  h = Math.imul(h ^ w2 ^ (h >>> 13), 0xc2b2ae3d);
  h = Math.imul(h ^ w3 ^ (h >>> 16), 0x27d4eb2f);
  h = Math.imul(h ^ port ^ (h >>> 15), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

class RecencyList {
  oldest: FlowKey | null = null;
  newest: FlowKey | null = null;
  size = 0;

  append(e: FlowKey, id: number): void {
    e.list = id;
    e.older = this.newest;
    e.newer = null;
    if (this.newest !== null) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
    this.size++;
  }

  unlink(e: FlowKey): void {
    if (e.older !== null) e.older.newer = e.newer;
    else this.oldest = e.newer;
    if (e.newer !== null) e.newer.older = e.older;
    else this.newest = e.older;
    e.older = null;
    e.newer = null;
    e.list = 0;
    this.size--;
  }
}

const LIVE = 1;
const CLOSED = 2;

export class FlowTable<E extends FlowKey> {
  private readonly buckets = new Map<number, E>();
  private readonly live = new RecencyList();
  private readonly closed = new RecencyList();
  /** Set by find(): the packet was sent by side A of the entry found. */
  fromA = false;

  get size(): number {
    return this.live.size + this.closed.size;
  }

  /** The entry for the packet's 4-tuple, in either direction, or null. */
  find(v: PacketView): E | null {
    let e = this.buckets.get(tupleHash(v)) ?? null;
    while (e !== null) {
      if (e.version === v.ipVersion) {
        if (
          e.portA === v.srcPort &&
          e.portB === v.dstPort &&
          e.a0 === v.src0 &&
          e.b0 === v.dst0 &&
          e.a1 === v.src1 &&
          e.a2 === v.src2 &&
          e.a3 === v.src3 &&
          e.b1 === v.dst1 &&
          e.b2 === v.dst2 &&
          e.b3 === v.dst3
        ) {
          this.fromA = true;
          return e;
        }
        if (
          e.portA === v.dstPort &&
          e.portB === v.srcPort &&
          e.a0 === v.dst0 &&
          e.b0 === v.src0 &&
          e.a1 === v.dst1 &&
          e.a2 === v.dst2 &&
          e.a3 === v.dst3 &&
          e.b1 === v.src1 &&
          e.b2 === v.src2 &&
          e.b3 === v.src3
        ) {
          this.fromA = false;
          return e;
        }
      }
      e = e.nextInBucket as E | null;
    }
    return null;
  }

  /** Adds a live entry (its 4-tuple must not be in the table). */
  add(e: E, time: number): void {
    e.nextInBucket = this.buckets.get(e.hash) ?? null;
    this.buckets.set(e.hash, e);
    e.lastTime = time;
    this.live.append(e, LIVE);
  }

  remove(e: E): void {
    let prev: FlowKey | null = null;
    let cur: FlowKey | null = this.buckets.get(e.hash) ?? null;
    while (cur !== null && cur !== e) {
      prev = cur;
      cur = cur.nextInBucket;
    }
    if (cur === e) {
      if (prev !== null) prev.nextInBucket = e.nextInBucket;
      else if (e.nextInBucket !== null) this.buckets.set(e.hash, e.nextInBucket as E);
      else this.buckets.delete(e.hash);
    }
    e.nextInBucket = null;
    if (e.list === LIVE) this.live.unlink(e);
    else if (e.list === CLOSED) this.closed.unlink(e);
  }

  /** A packet for `e` at `time`: it becomes the newest of its list. */
  touch(e: E, time: number): void {
    if (time > e.lastTime) e.lastTime = time;
    const id = e.list;
    const list = id === LIVE ? this.live : this.closed;
    if (list.newest !== e) {
      list.unlink(e);
      list.append(e, id);
    }
  }

  /** Moves a conversation that has just closed to the closed list (its tombstone). */
  markClosed(e: E, time: number): void {
    if (e.list === LIVE) this.live.unlink(e);
    else if (e.list === CLOSED) this.closed.unlink(e);
    if (time > e.lastTime) e.lastTime = time;
    this.closed.append(e, CLOSED);
  }

  /** Moves a reopened tombstone back to the live list. */
  markLive(e: E, time: number): void {
    if (e.list === CLOSED) this.closed.unlink(e);
    else if (e.list === LIVE) this.live.unlink(e);
    if (time > e.lastTime) e.lastTime = time;
    this.live.append(e, LIVE);
  }

  /** The live entry that has waited longest for a packet. */
  oldestLive(): E | null {
    return this.live.oldest as E | null;
  }

  oldestClosed(): E | null {
    return this.closed.oldest as E | null;
  }

  /** Tombstones held (closed conversations within their linger). */
  get closedCount(): number {
    return this.closed.size;
  }

  /** Every entry, live ones first, oldest first. */
  *entries(): IterableIterator<E> {
    for (let e = this.live.oldest; e !== null; ) {
      const next: FlowKey | null = e.newer;
      yield e as E;
      e = next;
    }
    for (let e = this.closed.oldest; e !== null; ) {
      const next: FlowKey | null = e.newer;
      yield e as E;
      e = next;
    }
  }

  clear(): void {
    this.buckets.clear();
    this.live.oldest = this.live.newest = null;
    this.live.size = 0;
    this.closed.oldest = this.closed.newest = null;
    this.closed.size = 0;
  }
}
