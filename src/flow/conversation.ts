import type { ClientBasis, Conversation, ConversationEnd, DirectionStats, Endpoint } from './types.js';

/**
 * The tracker's Conversation. Sides are named A (sender of the conversation's first packet) and B
 * inside the tracker; `aIsClient` maps them onto client and server, and swapRoles() flips it.
 */
export class ConversationRecord implements Conversation {
  readonly stream: number;
  client: Endpoint;
  server: Endpoint;
  clientBasis: ClientBasis;
  readonly firstFrame: number;
  readonly firstTime: number;
  lastFrame: number;
  lastTime: number;
  readonly stats: { client: DirectionStats; server: DirectionStats };
  end: ConversationEnd | null = null;
  final = false;
  /** Side A (the first packet's sender) is the client. */
  aIsClient: boolean;
  /** Set by the tracker that numbers this conversation: takes one stream index (see reserveStreamIndex). */
  reserver: (() => void) | null = null;

  reserveStreamIndex(): void {
    if (this.reserver !== null) this.reserver();
  }

  constructor(
    stream: number,
    a: Endpoint,
    b: Endpoint,
    aIsClient: boolean,
    basis: ClientBasis,
    statsA: DirectionStats,
    statsB: DirectionStats,
    frame: number,
    time: number,
  ) {
    this.stream = stream;
    this.aIsClient = aIsClient;
    this.client = aIsClient ? a : b;
    this.server = aIsClient ? b : a;
    this.clientBasis = basis;
    this.stats = aIsClient ? { client: statsA, server: statsB } : { client: statsB, server: statsA };
    this.firstFrame = frame;
    this.firstTime = time;
    this.lastFrame = frame;
    this.lastTime = time;
  }

  /**
   * Only a guess may be corrected: when the client was decided by a SYN or SYN+ACK, the call does
   * nothing (check clientBasis afterwards). After a swap the basis is 'payload', so a second call
   * does nothing either.
   */
  confirmRoles(basis: 'payload' | 'ports'): void {
    if (this.clientBasis === 'first-packet') this.clientBasis = basis;
  }

  swapRoles(basis: 'payload' | 'ports' = 'payload'): void {
    if (this.clientBasis !== 'first-packet') return;
    const client = this.client;
    this.client = this.server;
    this.server = client;
    const stats = this.stats.client;
    this.stats.client = this.stats.server;
    this.stats.server = stats;
    this.aIsClient = !this.aIsClient;
    this.clientBasis = basis;
    const end = this.end;
    if (end !== null && end.by !== undefined) this.end = { ...end, by: end.by === 'client' ? 'server' : 'client' };
  }
}
