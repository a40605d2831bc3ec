/**
 * From a connection's events to the summary a person reads first: what was offered and agreed,
 * whether the handshake completed, and how it ended.
 */
import type { Conversation, Direction } from '../flow/types.js';
import type { Extension, HandshakeBody, ProtocolVersion } from '../../decoders/tls/types.js';
import type { ClientHelloFingerprint, ServerHelloFingerprint } from '../../decoders/tls/fingerprint.js';
import type { AlertEvent, HandshakeEvent, ResumptionMechanism, TlsSummary, TranscriptEvent } from './transcript.js';
import { offeredSuites } from '../../decoders/tls/registry/cipher-suites.js';

type ClientHello = Extract<HandshakeBody, { kind: 'ClientHello' }>;
type ServerHello = Extract<HandshakeBody, { kind: 'ServerHello' }>;

/** What the session layer learnt while decoding, beyond the events themselves. */
export interface SessionFacts {
  tlsStartFrame: number | null;
  tlsStartTime: number | null;
  upgradedFrom: string | null;
  clientHello: ClientHello | null;
  secondClientHello?: ClientHello;
  serverHello: ServerHello | null;
  helloRetryRequest?: ServerHello;
  negotiatedVersion: ProtocolVersion | null;
  sslv2: boolean;
  recordVersionChecked: { client: boolean; server: boolean };
  tls13ClientFlightStarted: boolean;
  tls13ClientFlightDone: boolean;
  /** The capture began after the connection's start: its first TLS records were not a hello (see ConnectionSession). */
  midConnection?: boolean;
}

/** Facts of a session that has seen nothing yet (TLS over TCP, DTLS and QUIC alike). */
export function newSessionFacts(): SessionFacts {
  return {
    tlsStartFrame: null,
    tlsStartTime: null,
    upgradedFrom: null,
    clientHello: null,
    serverHello: null,
    negotiatedVersion: null,
    sslv2: false,
    recordVersionChecked: { client: false, server: false },
    tls13ClientFlightStarted: false,
    tls13ClientFlightDone: false,
  };
}

const GREASE = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);

function ext<K extends string>(exts: readonly Extension[] | undefined, kind: K) {
  if (!exts) return undefined;
  for (const e of exts) if (e.value && e.value.kind === kind) return e.value as Extract<NonNullable<Extension['value']>, { kind: K }>;
  return undefined;
}

function isTls13(v: ProtocolVersion | null): boolean {
  return v !== null && (v === 0x0304 || (v >> 8) === 0x7f || v === 0xfb17 || v === 0xfb1a);
}

export function summarize(events: readonly TranscriptEvent[], facts: SessionFacts, conversation: Conversation): TlsSummary | null {
  if (facts.tlsStartFrame === null) return null;
  const ch = facts.clientHello;
  const sh = facts.serverHello;
  const negotiated = facts.negotiatedVersion;

  const hs = (from: Direction, message: string): HandshakeEvent | undefined =>
    events.find((e): e is HandshakeEvent => e.type === 'handshake' && e.from === from && e.message === message);
  const sslv2Hello = events.find((e) => e.type === 'sslv2' && e.from === 'client' && e.handshakeType === 1);

  // Offered versions: supported_versions when present (TLS 1.3 clients), else everything up to the hello's version.
  let clientVersion: ProtocolVersion | null = ch ? ch.version : sslv2Hello && sslv2Hello.type === 'sslv2' ? (sslv2Hello.version ?? 0x0002) : null;
  let offeredVersions: ProtocolVersion[] = [];
  const sv = ext(ch?.extensions, 'supported_versions');
  if (sv) offeredVersions = sv.versions.filter((v) => !GREASE(v));
  else if (clientVersion !== null) offeredVersions = [clientVersion];

  const sni = ext(ch?.extensions, 'server_name')?.names[0] ?? null;
  const alpnOffered = ext(ch?.extensions, 'alpn')?.protocols ?? [];
  const alpnSelected = ext(sh?.extensions, 'alpn')?.protocols[0] ?? null;

  // Resumption.
  const offered: ResumptionMechanism[] = [];
  // A client offering TLS 1.3 sends a session id for middlebox compatibility (RFC 8446 §D.4): not a
  // resumption offer, which in TLS 1.3 only pre_shared_key makes. Unless the server then settles on
  // TLS 1.2 or lower, where the same id may be a cached session's.
  const compatibilityId = ch !== null && ch.sessionId.length > 0 && offeredVersions.some(isTls13) && (negotiated === null || isTls13(negotiated));
  if (ch && ch.sessionId.length > 0 && !compatibilityId) offered.push('session_id');
  const ticketExt = ext(ch?.extensions, 'session_ticket');
  if (ticketExt && ticketExt.ticketLength > 0) offered.push('session_ticket');
  if (ext(ch?.extensions, 'pre_shared_key')) offered.push('psk');
  let accepted: boolean | null = null;
  let via: ResumptionMechanism | null = null;
  if (sh) {
    if (isTls13(negotiated)) {
      const psk = ext(sh.extensions, 'pre_shared_key');
      accepted = psk !== undefined;
      via = accepted ? 'psk' : null;
    } else {
      // An abbreviated handshake (RFC 5246 §7.3): the server goes from ServerHello straight to
      // ChangeCipherSpec, with no Certificate/ServerHelloDone of its own.
      const shIndex = events.findIndex((e) => e.type === 'handshake' && e.from === 'server' && e.message === 'ServerHello');
      let abbreviated: boolean | null = null;
      for (let i = shIndex + 1; i < events.length; i++) {
        const e = events[i];
        if (e.from !== 'server') continue;
        if (e.type === 'change_cipher_spec') { abbreviated = true; break; }
        if (e.type === 'handshake' && (e.message === 'Certificate' || e.message === 'ServerHelloDone' || e.message === 'ServerKeyExchange' || e.message === 'CertificateRequest')) { abbreviated = false; break; }
        if (e.type === 'alert') break;
      }
      const echoed = ch !== null && ch.sessionId.length > 0 && sh.sessionId === ch.sessionId;
      if (abbreviated === true || (abbreviated === null && echoed)) {
        accepted = true;
        via = echoed ? 'session_id' : offered.includes('session_ticket') ? 'session_ticket' : 'session_id';
      } else if (abbreviated === false) {
        accepted = false;
      }
    }
  }
  const ticketsIssued = events.filter((e) => e.type === 'handshake' && e.message === 'NewSessionTicket').length;

  // Client certificate.
  const cr = hs('server', 'CertificateRequest');
  const crBody = cr?.body && cr.body.kind === 'CertificateRequest' ? cr.body : null;
  const clientCert = hs('client', 'Certificate');
  const clientCertBody = clientCert?.body && clientCert.body.kind === 'Certificate' ? clientCert.body : null;
  const noCertAlert = events.some((e) => e.type === 'alert' && e.from === 'client' && e.code === 41);
  let certSent: boolean | null = null;
  if (clientCertBody) certSent = clientCertBody.listLength > 0 && clientCertBody.certificates.length > 0;
  else if (noCertAlert) certSent = false;
  const serverCert = hs('server', 'Certificate');
  const serverCertBody = serverCert?.body && serverCert.body.kind === 'Certificate' ? serverCert.body : null;

  // Alerts.
  const alerts = events.filter((e): e is AlertEvent => e.type === 'alert');
  const fatal = alerts.find((a) => a.level === 'fatal');

  // Established?
  const established = isEstablished(events, negotiated, facts, fatal !== undefined);

  let alert: TlsSummary['alert'] = null;
  const chosen = fatal ?? (!established ? alerts[0] : alerts.find((a) => !a.encrypted && a.code !== 0));
  if (chosen) {
    alert = {
      from: chosen.from,
      level: chosen.encrypted ? 'encrypted' : (chosen.level ?? 'unknown'),
      description: chosen.encrypted ? 'unknown (encrypted)' : (chosen.description ?? 'unknown'),
      code: chosen.code ?? -1,
      frame: chosen.frame,
    };
  }

  // How it ended.
  const tlsStart = facts.tlsStartFrame;
  const tcpAfter = events.filter((e) => e.type === 'tcp' && e.flag !== 'gap' && e.frame >= tlsStart);
  const rst = tcpAfter.find((e) => e.type === 'tcp' && e.flag === 'rst');
  const fin = tcpAfter.find((e) => e.type === 'tcp' && e.flag === 'fin');
  // The first thing that ended it: a fatal alert, or a FIN or RST that came before any (a side that
  // closes first and the other's alert after it are a close and a reaction, not an alert failure).
  let ended: TlsSummary['ended'] = { how: conversation.end === null ? 'open' : 'capture-ended', by: null, frame: null };
  const candidates: { how: 'alert' | 'fin' | 'rst'; by: Direction; frame: number; order: number }[] = [];
  // An encrypted alert that ends a handshake that never completed is that handshake's alert too.
  const terminal = fatal ?? (!established ? alerts.find((a) => a.encrypted) : undefined);
  if (terminal) candidates.push({ how: 'alert', by: terminal.from, frame: terminal.frame, order: events.indexOf(terminal) });
  if (fin) candidates.push({ how: 'fin', by: fin.from, frame: fin.frame, order: events.indexOf(fin) });
  if (rst) candidates.push({ how: 'rst', by: rst.from, frame: rst.frame, order: events.indexOf(rst) });
  // A close after an established handshake is the normal end; only a fatal alert or a close during
  // the handshake is how it "ended" in the failure sense, and the order of events decides which came first.
  if (candidates.length > 0) {
    const first = candidates.sort((a, b) => a.order - b.order)[0];
    ended = { how: first.how, by: first.by, frame: first.frame };
  }

  // Duration of the handshake: to its last step when established, to its failure otherwise.
  let handshakeSeconds: number | null = null;
  if (facts.tlsStartTime !== null && facts.midConnection !== true) {
    let endTime: number | null = null;
    if (established) {
      // The last encrypted handshake record, or with keys the last Finished (what follows is not handshake).
      const lastHs = [...events].reverse().find((e) => e.type === 'handshake' && (e.message === 'encrypted' || (e.decrypted === true && e.message === 'Finished')) && e.frame >= tlsStart);
      endTime = lastHs ? lastHs.time : null;
      const firstData = events.find((e) => e.type === 'application_data' && e.frame >= tlsStart);
      if (firstData && (endTime === null || firstData.time < endTime)) endTime = endTime ?? firstData.time;
    } else {
      const endEvent = terminal ?? (ended.frame !== null ? events.find((e) => e.frame === ended.frame) : undefined);
      endTime = endEvent ? endEvent.time : null;
    }
    if (endTime !== null) handshakeSeconds = Math.max(0, roundMicro(endTime - facts.tlsStartTime));
  }

  const lastMessage = { client: lastHandshake(events, 'client'), server: lastHandshake(events, 'server') };
  const appData = { client: { records: 0, bytes: 0 }, server: { records: 0, bytes: 0 } };
  for (const e of events) {
    if (e.type === 'application_data') {
      appData[e.from].records += e.records;
      appData[e.from].bytes += e.bytes;
    }
  }

  return {
    startFrame: tlsStart,
    ...(facts.midConnection === true ? { midConnection: true as const } : {}),
    upgradedFrom: facts.upgradedFrom,
    clientVersion,
    offeredVersions,
    negotiatedVersion: negotiated,
    offeredCipherSuites: ch ? offeredSuites(ch.cipherSuites).real : sslv2Hello && sslv2Hello.type === 'sslv2' ? (sslv2Hello.cipherSpecs?.length ?? 0) : 0,
    ...(ch && offeredSuites(ch.cipherSuites).signalling.length > 0 ? { offeredSignalling: offeredSuites(ch.cipherSuites).signalling } : {}),
    cipherSuite: sh ? sh.cipherSuite : null,
    sni,
    alpnOffered,
    alpn: alpnSelected,
    resumption: {
      offered,
      clientSessionId: ch ? ch.sessionId : '',
      serverSessionId: sh ? sh.sessionId : '',
      accepted,
      via,
      ticketsIssued,
    },
    clientCertificate: {
      requested: cr !== undefined,
      authoritiesLength: crBody ? crBody.authoritiesLength : null,
      sent: certSent,
    },
    serverCertificates: serverCertBody ? serverCertBody.certificates : [],
    clientCertificates: clientCertBody ? clientCertBody.certificates : [],
    established,
    lastMessage,
    alert,
    ended,
    handshakeSeconds,
    applicationData: appData,
    fingerprints: helloFingerprints(events, ch, sh),
  };
}

/** The fingerprints of the hellos the summary describes, from the events that carry them. */
function helloFingerprints(events: readonly TranscriptEvent[], ch: ClientHello | null, sh: ServerHello | null): TlsSummary['fingerprints'] {
  let client: ClientHelloFingerprint | null = null;
  let server: ServerHelloFingerprint | null = null;
  for (const e of events) {
    if (e.type !== 'handshake' || e.fingerprint === undefined) continue;
    if (e.body === ch && ch !== null) client = e.fingerprint as ClientHelloFingerprint;
    else if (e.body === sh && sh !== null) server = e.fingerprint as ServerHelloFingerprint;
  }
  return { client, server };
}

function lastHandshake(events: readonly TranscriptEvent[], from: Direction): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.from !== from) continue;
    if (e.type === 'handshake') return e.message;
    if (e.type === 'sslv2') return e.message;
  }
  return null;
}

function isEstablished(events: readonly TranscriptEvent[], negotiated: ProtocolVersion | null, facts: SessionFacts, fatalAlert: boolean): boolean {
  const dataBothWays =
    events.some((e) => e.type === 'application_data' && e.from === 'client') &&
    events.some((e) => e.type === 'application_data' && e.from === 'server');
  if (facts.sslv2 && negotiated === 0x0002) {
    const enc = (from: Direction) => events.some((e) => e.type === 'sslv2' && e.from === from && e.message === 'encrypted');
    return enc('client') && enc('server');
  }
  if (negotiated === null) return false;
  if (isTls13(negotiated)) {
    // The flights, seen encrypted or (with keys) decrypted.
    const hidden = (e: TranscriptEvent) => e.type === 'handshake' && (e.message === 'encrypted' || e.decrypted === true);
    const clientFlight = events.some((e) => e.from === 'client' && hidden(e));
    const serverFlight = events.some((e) => e.from === 'server' && hidden(e));
    if (!clientFlight || !serverFlight || fatalAlert) return false;
    // After the client's flight (its Finished), the server's next step tells: an alert (seen or
    // inferred from its size) refuses it; data or a post-handshake message (a ticket) accepts it.
    const lastClientHs = lastIndex(events, (e) => e.from === 'client' && hidden(e));
    for (let i = lastClientHs + 1; i < events.length; i++) {
      const e = events[i];
      if (e.from !== 'server') continue;
      if (e.type === 'alert') return false;
      if (e.type === 'application_data' || e.type === 'handshake') return true;
      // A FIN without an alert is an orderly close (the client's Finished was not refused); a reset
      // straight after the client's flight, with no data both ways, is not a completed handshake.
      if (e.type === 'tcp' && e.flag === 'fin') return true;
      if (e.type === 'tcp' && e.flag === 'rst') return dataBothWays;
    }
    // The server said nothing more: the client's view (it went on to send data) is all there is.
    return true;
  }
  // TLS ≤ 1.2: each side's ChangeCipherSpec followed by its (encrypted) Finished.
  const finished = (from: Direction) => {
    const ccs = events.findIndex((e) => e.type === 'change_cipher_spec' && e.from === from);
    if (ccs < 0) return false;
    for (let i = ccs + 1; i < events.length; i++) {
      const e = events[i];
      if (e.from !== from) continue;
      return e.type === 'handshake' || e.type === 'application_data';
    }
    return false;
  };
  if (finished('client') && finished('server')) {
    // A fatal alert right after the Finished messages (e.g. a bad Finished) still means failure.
    return !fatalAlert || dataBothWays;
  }
  return dataBothWays && !fatalAlert;
}

function lastIndex<T>(xs: readonly T[], pred: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (pred(xs[i])) return i;
  return -1;
}

function roundMicro(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
