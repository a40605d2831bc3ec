/**
 * `--format trace`: one line per record (consecutive handshake messages of one record on one line), in
 * the style of the z/OS packet trace support engineers already read:
 *
 *    ->  0.102   298  TLS1.2: HSHK( CLIENT_HELLO )                         frame 4
 *   <-   0.083  1400  SSL3: HSHK( SERVER_HELLO CERTIFICATE ... )          frame 6
 *    -> <0.001     7  TLS1.2: ALERT( FATAL: ILLEGAL_PARAMETER )            frame 9
 *
 * Arrows: `->` client to server, `<-` server to client. The time is the delta to the previous line;
 * the byte count is the record's content length.
 */
import type { CaptureHeader, ConnectionDocument } from './document.js';
import type { TranscriptEvent } from '../session/transcript.js';
import { traceName, versionShort } from './ladder.js';
import { streamField } from './describe.js';

interface TraceLine {
  from: 'client' | 'server';
  time: number;
  bytes: number;
  text: string;
  frame: number;
}

/** A capture that could not be read: one line saying why. */
export function traceCaptureError(cap: CaptureHeader): string {
  return cap.error ? `${cap.file}: ${cap.error.message}\n\n` : '';
}

/** One connection's records, one line each; '' for a conversation with neither TLS nor a plaintext dialogue. */
export function traceConnection(file: string, c: ConnectionDocument): string {
  if (!c.tls && !c.events.some((e) => e.type === 'plaintext')) return '';
  const out: string[] = [`${file}  ${streamField(c.transport)} ${c.stream}  ${c.client} -> ${c.server}`];
  let prev: number | null = null;
  for (const line of traceLines(c.events)) {
    const delta = prev === null ? 0 : line.time - prev;
    prev = line.time;
    const arrow = line.from === 'client' ? ' ->' : '<- ';
    const d = delta < 0.001 && prev !== null && delta !== 0 ? '<0.001' : delta.toFixed(3);
    out.push(`${arrow} ${d.padStart(7)} ${String(line.bytes).padStart(6)}  ${line.text.padEnd(52)} frame ${line.frame}`);
  }
  return out.join('\n') + '\n\n';
}

function traceLines(events: readonly TranscriptEvent[]): TraceLine[] {
  const lines: TraceLine[] = [];
  for (const e of events) {
    const last = lines[lines.length - 1];
    switch (e.type) {
      case 'handshake': {
        const name = e.message === 'encrypted' ? 'ENCRYPTED' : traceName(e.message);
        const prefix = `${versionShort(e.recordVersion)}: HSHK(`;
        if (last && last.frame === e.frame && last.from === e.from && last.text.startsWith(prefix)) {
          last.text = last.text.slice(0, -2) + ` ${name} )`;
          last.bytes += e.length + (e.message === 'encrypted' ? 0 : 4);
        } else {
          lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.length + (e.message === 'encrypted' ? 0 : 4), text: `${prefix} ${name} )` });
        }
        break;
      }
      case 'alert': {
        const body = e.encrypted ? 'ENCRYPTED' : `${String(e.level).toUpperCase()}: ${traceName(e.description ?? 'unknown')}`;
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.length, text: `${versionShort(e.recordVersion)}: ALERT( ${body} )` });
        break;
      }
      case 'change_cipher_spec':
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: 1, text: `${versionShort(e.recordVersion)}: CHANGE_CIPHER_SPEC` });
        break;
      case 'application_data':
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.bytes, text: `${versionShort(e.recordVersion)}: APPLICATION_DATA( ${e.records} RECORD${e.records === 1 ? '' : 'S'} )` });
        break;
      case 'heartbeat':
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.length, text: `${versionShort(e.recordVersion)}: HEARTBEAT` });
        break;
      case 'sslv2':
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.length, text: `SSL2: ${e.message === 'encrypted' ? 'ENCRYPTED' : e.message.replace(/-/g, '_')}` });
        break;
      case 'plaintext':
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.length, text: `TEXT: ${e.text}` });
        break;
      case 'tcp':
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.bytes ?? 0, text: e.flag === 'gap' ? 'TCP: MISSING BYTES' : `TCP: ${e.flag.toUpperCase()}` });
        break;
      case 'unknown':
        lines.push({ from: e.from, time: e.time, frame: e.frame, bytes: e.length, text: `UNKNOWN RECORD TYPE ${e.contentType ?? '?'}` });
        break;
    }
  }
  return lines;
}
