/**
 * Transcript events that TLS over TCP and DTLS build alike from a record's plaintext body.
 */
import { decodeAlert } from '../../decoders/tls/alert.js';
import type { Direction } from '../flow/types.js';
import type { AlertEvent, ApplicationDataEvent, TranscriptEvent } from './transcript.js';

/**
 * The alerts of one alert record: one event when it is encrypted (level and code unknown), else one
 * per two bytes (TLS ≤ 1.2 lets several alerts share a record).
 */
export function alertEvents(dir: Direction, version: number, length: number, body: Uint8Array, frame: number, time: number, encrypted: boolean): AlertEvent[] {
  if (encrypted || body.length === 0) return [{ type: 'alert', recordVersion: version, encrypted: true, length, frame, time, from: dir }];
  const out: AlertEvent[] = [];
  for (let off = 0; off < body.length; off += 2) {
    const a = decodeAlert(body.subarray(off, Math.min(off + 2, body.length)));
    out.push({
      type: 'alert',
      recordVersion: version,
      encrypted: false,
      level: a.levelName,
      description: a.description,
      code: a.code,
      length,
      frame,
      time,
      from: dir,
      ...(a.problems.length ? { problems: a.problems } : {}),
    });
  }
  return out;
}

/**
 * An application_data record: counted into the last event when that is the same side's application
 * data (records are counted, not listed); otherwise a new event, returned for the caller to push.
 */
export function applicationDataEvent(events: readonly TranscriptEvent[], dir: Direction, version: number, length: number, frame: number, time: number): ApplicationDataEvent | null {
  const last = events[events.length - 1];
  if (last && last.type === 'application_data' && last.from === dir) {
    last.records++;
    last.bytes += length;
    last.lastFrame = frame;
    return null;
  }
  return { type: 'application_data', recordVersion: version, records: 1, bytes: length, lastFrame: frame, frame, time, from: dir };
}
