/**
 * The contract between TCP reassembly (src/flow) and everything above it (src/session).
 * Direction names the side that *sent* the bytes.
 */
export type Direction = 'client' | 'server';

export interface Endpoint {
  /** Textual address: dotted IPv4, or RFC 5952 IPv6 (without brackets). */
  readonly ip: string;
  readonly port: number;
}

/** How tlsdiag decided which side is the client. */
export type ClientBasis =
  | 'syn' // saw the SYN without ACK
  | 'syn-ack' // saw only the SYN+ACK: its receiver is the client
  | 'first-packet' // picked up mid-way: the sender of the first packet is assumed the client (a guess)
  | 'payload'; // a guess corrected by the payload (e.g. who sent the ClientHello)

/** How a conversation ended, as far as the capture shows. */
export interface ConversationEnd {
  /**
   * `idle`: no packet for FlowOptions.idleTimeoutSeconds of capture time; the conversation was
   * closed to free its memory (a later packet on the same addresses and ports opens a new
   * Conversation object with the same stream index, as Wireshark keeps one tcp.stream).
   */
  readonly kind: 'fin' | 'rst' | 'capture-ended' | 'superseded' | 'idle';
  /** Who sent the first FIN or the RST (absent for capture-ended). */
  readonly by?: Direction;
  readonly frame?: number;
  readonly time?: number;
}

export interface DirectionStats {
  segments: number;
  /** Payload bytes delivered in order (excluding retransmitted duplicates). */
  bytes: number;
  /** Bytes never seen (holes in the sequence space). */
  gapBytes: number;
  gaps: number;
  retransmissions: number;
  outOfOrder: number;
}

/**
 * One TCP conversation, numbered exactly as Wireshark's `tcp.stream`; or, with `transport: 'udp'`,
 * one UDP conversation (a 5-tuple) numbered as Wireshark's `udp.stream` (src/flow/udp-tracker.ts).
 */
export interface Conversation {
  readonly stream: number;
  /** Absent for TCP; `udp` for a UDP conversation, whose `stream` is then a udp.stream index. */
  readonly transport?: 'udp';
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly clientBasis: ClientBasis;
  readonly firstFrame: number;
  readonly firstTime: number;
  lastFrame: number;
  lastTime: number;
  readonly stats: { readonly client: DirectionStats; readonly server: DirectionStats };
  end: ConversationEnd | null;
  /**
   * Set by whoever consumes the conversation once its record is final (the analysis sets it when the
   * record goes to the report). From then on the tracker's tombstone drops the record and keeps only
   * what numbering needs, so that tombstones cost a few hundred bytes each instead of the record's
   * kilobyte and a half; a late segment after that no longer counts in these statistics.
   */
  final: boolean;
  /**
   * Swap client and server (called by the session layer when the payload proves the guess wrong,
   * e.g. the "server" sent the ClientHello). Allowed only while clientBasis is 'first-packet';
   * afterwards clientBasis is 'payload'. Directions of later callbacks follow the new roles.
   */
  swapRoles(): void;
}

/**
 * Receives one conversation's reassembled bytes, in sequence order per direction. `data` is a view
 * valid only during the call. Every callback carries the frame that supplied the bytes (or event),
 * so a later layer can say "this record completed in frame 9".
 */
export interface StreamHandler {
  onData(dir: Direction, data: Uint8Array, frame: number, time: number): void;
  /** `bytes` of this direction are missing (lost, or not captured); data resumes after them. */
  onGap(dir: Direction, bytes: number, frame: number, time: number): void;
  onFin(dir: Direction, frame: number, time: number): void;
  onRst(dir: Direction, frame: number, time: number): void;
  /** The conversation is over (closed and drained, superseded by port reuse, or the capture ended). */
  onClose(): void;
}

/** Called once per new conversation; returns its handler, or null to have its payload ignored. */
export type ConversationOpener = (conversation: Conversation) => StreamHandler | null;

export interface FlowOptions {
  /** Out-of-order bytes buffered per direction before the oldest hole is declared a gap. Default 4 MiB. */
  readonly maxBufferedPerDirection?: number;
  /** Conversations idle (no packet) for this many seconds of capture time are closed. Default 600. */
  readonly idleTimeoutSeconds?: number;
  /**
   * How long (capture time) a closed conversation's tombstone is kept after its last packet, so that
   * late segments (the last ACK, retransmitted FINs) keep their stream index and count in its stats.
   * Default 240 = TIME-WAIT's 2 × MSL, MSL being 2 minutes (RFC 793 §3.3).
   */
  readonly closedLingerSeconds?: number;
  /**
   * Tombstones kept at most, whatever their linger: past it the oldest are forgotten, so that memory
   * does not grow with the rate of new connections (a busy server closes hundreds a second). Default
   * 20,000: about 8 MB once their records are final (see `Conversation.final`), 30 MB while not. A late packet of a forgotten conversation then starts a new tcp.stream where
   * Wireshark would count it in the old one; a note says when the bound was reached.
   */
  readonly maxClosed?: number;
  /**
   * Live conversations past which a new conversation that has sent nothing but SYNs is kept in the
   * compact SYN table (about 64 bytes instead of several KB) until its next packet. Default 1,024.
   * Below it every conversation is full from its first packet. docs/tcp-reassembly.md says what
   * differs past it: a closed FTP control connection does not wait for an unanswered SYN.
   */
  readonly embryonicThreshold?: number;
  /** Bytes of IP fragments buffered for reassembly, all datagrams together. Default 4 MiB. */
  readonly maxFragmentBytes?: number;
  /** A datagram whose fragments are incomplete this long (capture time) is dropped. Default 30 s. */
  readonly fragmentTimeoutSeconds?: number;
}
