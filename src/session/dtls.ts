/**
 * One UDP conversation carrying DTLS (1.0, 1.2, 1.3) turned into the same transcript a TLS
 * connection gets, so the same rules judge it: records are cut from each datagram
 * (decoders/dtls/record.ts), handshake fragments reassembled by message_seq (retransmissions
 * dropped), bodies decoded by decoders/tls (a ClientHello without its cookie), HelloVerifyRequest,
 * alerts, ChangeCipherSpec, and encrypted records (epoch > 0, tls12_cid, DTLS 1.3 unified headers).
 */
import type { Conversation, Direction } from '../flow/types.js';
import type { DatagramHandler } from '../flow/udp-tracker.js';
import type { CertificateSummary, DecodeProblem, HandshakeBody } from '../../decoders/tls/types.js';
import { decodeHandshake } from '../../decoders/tls/handshake.js';
import { alertEvents, applicationDataEvent } from './events.js';
import { checkServerHelloAgainstClientHello } from '../../decoders/tls/conformance.js';
import {
  CONTENT_ACK,
  CONTENT_TLS12_CID,
  DTLS_HANDSHAKE_HEADER_LENGTH,
  decodeHelloVerifyRequest,
  dtlsClientHelloAsTls,
  parseDtlsHandshakeHeader,
  isMultiplexedNonDtls,
  parseDtlsRecord,
  tlsLayoutOf,
  type DtlsRecordHeader,
} from '../../decoders/dtls/record.js';
import { connectionIdOf } from '../../decoders/dtls/hello.js';
import type { HandshakeEvent, Transcript, TranscriptEvent } from './transcript.js';
import { newSessionFacts, summarize, type SessionFacts } from './summary.js';

/** A handshake message longer than this is not reassembled. */
const MAX_HANDSHAKE_MESSAGE = 1 << 20;
/** Messages being reassembled at once per direction (a flight is a handful), and their bytes together. */
const MAX_PENDING = 16;
const MAX_PENDING_BYTES = 1 << 20;
const MAX_EVENTS = 2000;
const DTLS13 = 0xfefc;

interface Pending {
  readonly type: number;
  readonly buf: Uint8Array;
  /** Covered byte ranges, merged: [start, end) pairs. */
  ranges: number[];
  fragments: number;
}

class Side {
  /** Next message_seq not yet completed; messages below it (retransmissions) are dropped. */
  nextSeq = 0;
  readonly pending = new Map<number, Pending>();
  /** Sent a ChangeCipherSpec (DTLS ≤ 1.2): its later epoch-0 records are retransmissions. */
  changedCipher = false;
  /** Sent an encrypted handshake record (its Finished): later encrypted records are data. */
  finishedSent = false;
  /** Connection id length in the records this side sends (what its peer asked for), 0 when none. */
  cidLength = 0;
  retransmissions = 0;
  /** Bytes allocated for messages being reassembled; messages refused for the bound. */
  pendingBytes = 0;
  overflowed = 0;
}

export class DtlsSession implements DatagramHandler {
  private readonly events: TranscriptEvent[] = [];
  private readonly problems: (DecodeProblem & { frame?: number; from?: Direction })[] = [];
  private sides = { client: new Side(), server: new Side() };
  private readonly facts: SessionFacts = newSessionFacts();
  private rolesSettled = false;
  private dropped = 0;
  private undecodable = 0;
  private multiplexed = 0;
  private readonly header: DtlsRecordHeader = { contentType: 0, version: 0, epoch: 0, sequence: 0, cidLength: 0, unified: false, headerLength: 0, bodyOffset: 0, length: 0 };
  private closed = false;
  private cache: Transcript | null = null;

  constructor(
    private readonly conversation: Conversation,
    private readonly certificateMemo: Map<string, CertificateSummary> = new Map(),
  ) {}

  onDatagram(dir: Direction, data: Uint8Array, frame: number, time: number): void {
    if (this.facts.tlsStartFrame === null) {
      this.facts.tlsStartFrame = frame;
      this.facts.tlsStartTime = time;
    }
    if (isMultiplexedNonDtls(data)) {
      // STUN, RTP or RTCP sharing a WebRTC 5-tuple (RFC 7983): not DTLS, only counted.
      this.multiplexed++;
      return;
    }
    const h = this.header;
    let off = 0;
    while (off < data.length) {
      const side = this.sides[dir];
      if (!parseDtlsRecord(data, off, data.length, side.cidLength, h)) {
        // Not a record (a STUN or SRTP packet sharing a WebRTC 5-tuple, or a cut datagram): counted.
        if (this.undecodable++ === 0) {
          this.problems.push({
            severity: 'note',
            code: 'not-dtls',
            field: 'record',
            message: `${dir} datagram bytes that are not a DTLS record were skipped (other protocols share the 5-tuple in WebRTC, or the datagram is cut); later ones are counted`,
            frame,
            from: dir,
          });
        }
        return;
      }
      const body = data.subarray(h.bodyOffset, h.bodyOffset + h.length);
      dir = this.record(dir, h, body, frame, time);
      off = h.bodyOffset + h.length;
    }
  }

  onClose(): void {
    this.closed = true;
  }

  transcript(): Transcript {
    if (this.cache !== null && this.closed) return this.cache;
    const problems = [...this.problems];
    const retransmitted = this.sides.client.retransmissions + this.sides.server.retransmissions;
    if (retransmitted > 0) {
      problems.push({ severity: 'note', code: 'dtls-retransmissions', field: 'handshake', message: `${retransmitted} retransmitted handshake fragment${retransmitted === 1 ? '' : 's'} (a message_seq already reassembled) not listed` });
    }
    if (this.multiplexed > 0) problems.push({ severity: 'note', code: 'dtls-multiplexed', field: 'datagram', message: `${this.multiplexed} STUN/RTP/RTCP datagram${this.multiplexed === 1 ? '' : 's'} on the same 5-tuple (RFC 7983 multiplexing) not listed` });
    if (this.undecodable > 1) problems.push({ severity: 'note', code: 'not-dtls-count', field: 'record', message: `${this.undecodable} datagrams held bytes that are not DTLS records` });
    if (this.dropped > 0) problems.push({ severity: 'note', code: 'events-not-listed', field: 'transcript', message: `${this.dropped} further events not listed: a connection keeps at most ${MAX_EVENTS} events` });
    // The summary's version logic is TLS's: give it the TLS version whose layout DTLS uses, then name the DTLS one.
    const negotiated = this.facts.negotiatedVersion;
    const facts = negotiated === null ? this.facts : { ...this.facts, negotiatedVersion: tlsLayoutOf(negotiated) };
    const summary = summarize(this.events, facts, this.conversation);
    const t: Transcript = {
      events: this.events,
      tls: summary !== null && negotiated !== null ? { ...summary, negotiatedVersion: negotiated } : summary,
      problems,
      transport: 'dtls',
    };
    if (this.closed) this.cache = t;
    return t;
  }

  /** Returns the direction name of the sender (it changes when a guessed client is corrected). */
  private record(dir: Direction, h: DtlsRecordHeader, body: Uint8Array, frame: number, time: number): Direction {
    const side = this.sides[dir];
    const version = h.unified ? DTLS13 : h.version;
    if (h.unified || h.contentType === CONTENT_TLS12_CID) {
      // Encrypted (DTLS 1.3 epoch 2 = handshake keys, 3 and on = application keys; RFC 9147 §6.1).
      const handshake = h.unified ? h.epoch === 2 : !side.finishedSent;
      if (handshake) {
        side.finishedSent = true;
        this.push({ type: 'handshake', recordVersion: version, message: 'encrypted', length: h.length, frame, time, from: dir });
      } else {
        this.applicationData(dir, version, h.length, frame, time);
      }
      return dir;
    }
    const encrypted = h.epoch > 0;
    switch (h.contentType) {
      case 22:
        if (encrypted) {
          side.finishedSent = true;
          this.push({ type: 'handshake', recordVersion: version, message: 'encrypted', length: h.length, frame, time, from: dir });
          return dir;
        }
        return this.handshakeFragments(dir, version, body, frame, time);
      case 20:
        if (side.changedCipher) return dir; // a retransmitted flight
        side.changedCipher = true;
        this.push({ type: 'change_cipher_spec', recordVersion: version, frame, time, from: dir });
        return dir;
      case 21:
        this.alert(dir, version, h.length, body, frame, time, encrypted);
        return dir;
      case 23:
        this.applicationData(dir, version, h.length, frame, time);
        return dir;
      case 24:
        this.push({ type: 'heartbeat', recordVersion: version, length: h.length, encrypted, frame, time, from: dir });
        return dir;
      case CONTENT_ACK:
      default:
        this.push({ type: 'unknown', recordVersion: version, contentType: h.contentType, length: h.length, frame, time, from: dir });
        return dir;
    }
  }

  private handshakeFragments(dir: Direction, version: number, body: Uint8Array, frame: number, time: number): Direction {
    let off = 0;
    while (off < body.length) {
      const hh = parseDtlsHandshakeHeader(body, off, body.length);
      const side = this.sides[dir];
      if (hh === null || off + DTLS_HANDSHAKE_HEADER_LENGTH + hh.fragmentLength > body.length || hh.fragmentOffset + hh.fragmentLength > hh.length || hh.length > MAX_HANDSHAKE_MESSAGE) {
        this.problems.push({
          severity: 'error',
          code: 'dtls-bad-fragment',
          field: 'DTLSHandshake',
          message: hh === null ? `${dir} handshake record ends inside a handshake header` : `${dir} handshake fragment (type ${hh.type}, message_seq ${hh.messageSeq}, offset ${hh.fragmentOffset}, length ${hh.fragmentLength} of ${hh.length}) does not fit its record or message`,
          frame,
          from: dir,
          rule: 'RFC 6347 §4.2.2',
        } as DecodeProblem & { frame: number; from: Direction });
        return dir;
      }
      const fragment = body.subarray(off + DTLS_HANDSHAKE_HEADER_LENGTH, off + DTLS_HANDSHAKE_HEADER_LENGTH + hh.fragmentLength);
      off += DTLS_HANDSHAKE_HEADER_LENGTH + hh.fragmentLength;
      if (hh.messageSeq < side.nextSeq) {
        side.retransmissions++;
        continue;
      }
      let p = side.pending.get(hh.messageSeq);
      if (p === undefined) {
        if (side.pending.size >= MAX_PENDING || side.pendingBytes + hh.length > MAX_PENDING_BYTES) {
          if (side.overflowed++ === 0) {
            this.problems.push({
              severity: 'warning',
              code: 'dtls-reassembly-bound',
              field: 'DTLSHandshake',
              message: `${dir} handshake message_seq ${hh.messageSeq} (type ${hh.type}, ${hh.length} bytes) not reassembled: more than ${MAX_PENDING} messages or ${MAX_PENDING_BYTES} bytes waiting for their fragments`,
              frame,
              from: dir,
            } as DecodeProblem & { frame: number; from: Direction });
          }
          continue;
        }
        p = { type: hh.type, buf: new Uint8Array(hh.length), ranges: [], fragments: 0 };
        side.pending.set(hh.messageSeq, p);
        side.pendingBytes += hh.length;
      }
      if (p.type !== hh.type || p.buf.length !== hh.length) continue;
      p.buf.set(fragment, hh.fragmentOffset);
      p.fragments++;
      p.ranges = addRange(p.ranges, hh.fragmentOffset, hh.fragmentOffset + hh.fragmentLength);
      // Messages complete in message_seq order (a later one waits for the earlier ones).
      for (;;) {
        const next = side.pending.get(side.nextSeq);
        if (next === undefined || !(next.ranges.length === 2 && next.ranges[0] === 0 && next.ranges[1] === next.buf.length)) break;
        side.pending.delete(side.nextSeq);
        side.pendingBytes -= next.buf.length;
        const seq = side.nextSeq++;
        dir = this.message(dir, version, next, seq, frame, time);
      }
    }
    return dir;
  }

  private message(dir: Direction, version: number, p: Pending, seq: number, frame: number, time: number): Direction {
    const type = p.type;
    // A guessed client is settled by the first hello, as for TCP.
    if (this.conversation.clientBasis === 'first-packet' && !this.rolesSettled && (type === 1 || type === 2 || type === 3)) {
      if ((type === 1 && dir === 'server') || (type !== 1 && dir === 'client')) {
        this.swapRoles();
        dir = dir === 'client' ? 'server' : 'client';
      }
      this.rolesSettled = true;
    }
    let body: Uint8Array = p.buf;
    const dtls: { messageSeq: number; fragments: number; cookieLength?: number } = { messageSeq: seq, fragments: p.fragments };
    const problems: DecodeProblem[] = [];
    if (type === 1) {
      const asTls = dtlsClientHelloAsTls(body);
      if (asTls !== null) {
        body = asTls.body;
        dtls.cookieLength = asTls.cookieLength;
      }
    }
    if (type === 3) {
      const hvr = decodeHelloVerifyRequest(body);
      if (hvr !== null) dtls.cookieLength = hvr.cookieLength;
      else problems.push({ severity: 'error', code: 'malformed', field: 'HelloVerifyRequest', message: 'HelloVerifyRequest is not server_version and a cookie', rule: 'RFC 6347 §4.2.1' } as DecodeProblem);
    }
    const negotiated = this.facts.negotiatedVersion;
    const decoded = decodeHandshake(type, body, {
      version: tlsLayoutOf(negotiated ?? version),
      ...(this.facts.serverHello ? { cipherSuite: this.facts.serverHello.cipherSuite.code } : {}),
      from: dir,
      certificateMemo: this.certificateMemo,
    });
    problems.push(...decoded.problems);
    const b = decoded.body;
    if (b.kind === 'ClientHello') {
      if (this.facts.clientHello === null || this.isCookieRetry()) this.facts.clientHello = b;
      else this.facts.secondClientHello = b;
      const cid = connectionIdOf(body, 'client');
      if (cid >= 0) this.sides.server.cidLength = cid; // the server puts the client's id in its records
    } else if (b.kind === 'ServerHello') {
      // The conformance checks know TLS's version numbers: DTLS 1.3 is checked as the TLS 1.3 it mirrors.
      if (this.facts.clientHello) problems.push(...checkServerHelloAgainstClientHello(asTlsVersions(this.facts.clientHello), { ...b, version: tlsLayoutOf(b.version), negotiatedVersion: tlsLayoutOf(b.negotiatedVersion) }));
      if (!b.helloRetryRequest) {
        this.facts.serverHello = b;
        this.facts.negotiatedVersion = b.negotiatedVersion;
        const cid = connectionIdOf(body, 'server');
        if (cid >= 0) this.sides.client.cidLength = cid;
      } else {
        this.facts.helloRetryRequest = b;
      }
    }
    const ev: HandshakeEvent = {
      type: 'handshake',
      recordVersion: version,
      message: type === 3 ? 'HelloVerifyRequest' : decoded.name,
      handshakeType: type,
      length: p.buf.length,
      body: b as HandshakeBody,
      frame,
      time,
      from: dir,
      dtls,
      ...(problems.length ? { problems } : {}),
    };
    this.push(ev);
    return dir;
  }

  /**
   * After a HelloVerifyRequest the client repeats its ClientHello with the cookie (RFC 6347 §4.2.1):
   * that second hello is the one the handshake continues from, not a renegotiation.
   */
  private isCookieRetry(): boolean {
    return this.facts.serverHello === null && this.events.some((e) => e.type === 'handshake' && e.handshakeType === 3);
  }

  private swapRoles(): void {
    this.conversation.swapRoles();
    this.sides = { client: this.sides.server, server: this.sides.client };
    for (const e of this.events as { from: Direction }[]) e.from = e.from === 'client' ? 'server' : 'client';
  }

  private alert(dir: Direction, version: number, length: number, body: Uint8Array, frame: number, time: number, encrypted: boolean): void {
    for (const ev of alertEvents(dir, version, length, body, frame, time, encrypted)) this.push(ev);
  }

  private applicationData(dir: Direction, version: number, length: number, frame: number, time: number): void {
    const ev = applicationDataEvent(this.events, dir, version, length, frame, time);
    if (ev !== null) this.push(ev);
  }

  private push(ev: TranscriptEvent): void {
    if (this.events.length >= MAX_EVENTS) {
      this.dropped++;
      return;
    }
    this.events.push(ev);
  }
}

type ClientHello = Extract<HandshakeBody, { kind: 'ClientHello' }>;

/** The ClientHello with its supported_versions in the TLS numbers the conformance checks compare against. */
function asTlsVersions(ch: ClientHello): ClientHello {
  const extensions = ch.extensions?.map((e) => (e.value?.kind === 'supported_versions' ? { ...e, value: { ...e.value, versions: e.value.versions.map(tlsLayoutOf) } } : e));
  return extensions ? { ...ch, version: tlsLayoutOf(ch.version), extensions } : { ...ch, version: tlsLayoutOf(ch.version) };
}

/** Merges [start, end) into sorted, disjoint ranges. */
function addRange(ranges: number[], start: number, end: number): number[] {
  if (end <= start) return ranges;
  const out: number[] = [];
  let s = start;
  let e = end;
  let placed = false;
  for (let i = 0; i < ranges.length; i += 2) {
    const rs = ranges[i];
    const re = ranges[i + 1];
    if (re < s) out.push(rs, re);
    else if (rs > e) {
      if (!placed) {
        out.push(s, e);
        placed = true;
      }
      out.push(rs, re);
    } else {
      s = Math.min(s, rs);
      e = Math.max(e, re);
    }
  }
  if (!placed) out.push(s, e);
  return out;
}
