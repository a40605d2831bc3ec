/**
 * One TCP conversation turned into a transcript: finds where TLS starts (first byte, or after a
 * STARTTLS-style plaintext dialogue), follows both directions' record streams, decodes the plaintext
 * handshake, and records every step with the frame that carried it.
 */
import { fingerprintOf } from './fingerprint.js';
import type { Conversation, Direction, StreamHandler } from '../flow/types.js';
import type {
  CertificateSummary,
  DecodeProblem,
  DecodedHandshake,
  HandshakeBody,
  ProtocolVersion,
} from '../../decoders/tls/types.js';
import { sniffTls } from '../../decoders/tls/record.js';
import { toHex } from '../../decoders/tls/hex.js';
import { parseSslv2Header, decodeSslv2Message } from '../../decoders/tls/sslv2.js';
import { HANDSHAKE_HEADER_LENGTH, decodeHandshake, parseHandshakeHeader } from '../../decoders/tls/handshake.js';
import { alertEvents, applicationDataEvent } from './events.js';
import {
  checkCertificateRequest,
  checkRecordVersion,
  checkServerHelloAgainstClientHello,
} from '../../decoders/tls/conformance.js';
import { BodyMode, RecordStream, type RecordSink } from './record-stream.js';
import { DecryptedLineMask, guessProtocol, printable, redactCredentials } from './plaintext.js';
import type {
  AlertEvent,
  HandshakeEvent,
  Transcript,
  TranscriptEvent,
} from './transcript.js';
import { newSessionFacts, summarize, type SessionFacts } from './summary.js';
import type { KeyLog } from '../tls-keys/keylog.js';
import { ConnectionDecryptor, type DecryptionStatus } from '../tls-keys/decryptor.js';

/** A handshake message longer than this is not buffered (the longest real chains are ~100 KiB). */
const MAX_HANDSHAKE_MESSAGE = 1 << 20;
/** Plaintext events kept per connection before they are only counted. */
const MAX_PLAINTEXT_EVENTS = 40;
/** Events kept per connection (renegotiation storms, heartbeat floods): the rest are counted. */
const MAX_EVENTS = 2000;

/**
 * sniff: nothing decided yet; plaintext: a non-TLS dialogue (TLS may still start at a segment);
 * tls / sslv2: records; resync: TLS lost step after a gap, waiting for a segment that starts a record.
 */
type Mode = 'sniff' | 'tls' | 'sslv2' | 'plaintext' | 'resync';

const enum ContentType {
  ChangeCipherSpec = 20,
  Alert = 21,
  Handshake = 22,
  ApplicationData = 23,
  Heartbeat = 24,
}

const TLS13 = 0x0304;

/** True for TLS 1.3 and its drafts (0x7f0e–0x7f1c) and Facebook's experimental 0xfb17/0xfb1a. */
export function isTls13(v: ProtocolVersion | null): boolean {
  if (v === null) return false;
  return v === TLS13 || (v >> 8) === 0x7f || v === 0xfb17 || v === 0xfb1a;
}

/** See ConnectionSession.hints(). */
export interface SessionHints {
  readonly tls: boolean;
  readonly tlsStartFrame: number | null;
  readonly upgradedFrom: string | null;
  readonly ftpText: boolean;
  readonly clientPlaintext: boolean;
}

class DirectionState {
  mode: Mode = 'sniff';
  /** Records from this side are encrypted (after its ChangeCipherSpec in TLS ≤ 1.2). */
  encrypted = false;
  /** Pending handshake bytes (a message split across records). */
  hs: Uint8Array = new Uint8Array(0);
  hsFill = 0;
  /** Handshake bytes are being dropped: an over-long message, or the stream lost step. */
  hsDiscard = false;
  /** SSLv2 framing partial state. */
  v2buf: Uint8Array = new Uint8Array(0);
  v2fill = 0;
  /** Bytes that arrived before the mode could be told (fewer than a record header). */
  pending: Uint8Array = new Uint8Array(0);
  plaintextSeen = false;
  /** This side's TLS records have begun (it entered `tls` or `sslv2` mode once). */
  started = false;
  /** Last record this side sent (for the TLS 1.3 "alert-sized final record" inference). */
  lastRecordType = 0;
  lastRecordLength = 0;
  lastRecordFrame = 0;
  lastRecordTime = 0;
  lastRecordVersion = 0;
  /** The record being read is protected by keys this connection holds / is to be opened. */
  recordProtected = false;
  recordOpening = false;
  readonly stream: RecordStream;
  constructor(makeSink: (state: DirectionState) => RecordSink, headBytes: number) {
    this.stream = new RecordStream(makeSink(this), headBytes);
  }
}

export class ConnectionSession implements StreamHandler {
  private readonly events: TranscriptEvent[] = [];
  private readonly problems: (DecodeProblem & { frame?: number; from?: Direction })[] = [];
  private dirs: { client: DirectionState; server: DirectionState };
  private plaintextEvents = 0;
  private droppedEvents = 0;
  private readonly facts: SessionFacts = newSessionFacts();
  private closed = false;
  /** A plaintext line was recognised as FTP (cheap to ask while the connection is open: see hints()). */
  private ftpText = false;
  /** Set once the payload has confirmed or corrected a guessed client. */
  private rolesSettled = false;
  /** The client opened with a proxy request (SOCKS4, SOCKS5, HTTP CONNECT): what TLS then runs inside. */
  private proxy: 'socks4' | 'socks5' | 'http-connect' | null = null;
  /** Server messages of the proxy dialogue seen (SOCKS5 answers twice: method, then the request). */
  private proxyReplies = 0;
  /**
   * The proxy granted a SOCKS request on port 1080: Wireshark's SOCKS dissector hands the next
   * payload to the protocol inside under the requested port, and that costs a tcp.stream index of
   * its own (tshark 4.0.17 numbers 0, 2, 4 for three SOCKS connections); this one is reserved then.
   */
  private socksIndexDue = false;
  private transcriptCache: Transcript | null = null;
  /** Record keys, when a key log has this connection's client random (src/tls-keys). */
  private decryptor: ConnectionDecryptor | null = null;
  /** Decrypted line-protocol text: a client's SASL continuation lines are secrets until the server answers. */
  private lineMask: DecryptedLineMask | null = null;
  private lineProtocolCache: boolean | null = null;
  /** The first bytes (hex) of the record being handled, for the event it produces (`--hex`). */
  private pendingHead: string | null = null;

  constructor(
    private readonly conversation: Conversation,
    /** Shared by all connections of a capture: certificates already decoded, by SHA-256. */
    private readonly certificateMemo: Map<string, CertificateSummary> = new Map(),
    /** Keep each record's first bytes (header included) on its event as `recordHead`; 0: no. */
    recordHeadBytes = 0,
    /** Secrets by client random (--keylog, pcapng Decryption Secrets Blocks); null when none were given. */
    private readonly keys: KeyLog | null = null,
  ) {
    const client = new DirectionState((state) => this.sinkFor(state), recordHeadBytes);
    const server = new DirectionState((state) => this.sinkFor(state), recordHeadBytes);
    this.dirs = { client, server };
  }

  /** Which side a direction's state currently belongs to (it changes when the roles are swapped). */
  private nameOf(state: DirectionState): Direction {
    return this.dirs.client === state ? 'client' : 'server';
  }

  // ---- StreamHandler -------------------------------------------------------------------------

  onData(dir: Direction, data: Uint8Array, frame: number, time: number): void {
    if (this.socksIndexDue) {
      this.socksIndexDue = false;
      this.conversation.reserveStreamIndex?.();
    }
    let d = this.dirs[dir];
    if (d.mode === 'tls') {
      d.stream.push(data, frame, time);
      return;
    }
    if (d.mode === 'sslv2') {
      this.pushSslv2(dir, data, frame, time);
      return;
    }
    if (d.mode === 'resync') {
      // Mid-record ciphertext after a gap is not plaintext: skip it until a segment starts a record.
      if (sniffTls(data, 0, data.length, dir === 'server') === 'tls') {
        if (this.facts.tlsStartFrame === null || (this.facts.midConnection === true && !d.started)) {
          // The capture began inside a record: this is the first record boundary seen.
          ({ dir, d } = this.startMidConnection(dir, data, frame, time));
        }
        d.mode = 'tls';
        d.stream.push(data, frame, time);
      }
      return;
    }
    // sniff / plaintext: TLS may begin at the start of a segment (a STARTTLS upgrade always does).
    let bytes = data;
    if (d.pending.length > 0) {
      bytes = concat(d.pending, data);
      d.pending = new Uint8Array(0);
    }
    const kind = sniffTls(bytes, 0, bytes.length, dir === 'server');
    if (kind === 'need-more' && bytes.length < 16) {
      d.pending = bytes.slice();
      return;
    }
    if (kind === 'tls' && this.startsMidConnection(dir, bytes)) {
      ({ dir, d } = this.startMidConnection(dir, bytes, frame, time));
      d.mode = 'tls';
      d.stream.push(bytes, frame, time);
      return;
    }
    if (kind !== 'tls' && kind !== 'sslv2' && kind !== 'need-more' && this.insideRecord(dir, bytes)) {
      // A capture that began mid-connection: these bytes are the rest of a record whose start was
      // not captured, not a plaintext dialogue. Skip to the first segment that starts a record.
      d.mode = 'resync';
      this.problems.push({
        severity: 'note',
        code: 'mid-record-start',
        field: 'record',
        message: `the ${dir}'s first bytes (frame ${frame}) continue a record whose start is not in the capture; skipped to the next record boundary`,
        frame,
        from: dir,
      });
      return;
    }
    if ((kind === 'tls' || kind === 'sslv2') && this.acceptsTlsStart(dir, bytes, kind)) {
      if (dir === 'server' && this.shouldSwapRoles(bytes, kind)) {
        this.swapRoles();
        dir = 'client';
        d = this.dirs.client;
      }
      this.startTls(dir, frame, time);
      d.started = true;
      if (kind === 'sslv2') {
        d.mode = 'sslv2';
        this.pushSslv2(dir, bytes, frame, time);
      } else {
        d.mode = 'tls';
        d.stream.push(bytes, frame, time);
      }
      return;
    }
    this.plaintext(dir, bytes, 0, bytes.length, frame, time);
  }

  onGap(dir: Direction, bytes: number, frame: number, time: number): void {
    const d = this.dirs[dir];
    this.push({ type: 'tcp', flag: 'gap', bytes, frame, time, from: dir });
    if (d.mode === 'tls' || d.mode === 'resync') {
      // Out of step: find the next record boundary at the start of a later segment.
      d.stream.resync();
      d.hsFill = 0;
      d.mode = 'resync';
    } else if (d.mode === 'sslv2') {
      d.v2fill = 0;
      d.mode = 'sniff';
    }
    d.pending = new Uint8Array(0);
  }

  onFin(dir: Direction, frame: number, time: number): void {
    this.push({ type: 'tcp', flag: 'fin', frame, time, from: dir });
  }

  onRst(dir: Direction, frame: number, time: number): void {
    this.push({ type: 'tcp', flag: 'rst', frame, time, from: dir });
  }

  onClose(): void {
    if (this.closed) return;
    this.inferEncryptedAlerts();
    this.closed = true;
  }

  /** The same tcp.stream continues in a new Conversation (port reuse with the same ISN, idle close). */
  reopen(): void {
    this.closed = false;
    this.transcriptCache = null;
  }

  /**
   * TLS 1.3 encrypts alerts as application_data records. A side whose last record before its FIN or
   * RST (or the capture's end) is exactly alert-sized most likely sent an alert: the ladder shows it as
   * one, marked inferred. (AEAD tag 16 bytes: 2 + 1 + 16 = 19; AES-CCM-8: 2 + 1 + 8 = 11.)
   */
  private inferEncryptedAlerts(): void {
    // Picked up mid-way, TLS 1.2 would show its alerts as alert records: a 19-byte application_data
    // record last before the close is probably a TLS 1.3 alert there too.
    if (!isTls13(this.facts.negotiatedVersion) && this.facts.midConnection !== true) return;
    for (const dir of ['client', 'server'] as const) {
      const d = this.dirs[dir];
      if (d.lastRecordType !== ContentType.ApplicationData) continue;
      if (d.lastRecordLength !== 19 && d.lastRecordLength !== 11) continue;
      let idx = -1;
      for (let i = this.events.length - 1; i >= 0; i--) {
        const e = this.events[i];
        if (e.from === dir && e.type !== 'tcp') { idx = i; break; }
      }
      if (idx < 0) continue;
      const e = this.events[idx];
      const single =
        (e.type === 'handshake' && e.message === 'encrypted' && e.frame === d.lastRecordFrame) ||
        (e.type === 'application_data' && e.lastFrame === d.lastRecordFrame);
      if (!single) continue;
      const alert: AlertEvent = {
        type: 'alert',
        recordVersion: d.lastRecordVersion,
        encrypted: true,
        inferred: true,
        length: d.lastRecordLength,
        frame: d.lastRecordFrame,
        time: d.lastRecordTime,
        from: dir,
      };
      if (e.type === 'application_data' && e.records > 1) {
        e.records--;
        e.bytes -= d.lastRecordLength;
        this.events.splice(idx + 1, 0, alert);
      } else {
        this.events[idx] = alert;
      }
    }
  }

  /**
   * What the cross-connection indexes ask of a connection that may still be open, without building
   * its transcript: whether TLS started and after what, and whether it spoke FTP.
   */
  hints(): SessionHints {
    return {
      tls: this.facts.tlsStartFrame !== null,
      tlsStartFrame: this.facts.tlsStartFrame,
      upgradedFrom: this.facts.upgradedFrom,
      ftpText: this.ftpText,
      clientPlaintext: this.dirs.client.plaintextSeen,
    };
  }

  /**
   * How decryption went, for the capture's note: null when no key log was given or the connection
   * has no ClientHello to look its client random up by.
   */
  decryption(): DecryptionStatus | null {
    return this.decryptor === null ? null : this.decryptor.status;
  }

  /** The transcript so far (final once the conversation has closed or the capture has ended). */
  transcript(): Transcript {
    if (this.transcriptCache && this.closed) return this.transcriptCache;
    // Say what the bounds left out, so a reader knows the ladder is not the whole story.
    const problems =
      this.droppedEvents === 0
        ? this.problems
        : [
            ...this.problems,
            {
              severity: 'note' as const,
              code: 'events-not-listed',
              field: 'transcript',
              message: `${this.droppedEvents} further event${this.droppedEvents === 1 ? '' : 's'} not listed: a connection keeps at most ${MAX_EVENTS} events and ${MAX_PLAINTEXT_EVENTS} plaintext lines (application data stays counted in the summary)`,
            },
          ];
    const t: Transcript = {
      events: this.events,
      tls: summarize(this.events, this.facts, this.conversation),
      problems,
    };
    if (this.closed) this.transcriptCache = t;
    return t;
  }

  // ---- mode changes --------------------------------------------------------------------------

  /** After a plaintext dialogue, only a handshake (or, from a server, an alert) starts TLS. */
  private acceptsTlsStart(dir: Direction, bytes: Uint8Array, kind: 'tls' | 'sslv2'): boolean {
    if (kind === 'sslv2') return true;
    const d = this.dirs[dir];
    const ct = bytes[0];
    if (!d.plaintextSeen && this.facts.tlsStartFrame === null && !this.dirs.client.plaintextSeen && !this.dirs.server.plaintextSeen) {
      return true; // first bytes of the conversation: any record type (capture may start mid-way)
    }
    if (ct === ContentType.Handshake) return true;
    if (this.facts.midConnection === true && !d.started) return true;
    return dir === 'server' && ct === ContentType.Alert && this.facts.clientHello !== null;
  }

  /** A conversation picked up mid-way whose "server" sends the ClientHello had its roles guessed wrong. */
  private shouldSwapRoles(bytes: Uint8Array, kind: 'tls' | 'sslv2'): boolean {
    if (this.conversation.clientBasis !== 'first-packet' || this.rolesSettled) return false;
    if (this.facts.tlsStartFrame !== null) return false;
    if (kind === 'sslv2') return (bytes[0] & 0x80) !== 0 && bytes[2] === 1;
    return bytes[0] === ContentType.Handshake && bytes.length > 5 && bytes[5] === 1;
  }

  /**
   * TLS records that do not begin with a hello, in a connection whose start was not captured (no
   * SYN): the capture began mid-connection (a ring buffer, a capture started late). Also the other
   * side's first records once one side has shown that.
   */
  private startsMidConnection(dir: Direction, bytes: Uint8Array): boolean {
    if (this.facts.midConnection === true) return !this.dirs[dir].started && !this.dirs[dir].plaintextSeen;
    if (this.facts.tlsStartFrame !== null || this.dirs.client.plaintextSeen || this.dirs.server.plaintextSeen) return false;
    const basis = this.conversation.clientBasis;
    if (basis !== 'first-packet' && basis !== 'payload' && basis !== 'ports') return false;
    return !(bytes[0] === ContentType.Handshake && bytes.length > 5 && (bytes[5] === 1 || bytes[5] === 2));
  }

  /** Binary bytes at the start of a side of a connection picked up mid-way (no SYN seen). */
  private insideRecord(dir: Direction, bytes: Uint8Array): boolean {
    const d = this.dirs[dir];
    if (d.plaintextSeen || d.started) return false;
    const basis = this.conversation.clientBasis;
    if (basis === 'syn' || basis === 'syn-ack') return false;
    if (this.facts.tlsStartFrame !== null && this.facts.midConnection !== true) return false;
    return !isMostlyText(bytes, 0, Math.min(bytes.length, 64));
  }

  /**
   * The first TLS record of a side in a connection picked up mid-way. Nothing says what was
   * negotiated, so its records are taken as encrypted (a plaintext handshake message, recognised by
   * a length that fits its record, excepted; a 2-byte alert is read in clear in alert()). Which
   * side is the server comes from the ports when no hello tells: a service port (below 1024, or a
   * known TLS port) or else the lower of a registered and an ephemeral port.
   */
  private startMidConnection(dir: Direction, bytes: Uint8Array, frame: number, time: number): { dir: Direction; d: DirectionState } {
    if (this.facts.midConnection !== true) {
      this.facts.midConnection = true;
      const c = this.conversation;
      if (c.clientBasis === 'first-packet' && !this.rolesSettled) {
        const clientRank = portRank(c.client.port);
        const serverRank = portRank(c.server.port);
        if (clientRank > serverRank) {
          this.swapRoles('ports');
          dir = dir === 'client' ? 'server' : 'client';
        } else if (clientRank < serverRank) {
          c.confirmRoles?.('ports');
        }
      }
      this.startTls(dir, frame, time);
    }
    const d = this.dirs[dir];
    d.started = true;
    d.encrypted = !(bytes[0] === ContentType.Handshake && plausibleHandshake(bytes));
    return { dir, d };
  }

  /** Each side keeps its record state; only the names change, and the events recorded so far follow. */
  private swapRoles(basis: 'payload' | 'ports' = 'payload'): void {
    this.conversation.swapRoles(basis);
    this.dirs = { client: this.dirs.server, server: this.dirs.client };
    for (const e of this.events as { from: Direction }[]) e.from = e.from === 'client' ? 'server' : 'client';
    this.rolesSettled = true;
  }

  private startTls(dir: Direction, frame: number, time: number): void {
    if (this.facts.tlsStartFrame !== null) return;
    this.facts.tlsStartFrame = frame;
    this.facts.tlsStartTime = time;
    if (this.dirs.client.plaintextSeen) {
      // An upgrade is the client asking for it in plaintext (STARTTLS, AUTH TLS); a server banner
      // alone followed by a ClientHello is implicit TLS against a plaintext service. The server's
      // lines name the protocol best (a banner, a numbered reply); a bare STARTTLS does not.
      const known = (from: Direction) => this.events.find((e) => e.type === 'plaintext' && e.from === from && e.protocol !== 'unknown');
      const first = known('server') ?? known('client');
      this.facts.upgradedFrom = this.proxy ?? (first && first.type === 'plaintext' ? first.protocol : 'unknown');
    }
    void dir;
  }

  private plaintext(dir: Direction, data: Uint8Array, offset: number, length: number, frame: number, time: number, decrypted = false): void {
    const d = this.dirs[dir];
    if (!decrypted) {
      if (this.facts.tlsStartFrame === null) this.proxyDialogue(dir, data, offset, length);
      d.plaintextSeen = true;
      if (d.mode === 'sniff') d.mode = 'plaintext';
    }
    if (this.plaintextEvents >= MAX_PLAINTEXT_EVENTS) {
      this.droppedEvents++;
      return;
    }
    const port = this.conversation.server.port;
    // One event per line for line-based dialogues (at most a few per segment), else one per segment.
    let start = offset;
    const end = offset + length;
    let lines = 0;
    while (start < end && lines < 8 && this.plaintextEvents < MAX_PLAINTEXT_EVENTS) {
      let nl = start;
      while (nl < end && nl - start < 512 && data[nl] !== 0x0a) nl++;
      const lineEnd = nl < end && data[nl] === 0x0a ? nl + 1 : nl;
      const text = decrypted ? (this.lineMask ??= new DecryptedLineMask()).line(printable(data, start, lineEnd - start), dir) : redactCredentials(printable(data, start, lineEnd - start), dir);
      // A line written in pieces (vsftpd writes "500 OOPS: " and the error separately) reads as one.
      const last = this.events[this.events.length - 1];
      if (last && last.type === 'plaintext' && last.from === dir && (last.decrypted === true) === decrypted && !last.text.endsWith('\\n') && last.text.length + text.length <= 240) {
        this.events[this.events.length - 1] = { ...last, text: redactCredentials(last.text + text, dir), length: last.length + (lineEnd - start) };
        lines++;
        start = lineEnd;
        continue;
      }
      const guessed = guessProtocol(text, port);
      const protocol = guessed === 'unknown' && (this.proxy === 'socks4' || this.proxy === 'socks5') ? this.proxy : guessed;
      if (protocol === 'ftp') this.ftpText = true;
      this.push({
        type: 'plaintext',
        text,
        length: lineEnd - start,
        protocol,
        frame,
        time,
        from: dir,
        ...(decrypted ? { decrypted: true as const } : {}),
      });
      this.plaintextEvents++;
      lines++;
      start = lineEnd;
      if (!isMostlyText(data, start, Math.min(end - start, 64))) break;
    }
  }

  /**
   * A proxy request as the client's first bytes (SOCKS4 CONNECT, RFC-less but documented in
   * SOCKS4.protocol; SOCKS5 method selection, RFC 1928 §3; HTTP CONNECT, RFC 9110 §9.3.6), and the
   * proxy's grant (SOCKS4 0x5A; SOCKS5 reply 0x00 to the request; HTTP 2xx).
   */
  private proxyDialogue(dir: Direction, data: Uint8Array, offset: number, length: number): void {
    if (dir === 'client') {
      if (this.proxy !== null || this.dirs.client.plaintextSeen) return;
      const b0 = data[offset];
      if (b0 === 4 && length >= 9 && data[offset + 1] === 1 && data.indexOf(0, offset + 8) >= 0 && data.indexOf(0, offset + 8) < offset + length) this.proxy = 'socks4';
      else if (b0 === 5 && length >= 3 && data[offset + 1] >= 1 && length >= 2 + data[offset + 1]) this.proxy = 'socks5';
      else if (length >= 12 && startsWith(data, offset, 'CONNECT ')) this.proxy = 'http-connect';
      return;
    }
    if (this.proxy === null) return;
    this.proxyReplies++;
    let granted = false;
    if (this.proxy === 'socks4') granted = length >= 8 && data[offset] === 0 && data[offset + 1] === 0x5a;
    else if (this.proxy === 'socks5') granted = this.proxyReplies >= 2 && length >= 10 && data[offset] === 5 && data[offset + 1] === 0;
    if (granted && this.conversation.server.port === 1080) this.socksIndexDue = true;
  }

  // ---- TLS records ---------------------------------------------------------------------------

  private sinkFor(state: DirectionState): RecordSink {
    return {
      headerSeen: (ct, _version, length) => this.headerSeen(this.nameOf(state), ct, length),
      record: (ct, version, length, body, frame, time, head) => {
        if (head === null) {
          this.record(this.nameOf(state), ct, version, length, body, frame, time);
          return;
        }
        // A handshake message spread over records takes the head of its first record.
        if (ct !== ContentType.Handshake || this.pendingHead === null) this.pendingHead = toHex(head);
        this.record(this.nameOf(state), ct, version, length, body, frame, time);
        if (ct !== ContentType.Handshake) this.pendingHead = null;
      },
      notTls: (data, offset, length, frame, time) => {
        const dir = this.nameOf(state);
        this.problems.push({
          severity: 'warning',
          code: 'not-tls',
          field: 'record',
          message: `${dir} bytes at a record boundary are not a TLS record header; treated as plaintext`,
          frame,
          from: dir,
        });
        state.mode = 'plaintext';
        state.stream.resync();
        state.hsFill = 0;
        this.plaintext(dir, data, offset, length, frame, time);
      },
    };
  }

  private headerSeen(dir: Direction, ct: number, length: number): BodyMode {
    const d = this.dirs[dir];
    const dec = this.decryptor;
    if (dec !== null && dec.protects(dir, ct)) {
      d.recordProtected = true;
      d.recordOpening = dec.wants(dir, ct, length, this.lineProtocol());
      if (d.recordOpening) return BodyMode.Collect;
      return dec.needsTail(dir) ? BodyMode.Tail : BodyMode.Skip;
    }
    d.recordProtected = false;
    switch (ct) {
      case ContentType.Alert:
        // Picked up mid-way, a side's state is a guess: a 2-byte alert can only be a plaintext one
        // (an encrypted alert carries at least an AEAD tag or a MAC).
        return !d.encrypted || (this.facts.midConnection === true && length === 2) ? BodyMode.Collect : BodyMode.Skip;
      case ContentType.Handshake:
      case ContentType.ChangeCipherSpec:
        return d.encrypted ? BodyMode.Skip : BodyMode.Collect;
      case ContentType.Heartbeat:
        return d.encrypted || length > 64 ? BodyMode.Skip : BodyMode.Collect;
      default:
        return BodyMode.Skip;
    }
  }

  private record(dir: Direction, ct: number, version: number, length: number, body: Uint8Array, frame: number, time: number): void {
    const d = this.dirs[dir];
    d.lastRecordType = ct;
    d.lastRecordLength = length;
    d.lastRecordFrame = frame;
    d.lastRecordTime = time;
    d.lastRecordVersion = version;
    if (d.recordProtected) {
      d.recordProtected = false;
      const dec = this.decryptor!;
      if (d.recordOpening) {
        const opened = dec.open(dir, ct, version, body, frame);
        if (opened !== null) {
          this.decrypted(dir, version, length, opened.contentType, opened.plaintext, frame, time);
          return;
        }
        this.problems.push({
          severity: 'warning',
          code: 'decryption-failed',
          field: 'record',
          message: `the key log's secret for this connection does not open the ${dir}'s record in frame ${frame} (authentication failed): from there on the connection is shown encrypted`,
          frame,
          from: dir,
        });
        body = EMPTY;
      } else {
        dec.skip(dir, body);
        body = EMPTY;
      }
    }
    if (ct !== ContentType.ApplicationData && ct !== ContentType.ChangeCipherSpec) this.checkVersion(dir, version, ct, body, frame);
    switch (ct) {
      case ContentType.Handshake:
        if (d.encrypted) {
          this.push({ type: 'handshake', recordVersion: version, message: 'encrypted', length, frame, time, from: dir });
        } else {
          this.handshakeBytes(dir, version, body, frame, time);
        }
        return;
      case ContentType.ChangeCipherSpec:
        this.push({ type: 'change_cipher_spec', recordVersion: version, frame, time, from: dir });
        // TLS 1.3's change_cipher_spec is a middlebox-compatibility no-op (RFC 8446 §5): keys change
        // elsewhere. Before a ServerHello has fixed the version (the CCS around a HelloRetryRequest)
        // it is that no-op too: in TLS ≤ 1.2 a ChangeCipherSpec always follows the ServerHello.
        if (this.facts.negotiatedVersion !== null && !isTls13(this.facts.negotiatedVersion)) {
          d.encrypted = true;
          this.decryptor?.onChangeCipherSpec(dir);
        }
        return;
      case ContentType.Alert:
        this.alert(dir, version, length, body, frame, time, d.encrypted);
        return;
      case ContentType.ApplicationData:
        this.applicationData(dir, version, length, frame, time);
        return;
      case ContentType.Heartbeat:
        this.push({ type: 'heartbeat', recordVersion: version, length, encrypted: d.encrypted, frame, time, from: dir });
        return;
      default:
        this.push({ type: 'unknown', recordVersion: version, contentType: ct, length, frame, time, from: dir });
    }
  }

  private checkVersion(dir: Direction, version: number, ct: number, body: Uint8Array, frame: number): void {
    const negotiated = this.facts.negotiatedVersion;
    if (negotiated === null || this.facts.recordVersionChecked[dir]) return;
    const initialClientHello = ct === ContentType.Handshake && body.length > 0 && body[0] === 1;
    const found = checkRecordVersion(version, negotiated, { initialClientHello, from: dir });
    if (found.length > 0) {
      this.facts.recordVersionChecked[dir] = true;
      for (const p of found) this.problems.push({ ...p, frame, from: dir });
    }
  }

  private alert(dir: Direction, version: number, length: number, body: Uint8Array, frame: number, time: number, encrypted: boolean, decrypted = false): void {
    // Picked up mid-way, a side's state is a guess: a 2-byte alert can only be a plaintext one.
    if (encrypted && this.facts.midConnection === true && length === 2 && body.length === 2) encrypted = false;
    for (const ev of alertEvents(dir, version, length, body, frame, time, encrypted)) this.push(decrypted ? { ...ev, decrypted: true } : ev);
  }

  private applicationData(dir: Direction, version: number, length: number, frame: number, time: number, known = false): void {
    // With keys, a side's records after its Finished are known to be application data.
    if (!known && this.decryptor !== null && this.decryptor.failure === null && this.decryptor.finished(dir)) known = true;
    if (!known && isTls13(this.facts.negotiatedVersion) && this.facts.serverHello !== null) {
      // TLS 1.3 hides the handshake in application_data records: the server's records until the
      // client answers, and the client's first flight (until the server speaks again), are the
      // encrypted handshake. A heuristic, since the inner content type is encrypted too.
      // The client's flight ends with its Finished, whose record has a size fixed by the suite's
      // hash (RFC 8446 §4.4.4: 4-byte header + hash, + content type + 16-byte AEAD tag, no padding):
      // its records after that one are application data, whenever the server speaks again.
      let inHandshake: boolean;
      let guessed = false;
      if (dir === 'server') {
        if (this.facts.tls13ClientFlightStarted) this.facts.tls13ClientFlightDone = true;
        inHandshake = !this.facts.tls13ClientFlightStarted;
      } else {
        inHandshake = !this.facts.tls13ClientFlightDone;
        if (inHandshake) {
          this.facts.tls13ClientFlightStarted = true;
          if (length === tls13FinishedRecordLength(this.facts.serverHello.cipherSuite.code)) this.facts.tls13ClientFlightDone = true;
          // Another size: a client Certificate or CertificateVerify, or data sent before a Finished
          // this capture does not show; a guess from the flight's order.
          else guessed = true;
        }
      }
      if (inHandshake) {
        this.push({ type: 'handshake', recordVersion: version, message: 'encrypted', length, frame, time, from: dir, ...(guessed ? { inferred: true as const } : {}) });
        return;
      }
    }
    const ev = applicationDataEvent(this.events, dir, version, length, frame, time);
    if (ev !== null) this.push(ev);
  }

  private handshakeBytes(dir: Direction, version: number, body: Uint8Array, frame: number, time: number, decrypted = false): void {
    const d = this.dirs[dir];
    if (d.hsDiscard) return;
    let buf = body;
    if (d.hsFill > 0) {
      if (d.hsFill + body.length > d.hs.length) {
        const grown = new Uint8Array(Math.max(d.hs.length * 2, d.hsFill + body.length));
        grown.set(d.hs.subarray(0, d.hsFill));
        d.hs = grown;
      }
      d.hs.set(body, d.hsFill);
      d.hsFill += body.length;
      buf = d.hs.subarray(0, d.hsFill);
    }
    let off = 0;
    while (buf.length - off >= HANDSHAKE_HEADER_LENGTH) {
      const h = parseHandshakeHeader(buf, off);
      if (!h) break;
      if (h.length > MAX_HANDSHAKE_MESSAGE) {
        this.problems.push({
          severity: 'error',
          code: 'handshake-too-long',
          field: 'Handshake.length',
          message: `handshake message type ${h.type} claims ${h.length} bytes (over ${MAX_HANDSHAKE_MESSAGE}); the rest of this direction's handshake is not decoded`,
          frame,
          from: dir,
        });
        d.hsDiscard = true;
        d.hsFill = 0;
        return;
      }
      if (buf.length - off < HANDSHAKE_HEADER_LENGTH + h.length) break;
      const msg = buf.subarray(off + HANDSHAKE_HEADER_LENGTH, off + HANDSHAKE_HEADER_LENGTH + h.length);
      // The name is looked up per message: the first hello may have corrected a guessed client.
      this.handshakeMessage(this.nameOf(d), version, h.type, msg, frame, time, decrypted);
      off += HANDSHAKE_HEADER_LENGTH + h.length;
      // A ServerHello selecting TLS 1.3 (or a ChangeCipherSpec) may make the rest of this record
      // impossible to read in plaintext; in TLS 1.3 the rest arrives in separate records anyway.
    }
    const rest = buf.length - off;
    if (rest === 0) {
      d.hsFill = 0;
      return;
    }
    if (buf === body) {
      if (d.hs.length < rest) d.hs = new Uint8Array(Math.max(rest, 1024));
      d.hs.set(body.subarray(off), 0);
    } else {
      d.hs.copyWithin(0, off, d.hsFill);
    }
    d.hsFill = rest;
  }

  private handshakeMessage(dir: Direction, version: number, type: number, body: Uint8Array, frame: number, time: number, decrypted = false): void {
    // A guessed client is settled by the first hello: a ClientHello comes from the client, a
    // ServerHello from the server.
    if (this.conversation.clientBasis === 'first-packet' && !this.rolesSettled && (type === 1 || type === 2)) {
      if ((type === 1 && dir === 'server') || (type === 2 && dir === 'client')) {
        this.swapRoles();
        dir = dir === 'client' ? 'server' : 'client';
      }
      this.rolesSettled = true;
    }
    const negotiated = this.facts.negotiatedVersion;
    const ctx = {
      version: negotiated ?? version,
      ...(this.facts.serverHello ? { cipherSuite: this.facts.serverHello.cipherSuite.code } : {}),
      from: dir,
      certificateMemo: this.certificateMemo,
    } as const;
    const decoded: DecodedHandshake = decodeHandshake(type, body, ctx);
    let problems: DecodeProblem[] = [...decoded.problems];
    const b = decoded.body;
    if (b.kind === 'ClientHello') {
      if (this.facts.clientHello === null) this.facts.clientHello = b;
      else this.facts.secondClientHello = b;
      if (this.keys !== null && this.decryptor === null && !this.keys.empty) this.decryptor = new ConnectionDecryptor(this.keys);
      this.decryptor?.onClientHello(b, body);
    } else if (b.kind === 'ServerHello') {
      this.decryptor?.onServerHello(b);
      if (this.facts.clientHello) problems = problems.concat(checkServerHelloAgainstClientHello(this.facts.clientHello, b));
      if (!b.helloRetryRequest) {
        this.facts.serverHello = b;
        this.facts.negotiatedVersion = b.negotiatedVersion;
      } else {
        this.facts.helloRetryRequest = b;
      }
    } else if (b.kind === 'NewSessionTicket') {
      this.decryptor?.onNewSessionTicket(body);
    } else if (b.kind === 'CertificateRequest' && negotiated !== null) {
      problems = problems.concat(checkCertificateRequest(b, negotiated));
    }
    const ev: HandshakeEvent = {
      type: 'handshake',
      recordVersion: version,
      message: decoded.name,
      handshakeType: type,
      length: decoded.length,
      body: b as HandshakeBody,
      frame,
      time,
      from: dir,
      ...(decrypted ? { decrypted: true as const } : {}),
      ...(problems.length ? { problems } : {}),
      ...fingerprintOf(b, 't'),
    };
    this.push(ev);
    if (decrypted) this.decryptor?.onHandshake(dir, type);
  }

  // ---- decrypted records ---------------------------------------------------------------------

  /** A record opened with the key log's secrets: its real content goes where a clear record's would. */
  private decrypted(dir: Direction, version: number, length: number, contentType: number, plaintext: Uint8Array, frame: number, time: number): void {
    this.dirs[dir].lastRecordType = contentType;
    switch (contentType) {
      case ContentType.Handshake:
        this.handshakeBytes(dir, version, plaintext, frame, time, true);
        return;
      case ContentType.Alert:
        this.alert(dir, version, length, plaintext, frame, time, false, true);
        return;
      case ContentType.ApplicationData:
        this.applicationData(dir, version, length, frame, time, true);
        if (plaintext.length > 0 && this.lineProtocol()) this.plaintext(dir, plaintext, 0, plaintext.length, frame, time, true);
        return;
      case ContentType.ChangeCipherSpec:
        // A renegotiation's ChangeCipherSpec travels under the old keys; the new ones start after it.
        this.push({ type: 'change_cipher_spec', recordVersion: version, frame, time, from: dir });
        this.decryptor?.onChangeCipherSpec(dir);
        return;
      case ContentType.Heartbeat:
        this.push({ type: 'heartbeat', recordVersion: version, length, encrypted: false, frame, time, from: dir });
        return;
      default:
        this.push({ type: 'unknown', recordVersion: version, contentType, length, frame, time, from: dir });
    }
  }

  /**
   * Application data worth reading line by line: FTP control, SMTP, IMAP, POP3, after their
   * upgrade or on their implicit-TLS ports. Other protocols' data is never decrypted.
   */
  private lineProtocol(): boolean {
    if (this.lineProtocolCache !== null) return this.lineProtocolCache;
    const up = this.facts.upgradedFrom;
    if (up !== null && up !== 'unknown') return (this.lineProtocolCache = LINE_PROTOCOLS.has(up));
    return (this.lineProtocolCache = IMPLICIT_TLS_PORTS.has(this.conversation.server.port));
  }


  // ---- SSLv2 ---------------------------------------------------------------------------------

  private pushSslv2(dir: Direction, data: Uint8Array, frame: number, time: number): void {
    const d = this.dirs[dir];
    let bytes = data;
    if (d.v2fill > 0) {
      bytes = concat(d.v2buf.subarray(0, d.v2fill), data);
      d.v2fill = 0;
    }
    let off = 0;
    while (off < bytes.length) {
      // A server may answer an SSLv2-compatible hello with SSLv3/TLS records: switch that side over.
      if ((bytes[off] & 0x80) === 0 && bytes[off] >= 20 && bytes[off] <= 24 && bytes[off + 1] === 3) {
        d.mode = 'tls';
        d.stream.push(bytes.subarray(off), frame, time);
        return;
      }
      const h = parseSslv2Header(bytes, off, bytes.length - off);
      if (!h) break;
      const total = h.headerLength + h.length;
      if (bytes.length - off < total) break;
      const body = bytes.subarray(off + h.headerLength, off + total);
      const msg = decodeSslv2Message(body, h, dir, d.encrypted);
      this.push({
        type: 'sslv2',
        message: msg.name,
        ...(msg.name !== 'encrypted' ? { handshakeType: msg.messageType } : {}),
        length: h.length,
        ...(msg.version !== undefined ? { version: msg.version } : {}),
        ...(msg.cipherSpecs ? { cipherSpecs: msg.cipherSpecs } : {}),
        frame,
        time,
        from: dir,
        ...(msg.problems.length ? { problems: msg.problems } : {}),
      });
      if (!d.encrypted && msg.name !== 'encrypted') {
        if (dir === 'client' && msg.messageType === 1) this.facts.sslv2 = true;
        // SSL 2.0: the client encrypts after CLIENT-MASTER-KEY (2), the server after SERVER-HELLO (4).
        if ((dir === 'client' && msg.messageType === 2) || (dir === 'server' && msg.messageType === 4)) d.encrypted = true;
        if (dir === 'server' && msg.messageType === 4) this.facts.negotiatedVersion = 0x0002;
      }
      off += total;
    }
    const rest = bytes.length - off;
    if (rest > 0) {
      if (rest > 1 << 16) {
        d.mode = 'plaintext';
        return;
      }
      d.v2buf = bytes.slice(off);
      d.v2fill = rest;
    }
  }

  private push(ev: TranscriptEvent): void {
    if (this.events.length >= MAX_EVENTS) {
      this.droppedEvents++;
      return;
    }
    if (this.pendingHead !== null) {
      ev.recordHead = this.pendingHead;
      this.pendingHead = null;
    }
    this.events.push(ev);
  }
}

const EMPTY = new Uint8Array(0);
const LINE_PROTOCOLS = new Set(['ftp', 'smtp', 'imap', 'pop3']);
/** FTPS (990), SMTPS (465), IMAPS (993), POP3S (995). */
const IMPLICIT_TLS_PORTS = new Set([990, 465, 993, 995]);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function isMostlyText(data: Uint8Array, offset: number, length: number): boolean {
  if (length <= 0) return false;
  let text = 0;
  for (let i = offset; i < offset + length; i++) {
    const b = data[i];
    if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) text++;
  }
  return text * 10 >= length * 9;
}

/** IANA port numbers of TLS services (and the usual alternates) that a mid-connection capture may show. */
const TLS_SERVICE_PORTS = new Set([443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 1443, 2083, 2087, 3269, 4433, 5061, 5223, 5671, 6514, 6697, 8443, 8883, 9443]);

/**
 * How much a port looks like a server's: 2 a system port (below 1024) or a known TLS port, 1 another
 * registered port, 0 an ephemeral one (RFC 6335 §6 puts dynamic ports at 49152 and up; Linux hands
 * them out from 32768, ip_local_port_range).
 */
function portRank(port: number): number {
  if (port < 1024 || TLS_SERVICE_PORTS.has(port)) return 2;
  return port < 32768 ? 1 : 0;
}

/** A handshake record whose first message's length fits in the record: plaintext, not ciphertext. */
function plausibleHandshake(bytes: Uint8Array): boolean {
  if (bytes.length < 9) return false;
  const recordLength = (bytes[3] << 8) | bytes[4];
  const messageLength = (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
  return messageLength + 4 <= recordLength;
}

function startsWith(data: Uint8Array, offset: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (data[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The length of a TLS 1.3 record that holds only a Finished: handshake header (4) + the suite's
 * hash length + inner content type (1) + AEAD tag (16; 8 for AES_128_CCM_8), RFC 8446 §4.4.4 and §5.2.
 */
function tls13FinishedRecordLength(suite: number): number {
  const hash = suite === 0x1302 ? 48 : 32;
  const tag = suite === 0x1305 ? 8 : 16;
  return 4 + hash + 1 + tag;
}
