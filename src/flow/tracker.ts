/**
 * Frames in, TCP conversations out: decodes each frame (reassembling IP fragments), numbers
 * conversations exactly as Wireshark's tcp.stream does, decides which side is the client, and
 * feeds each direction's reassembled bytes to the conversation's StreamHandler.
 * docs/tcp-reassembly.md explains the rules and where they differ from Wireshark.
 */
import type { CaptureProblem, Frame } from '../input/frame.js';
import { PacketView, decodePacket, decodeReassembled, type PacketResult } from '../../decoders/packet.js';
import { TcpFlag } from '../../decoders/tcp/tcp.js';
import { linkTypeName } from '../../decoders/link/linktypes.js';
import type {
  ClientBasis,
  ConversationEnd,
  ConversationOpener,
  Direction,
  DirectionStats,
  Endpoint,
  FlowOptions,
  StreamHandler,
} from './types.js';
import { ConversationRecord } from './conversation.js';
import { DirectionStream, MAX_PENDING_SEGMENTS, newDirectionStats, type StreamSink } from './reassembly.js';
import { sizeText } from '../input/expansion.js';
import { FlowKey, FlowTable, tupleHash } from './flow-table.js';
import { SynTable } from './syn-table.js';
import { addressText } from '../../decoders/ip/address.js';
import { IpReassembler } from './ip-reassembly.js';
import { NoteBook } from './notes.js';
import { seqAdd } from './sequence.js';

const DEFAULT_MAX_BUFFERED = 4 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT = 600;
const DEFAULT_CLOSED_LINGER = 240;
const DEFAULT_MAX_CLOSED = 20_000;
const DEFAULT_MAX_FRAGMENT_BYTES = 4 * 1024 * 1024;
const DEFAULT_FRAGMENT_TIMEOUT = 30;
const DEFAULT_EMBRYONIC_THRESHOLD = 1024;
const NO_ENTRY = -1;
/**
 * After one side resets, the other side's segments already in flight still reach the capture (real
 * captures show a server's data, even its alert, arriving after the client's RST). They are
 * delivered for this long (capture time) after the RST, or until that side ends too.
 */
const RESET_DRAIN_SECONDS = 2;

const SYN_ACK = TcpFlag.SYN | TcpFlag.ACK;

/** One 4-tuple: its numbering state (kept while it is a tombstone) and its live conversation. */
class Flow extends FlowKey {
  stream = 0;
  conv!: ConversationRecord;
  handler: StreamHandler | null = null;
  streamA: DirectionStream | null = null;
  streamB: DirectionStream | null = null;
  /**
   * Wireshark's per-direction base_seq (packet-tcp.c, tcp_analyze_sequence_number): set from a
   * side's first SYN (its sequence number) or first other segment (sequence number - 1), or from
   * the other side's first ACK (acknowledgment - 1). A SYN whose sequence number differs from its
   * side's base starts a new tcp.stream.
   */
  baseA = 0;
  baseB = 0;
  baseSetA = false;
  baseSetB = false;
  /** The conversation is over; the entry is a tombstone that keeps numbering and late-packet stats. */
  closed = false;
  /** Closed for idleness rather than by FIN/RST: any later packet reopens it under the same index. */
  idleClosed = false;
  /** Which side sent the RST whose in-flight aftermath is being drained: 0 none, 1 A, 2 B. */
  resetSide = 0;
  resetTime = 0;
  /**
   * A tombstone whose record the analysis has made final: `conv` is the shared DETACHED record and
   * the fields below keep what a late packet (a reopening, the forgetting note) still needs.
   */
  detached = false;
  keptLastFrame = 0;
  aWasClient = true;
  basisWas: ClientBasis = 'first-packet';
}

/** Stands in for the record of a detached tombstone; never written (segment() stops before). */
const DETACHED = new ConversationRecord(-1, { ip: '', port: 0 }, { ip: '', port: 0 }, true, 'first-packet', newDirectionStats(), newDirectionStats(), 0, 0);
/** A tombstone whose record is not yet final is looked at again after this long (capture time). */
const DETACH_RECHECK_SECONDS = 10;

/** A closed conversation waiting for its record to become final, so that its tombstone can drop it. */
interface Closing {
  readonly flow: Flow;
  readonly conv: ConversationRecord;
  readonly at: number;
}
/** An emptied slot of the closing queue (it holds nothing, so the record can go at once). */
const SPENT: Closing = { flow: null as unknown as Flow, conv: DETACHED, at: 0 };

/** Delivers one side's reassembled stream to the conversation's handler, under its current role. */
class SideSink implements StreamSink {
  constructor(
    private readonly flow: Flow,
    private readonly isA: boolean,
    private readonly notes: NoteBook,
    private readonly limitMessage: string,
  ) {}

  private direction(): Direction {
    return this.isA === this.flow.conv.aIsClient ? 'client' : 'server';
  }

  data(data: Uint8Array, frame: number, time: number): void {
    const handler = this.flow.handler;
    if (handler !== null) handler.onData(this.direction(), data, frame, time);
  }

  gap(bytes: number, frame: number, time: number): void {
    const handler = this.flow.handler;
    if (handler !== null) handler.onGap(this.direction(), bytes, frame, time);
  }

  fin(frame: number, time: number): void {
    const handler = this.flow.handler;
    if (handler !== null) handler.onFin(this.direction(), frame, time);
  }

  outOfWindow(frame: number): void {
    this.notes.add('note', 'tcp-out-of-window', 'a TCP segment far outside its conversation\'s sequence space was ignored', frame);
  }

  overLimit(frame: number): void {
    this.notes.add('warning', 'tcp-buffer-limit', this.limitMessage, frame);
  }
}

export class TcpTracker {
  private readonly view = new PacketView();
  private readonly table = new FlowTable<Flow>();
  private readonly notebook = new NoteBook();
  private readonly fragments: IpReassembler;
  private readonly maxBuffered: number;
  private readonly limitMessage: string;
  private readonly idleTimeout: number;
  private readonly closedLinger: number;
  private readonly maxClosed: number;
  private readonly embryonicThreshold: number;
  /** Conversations that have sent only SYNs, kept compactly while many are live (see syn-table.ts). */
  private readonly syn4 = new SynTable(1);
  private readonly syn6 = new SynTable(4);
  private forgotten = 0;
  /** Conversations draining after a RST, in the order of their RSTs. */
  private resetQueue: Flow[] = [];
  private resetHead = 0;
  /** Tombstones still holding their record, in the order they closed. */
  private closing: Closing[] = [];
  private closingHead = 0;
  private nextStream = 0;
  private lastStreamIndex = -1;
  private lastFrameNumber = 0;
  /**
   * Given every UDP datagram (whole, after IP reassembly) with the decoded view and the frame's
   * number and time; null (the default) costs one comparison per UDP frame and nothing per TCP one.
   */
  udp: ((view: PacketView, frame: number, time: number) => void) | null = null;

  constructor(
    private readonly open: ConversationOpener,
    options: FlowOptions = {},
  ) {
    this.maxBuffered = options.maxBufferedPerDirection ?? DEFAULT_MAX_BUFFERED;
    this.limitMessage =
      `out-of-order TCP data beyond the reassembly bound (${sizeText(this.maxBuffered)} or ` +
      `${MAX_PENDING_SEGMENTS.toLocaleString('en-US')} segments per direction) was not waited for: the hole before it is reported as a gap`;
    this.idleTimeout = options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT;
    this.closedLinger = options.closedLingerSeconds ?? DEFAULT_CLOSED_LINGER;
    this.maxClosed = options.maxClosed ?? DEFAULT_MAX_CLOSED;
    this.embryonicThreshold = options.embryonicThreshold ?? DEFAULT_EMBRYONIC_THRESHOLD;
    this.fragments = new IpReassembler(
      this.notebook,
      options.maxFragmentBytes ?? DEFAULT_MAX_FRAGMENT_BYTES,
      options.fragmentTimeoutSeconds ?? DEFAULT_FRAGMENT_TIMEOUT,
    );
  }

  /** Stream indices given out so far: the number of TCP conversations (tcp.stream values) seen. */
  get conversations(): number {
    return this.nextStream;
  }

  /** tcp.stream of the last frame pushed, or -1 when it was not a TCP segment. */
  get lastStream(): number {
    return this.lastStreamIndex;
  }

  /** 4-tuples currently held in memory: live conversations (compact ones too) plus tombstones of closed ones. */
  get tracked(): number {
    return this.table.size + this.syn4.size + this.syn6.size;
  }

  notes(): readonly CaptureProblem[] {
    return this.notebook.list();
  }

  push(frame: Frame): void {
    const view = this.view;
    const number = frame.number;
    const time = frame.seconds + frame.nanos / 1e9;
    this.lastStreamIndex = -1;
    this.lastFrameNumber = number;
    this.expire(time);
    let result = decodePacket(frame.linkType, frame.data, view);
    if (result === 'fragment') {
      const datagram = this.fragments.accept(view, number, time);
      if (datagram === null) return;
      result = decodeReassembled(datagram.payload, datagram.protocol, view);
    }
    if (result === 'tcp-in-icmp') {
      this.quoted(number, time);
      return;
    }
    if (result !== 'tcp') {
      if (result === 'udp') {
        if (this.udp !== null) this.udp(view, number, time);
        return;
      }
      this.noteResult(result, frame);
      if (!view.tcpHeaderRead) return;
    } else if (view.payloadCaptured < view.payloadLength) {
      this.notebook.add('warning', 'snaplen-cut', 'the snap length cut TCP payload; the missing bytes are reported as gaps', number);
    }
    this.segment(result === 'tcp', number, time);
  }

  /** End of capture: every open conversation is drained and closed (end kind `capture-ended`). */
  finish(): void {
    const frame = this.lastFrameNumber;
    // In tcp.stream order, so that the report's order spool has nothing to hold back. Compact
    // conversations are made full one at a time, closed and let go at once.
    const live: Flow[] = [];
    for (const flow of this.table.entries()) if (!flow.closed) live.push(flow);
    live.sort((x, y) => x.stream - y.stream);
    const compact = [this.sortedCompact(this.syn4), this.sortedCompact(this.syn6)];
    const at = [0, 0];
    let next = 0;
    for (;;) {
      let pick = -1;
      let best = next < live.length ? live[next].stream : Infinity;
      for (let k = 0; k < 2; k++) {
        if (at[k] < compact[k].length) {
          const syn = k === 0 ? this.syn4 : this.syn6;
          const stream = syn.stream(compact[k][at[k]]);
          if (stream < best) {
            best = stream;
            pick = k;
          }
        }
      }
      if (best === Infinity) break;
      const flow = pick === -1 ? live[next++] : this.promote(pick === 0 ? this.syn4 : this.syn6, compact[pick][at[pick]++], false);
      this.close(flow, 'capture-ended', flow.conv.lastFrame, flow.conv.lastTime);
    }
    this.table.clear();
    this.fragments.finish(frame);
  }

  private segment(complete: boolean, frame: number, time: number): void {
    const v = this.view;
    const flags = v.flags;
    const synOnly = (flags & SYN_ACK) === TcpFlag.SYN;
    let flow = this.table.find(v);
    let fromA = this.table.fromA;
    if (flow !== null && synOnly && flow.resetSide !== 0 && !flow.closed) {
      // A new SYN ends the wait for bytes in flight after a RST.
      this.endDrain(flow, frame, time);
    }
    if (flow === null) {
      const syn = v.ipVersion === 6 ? this.syn6 : this.syn4;
      const bare = synOnly && complete && (flags & (TcpFlag.RST | TcpFlag.FIN)) === 0 && v.payloadLength === 0;
      if (syn.size > 0) {
        const e = syn.find(v, tupleHash(v));
        if (e !== NO_ENTRY) {
          if (bare && syn.fromA && v.seq >>> 0 === syn.seq(e)) {
            // The SYN again (a retransmission): counted in the compact entry.
            syn.repeat(e, frame, time);
            this.lastStreamIndex = syn.stream(e);
            return;
          }
          fromA = syn.fromA;
          flow = this.promote(syn, e, true);
        }
      }
      if (flow === null && bare && this.table.size - this.table.closedCount >= this.embryonicThreshold) {
        const stream = this.nextStream++;
        syn.add(v, tupleHash(v), stream, frame, time);
        this.lastStreamIndex = stream;
        return;
      }
    }
    if (flow === null) {
      flow = this.create(frame, time);
      fromA = true;
    } else if (synOnly && (fromA ? flow.baseSetA : flow.baseSetB) && v.seq !== (fromA ? flow.baseA : flow.baseB)) {
      // Port reuse: Wireshark 4.0 starts a new tcp.stream for a SYN whose sequence number differs
      // from the base of the conversation found (a SYN repeating it is a retransmission).
      if (!flow.closed) this.close(flow, 'superseded', frame, time);
      this.table.remove(flow);
      flow = this.create(frame, time);
      fromA = true;
    } else if (flow.closed && (synOnly || flow.idleClosed)) {
      this.reopen(flow, fromA, frame, time);
    }
    this.lastStreamIndex = flow.stream;
    this.updateBases(flow, fromA, flags);
    this.table.touch(flow, time);
    // A late packet of a conversation whose record is final: nothing is left to count it in.
    if (flow.detached) return;

    const conv = flow.conv;
    if (frame > conv.lastFrame) conv.lastFrame = frame;
    if (time > conv.lastTime) conv.lastTime = time;
    const aIsClient = conv.aIsClient;
    (fromA === aIsClient ? conv.stats.client : conv.stats.server).segments++;
    if (flow.closed || !complete) return;

    const side = fromA ? flow.streamA! : flow.streamB!;
    const other = fromA ? flow.streamB! : flow.streamA!;
    if (flow.resetSide !== 0) {
      this.afterReset(flow, fromA, side, frame, time);
      return;
    }
    if ((flags & TcpFlag.ACK) !== 0) other.ack(v.ack, frame, time);
    if ((flags & TcpFlag.RST) !== 0) {
      this.reset(flow, fromA, side, other, frame, time);
      return;
    }
    let seq = v.seq;
    if ((flags & TcpFlag.SYN) !== 0) {
      side.syn(seq);
      seq = seqAdd(seq, 1);
    }
    const fin = (flags & TcpFlag.FIN) !== 0;
    if (fin && conv.end === null) conv.end = { kind: 'fin', by: direction(fromA, conv), frame, time };
    side.segment(seq, v.bytes, v.payloadOffset, v.payloadCaptured, v.payloadLength, fin, frame, time);
    if (flow.streamA!.finished && flow.streamB!.finished) this.retire(flow, time);
  }

  /**
   * A TCP header quoted by an ICMP error: Wireshark counts the frame in the conversation the quote
   * names, opening one if needed, and applies its SYN rule to a quoted SYN. Nothing is delivered and
   * no statistics change: the quote is not a segment of the conversation.
   */
  private quoted(frame: number, time: number): void {
    const v = this.view;
    let flow = this.table.find(v);
    let fromA = this.table.fromA;
    if (flow === null) {
      const syn = v.ipVersion === 6 ? this.syn6 : this.syn4;
      const e = syn.size > 0 ? syn.find(v, tupleHash(v)) : NO_ENTRY;
      if (e !== NO_ENTRY) {
        fromA = syn.fromA;
        flow = this.promote(syn, e, true);
      }
    }
    if (flow === null) flow = this.create(frame, time);
    else if ((v.flags & SYN_ACK) === TcpFlag.SYN) {
      if ((fromA ? flow.baseSetA : flow.baseSetB) && v.seq !== (fromA ? flow.baseA : flow.baseB)) {
        if (!flow.closed) this.close(flow, 'superseded', frame, time);
        this.table.remove(flow);
        flow = this.create(frame, time);
      }
    }
    this.lastStreamIndex = flow.stream;
  }

  /** Wireshark's base_seq bookkeeping, in its order: the SYN+ACK rule first, then first values. */
  private updateBases(flow: Flow, fromA: boolean, flags: number): void {
    const v = this.view;
    if ((flags & SYN_ACK) === SYN_ACK) {
      // packet-tcp.c: a SYN+ACK with a new sequence number updates its side's base (issue 16944).
      if (fromA ? flow.baseSetA : flow.baseSetB) {
        if (fromA) flow.baseA = v.seq;
        else flow.baseB = v.seq;
      }
    }
    const first = (flags & TcpFlag.SYN) !== 0 ? v.seq : seqAdd(v.seq, -1);
    if (fromA) {
      if (!flow.baseSetA) {
        flow.baseA = first;
        flow.baseSetA = true;
      }
      if (!flow.baseSetB && (flags & TcpFlag.ACK) !== 0) {
        flow.baseB = seqAdd(v.ack, -1);
        flow.baseSetB = true;
      }
    } else {
      if (!flow.baseSetB) {
        flow.baseB = first;
        flow.baseSetB = true;
      }
      if (!flow.baseSetA && (flags & TcpFlag.ACK) !== 0) {
        flow.baseA = seqAdd(v.ack, -1);
        flow.baseSetA = true;
      }
    }
  }

  /** A new conversation for the current packet's 4-tuple; its sender becomes side A. */
  private create(frame: number, time: number): Flow {
    const v = this.view;
    const flow = new Flow(v);
    flow.stream = this.nextStream++;
    const a: Endpoint = { ip: v.sourceText(), port: v.srcPort };
    const b: Endpoint = { ip: v.destinationText(), port: v.dstPort };
    const synFlags = v.flags & SYN_ACK;
    let aIsClient = true;
    let basis: ClientBasis = 'first-packet';
    if (synFlags === TcpFlag.SYN) basis = 'syn';
    else if (synFlags === SYN_ACK) {
      aIsClient = false;
      basis = 'syn-ack';
    }
    this.begin(flow, a, b, aIsClient, basis, frame, time);
    this.table.add(flow, time);
    return flow;
  }

  /**
   * A compact entry becomes a full conversation, as if it had been one since its first SYN: same
   * index, first and last frame, segment and retransmission counts, base sequence number. `track`:
   * it goes into the table (it lives on); otherwise the caller closes it at once.
   */
  private promote(syn: SynTable, e: number, track: boolean): Flow {
    const key = syn.tuple(e);
    const flow = new Flow(key);
    flow.stream = syn.stream(e);
    const seq = syn.seq(e);
    flow.baseA = seq;
    flow.baseSetA = true;
    const a: Endpoint = { ip: addressText(key.ipVersion, key.src0, key.src1, key.src2, key.src3), port: key.srcPort };
    const b: Endpoint = { ip: addressText(key.ipVersion, key.dst0, key.dst1, key.dst2, key.dst3), port: key.dstPort };
    this.begin(flow, a, b, true, 'syn', syn.firstFrame(e), syn.firstTime(e));
    const conv = flow.conv;
    conv.lastFrame = syn.lastFrame(e);
    conv.lastTime = syn.lastTime(e);
    const count = syn.count(e);
    const stats = conv.stats.client;
    stats.segments = count;
    flow.streamA!.syn(seq);
    stats.retransmissions += count - 1;
    const last = conv.lastTime;
    syn.remove(e);
    if (track) this.table.add(flow, last);
    else flow.lastTime = last;
    return flow;
  }

  /**
   * A tombstone receives a packet Wireshark counts in the same tcp.stream (a SYN repeating the old
   * initial sequence number, or anything after an idle close): a new Conversation object under the
   * same index takes over.
   */
  private reopen(flow: Flow, fromA: boolean, frame: number, time: number): void {
    const v = this.view;
    let a: Endpoint;
    let b: Endpoint;
    let aIsClient: boolean;
    let basis: ClientBasis;
    if (flow.detached) {
      const sender: Endpoint = { ip: v.sourceText(), port: v.srcPort };
      const receiver: Endpoint = { ip: v.destinationText(), port: v.dstPort };
      a = fromA ? sender : receiver;
      b = fromA ? receiver : sender;
      aIsClient = flow.aWasClient;
      basis = flow.basisWas;
      flow.detached = false;
    } else {
      const old = flow.conv;
      a = old.aIsClient ? old.client : old.server;
      b = old.aIsClient ? old.server : old.client;
      aIsClient = old.aIsClient;
      basis = old.clientBasis;
    }
    const synFlags = v.flags & SYN_ACK;
    if (synFlags === TcpFlag.SYN) {
      aIsClient = fromA;
      basis = 'syn';
    } else if (synFlags === SYN_ACK) {
      aIsClient = !fromA;
      basis = 'syn-ack';
    }
    flow.closed = false;
    flow.idleClosed = false;
    this.begin(flow, a, b, aIsClient, basis, frame, time);
    this.table.markLive(flow, time);
  }

  private begin(flow: Flow, a: Endpoint, b: Endpoint, aIsClient: boolean, basis: ClientBasis, frame: number, time: number): void {
    const statsA: DirectionStats = newDirectionStats();
    const statsB: DirectionStats = newDirectionStats();
    flow.conv = new ConversationRecord(flow.stream, a, b, aIsClient, basis, statsA, statsB, frame, time);
    flow.handler = this.open(flow.conv);
    const keep = flow.handler !== null;
    flow.streamA = new DirectionStream(new SideSink(flow, true, this.notebook, this.limitMessage), keep, this.maxBuffered, statsA);
    flow.streamB = new DirectionStream(new SideSink(flow, false, this.notebook, this.limitMessage), keep, this.maxBuffered, statsB);
  }

  /**
   * A RST: the resetting side's stream ends here (its holes become gaps). The other side's stream
   * stays open for what it had in flight, unless the resetting side never opened the connection
   * (a refused SYN: nothing can be in flight) or the other side has already finished.
   */
  private reset(flow: Flow, fromA: boolean, side: DirectionStream, other: DirectionStream, frame: number, time: number): void {
    const conv = flow.conv;
    side.flush(frame, time);
    const by = direction(fromA, conv);
    if (conv.end === null || conv.end.kind === 'fin') conv.end = { kind: 'rst', by, frame, time };
    if (flow.handler !== null) flow.handler.onRst(by, frame, time);
    if (!side.isStarted || other.finished) {
      other.flush(frame, time);
      this.retire(flow, time);
      return;
    }
    flow.resetSide = fromA ? 1 : 2;
    flow.resetTime = time;
    this.resetQueue.push(flow);
  }

  /** A segment after a RST: only the other side's in-flight bytes still count. */
  private afterReset(flow: Flow, fromA: boolean, side: DirectionStream, frame: number, time: number): void {
    if (fromA === (flow.resetSide === 1)) return;
    const v = this.view;
    const flags = v.flags;
    if ((flags & TcpFlag.RST) !== 0) {
      side.flush(frame, time);
      if (flow.handler !== null) flow.handler.onRst(direction(fromA, flow.conv), frame, time);
      this.retire(flow, time);
      return;
    }
    const seq = (flags & TcpFlag.SYN) !== 0 ? seqAdd(v.seq, 1) : v.seq;
    side.segment(seq, v.bytes, v.payloadOffset, v.payloadCaptured, v.payloadLength, (flags & TcpFlag.FIN) !== 0, frame, time);
    if (side.finished) this.retire(flow, time);
  }

  /** Ends a conversation that did not close by itself (port reuse, idleness, end of capture). */
  private close(flow: Flow, kind: 'superseded' | 'idle' | 'capture-ended', frame: number, time: number): void {
    const conv = flow.conv;
    flow.streamA!.flush(frame, time);
    flow.streamB!.flush(frame, time);
    if (conv.end === null) {
      const end: ConversationEnd = kind === 'capture-ended' ? { kind } : { kind, frame, time };
      conv.end = end;
    }
    if (kind === 'idle') flow.idleClosed = true;
    this.retire(flow, time);
  }

  /** The conversation is over: its handler hears so, its buffers go, its entry becomes a tombstone. */
  private retire(flow: Flow, time: number): void {
    const handler = flow.handler;
    flow.handler = null;
    flow.streamA!.release();
    flow.streamB!.release();
    flow.streamA = null;
    flow.streamB = null;
    flow.closed = true;
    flow.resetSide = 0;
    if (flow.list !== 0) {
      this.table.markClosed(flow, time);
      this.closing.push({ flow, conv: flow.conv, at: time });
    }
    if (handler !== null) handler.onClose();
  }

  /**
   * Tombstones whose record the analysis has made final let it go. One whose record is still being
   * read (an FTP control connection waiting for its data connections) is looked at again later.
   */
  private detachFinal(now: number): void {
    const q = this.closing;
    while (this.closingHead < q.length) {
      const c = q[this.closingHead];
      const flow = c.flow;
      if (flow.conv !== c.conv || !flow.closed || flow.list === 0) {
        q[this.closingHead++] = SPENT; // reopened, replaced or forgotten since
      } else if (c.conv.final) {
        flow.keptLastFrame = c.conv.lastFrame;
        flow.aWasClient = c.conv.aIsClient;
        flow.basisWas = c.conv.clientBasis;
        flow.conv = DETACHED;
        flow.detached = true;
        q[this.closingHead++] = SPENT;
      } else if (now - c.at > DETACH_RECHECK_SECONDS) {
        q[this.closingHead++] = SPENT;
        q.push({ flow, conv: c.conv, at: now });
      } else {
        break;
      }
    }
    if (this.closingHead === q.length) {
      q.length = 0;
      this.closingHead = 0;
    } else if (this.closingHead > 1024 && this.closingHead * 2 > q.length) {
      this.closing = q.slice(this.closingHead);
      this.closingHead = 0;
    }
  }

  /** The wait after a RST is over: what the other side had buffered is flushed, and it closes. */
  private endDrain(flow: Flow, frame: number, time: number): void {
    const rest = flow.resetSide === 1 ? flow.streamB! : flow.streamA!;
    rest.flush(frame, time);
    this.retire(flow, time);
  }

  /** Idle conversations are closed; tombstones past their linger are forgotten. */
  private expire(now: number): void {
    const queue = this.resetQueue;
    while (this.resetHead < queue.length && now - queue[this.resetHead].resetTime > RESET_DRAIN_SECONDS) {
      const reset = queue[this.resetHead++];
      if (!reset.closed && reset.resetSide !== 0) this.endDrain(reset, reset.conv.lastFrame, reset.conv.lastTime);
    }
    if (this.resetHead === queue.length) {
      queue.length = 0;
      this.resetHead = 0;
    } else if (this.resetHead > 1024 && this.resetHead * 2 > queue.length) {
      this.resetQueue = queue.slice(this.resetHead);
      this.resetHead = 0;
    }
    if (this.syn4.size > 0) this.expireCompact(this.syn4, now);
    if (this.syn6.size > 0) this.expireCompact(this.syn6, now);
    let flow = this.table.oldestLive();
    while (flow !== null && now - flow.lastTime > this.idleTimeout) {
      this.close(flow, 'idle', flow.conv.lastFrame, flow.conv.lastTime);
      // close() moved it to the closed list, stamped with the idle close time.
      this.table.markClosed(flow, now);
      flow = this.table.oldestLive();
    }
    flow = this.table.oldestClosed();
    while (flow !== null && (now - flow.lastTime > this.closedLinger || this.table.closedCount > this.maxClosed)) {
      if (now - flow.lastTime <= this.closedLinger && this.forgotten++ === 0) {
        this.notebook.add(
          'note',
          'closed-conversations-forgotten',
          `more than ${this.maxClosed} conversations closed within ${this.closedLinger} s: the oldest are forgotten before their linger ends, to bound memory; a late packet of one of them would start a new tcp.stream where Wireshark counts it in the old one`,
          flow.detached ? flow.keptLastFrame : flow.conv.lastFrame,
        );
      }
      this.table.remove(flow);
      flow = this.table.oldestClosed();
    }
    this.detachFinal(now);
  }

  /** The compact table's entries, in tcp.stream order. */
  private sortedCompact(syn: SynTable): Int32Array {
    const entries = new Int32Array(syn.size);
    let n = 0;
    for (let e = syn.oldest(); e !== NO_ENTRY; e = syn.newerThan(e)) entries[n++] = e;
    return entries.sort((x, y) => syn.stream(x) - syn.stream(y));
  }

  /** Compact conversations idle too long are made full and closed like any other (they become tombstones). */
  private expireCompact(syn: SynTable, now: number): void {
    for (let e = syn.oldest(); e !== NO_ENTRY && now - syn.lastTime(e) > this.idleTimeout; e = syn.oldest()) {
      const idle = this.promote(syn, e, true);
      this.close(idle, 'idle', idle.conv.lastFrame, idle.conv.lastTime);
      this.table.markClosed(idle, now);
    }
  }

  private noteResult(result: PacketResult, frame: Frame): void {
    const v = this.view;
    switch (result) {
      case 'unknown-linktype': {
        const key = `unknown-linktype ${frame.linkType}`;
        const message = this.notebook.has(key) ? '' : `frames of link type ${linkTypeName(frame.linkType)} cannot be decoded`;
        this.notebook.add('warning', 'unknown-linktype', message, frame.number, key);
        return;
      }
      case 'truncated':
        this.notebook.add('warning', 'header-truncated', 'the snap length cut a frame inside its headers', frame.number);
        return;
      case 'malformed': {
        const key = `malformed ${v.issueCode}`;
        const message = this.notebook.has(key) ? '' : `malformed header: ${v.issueMessage}${v.issueRule === '' ? '' : ` (${v.issueRule})`}`;
        this.notebook.add('warning', v.issueCode, message, frame.number, key);
        return;
      }
      default:
        return;
    }
  }
}

function direction(fromA: boolean, conv: ConversationRecord): Direction {
  return fromA === conv.aIsClient ? 'client' : 'server';
}
