/**
 * FTP sessions as a whole: which connections are FTP control connections (explicit FTPS after
 * AUTH TLS, implicit FTPS on port 990, or plain FTP), which are their data connections, and whether
 * each TLS data connection resumed the TLS session of its control connection (RFC 4217 §10.2; vsftpd's
 * require_ssl_reuse).
 *
 * A data connection is tied to its control connection by the PASV/EPSV/PORT/EPRT exchange when it is
 * visible (plain FTP, or before AUTH TLS); after AUTH TLS the control channel is encrypted and only
 * the evidence that remains can tie them: the same two hosts, opened while the control connection is
 * up and after its TLS started. The link says which it was.
 */
import type { Conversation } from '../flow/types.js';
import type { HandshakeEvent, PlaintextEvent, Transcript } from './transcript.js';
import { isTls13, type SessionHints } from './connection.js';

export type FtpLink = 'announced' | 'inferred';

export interface FtpControlInfo {
  readonly role: 'control';
  /** `explicit` (AUTH TLS), `implicit` (TLS from the first byte, port 990), or `plain` (no TLS). */
  readonly security: 'explicit' | 'implicit' | 'plain';
  readonly dataStreams: readonly number[];
}

export interface FtpResumption {
  /**
   * `reused`: the data connection resumed a TLS session (abbreviated handshake, or TLS 1.3 PSK);
   * `not-reused`: it did a full handshake; `unknown`: no ServerHello was seen.
   */
  readonly verdict: 'reused' | 'not-reused' | 'unknown';
  /** How the client tried to resume, if at all. */
  readonly offered: readonly string[];
  /** Whether the session resumed is the control connection's (matching session id), when that can be seen. */
  readonly sameAsControl: boolean | null;
  /** One sentence: what was compared and what it showed, including what cannot be known without keys. */
  readonly explanation: string;
  /** Frames of the data connection's ClientHello and ServerHello, and of the control's ServerHello. */
  readonly frames: readonly number[];
}

export interface FtpDataInfo {
  readonly role: 'data';
  readonly controlStream: number;
  readonly link: FtpLink;
  /** `high` announced by PASV/EPSV/PORT/EPRT; `medium` inferred from hosts and timing. */
  readonly confidence: 'high' | 'medium';
  readonly resumption: FtpResumption | null;
}

export type FtpInfo = FtpControlInfo | FtpDataInfo;

/** Data endpoints announced on a control connection: the port the server (PASV) or client (PORT) listens on. */
interface Announcement {
  readonly frame: number;
  readonly host: string | null;
  readonly port: number;
  /** Who will accept the data connection. */
  readonly listener: 'server' | 'client';
}

const PASV = /^227 .*?(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/;
const EPSV = /^229 .*\(\|\|\|(\d+)\|\)/;
const PORT = /^PORT (\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/i;
const EPRT = /^EPRT \|[12]\|([^|]+)\|(\d+)\|/i;

function announcements(t: Transcript): Announcement[] {
  const out: Announcement[] = [];
  for (const e of t.events) {
    if (e.type !== 'plaintext') continue;
    const text = (e as PlaintextEvent).text;
    let m: RegExpExecArray | null;
    if (e.from === 'server' && (m = PASV.exec(text))) out.push({ frame: e.frame, host: `${m[1]}.${m[2]}.${m[3]}.${m[4]}`, port: Number(m[5]) * 256 + Number(m[6]), listener: 'server' });
    else if (e.from === 'server' && (m = EPSV.exec(text))) out.push({ frame: e.frame, host: null, port: Number(m[1]), listener: 'server' });
    else if (e.from === 'client' && (m = PORT.exec(text))) out.push({ frame: e.frame, host: `${m[1]}.${m[2]}.${m[3]}.${m[4]}`, port: Number(m[5]) * 256 + Number(m[6]), listener: 'client' });
    else if (e.from === 'client' && (m = EPRT.exec(text))) out.push({ frame: e.frame, host: m[1], port: Number(m[2]), listener: 'client' });
  }
  return out;
}

/** What the index needs to know of a connection, open or finished. */
export interface FtpCandidate {
  readonly conversation: Conversation;
  /** Cheap facts about a connection that may still be open (ConnectionSession.hints()). */
  hints(): SessionHints;
  /** The transcript so far (built on demand: only for the few connections FTP linking looks at). */
  transcript(): Transcript;
}

function controlSecurity(c: FtpCandidate): FtpControlInfo['security'] | null {
  const h = c.hints();
  if (h.upgradedFrom === 'ftp') return 'explicit';
  if (h.tls && h.upgradedFrom === null && c.conversation.server.port === 990) return 'implicit';
  if (h.ftpText && !h.tls) return 'plain';
  return null;
}

const hostPairKey = (c: Conversation): string => (c.client.ip < c.server.ip ? `${c.client.ip} ${c.server.ip}` : `${c.server.ip} ${c.client.ip}`);

/** `inner` was opened while `outer` was up (outer may have closed since, but not before inner opened). */
const during = (inner: Conversation, outer: Conversation): boolean =>
  inner.firstFrame > outer.firstFrame && !(outer.end && outer.end.frame !== undefined && inner.firstFrame > outer.end.frame);

/**
 * Implicit FTPS on a port other than 990 shows nothing of FTP: the control connection is TLS from its
 * first byte. What gives it away is passive-mode data connections: further TLS connections between
 * the same hosts, to another (unprivileged) server port, opened while it is up.
 */
function mayBeImplicitControl(c: FtpCandidate): boolean {
  const h = c.hints();
  return h.tls && h.upgradedFrom === null && !h.clientPlaintext;
}

function looksLikeImplicitData(d: Conversation, control: Conversation): boolean {
  return d.server.port !== control.server.port && d.server.port >= 1024 && during(d, control);
}

interface Entry {
  readonly c: FtpCandidate;
  /** Closed, its record waiting for the data connections opened during it. */
  finished: boolean;
  /** Known (or, for implicit FTPS off port 990, found) to be an FTP control connection. */
  security: FtpControlInfo['security'] | null;
  readonly data: number[];
  /** Rules that fired on its data connections (findings whose relatedStreams name it). */
  readonly related: Set<string>;
}

/** A connection that is finished as far as FTP is concerned: its place in an FTP session, if any. */
export interface FtpSettled {
  readonly stream: number;
  readonly ftp: FtpInfo | undefined;
  /** Rule ids of findings on other connections (its data connections) that name it. */
  readonly related: readonly string[];
}

/**
 * FTP sessions across connections, in bounded memory: an index of the connections between each pair
 * of hosts that are open, or closed but waiting for data connections opened while they were up. A
 * data connection can only belong to a control connection that was up when it opened, so a control
 * connection is held back (its record not yet final) only until the connections between the same
 * hosts that opened during its life have closed too; then it leaves the index. Every lookup is by
 * host pair: a capture of thousands of unrelated connections costs one small set per host pair.
 *
 * Streaming changes one thing against a whole-capture view: implicit FTPS off port 990 is recognised
 * only while no connection has shown itself to be FTP's so far (explicit AUTH TLS, port 990, or
 * plain FTP), instead of only when none does in the whole capture.
 */
/**
 * The connections between one pair of hosts. Only those that carried payload can be control
 * connections, and only closed ones held back wait: a lookup goes through those few, not through
 * every connection (a SYN flood or a load test opens thousands between the same two hosts).
 */
interface HostPair {
  readonly all: Set<Entry>;
  /** Connections that carried payload: the candidates for a control connection. */
  readonly talkers: Set<Entry>;
  /** Closed connections held back for their data connections. */
  readonly held: Set<Entry>;
}

export class FtpIndex {
  private readonly byHosts = new Map<string, HostPair>();
  private readonly byStream = new Map<number, Entry>();
  private ftpSeen = false;

  /** A new conversation. */
  opened(c: FtpCandidate): void {
    const entry: Entry = { c, finished: false, security: null, data: [], related: new Set() };
    const key = hostPairKey(c.conversation);
    let pair = this.byHosts.get(key);
    if (pair === undefined) this.byHosts.set(key, (pair = { all: new Set(), talkers: new Set(), held: new Set() }));
    pair.all.add(entry);
    this.byStream.set(c.conversation.stream, entry);
  }

  /** The connection carried its first payload: from now on it may be a control connection. */
  spoke(stream: number): void {
    const entry = this.byStream.get(stream);
    if (entry !== undefined) this.byHosts.get(hostPairKey(entry.c.conversation))?.talkers.add(entry);
  }

  /** The connection of a stream while the index still holds it (open, or a control connection held back). */
  candidate(stream: number): FtpCandidate | undefined {
    return this.byStream.get(stream)?.c;
  }

  /** Connections held in the index (open ones and control connections waiting for their data connections). */
  get size(): number {
    return this.byStream.size;
  }

  /**
   * A data connection's link to its control connection, decided when the data connection closes
   * (its TLS must have started to be tied by timing). Returns undefined when it is no FTP data
   * connection. Called before the connection's rules run; `closed` must follow.
   */
  linkData(stream: number): FtpDataInfo | undefined {
    const entry = this.byStream.get(stream);
    if (entry === undefined) return undefined;
    const security = controlSecurity(entry.c);
    if (security !== null) {
      entry.security = security;
      this.ftpSeen = true;
      return undefined;
    }
    const d = entry.c;
    const conv = d.conversation;
    const dTls = d.hints().tls;
    let best: { control: Entry; link: FtpLink } | null = null;
    // A control connection has carried payload (an FTP dialogue, or TLS from its first byte).
    for (const other of this.byHosts.get(hostPairKey(conv))?.talkers ?? []) {
      if (other === entry) continue;
      const cc = other.c.conversation;
      if (conv.firstFrame < cc.firstFrame || (cc.end && cc.end.frame !== undefined && conv.firstFrame > cc.end.frame)) continue;
      let sec = other.security ?? controlSecurity(other.c);
      if (sec === null && !this.ftpSeen && dTls && mayBeImplicitControl(other.c) && looksLikeImplicitData(conv, cc)) {
        sec = 'implicit';
      }
      if (sec === null) continue;
      other.security = sec;
      if (sec !== 'implicit' || cc.server.port === 990) this.ftpSeen = true;
      const announced = announcements(other.c.transcript()).find(
        (a) => a.frame < conv.firstFrame && ((a.listener === 'server' && conv.server.port === a.port) || (a.listener === 'client' && (conv.server.port === a.port || conv.client.port === a.port))),
      );
      if (announced) {
        best = { control: other, link: 'announced' };
        break;
      }
      // After AUTH TLS the PASV reply is encrypted: what remains is the hosts and the timing.
      const tlsStart = other.c.hints().tlsStartFrame ?? cc.firstFrame;
      if (sec !== 'plain' && dTls && conv.firstFrame > tlsStart && (best === null || cc.firstFrame > best.control.c.conversation.firstFrame)) {
        best = { control: other, link: 'inferred' };
      }
    }
    if (best === null) return undefined;
    best.control.data.push(conv.stream);
    return {
      role: 'data',
      controlStream: best.control.c.conversation.stream,
      link: best.link,
      confidence: best.link === 'announced' ? 'high' : 'medium',
      resumption: dTls ? resumptionOf(d.transcript(), best.control.c.transcript()) : null,
    };
  }

  /** Rules that fired on a data connection and name its control connection. */
  relate(controlStream: number, rule: string): void {
    this.byStream.get(controlStream)?.related.add(rule);
  }

  /**
   * The connection has closed (after linkData and its rules). Returns the connections whose records
   * are now final: this one unless it must wait for data connections still open, and any control
   * connection that was waiting for this one.
   */
  closed(stream: number): FtpSettled[] {
    const entry = this.byStream.get(stream);
    if (entry === undefined) return [];
    entry.finished = true;
    const key = hostPairKey(entry.c.conversation);
    const pair = this.byHosts.get(key)!;
    pair.held.add(entry);
    const out: FtpSettled[] = [];
    // Those held back, in the order they opened (stream order), this one among them.
    const finished = pair.held.size === 1 ? [entry] : [...pair.held].sort((a, b) => a.c.conversation.stream - b.c.conversation.stream);
    for (const e of finished) {
      if (!this.waits(e, pair.all)) out.push(this.settle(e, pair));
    }
    if (pair.all.size === 0) this.byHosts.delete(key);
    return out;
  }

  /** End of the capture: everything still held is final. */
  finish(): FtpSettled[] {
    const out: FtpSettled[] = [];
    for (const pair of this.byHosts.values()) for (const e of pair.all) if (e.finished) out.push(this.settle(e, pair));
    this.byHosts.clear();
    this.byStream.clear();
    return out.sort((a, b) => a.stream - b.stream);
  }

  /** Whether a closed connection may still gain a data connection: one opened during it is still open. */
  private waits(e: Entry, set: Set<Entry>): boolean {
    const conv = e.c.conversation;
    const maybeControl = e.security !== null || controlSecurity(e.c) !== null || (!this.ftpSeen && mayBeImplicitControl(e.c));
    if (!maybeControl) return false;
    for (const d of set) {
      if (d === e || d.finished) continue;
      if (!during(d.c.conversation, conv)) continue;
      if (e.security !== null || controlSecurity(e.c) !== null || looksLikeImplicitData(d.c.conversation, conv)) return true;
    }
    return false;
  }

  private settle(e: Entry, pair: HostPair): FtpSettled {
    pair.all.delete(e);
    pair.talkers.delete(e);
    pair.held.delete(e);
    this.byStream.delete(e.c.conversation.stream);
    const security = e.security ?? controlSecurity(e.c);
    const ftp: FtpInfo | undefined = security === null ? undefined : { role: 'control', security, dataStreams: e.data.sort((a, b) => a - b) };
    return { stream: e.c.conversation.stream, ftp, related: [...e.related] };
  }
}

function firstHandshake(t: Transcript, from: 'client' | 'server', message: string): HandshakeEvent | undefined {
  return t.events.find((e): e is HandshakeEvent => e.type === 'handshake' && e.from === from && e.message === message);
}

/** Did the data connection resume the control connection's TLS session? */
export function resumptionOf(data: Transcript, control: Transcript): FtpResumption {
  const tls = data.tls!;
  const ch = firstHandshake(data, 'client', 'ClientHello');
  const sh = firstHandshake(data, 'server', 'ServerHello');
  const controlSh = firstHandshake(control, 'server', 'ServerHello');
  const frames = [ch?.frame, sh?.frame, controlSh?.frame].filter((f): f is number => f !== undefined);
  const offered = tls.resumption.offered;
  const controlSessionId = control.tls?.resumption.serverSessionId ?? '';
  const idMatches = tls.resumption.clientSessionId !== '' && tls.resumption.clientSessionId === controlSessionId;
  if (!sh) {
    return { verdict: 'unknown', offered, sameAsControl: null, explanation: 'No ServerHello was seen on the data connection, so whether it resumed a session cannot be told.', frames };
  }
  const tls13 = isTls13(tls.negotiatedVersion);
  if (tls.resumption.accepted === true) {
    if (tls13) {
      return {
        verdict: 'reused',
        offered,
        sameAsControl: null,
        explanation:
          'The data connection resumed a TLS 1.3 session with a pre-shared key (the ServerHello selects a PSK identity). TLS 1.3 tickets travel encrypted, so which connection issued the ticket cannot be seen without the keys; the control connection is the only candidate on these hosts.',
        frames,
      };
    }
    return {
      verdict: 'reused',
      offered,
      sameAsControl: idMatches ? true : controlSessionId === '' ? null : tls.resumption.via === 'session_id' ? false : null,
      explanation: idMatches
        ? `The data connection's ClientHello offered the control connection's session id ${short(controlSessionId)} and the server resumed it (abbreviated handshake).`
        : `The data connection resumed a session (abbreviated handshake, via ${tls.resumption.via ?? 'session id'}); its session id ${short(tls.resumption.clientSessionId)} is not the control connection's ${short(controlSessionId)}.`,
      frames,
    };
  }
  const compatibilityId = tls13 && tls.resumption.clientSessionId !== '';
  const why = offered.length === 0
    ? compatibilityId
      ? `its ClientHello offered no session to resume: no pre_shared_key, the only way to resume in TLS 1.3 (its session id ${short(tls.resumption.clientSessionId)} is TLS 1.3's middlebox-compatibility id, RFC 8446 §D.4, which resumes nothing)`
      : 'its ClientHello offered no session to resume (empty session id, no ticket, no PSK)'
    : idMatches
      ? `its ClientHello offered the control connection's session id ${short(controlSessionId)}, but the server did a full handshake anyway`
      : `its ClientHello offered ${offered.join(' and ')}${tls.resumption.clientSessionId ? ` (session id ${short(tls.resumption.clientSessionId)}, not the control connection's ${short(controlSessionId)})` : ''}, and the server did a full handshake`;
  return {
    verdict: tls.resumption.accepted === false ? 'not-reused' : 'unknown',
    offered,
    sameAsControl: false,
    explanation: `The data connection did not resume the control connection's TLS session: ${why}.`,
    frames,
  };
}

function short(hex: string): string {
  if (!hex) return '(empty)';
  return hex.length > 16 ? `${hex.slice(0, 16)}…` : hex;
}
