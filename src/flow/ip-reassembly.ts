/**
 * IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragment reassembly. Fragments of one datagram share
 * source, destination, identification and protocol. The reassembled datagram belongs to the frame of
 * the fragment that completed it, as Wireshark's "Reassembled in" does.
 *
 * Overlapping fragments: the bytes of the fragment with the lower offset win, and among fragments
 * at the same offset the first received; a conflicting overlap is noted (RFC 5722 makes IPv6
 * overlaps illegal, and overlaps have been used to slip payloads past inspection).
 */
import type { PacketView } from '../../decoders/packet.js';
import type { NoteBook } from './notes.js';

interface Fragment {
  readonly offset: number;
  readonly data: Uint8Array;
}

interface Datagram {
  readonly key: string;
  readonly firstTime: number;
  readonly protocol: number;
  /** Sorted by offset, equal offsets in arrival order (binary search on insertion). */
  readonly fragments: Fragment[];
  /** The fragments before this index cover [0, covered) without a hole. */
  merged: number;
  covered: number;
  /** Length of the whole datagram's payload, known once the last fragment (MF clear) arrived; -1 before. */
  total: number;
  bytes: number;
  /** A fragment was cut by the snap length: the datagram can never be complete. */
  broken: boolean;
}

/** The IP payload cannot exceed 65535 bytes minus the smallest header (RFC 791 total length). */
const MAX_DATAGRAM = 65535;
/**
 * What a fragment costs beyond its bytes, counted against the buffer bound so that empty fragments
 * count too (the object, its array slot, its view): a hostile capture sent 100,000 of them.
 */
export const FRAGMENT_OVERHEAD = 64;
/**
 * Fragments one datagram may have: 65,535 bytes in fragments of at least 8 bytes (RFC 791 offsets
 * count 8-byte units) is 8,192, and a few repeats. Past it the datagram is dropped with a note.
 */
export const MAX_FRAGMENTS_PER_DATAGRAM = 8_192 + 1_024;

export interface ReassembledDatagram {
  /** The datagram's payload (after the IPv4 header / the IPv6 fragment header). */
  readonly payload: Uint8Array;
  /** Protocol (next header) the fragments carried. */
  readonly protocol: number;
}

export class IpReassembler {
  /** Insertion order is arrival order of each datagram's first fragment: the oldest is first. */
  private readonly datagrams = new Map<string, Datagram>();
  private bufferedBytes = 0;

  constructor(
    private readonly notes: NoteBook,
    private readonly maxBytes: number,
    private readonly timeoutSeconds: number,
  ) {}

  /**
   * Adds the fragment described by `view` (result `fragment` of decodePacket). Returns the whole
   * datagram when this fragment completed it, else null.
   */
  accept(view: PacketView, frame: number, time: number): ReassembledDatagram | null {
    this.expire(time, frame);
    if (view.transportCaptured < view.transportLength) {
      this.notes.add('warning', 'ip-fragment-cut', 'an IP fragment was cut by the snap length; its datagram cannot be reassembled', frame);
    }
    const key = fragmentKey(view);
    let datagram = this.datagrams.get(key);
    if (datagram === undefined) {
      datagram = { key, firstTime: time, protocol: view.protocol, fragments: [], merged: 0, covered: 0, total: -1, bytes: 0, broken: false };
      this.datagrams.set(key, datagram);
    }
    const length = view.transportLength;
    if (view.fragmentOffset + length > MAX_DATAGRAM) {
      this.notes.add('warning', 'ip-fragment-too-long', 'IP fragments add up to more than 65535 bytes; the datagram was dropped', frame);
      this.drop(datagram);
      return null;
    }
    if (view.transportCaptured < length) datagram.broken = true;
    if (!view.moreFragments) {
      const total = view.fragmentOffset + length;
      if (datagram.total >= 0 && datagram.total !== total) {
        this.notes.add('warning', 'ip-fragment-conflict', 'two last fragments of one IP datagram disagree on its length', frame);
      } else datagram.total = total;
    }
    if (datagram.fragments.length >= MAX_FRAGMENTS_PER_DATAGRAM) {
      this.notes.add('warning', 'ip-fragments-dropped',
        `an IP datagram had more than ${MAX_FRAGMENTS_PER_DATAGRAM.toLocaleString('en-US')} fragments; it was dropped`, frame, 'ip-fragments-too-many');
      this.drop(datagram);
      return null;
    }
    const start = view.transportOffset;
    const data = view.bytes.slice(start, start + view.transportCaptured);
    insertFragment(datagram, { offset: view.fragmentOffset, data });
    const cost = data.length + FRAGMENT_OVERHEAD;
    datagram.bytes += cost;
    this.bufferedBytes += cost;
    const complete = this.assemble(datagram, frame);
    if (complete !== null) {
      this.drop(datagram);
      return { payload: complete, protocol: datagram.protocol };
    }
    while (this.bufferedBytes > this.maxBytes) {
      const oldest = this.datagrams.values().next().value;
      if (oldest === undefined) break;
      this.notes.add('warning', 'ip-fragments-dropped', `IP fragments beyond the reassembly buffer limit (${this.maxBytes} bytes, ${FRAGMENT_OVERHEAD} counted per fragment besides its bytes) were dropped`, frame);
      this.drop(oldest);
    }
    return null;
  }

  /** Datagrams still incomplete at the end of the capture are noted and dropped. */
  finish(frame: number): void {
    for (const datagram of this.datagrams.values()) {
      this.notes.add('note', 'ip-fragments-incomplete', 'an IP datagram was missing fragments when the capture ended', frame);
      this.drop(datagram);
    }
  }

  private expire(now: number, frame: number): void {
    for (const datagram of this.datagrams.values()) {
      if (now - datagram.firstTime <= this.timeoutSeconds) break;
      this.notes.add('note', 'ip-fragments-incomplete', 'an IP datagram was still missing fragments after the reassembly timeout', frame);
      this.drop(datagram);
    }
  }

  private drop(datagram: Datagram): void {
    if (this.datagrams.delete(datagram.key)) this.bufferedBytes -= datagram.bytes;
  }

  /** The whole payload when the fragments cover [0, total), else null. */
  private assemble(datagram: Datagram, frame: number): Uint8Array | null {
    if (datagram.total < 0 || datagram.broken || datagram.covered < datagram.total) return null;
    const sorted = datagram.fragments;
    const out = new Uint8Array(datagram.total);
    let filled = 0;
    for (const f of sorted) {
      const end = Math.min(f.offset + f.data.length, datagram.total);
      if (f.offset < filled) {
        const overlapEnd = Math.min(filled, end);
        for (let i = f.offset; i < overlapEnd; i++) {
          if (out[i] !== f.data[i - f.offset]) {
            this.notes.add('warning', 'ip-fragment-overlap', 'overlapping IP fragments carry different bytes; the lower-offset fragment was kept', frame);
            break;
          }
        }
      }
      if (end > filled) {
        out.set(f.data.subarray(filled - f.offset, end - f.offset), filled);
        filled = end;
      }
    }
    return out;
  }
}

function fragmentKey(v: PacketView): string {
  return v.ipVersion === 6
    ? `6 ${v.src0} ${v.src1} ${v.src2} ${v.src3} ${v.dst0} ${v.dst1} ${v.dst2} ${v.dst3} ${v.ipId} ${v.protocol}`
    : `4 ${v.src0} ${v.dst0} ${v.ipId} ${v.protocol}`;
}

/**
 * Inserts a fragment in offset order after those at the same offset (so the first received wins),
 * then extends the hole-free prefix. Each fragment is merged into the prefix once: the coverage
 * check costs O(log n) per fragment plus the array move, not a sort of every fragment per arrival.
 */
function insertFragment(datagram: Datagram, fragment: Fragment): void {
  const list = datagram.fragments;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].offset <= fragment.offset) lo = mid + 1;
    else hi = mid;
  }
  if (lo === list.length) list.push(fragment);
  else list.splice(lo, 0, fragment);
  if (lo < datagram.merged) {
    // Inside the merged prefix: it can only extend the coverage if it starts within it.
    datagram.merged++;
    if (fragment.offset <= datagram.covered) datagram.covered = Math.max(datagram.covered, fragment.offset + fragment.data.length);
  }
  while (datagram.merged < list.length && list[datagram.merged].offset <= datagram.covered) {
    const f = list[datagram.merged++];
    const end = f.offset + f.data.length;
    if (end > datagram.covered) datagram.covered = end;
  }
}
