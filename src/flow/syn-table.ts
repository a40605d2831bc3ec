/**
 * Conversations that have carried nothing but their opener's SYNs: a port scan, a SYN flood, a
 * firewall that drops every connection attempt. A full conversation (its Flow, record, session and
 * reassembly buffers) costs several KB; an entry here costs about 70 bytes (IPv4) in typed arrays,
 * so a million unanswered SYNs fit in tens of MB. The tracker keeps such conversations here only
 * while it holds many live ones (TcpTracker's EMBRYONIC_THRESHOLD); the first packet of the 4-tuple
 * that is not a retransmission of the SYN promotes the entry to a full conversation that starts with
 * what the entry counted, so the result is the same as if it had been full from its first packet.
 *
 * Entries live in pages of 65,536 (no copy of everything when the table grows), in a hash table
 * chained through an index array, and on a recency list (oldest first) for the idle timeout.
 */
import type { PacketView } from '../../decoders/packet.js';

const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
const NONE = -1;

/** The 4-tuple of an entry, side A being the SYN's sender (the shape FlowKey is built from). */
export interface TupleSource {
  readonly ipVersion: number;
  readonly src0: number;
  readonly src1: number;
  readonly src2: number;
  readonly src3: number;
  readonly dst0: number;
  readonly dst1: number;
  readonly dst2: number;
  readonly dst3: number;
  readonly srcPort: number;
  readonly dstPort: number;
}

class Page {
  /** Address words: A's then B's, `width` each (1 for IPv4, 4 for IPv6). */
  readonly words: Uint32Array;
  /** portA << 16 | portB. */
  readonly ports = new Uint32Array(PAGE_SIZE);
  readonly stream = new Uint32Array(PAGE_SIZE);
  readonly seq = new Uint32Array(PAGE_SIZE);
  readonly firstFrame = new Uint32Array(PAGE_SIZE);
  readonly lastFrame = new Uint32Array(PAGE_SIZE);
  /** SYNs seen (the first and its retransmissions). */
  readonly count = new Uint32Array(PAGE_SIZE);
  readonly firstTime = new Float64Array(PAGE_SIZE);
  readonly lastTime = new Float64Array(PAGE_SIZE);
  readonly hash = new Uint32Array(PAGE_SIZE);
  /** Next entry in the same hash bucket, or in the free list. */
  readonly chain = new Int32Array(PAGE_SIZE);
  readonly older = new Int32Array(PAGE_SIZE);
  readonly newer = new Int32Array(PAGE_SIZE);

  constructor(width: number) {
    this.words = new Uint32Array(PAGE_SIZE * 2 * width);
  }
}

export class SynTable {
  private readonly pages: Page[] = [];
  private buckets = new Int32Array(1024).fill(NONE);
  private mask = 1023;
  private free = NONE;
  private allocated = 0;
  private oldestEntry = NONE;
  private newestEntry = NONE;
  /** Entries held. */
  size = 0;
  /** Set by find(): the packet was sent by side A (the SYN's sender). */
  fromA = false;

  /** `width`: address words per side, 1 (IPv4) or 4 (IPv6). */
  constructor(private readonly width: 1 | 4) {}

  /** The entry for the packet's 4-tuple, in either direction, or -1. */
  find(v: PacketView, hash: number): number {
    let e = this.buckets[hash & this.mask];
    const w = this.width;
    while (e !== NONE) {
      const p = this.pages[e >>> PAGE_BITS];
      const i = e & PAGE_MASK;
      if (p.hash[i] === hash) {
        const ports = p.ports[i];
        const words = p.words;
        const at = i * 2 * w;
        if (ports === (((v.srcPort << 16) | v.dstPort) >>> 0) && sameSide(words, at, v, true, w) && sameSide(words, at + w, v, false, w)) {
          this.fromA = true;
          return e;
        }
        if (ports === (((v.dstPort << 16) | v.srcPort) >>> 0) && sameSide(words, at, v, false, w) && sameSide(words, at + w, v, true, w)) {
          this.fromA = false;
          return e;
        }
      }
      e = p.chain[i];
    }
    return NONE;
  }

  /** A new entry for the packet (a SYN from side A); returns its index. */
  add(v: PacketView, hash: number, stream: number, frame: number, time: number): number {
    const e = this.allocate();
    const p = this.pages[e >>> PAGE_BITS];
    const i = e & PAGE_MASK;
    const w = this.width;
    const at = i * 2 * w;
    const words = p.words;
    words[at] = v.src0;
    words[at + w] = v.dst0;
    if (w === 4) {
      words[at + 1] = v.src1;
      words[at + 2] = v.src2;
      words[at + 3] = v.src3;
      words[at + 5] = v.dst1;
      words[at + 6] = v.dst2;
      words[at + 7] = v.dst3;
    }
    p.ports[i] = ((v.srcPort << 16) | v.dstPort) >>> 0;
    p.stream[i] = stream;
    p.seq[i] = v.seq >>> 0;
    p.firstFrame[i] = frame;
    p.lastFrame[i] = frame;
    p.count[i] = 1;
    p.firstTime[i] = time;
    p.lastTime[i] = time;
    p.hash[i] = hash;
    const b = hash & this.mask;
    p.chain[i] = this.buckets[b];
    this.buckets[b] = e;
    this.append(e);
    if (++this.size > this.buckets.length) this.rehash();
    return e;
  }

  /** A retransmission of the entry's SYN at `frame`/`time`: counted, and the entry becomes the newest. */
  repeat(e: number, frame: number, time: number): void {
    const p = this.pages[e >>> PAGE_BITS];
    const i = e & PAGE_MASK;
    p.count[i]++;
    if (frame > p.lastFrame[i]) p.lastFrame[i] = frame;
    if (time > p.lastTime[i]) p.lastTime[i] = time;
    if (this.newestEntry !== e) {
      this.unlink(e);
      this.append(e);
    }
  }

  remove(e: number): void {
    const p = this.pages[e >>> PAGE_BITS];
    const i = e & PAGE_MASK;
    const b = p.hash[i] & this.mask;
    let cur = this.buckets[b];
    let prev = NONE;
    while (cur !== NONE && cur !== e) {
      prev = cur;
      cur = this.pages[cur >>> PAGE_BITS].chain[cur & PAGE_MASK];
    }
    if (cur === e) {
      if (prev === NONE) this.buckets[b] = p.chain[i];
      else this.pages[prev >>> PAGE_BITS].chain[prev & PAGE_MASK] = p.chain[i];
    }
    this.unlink(e);
    p.chain[i] = this.free;
    this.free = e;
    this.size--;
  }

  /** The entry that has waited longest for a packet, or -1. */
  oldest(): number {
    return this.oldestEntry;
  }

  /** The entry after `e` on the recency list, or -1. */
  newerThan(e: number): number {
    return this.pages[e >>> PAGE_BITS].newer[e & PAGE_MASK];
  }

  stream(e: number): number {
    return this.pages[e >>> PAGE_BITS].stream[e & PAGE_MASK];
  }

  seq(e: number): number {
    return this.pages[e >>> PAGE_BITS].seq[e & PAGE_MASK];
  }

  count(e: number): number {
    return this.pages[e >>> PAGE_BITS].count[e & PAGE_MASK];
  }

  firstFrame(e: number): number {
    return this.pages[e >>> PAGE_BITS].firstFrame[e & PAGE_MASK];
  }

  lastFrame(e: number): number {
    return this.pages[e >>> PAGE_BITS].lastFrame[e & PAGE_MASK];
  }

  firstTime(e: number): number {
    return this.pages[e >>> PAGE_BITS].firstTime[e & PAGE_MASK];
  }

  lastTime(e: number): number {
    return this.pages[e >>> PAGE_BITS].lastTime[e & PAGE_MASK];
  }

  /** The entry's 4-tuple with side A (the SYN's sender) as the source. */
  tuple(e: number): TupleSource {
    const p = this.pages[e >>> PAGE_BITS];
    const i = e & PAGE_MASK;
    const w = this.width;
    const at = i * 2 * w;
    const x = p.words;
    const ports = p.ports[i];
    return w === 1
      ? { ipVersion: 4, src0: x[at], src1: 0, src2: 0, src3: 0, dst0: x[at + 1], dst1: 0, dst2: 0, dst3: 0, srcPort: ports >>> 16, dstPort: ports & 0xffff }
      : {
          ipVersion: 6,
          src0: x[at],
          src1: x[at + 1],
          src2: x[at + 2],
          src3: x[at + 3],
          dst0: x[at + 4],
          dst1: x[at + 5],
          dst2: x[at + 6],
          dst3: x[at + 7],
          srcPort: ports >>> 16,
          dstPort: ports & 0xffff,
        };
  }

  private allocate(): number {
    if (this.free !== NONE) {
      const e = this.free;
      this.free = this.pages[e >>> PAGE_BITS].chain[e & PAGE_MASK];
      return e;
    }
    const e = this.allocated++;
    if ((e >>> PAGE_BITS) === this.pages.length) this.pages.push(new Page(this.width));
    return e;
  }

  private append(e: number): void {
    const p = this.pages[e >>> PAGE_BITS];
    const i = e & PAGE_MASK;
    p.older[i] = this.newestEntry;
    p.newer[i] = NONE;
    if (this.newestEntry !== NONE) this.pages[this.newestEntry >>> PAGE_BITS].newer[this.newestEntry & PAGE_MASK] = e;
    else this.oldestEntry = e;
    this.newestEntry = e;
  }

  private unlink(e: number): void {
    const p = this.pages[e >>> PAGE_BITS];
    const i = e & PAGE_MASK;
    const older = p.older[i];
    const newer = p.newer[i];
    if (older !== NONE) this.pages[older >>> PAGE_BITS].newer[older & PAGE_MASK] = newer;
    else this.oldestEntry = newer;
    if (newer !== NONE) this.pages[newer >>> PAGE_BITS].older[newer & PAGE_MASK] = older;
    else this.newestEntry = older;
  }

  /** Twice the buckets, each live entry chained again (entries themselves do not move). */
  private rehash(): void {
    const buckets = new Int32Array(this.buckets.length * 2).fill(NONE);
    const mask = buckets.length - 1;
    for (let e = this.oldestEntry; e !== NONE; ) {
      const p = this.pages[e >>> PAGE_BITS];
      const i = e & PAGE_MASK;
      const b = p.hash[i] & mask;
      p.chain[i] = buckets[b];
      buckets[b] = e;
      e = p.newer[i];
    }
    this.buckets = buckets;
    this.mask = mask;
  }
}

/** Whether the `width` words at `at` are the packet's source (`src`) or destination address. */
function sameSide(words: Uint32Array, at: number, v: PacketView, src: boolean, width: number): boolean {
  if (src) {
    if (words[at] !== v.src0 >>> 0) return false;
    return width === 1 || (words[at + 1] === v.src1 >>> 0 && words[at + 2] === v.src2 >>> 0 && words[at + 3] === v.src3 >>> 0);
  }
  if (words[at] !== v.dst0 >>> 0) return false;
  return width === 1 || (words[at + 1] === v.dst1 >>> 0 && words[at + 2] === v.dst2 >>> 0 && words[at + 3] === v.dst3 >>> 0);
}
