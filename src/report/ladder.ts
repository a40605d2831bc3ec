/**
 * The ladder: a connection's events as rows (frame, time, direction, record, message or alert), shared
 * by the text, markdown, html and trace reports so they describe the same steps in the same words.
 */
import type { TlsSummary, TranscriptEvent } from '../session/transcript.js';
import { versionName, versionShort } from '../../decoders/tls/registry/versions.js';

export interface LadderRow {
  readonly frame: number;
  /** Seconds since the connection's first event. */
  readonly offset: number;
  readonly from: 'client' | 'server';
  /** `TLS 1.2`, `SSL 2.0`, `TCP`, `text`. */
  readonly record: string;
  /** `ClientHello`, `alert fatal illegal_parameter(47)`, `FIN`, `"220 (vsFTPd 3.0.5)"`. */
  readonly what: string;
  /** The failing step: a fatal alert, an RST, a plaintext answer to a ClientHello. */
  readonly failure: boolean;
}

/** An event's label; one read from an encrypted record with the key log's secrets says so. */
export function eventLabel(e: TranscriptEvent): string {
  return e.decrypted === true ? `${clearLabel(e)} [decrypted]` : clearLabel(e);
}

function clearLabel(e: TranscriptEvent): string {
  switch (e.type) {
    case 'handshake':
      return e.message === 'encrypted' ? (e.inferred ? 'encrypted handshake message (probably)' : 'encrypted handshake message') : e.message;
    case 'alert':
      if (e.encrypted) return e.inferred ? 'alert (encrypted; inferred from record size)' : 'alert (encrypted)';
      return `alert ${e.level} ${e.description}(${e.code})`;
    case 'change_cipher_spec':
      return 'ChangeCipherSpec';
    case 'application_data':
      return `application data: ${e.records} ${e.quic !== undefined ? 'packet' : 'record'}${e.records === 1 ? '' : 's'}, ${e.bytes} bytes${e.lastFrame !== e.frame ? ` (to frame ${e.lastFrame})` : ''}`;
    case 'heartbeat':
      return `heartbeat${e.encrypted ? ' (encrypted)' : ''}, ${e.length} bytes`;
    case 'sslv2':
      return `SSLv2 ${e.message}`;
    case 'plaintext':
      // The line terminator is the protocol's, not the peer's words: leave it out of the label.
      return `"${e.text.replace(/(?:\\r)?\\n$/, '')}"`;
    case 'tcp':
      return e.flag === 'gap' ? `missing ${e.bytes ?? '?'} bytes (not captured)` : e.flag.toUpperCase();
    case 'unknown':
      return `unknown record type ${e.contentType ?? '?'}, ${e.length} bytes`;
  }
}

export function recordLabel(e: TranscriptEvent): string {
  switch (e.type) {
    case 'tcp':
      return 'TCP';
    case 'plaintext':
      return 'plaintext';
    case 'sslv2':
      return 'SSL 2.0';
    case 'handshake':
    case 'alert':
    case 'application_data':
      // QUIC has no TLS records: the packet that carried the message (or the CONNECTION_CLOSE).
      if (e.quic !== undefined) return `QUIC ${e.quic.packet}`;
      return versionName(e.recordVersion);
    default:
      return e.recordVersion !== undefined ? versionName(e.recordVersion) : '';
  }
}

export function isFailureStep(e: TranscriptEvent, established: boolean): boolean {
  if (e.type === 'alert') return e.level === 'fatal' || (!established && e.encrypted);
  if (e.type === 'tcp') return e.flag === 'rst' && !established;
  return false;
}

/**
 * The index of the step that decided the failure, or -1: the earliest of the first fatal alert (or
 * RST, or encrypted alert of a handshake that never finished), the peer's plaintext answer after TLS
 * began, and the FIN/RST with which a side ended a failed handshake. Only that one step is marked, so
 * a reader's eye lands on the cause, not on the reaction or teardown that followed it.
 */
export function failingStep(events: readonly TranscriptEvent[], tls: TlsSummary | null): number {
  const established = tls?.established ?? false;
  // Picked up mid-way there is no handshake, so nothing in it failed (a plaintext fatal alert excepted).
  if (tls?.midConnection === true) return events.findIndex((e) => e.type === 'alert' && !e.encrypted && e.level === 'fatal');
  const first = events.findIndex((e) => isFailureStep(e, established));
  if (tls === null || established) return first;
  const candidates = [first];
  const start = events.findIndex((e) => e.frame >= tls.startFrame && e.type !== 'plaintext' && e.type !== 'tcp');
  // The peer's plaintext answer (not a line decrypted from inside TLS).
  if (start >= 0) candidates.push(events.findIndex((e, k) => k > start && e.type === 'plaintext' && e.decrypted !== true && e.from !== events[start].from));
  if ((tls.ended.how === 'fin' || tls.ended.how === 'rst') && tls.ended.frame !== null) {
    candidates.push(events.findIndex((e) => e.type === 'tcp' && e.flag === tls.ended.how && e.frame === tls.ended.frame));
  }
  const found = candidates.filter((k) => k >= 0);
  return found.length ? Math.min(...found) : -1;
}

/**
 * The rows of a connection's ladder. With the connection's TLS summary, the decisive failing step is
 * marked (see failingStep); without it, the first step that is a failure by itself.
 */
export function ladder(events: readonly TranscriptEvent[], established: boolean, tls?: TlsSummary | null): LadderRow[] {
  const t0 = events.length > 0 ? events[0].time : 0;
  const failing = tls !== undefined ? failingStep(events, tls) : events.findIndex((e) => isFailureStep(e, established));
  return events.map((e, k) => ({
    frame: e.frame,
    offset: Math.max(0, e.time - t0),
    from: e.from,
    record: recordLabel(e),
    what: eventLabel(e),
    failure: k === failing,
  }));
}

/** `CLIENT_HELLO` from `ClientHello` (the z/OS trace style). */
export function traceName(message: string): string {
  return message.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase();
}

export { versionShort };
