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
import { isTls13 } from './connection.js';

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

export interface FtpConnection {
  readonly conversation: Conversation;
  readonly transcript: Transcript;
}

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

function isFtpControl(c: FtpConnection): FtpControlInfo['security'] | null {
  const t = c.transcript;
  if (t.tls?.upgradedFrom === 'ftp') return 'explicit';
  const ftpText = t.events.some((e) => e.type === 'plaintext' && e.protocol === 'ftp');
  if (t.tls && t.tls.upgradedFrom === null && c.conversation.server.port === 990) return 'implicit';
  if (ftpText && !t.tls) return 'plain';
  return null;
}

const sameHosts = (a: Conversation, b: Conversation): boolean =>
  (a.client.ip === b.client.ip && a.server.ip === b.server.ip) || (a.client.ip === b.server.ip && a.server.ip === b.client.ip);

const during = (inner: Conversation, outer: Conversation): boolean =>
  inner.firstFrame > outer.firstFrame && !(outer.end && outer.end.frame !== undefined && inner.firstFrame > outer.end.frame);

/**
 * Implicit FTPS on a port other than 990 shows nothing of FTP: the control connection is TLS from its
 * first byte. What gives it away is passive-mode data connections: further TLS connections between
 * the same hosts, to another (unprivileged) server port, opened while it is up.
 */
function looksLikeImplicitControl(c: FtpConnection, all: readonly FtpConnection[]): boolean {
  const t = c.transcript;
  if (!t.tls || t.tls.upgradedFrom !== null || t.events.some((e) => e.type === 'plaintext' && e.from === 'client')) return false;
  const conv = c.conversation;
  return all.some(
    (d) =>
      d !== c &&
      d.transcript.tls !== null &&
      sameHosts(d.conversation, conv) &&
      d.conversation.server.port !== conv.server.port &&
      d.conversation.server.port >= 1024 &&
      during(d.conversation, conv),
  );
}

/** Links every FTP data connection to its control connection; keyed by stream. */
export function linkFtpSessions(connections: readonly FtpConnection[]): Map<number, FtpInfo> {
  const result = new Map<number, FtpInfo>();
  const found = connections.map((c) => ({ c, security: isFtpControl(c) }));
  // Implicit FTPS off port 990: only when no connection has already shown itself to be FTP's, so a
  // data connection of an explicit session is never taken for a control connection of its own.
  if (!found.some((x) => x.security !== null)) {
    for (const x of found) if (x.security === null && looksLikeImplicitControl(x.c, connections)) x.security = 'implicit';
  }
  const controls = found.filter((x): x is { c: FtpConnection; security: FtpControlInfo['security'] } => x.security !== null);
  if (controls.length === 0) return result;
  const dataOf = new Map<number, number[]>();
  for (const { c } of controls) dataOf.set(c.conversation.stream, []);
  const controlStreams = new Set(controls.map((x) => x.c.conversation.stream));

  for (const d of connections) {
    const conv = d.conversation;
    if (controlStreams.has(conv.stream)) continue;
    let best: { control: FtpConnection; link: FtpLink } | null = null;
    for (const { c, security } of controls) {
      const cc = c.conversation;
      if (!sameHosts(conv, cc)) continue;
      // Opened while the control connection was up (it may close right after the transfer).
      if (conv.firstFrame < cc.firstFrame || (cc.end && cc.end.frame !== undefined && conv.firstFrame > cc.end.frame)) continue;
      const announced = announcements(c.transcript).find(
        (a) => a.frame < conv.firstFrame && ((a.listener === 'server' && conv.server.port === a.port) || (a.listener === 'client' && (conv.server.port === a.port || conv.client.port === a.port))),
      );
      if (announced) {
        best = { control: c, link: 'announced' };
        break;
      }
      // After AUTH TLS the PASV reply is encrypted: what remains is the hosts and the timing.
      const tlsStart = c.transcript.tls?.startFrame ?? cc.firstFrame;
      if (security !== 'plain' && d.transcript.tls && conv.firstFrame > tlsStart && (best === null || cc.firstFrame > best.control.conversation.firstFrame)) {
        best = { control: c, link: 'inferred' };
      }
    }
    if (!best) continue;
    const controlStream = best.control.conversation.stream;
    dataOf.get(controlStream)!.push(conv.stream);
    result.set(conv.stream, {
      role: 'data',
      controlStream,
      link: best.link,
      confidence: best.link === 'announced' ? 'high' : 'medium',
      resumption: d.transcript.tls ? resumptionOf(d.transcript, best.control.transcript) : null,
    });
  }
  for (const { c, security } of controls) {
    result.set(c.conversation.stream, { role: 'control', security, dataStreams: dataOf.get(c.conversation.stream) ?? [] });
  }
  return result;
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
  const why = offered.length === 0
    ? 'its ClientHello offered no session to resume (empty session id, no ticket, no PSK)'
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
