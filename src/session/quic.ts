/**
 * One UDP conversation carrying QUIC turned into a TLS transcript. Initial packets are opened with
 * keys derived from the client's first Destination Connection ID (RFC 9001 §5.2; no key log
 * needed); their CRYPTO frames are reassembled into the ClientHello and ServerHello, decoded by
 * decoders/tls. Handshake packets are the encrypted handshake, 1-RTT (short header) packets the
 * application data. A CONNECTION_CLOSE whose error is 0x0100-0x01ff carries a TLS alert (RFC 9001
 * §4.8) and is reported as that alert.
 *
 * With a key log holding CLIENT_/SERVER_HANDSHAKE_TRAFFIC_SECRET for the ClientHello's random,
 * Handshake packets are opened too (keys per RFC 9001 §5.1, src/tls-keys/quic.ts; the same opener
 * as Initial packets): their CRYPTO frames form the Handshake-level message stream
 * (EncryptedExtensions ... Finished, marked `decrypted`), their CONNECTION_CLOSE a decrypted alert.
 * 1-RTT packets are never opened.
 */
import { fingerprintOf } from './fingerprint.js';
import type { Conversation, Direction } from '../flow/types.js';
import type { DatagramHandler } from '../flow/udp-tracker.js';
import type { DecodeProblem, HandshakeBody } from '../../decoders/tls/types.js';
import { decodeHandshake } from '../../decoders/tls/handshake.js';
import { decodeAlert } from '../../decoders/tls/alert.js';
import { checkServerHelloAgainstClientHello } from '../../decoders/tls/conformance.js';
import { initialFrames, parseLongHeader, type LongHeader } from '../../decoders/quic/packet.js';
import { initialKeys, openLongPacket, type InitialKeys, type PacketKeys } from '../../decoders/quic/initial.js';
import type { KeyLog } from '../tls-keys/keylog.js';
import { quicPacketKeys } from '../tls-keys/quic.js';
import type { ApplicationDataEvent, HandshakeEvent, Transcript, TranscriptEvent } from './transcript.js';
import { newSessionFacts, summarize, type SessionFacts } from './summary.js';

/** CRYPTO bytes buffered per direction at the Initial level (a ClientHello with a PQ key share is ~2 KiB). */
const MAX_CRYPTO = 64 * 1024;
const MAX_EVENTS = 2000;
const TLS13 = 0x0304;

/** The encryption levels whose CRYPTO frames are read (RFC 9001 §4.1.4). */
type Level = 'Initial' | 'Handshake';

class Side {
  /** Contiguous CRYPTO bytes received (Initial level), and how many are already decoded. */
  crypto = new Uint8Array(0);
  filled = 0;
  consumed = 0;
  /** Out-of-order CRYPTO frames waiting for the bytes before them. */
  readonly waiting = new Map<number, Uint8Array>();
  packetNumber = -1;
}

export class QuicSession implements DatagramHandler {
  private readonly events: TranscriptEvent[] = [];
  private readonly problems: (DecodeProblem & { frame?: number; from?: Direction })[] = [];
  private sides = { client: new Side(), server: new Side() };
  /** The Handshake-level CRYPTO streams (only filled when Handshake packets are opened). */
  private hsSides = { client: new Side(), server: new Side() };
  /** Handshake keys: undefined until both hellos are seen, null when the key log cannot give them. */
  private hsKeys: { client: PacketKeys; server: PacketKeys } | null | undefined = undefined;
  /** Handshake packets the key log's keys did not open, and the first one's frame. */
  private hsFailed = 0;
  private hsFailedFrame = 0;
  private hsFailedFrom: Direction = 'client';
  private readonly facts: SessionFacts = newSessionFacts();
  /** Both directions' Initial keys, from the client's first Destination Connection ID (RFC 9001 §5.2). */
  private keys: { client: InitialKeys; server: InitialKeys } | null = null;
  private rolesSettled = false;
  private dropped = 0;
  private unopened = 0;
  private closed = false;
  private cache: Transcript | null = null;

  constructor(
    private readonly conversation: Conversation,
    private readonly keyLog: KeyLog | null = null,
  ) {}

  onDatagram(dir: Direction, data: Uint8Array, frame: number, time: number): void {
    let off = 0;
    while (off < data.length) {
      const h = parseLongHeader(data, off, data.length);
      if (h === null) {
        // A short header (1-RTT) packet fills the rest of the datagram (RFC 9000 §12.2). Its second
        // bit may be 0: peers that allow it grease the QUIC bit (RFC 9287).
        if ((data[off] & 0x80) === 0) this.applicationData(dir, '1-RTT', data.length - off, frame, time);
        return;
      }
      if (h.type === 'Initial') dir = this.initial(dir, data, h, frame, time);
      else if (h.type === 'Handshake') this.handshakePacket(dir, data, h, frame, time);
      else if (h.type === '0-RTT') this.applicationData(dir, '0-RTT', h.end - h.pnOffset, frame, time);
      else {
        // Retry (RFC 9000 §17.2.5): the client starts again with the server's new connection id,
        // new Initial keys, and its CRYPTO stream from offset 0 (the same ClientHello, sent again).
        this.keys = null;
        this.sides = { client: new Side(), server: new Side() };
        this.hsSides = { client: new Side(), server: new Side() };
        this.hsKeys = undefined;
        return;
      }
      off = h.end;
    }
  }

  onClose(): void {
    this.closed = true;
  }

  transcript(): Transcript {
    if (this.cache !== null && this.closed) return this.cache;
    const problems = [...this.problems];
    if (this.unopened > 0) {
      problems.push({ severity: 'note', code: 'quic-initial-not-opened', field: 'Initial', message: `${this.unopened} Initial packet${this.unopened === 1 ? '' : 's'} did not decrypt with the keys of the client's Destination Connection ID (the capture lacks the client's first Initial, or the packet is corrupt)` });
    }
    if (this.hsFailed > 0) {
      problems.push({
        severity: 'warning',
        code: 'decryption-failed',
        field: 'Handshake',
        message: `the key log's handshake secret for this connection does not open the ${this.hsFailedFrom}'s Handshake packet in frame ${this.hsFailedFrame} (authentication failed)${this.hsFailed > 1 ? `, nor ${this.hsFailed - 1} more` : ''}: those packets are shown encrypted`,
        frame: this.hsFailedFrame,
        from: this.hsFailedFrom,
      });
    }
    if (this.dropped > 0) problems.push({ severity: 'note', code: 'events-not-listed', field: 'transcript', message: `${this.dropped} further events not listed: a connection keeps at most ${MAX_EVENTS} events` });
    const t: Transcript = { events: this.events, tls: summarize(this.events, this.facts, this.conversation), problems, transport: 'quic' };
    if (this.closed) this.cache = t;
    return t;
  }

  private initial(dir: Direction, data: Uint8Array, h: LongHeader, frame: number, time: number): Direction {
    if (this.facts.tlsStartFrame === null) {
      this.facts.tlsStartFrame = frame;
      this.facts.tlsStartTime = time;
    }
    // The first Initial whose keys come from its own DCID is the client's (the server's Initial
    // carries the client's source id as DCID, and is keyed by the client's first DCID).
    let opened = null;
    let sender: Direction = dir;
    if (this.keys === null) {
      const keys = { client: initialKeys(h.dcid, h.version, 'client'), server: initialKeys(h.dcid, h.version, 'server') };
      opened = openLongPacket(data, h, keys.client);
      if (opened !== null) {
        this.keys = keys;
        sender = 'client';
      }
    } else {
      opened = openLongPacket(data, h, this.keys.client);
      if (opened !== null) sender = 'client';
      else {
        opened = openLongPacket(data, h, this.keys.server);
        if (opened !== null) sender = 'server';
      }
    }
    if (opened === null) {
      this.unopened++;
      return dir;
    }
    if (sender !== dir) {
      if (this.conversation.clientBasis === 'first-packet' && !this.rolesSettled) {
        this.swapRoles();
        dir = sender;
      } else {
        sender = dir;
      }
    }
    this.rolesSettled = true;
    const side = this.sides[dir];
    side.packetNumber = opened.packetNumber;
    this.frames(dir, 'Initial', opened.payload, frame, time);
    return dir;
  }

  /**
   * A Handshake packet: opened when the key log gives this connection's handshake secrets, else
   * listed as an encrypted handshake message as before.
   */
  private handshakePacket(dir: Direction, data: Uint8Array, h: LongHeader, frame: number, time: number): void {
    const keys = this.handshakeKeys(h.version);
    const opened = keys === null ? null : openLongPacket(data, h, keys[dir]);
    if (opened === null) {
      if (keys !== null && this.hsFailed++ === 0) {
        this.hsFailedFrame = frame;
        this.hsFailedFrom = dir;
      }
      this.push({ type: 'handshake', recordVersion: TLS13, message: 'encrypted', length: h.end - h.pnOffset, frame, time, from: dir, quic: { packet: 'Handshake', packetNumber: -1 } });
      return;
    }
    this.hsSides[dir].packetNumber = opened.packetNumber;
    this.frames(dir, 'Handshake', opened.payload, frame, time);
  }

  /** The frames of an opened Initial or Handshake packet: CRYPTO data and CONNECTION_CLOSE. */
  private frames(dir: Direction, packet: Level, payload: Uint8Array, frame: number, time: number): void {
    const { frames, complete } = initialFrames(payload);
    if (!complete) {
      this.problems.push({ severity: 'warning', code: 'quic-frame-unknown', field: packet, message: `a ${dir} ${packet} packet holds a frame type not allowed in ${packet} packets (RFC 9000 §12.4); the rest of it is not read`, frame, from: dir });
    }
    for (const f of frames) {
      if (f.kind === 'crypto') this.crypto(dir, packet, f.offset, f.data, frame, time);
      else this.connectionClose(dir, packet, f.errorCode, f.application, f.reason, frame, time);
    }
  }

  /** Both directions' Handshake keys from the key log, once the ClientHello and ServerHello are known. */
  private handshakeKeys(version: number): { client: PacketKeys; server: PacketKeys } | null {
    if (this.hsKeys !== undefined) return this.hsKeys;
    if (this.keyLog === null || this.keyLog.empty) return (this.hsKeys = null);
    const ch = this.facts.clientHello;
    const sh = this.facts.serverHello;
    // Before both hellos are read the keys cannot be known yet; try again with the next packet.
    if (ch === null || ch.kind !== 'ClientHello' || sh === null || sh.kind !== 'ServerHello') return null;
    const secrets = this.keyLog.lookup(ch.random.toLowerCase());
    if (secrets?.clientHandshake === undefined || secrets.serverHandshake === undefined) return (this.hsKeys = null);
    const client = quicPacketKeys(secrets.clientHandshake, sh.cipherSuite.code, version);
    const server = quicPacketKeys(secrets.serverHandshake, sh.cipherSuite.code, version);
    this.hsKeys = client !== null && server !== null ? { client, server } : null;
    return this.hsKeys;
  }

  private crypto(dir: Direction, level: Level, offset: number, bytes: Uint8Array, frame: number, time: number): void {
    const side = level === 'Initial' ? this.sides[dir] : this.hsSides[dir];
    if (offset + bytes.length > MAX_CRYPTO) return;
    if (offset > side.filled) {
      if (side.waiting.size < 64) side.waiting.set(offset, Uint8Array.from(bytes));
      return;
    }
    this.append(side, offset, bytes);
    // Frames that were waiting for these bytes.
    for (let again = true; again; ) {
      again = false;
      for (const [o, b] of side.waiting) {
        if (o <= side.filled) {
          side.waiting.delete(o);
          this.append(side, o, b);
          again = true;
        }
      }
    }
    // Whole handshake messages (4-byte TLS header: QUIC carries TLS's own framing, RFC 9001 §4).
    while (side.filled - side.consumed >= 4) {
      const at = side.consumed;
      const b = side.crypto;
      const length = (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
      if (side.filled - at - 4 < length) break;
      this.message(dir, level, b[at], b.subarray(at + 4, at + 4 + length), frame, time);
      side.consumed = at + 4 + length;
    }
  }

  private append(side: Side, offset: number, bytes: Uint8Array): void {
    const end = offset + bytes.length;
    if (end <= side.filled) return; // a retransmission
    if (side.crypto.length < end) {
      const grown = new Uint8Array(Math.max(end, side.crypto.length * 2, 2048));
      grown.set(side.crypto.subarray(0, side.filled));
      side.crypto = grown;
    }
    side.crypto.set(bytes.subarray(side.filled - offset), side.filled);
    side.filled = end;
  }

  private message(dir: Direction, level: Level, type: number, body: Uint8Array, frame: number, time: number): void {
    const decoded = decodeHandshake(type, body, { version: TLS13, from: dir });
    const problems: DecodeProblem[] = [...decoded.problems];
    const b = decoded.body;
    if (b.kind === 'ClientHello') {
      if (this.facts.clientHello === null) this.facts.clientHello = b;
      else this.facts.secondClientHello = b;
    } else if (b.kind === 'ServerHello') {
      if (this.facts.clientHello) problems.push(...checkServerHelloAgainstClientHello(this.facts.clientHello, b));
      if (!b.helloRetryRequest) {
        this.facts.serverHello = b;
        this.facts.negotiatedVersion = b.negotiatedVersion;
      } else this.facts.helloRetryRequest = b;
    }
    const ev: HandshakeEvent = {
      type: 'handshake',
      recordVersion: TLS13,
      message: decoded.name,
      handshakeType: type,
      length: body.length,
      body: b as HandshakeBody,
      frame,
      time,
      from: dir,
      quic: { packet: level, packetNumber: (level === 'Initial' ? this.sides : this.hsSides)[dir].packetNumber },
      ...(level === 'Handshake' ? { decrypted: true as const } : {}),
      ...(problems.length ? { problems } : {}),
      ...fingerprintOf(b, 'q'),
    };
    this.push(ev);
  }

  private connectionClose(dir: Direction, level: Level, errorCode: number, application: boolean, reason: string, frame: number, time: number): void {
    if (!application && errorCode >= 0x100 && errorCode <= 0x1ff) {
      // CRYPTO_ERROR: the low byte is the TLS alert (RFC 9001 §4.8), always fatal in QUIC.
      const a = decodeAlert(Uint8Array.of(2, errorCode & 0xff));
      this.push({ type: 'alert', recordVersion: TLS13, encrypted: false, level: 'fatal', description: a.description, code: a.code, length: 2, frame, time, from: dir, quic: { packet: level, errorCode }, ...(level === 'Handshake' ? { decrypted: true as const } : {}) });
      return;
    }
    this.problems.push({
      severity: 'warning',
      code: 'quic-connection-close',
      field: 'CONNECTION_CLOSE',
      message: `the ${dir} closed the QUIC connection in ${level === 'Initial' ? 'an Initial' : 'a Handshake'} packet: ${application ? 'application' : 'transport'} error 0x${errorCode.toString(16)}${reason ? ` (${JSON.stringify(reason.slice(0, 100))})` : ''}`,
      frame,
      from: dir,
    });
  }

  private swapRoles(): void {
    this.conversation.swapRoles();
    this.sides = { client: this.sides.server, server: this.sides.client };
    this.hsSides = { client: this.hsSides.server, server: this.hsSides.client };
    for (const e of this.events as { from: Direction }[]) e.from = e.from === 'client' ? 'server' : 'client';
  }

  private applicationData(dir: Direction, packet: string, length: number, frame: number, time: number): void {
    const last = this.events[this.events.length - 1];
    if (last && last.type === 'application_data' && last.from === dir && last.quic?.packet === packet) {
      last.records++;
      last.bytes += length;
      last.lastFrame = frame;
      return;
    }
    const ev: ApplicationDataEvent = { type: 'application_data', recordVersion: TLS13, records: 1, bytes: length, lastFrame: frame, frame, time, from: dir, quic: { packet } };
    this.push(ev);
  }

  private push(ev: TranscriptEvent): void {
    if (this.events.length >= MAX_EVENTS) {
      this.dropped++;
      return;
    }
    this.events.push(ev);
  }
}
