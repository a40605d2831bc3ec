/**
 * UDP conversations, numbered as Wireshark's `udp.stream`: one index per 5-tuple (addresses and
 * ports, either direction), in the order of each tuple's first datagram. Wireshark never ends a UDP
 * conversation: the same tuple later in the capture keeps its index. Here a conversation idle for
 * the idle timeout (capture time) is closed to free its memory and its index kept in a tombstone, so
 * that a later datagram on the tuple continues the same udp.stream.
 *
 * Only conversations the opener takes (DTLS, QUIC: src/session/udp.ts) get a Conversation object
 * and a handler; every other UDP conversation costs a table entry (its index, its last time).
 */
import type { PacketView } from '../../decoders/packet.js';
import type { CaptureProblem } from '../input/frame.js';
import { FlowKey, FlowTable } from './flow-table.js';
import { ConversationRecord } from './conversation.js';
import type { ConversationEnd, Direction, DirectionStats } from './types.js';

/** Receives one UDP conversation's datagrams; `data` is a view valid only during the call. */
export interface DatagramHandler {
  onDatagram(dir: Direction, data: Uint8Array, frame: number, time: number): void;
  /** The conversation is over (idle, or the capture ended). */
  onClose(): void;
}

/**
 * Decides from a datagram's payload whether a conversation is worth a handler (`accepts`, cheap: a
 * few byte comparisons), then makes it (`open`, once per accepted conversation).
 */
export interface DatagramOpener {
  /** 1: open a handler; 0: not this datagram (counts against the look-ahead); -1: not yet, and not counted (STUN before DTLS). */
  accepts(data: Uint8Array, dstPort: number, srcPort: number): number;
  /** `continuation`: the udp.stream had a conversation before, closed when it went idle. */
  open(conversation: ConversationRecord & { readonly transport: 'udp' }, continuation: boolean): DatagramHandler;
}

/** Datagrams looked at (with payload) before a conversation is left alone: WebRTC sends STUN first. */
const SNIFF_DATAGRAMS = 8;
/** Tombstones (closed conversations' indices) kept at most; the oldest are forgotten first. */
const DEFAULT_MAX_CLOSED = 20_000;
const DEFAULT_IDLE_TIMEOUT = 600;

class UdpFlow extends FlowKey {
  stream = 0;
  conv: UdpConversation | null = null;
  handler: DatagramHandler | null = null;
  /** Datagrams with payload looked at without a handler being made. */
  sniffed = 0;
  closed = false;
  /** A handler was made for this tuple before (a later one continues its udp.stream). */
  opened = false;
}

class UdpConversation extends ConversationRecord {
  readonly transport = 'udp' as const;
}

function emptyStats(): DirectionStats {
  return { segments: 0, bytes: 0, gapBytes: 0, gaps: 0, retransmissions: 0, outOfOrder: 0 };
}

export class UdpTracker {
  private readonly table = new FlowTable<UdpFlow>();
  private nextStream = 0;
  private readonly idleTimeout: number;
  private readonly maxClosed: number;
  private lastSweep = -Infinity;
  private forgotten = 0;
  private readonly problems: CaptureProblem[] = [];
  private lastFrame = 0;

  constructor(
    private readonly opener: DatagramOpener,
    options: { readonly idleTimeoutSeconds?: number; readonly maxClosed?: number } = {},
  ) {
    this.idleTimeout = options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT;
    this.maxClosed = options.maxClosed ?? DEFAULT_MAX_CLOSED;
  }

  /** udp.stream indices given out so far. */
  get conversations(): number {
    return this.nextStream;
  }

  /** 5-tuples held in memory: open conversations and tombstones. */
  get tracked(): number {
    return this.table.size;
  }

  notes(): readonly CaptureProblem[] {
    return this.problems;
  }

  /** One UDP datagram, decoded into `v` (result `udp` of decodePacket). */
  push(v: PacketView, frame: number, time: number): void {
    this.lastFrame = frame;
    if (time - this.lastSweep >= Math.min(60, this.idleTimeout / 4)) this.expire(time);
    const table = this.table;
    let flow = table.find(v);
    let fromA = table.fromA;
    if (flow === null) {
      flow = new UdpFlow(v);
      flow.stream = this.nextStream++;
      table.add(flow, time);
      fromA = true;
    } else if (flow.closed) {
      // The tuple is back after an idle close: the same udp.stream goes on in a new conversation.
      flow.closed = false;
      flow.sniffed = 0;
      flow.conv = null;
      table.markLive(flow, time);
    } else {
      table.touch(flow, time);
    }
    const length = v.payloadCaptured;
    const conv = flow.conv;
    if (conv !== null) {
      conv.lastFrame = frame;
      conv.lastTime = time;
      const dir: Direction = fromA === conv.aIsClient ? 'client' : 'server';
      const stats = conv.stats[dir];
      stats.segments++;
      stats.bytes += length;
      if (flow.handler !== null && length > 0) flow.handler.onDatagram(dir, v.bytes.subarray(v.payloadOffset, v.payloadOffset + length), frame, time);
      return;
    }
    if (flow.sniffed >= SNIFF_DATAGRAMS || length === 0) return;
    const payload = v.bytes.subarray(v.payloadOffset, v.payloadOffset + length);
    const verdict = this.opener.accepts(payload, v.dstPort, v.srcPort);
    if (verdict <= 0) {
      if (verdict === 0) flow.sniffed++;
      return;
    }
    // The sender of the first datagram looked at is taken for the client; the session corrects it
    // from the payload (who sent the ClientHello, the QUIC Initial with a token-less long header).
    const a = { ip: v.sourceText(), port: v.srcPort };
    const b = { ip: v.destinationText(), port: v.dstPort };
    const statsA = emptyStats();
    const c = new UdpConversation(flow.stream, a, b, true, 'first-packet', statsA, emptyStats(), frame, time);
    // The direction test is `fromA === conv.aIsClient` with A the table entry's first sender: this
    // datagram's sender, the client, is side A exactly when it came from A.
    c.aIsClient = fromA;
    flow.conv = c;
    statsA.segments++;
    statsA.bytes += length;
    flow.handler = this.opener.open(c, flow.opened);
    flow.opened = true;
    flow.handler.onDatagram('client', payload, frame, time);
  }

  /** End of the capture: every open conversation closes (end kind `capture-ended`). */
  finish(): void {
    for (let flow = this.table.oldestLive(); flow !== null; flow = this.table.oldestLive()) this.close(flow, 'capture-ended', this.lastFrame, 0);
  }

  private close(flow: UdpFlow, kind: 'idle' | 'capture-ended', frame: number, time: number): void {
    const conv = flow.conv;
    const handler = flow.handler;
    flow.conv = null;
    flow.handler = null;
    flow.closed = true;
    this.table.markClosed(flow, flow.lastTime);
    if (conv !== null && conv.end === null) {
      const end: ConversationEnd = kind === 'capture-ended' ? { kind } : { kind, frame, time };
      conv.end = end;
    }
    if (handler !== null) handler.onClose();
  }

  private expire(now: number): void {
    this.lastSweep = now;
    let flow = this.table.oldestLive();
    while (flow !== null && now - flow.lastTime > this.idleTimeout) {
      const conv = flow.conv;
      this.close(flow, 'idle', conv ? conv.lastFrame : this.lastFrame, conv ? conv.lastTime : flow.lastTime);
      flow = this.table.oldestLive();
    }
    flow = this.table.oldestClosed();
    while (flow !== null && this.table.closedCount > this.maxClosed) {
      if (this.forgotten++ === 0) {
        this.problems.push({
          severity: 'note',
          code: 'udp-conversations-forgotten',
          message: `more than ${this.maxClosed} idle UDP conversations: the oldest are forgotten to bound memory; a later datagram on one of them starts a new udp.stream where Wireshark counts it in the old one`,
          frame: this.lastFrame,
        });
      }
      this.table.remove(flow);
      flow = this.table.oldestClosed();
    }
  }
}
