/**
 * The ladder: a connection's events as rows (frame, time, direction, record, message or alert), shared
 * by the text, markdown, html and trace reports so they describe the same steps in the same words.
 */
import type { TranscriptEvent } from '../session/transcript.js';
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

export function eventLabel(e: TranscriptEvent): string {
  switch (e.type) {
    case 'handshake':
      return e.message === 'encrypted' ? 'encrypted handshake message' : e.message;
    case 'alert':
      if (e.encrypted) return e.inferred ? 'alert (encrypted; inferred from record size)' : 'alert (encrypted)';
      return `alert ${e.level} ${e.description}(${e.code})`;
    case 'change_cipher_spec':
      return 'ChangeCipherSpec';
    case 'application_data':
      return `application data: ${e.records} record${e.records === 1 ? '' : 's'}, ${e.bytes} bytes${e.lastFrame !== e.frame ? ` (to frame ${e.lastFrame})` : ''}`;
    case 'heartbeat':
      return `heartbeat${e.encrypted ? ' (encrypted)' : ''}, ${e.length} bytes`;
    case 'sslv2':
      return `SSLv2 ${e.message}`;
    case 'plaintext':
      return `"${e.text}"`;
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
    default:
      return e.recordVersion !== undefined ? versionName(e.recordVersion) : '';
  }
}

export function isFailureStep(e: TranscriptEvent, established: boolean): boolean {
  if (e.type === 'alert') return e.level === 'fatal' || (!established && e.encrypted);
  if (e.type === 'tcp') return e.flag === 'rst' && !established;
  return false;
}

export function ladder(events: readonly TranscriptEvent[], established: boolean): LadderRow[] {
  const t0 = events.length > 0 ? events[0].time : 0;
  return events.map((e) => ({
    frame: e.frame,
    offset: Math.max(0, e.time - t0),
    from: e.from,
    record: recordLabel(e),
    what: eventLabel(e),
    failure: isFailureStep(e, established),
  }));
}

/** `CLIENT_HELLO` from `ClientHello` (the z/OS trace style). */
export function traceName(message: string): string {
  return message.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase();
}

export { versionShort };
