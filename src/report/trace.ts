/**
 * `--format trace`: one line per record (consecutive handshake messages of one record on one line), in
 * the style of the z/OS packet trace support engineers already read:
 *
 *    ->  18:26:26.781268   0.102   298  TLS1.2: HSHK( CLIENT_HELLO )                 frame 4  9 cipher suites offered
 *   <-   18:26:26.781790  <0.001  1400  TLS1.2: HSHK( SERVER_HELLO CERTIFICATE ... )  frame 6  TLS_RSA_WITH_AES_256_CBC_SHA(0x0035)
 *    ->  18:26:26.781900  <0.001     7  TLS1.2: ALERT( FATAL: ILLEGAL_PARAMETER(47) )  frame 9  <== FAILING STEP
 *
 * Arrows: `->` client to server, `<-` server to client. The absolute time is in UTC unless --tz
 * names a zone (the connection's header line gives the date and the zone); beside it, the delta to
 * the previous line. The byte count is the record's content length. After the frame: the chosen
 * cipher suite with its code and the ServerHello's JA3S, the number of suites offered with the
 * ClientHello's JA4 and JA3, the CA list length of a CERTIFICATE_REQUEST. The step that decided a failure is marked `<== FAILING STEP`.
 *
 * With --merge-streams, the lines of every connection of a capture are put in time order (FTPS
 * control and data connections interleaved as they happened), each line starting with its
 * tcp.stream, through a bounded-memory merge (src/report/time-merge.ts).
 */
import { printable } from './printable.js';
import type { CaptureHeader, ConnectionDocument } from './document.js';
import type { TranscriptEvent } from '../session/transcript.js';
import { failingStep, traceName, versionShort } from './ladder.js';
import { cipherHex, streamField } from './describe.js';
import { offeredSuites } from '../../decoders/tls/registry/cipher-suites.js';
import type { TraceClock } from './trace-time.js';

interface TraceLine {
  from: 'client' | 'server';
  time: number;
  bytes: number;
  text: string;
  frame: number;
  details: string[];
  failing: boolean;
  /** `--hex`: the first bytes (hex) of each record behind the line. */
  heads?: string[];
}

/** A capture that could not be read: one line saying why. */
export function traceCaptureError(cap: CaptureHeader): string {
  return cap.error ? `${printable(cap.file)}: ${printable(cap.error.message)}\n\n` : '';
}

/** Whether a connection has anything to trace: TLS, or a plaintext dialogue. */
export function traceable(c: ConnectionDocument): boolean {
  return c.tls !== null || c.events.some((e) => e.type === 'plaintext');
}

/** The header line of a connection: where it is, and the date and zone of its first line. */
export function traceHeader(file: string, c: ConnectionDocument, clock: TraceClock): string {
  const first = c.events[0];
  const date = first !== undefined ? `  ${clock.parts(first.time).date} ${clock.zone}` : '';
  return `${printable(file)}  ${streamField(c.transport)} ${c.stream}  ${c.client} -> ${c.server}${date}`;
}

/** One trace line: arrow, time of day, delta, bytes, record, frame, details, failing mark. */
function lineText(line: TraceLine, delta: number | null, clock: TraceClock, prefix = ''): string {
  const arrow = line.from === 'client' ? ' ->' : '<- ';
  const d = delta === null ? '0.000' : delta > 0 && delta < 0.001 ? '<0.001' : delta.toFixed(3);
  const tail = [...line.details, ...(line.failing ? ['<== FAILING STEP'] : [])];
  const body = `${prefix}${arrow} ${clock.parts(line.time).time} ${d.padStart(7)} ${String(line.bytes).padStart(6)}  ${line.text.padEnd(52)} frame ${line.frame}`;
  const text = tail.length > 0 ? `${body}  ${tail.join('; ')}` : body;
  if (line.heads === undefined) return text;
  const indent = ' '.repeat(prefix.length + 4);
  return [text, ...line.heads.flatMap((h) => hexDump(h, indent))].join('\n');
}

/**
 * A record's first bytes as a dump, 16 a line: offset, hex in two groups of eight, and the bytes
 * as ASCII (others as dots), as packet and System SSL traces print them.
 */
export function hexDump(hex: string, indent: string): string[] {
  const out: string[] = [];
  const n = hex.length >> 1;
  for (let at = 0; at < n; at += 16) {
    const bytes: number[] = [];
    for (let i = at; i < Math.min(at + 16, n); i++) bytes.push(parseInt(hex.slice(2 * i, 2 * i + 2), 16));
    const cells = bytes.map((b) => b.toString(16).padStart(2, '0'));
    const left = cells.slice(0, 8).join(' ');
    const right = cells.slice(8).join(' ');
    const ascii = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    out.push(`${indent}${at.toString(16).padStart(4, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return out;
}

/** One connection's records, one line each; '' for a conversation with neither TLS nor a plaintext dialogue. */
export function traceConnection(file: string, c: ConnectionDocument, clock: TraceClock): string {
  if (!traceable(c)) return '';
  const out: string[] = [traceHeader(file, c, clock)];
  let prev: number | null = null;
  let date = c.events.length > 0 ? clock.parts(c.events[0].time).date : '';
  for (const line of traceLines(c)) {
    const day = clock.parts(line.time).date;
    if (day !== date) {
      out.push(`--- ${day} ${clock.zone} ---`);
      date = day;
    }
    out.push(lineText(line, prev === null ? null : line.time - prev, clock));
    prev = line.time;
  }
  return out.join('\n') + '\n\n';
}

/**
 * A connection's lines for the merged trace, each with its time: `[stream]` first; the delta is
 * filled in when the lines are merged (it is to the previous line of any stream).
 */
export function traceMergeLines(c: ConnectionDocument): { time: number; line: string }[] {
  if (!traceable(c)) return [];
  return traceLines(c).map((l) => ({ time: l.time, line: JSON.stringify([c.stream, l]) }));
}

/** Writes merged lines (from traceMergeLines, in time order) as text, with deltas across streams. */
export class MergedTraceWriter {
  private prev: number | null = null;
  private date = '';

  constructor(private readonly clock: TraceClock) {}

  /** The capture's header for a merged trace. */
  header(file: string): string {
    return `${file}  all tcp.streams in time order (times ${this.clock.zone}; [N] is the tcp.stream)\n`;
  }

  line(merged: string): string {
    const [stream, line] = JSON.parse(merged) as [number, TraceLine];
    const day = this.clock.parts(line.time).date;
    let out = '';
    if (day !== this.date) {
      out += `--- ${day} ${this.clock.zone} ---\n`;
      this.date = day;
    }
    out += lineText(line, this.prev === null ? null : line.time - this.prev, this.clock, `[${stream}]`.padEnd(7)) + '\n';
    this.prev = line.time;
    return out;
  }
}

function handshakeDetail(e: Extract<TranscriptEvent, { type: 'handshake' }>): string | null {
  const b = e.body;
  if (b === undefined) return null;
  switch (b.kind) {
    case 'ClientHello': {
      const fp = e.fingerprint !== undefined && 'ja4' in e.fingerprint ? `; JA4 ${e.fingerprint.ja4}; JA3 ${e.fingerprint.ja3}` : '';
      return `${offeredSuites(b.cipherSuites).text} offered${fp}`;
    }
    case 'ServerHello': {
      const fp = e.fingerprint !== undefined && 'ja3s' in e.fingerprint ? `; JA3S ${e.fingerprint.ja3s}` : '';
      return `${b.helloRetryRequest ? 'HELLO_RETRY_REQUEST ' : ''}${b.cipherSuite.name}(${cipherHex(b.cipherSuite.code)})${fp}`;
    }
    case 'CertificateRequest':
      return b.context !== undefined && b.authoritiesLength === 0 ? 'NO CERTIFICATE_AUTHORITIES EXTENSION' : `CA list length ${b.authoritiesLength}`;
    default:
      return null;
  }
}

function traceLines(c: ConnectionDocument): TraceLine[] {
  const events = c.events;
  const failing = failingStep(events, c.tls);
  const lines: TraceLine[] = [];
  events.forEach((e, k) => {
    const last = lines[lines.length - 1];
    let line: TraceLine | null = null;
    const push = (bytes: number, text: string) => {
      line = { from: e.from, time: e.time, frame: e.frame, bytes, text, details: [], failing: false };
      lines.push(line);
    };
    switch (e.type) {
      case 'handshake': {
        const name = e.message === 'encrypted' ? 'ENCRYPTED' : traceName(e.message);
        const prefix = `${versionShort(e.recordVersion)}: ${e.decrypted ? 'DECRYPTED ' : ''}HSHK(`;
        const bytes = e.length + (e.message === 'encrypted' ? 0 : 4);
        if (last && last.frame === e.frame && last.from === e.from && last.text.startsWith(prefix)) {
          last.text = last.text.slice(0, -2) + ` ${name} )`;
          last.bytes += bytes;
          line = last;
        } else push(bytes, `${prefix} ${name} )`);
        const detail = handshakeDetail(e);
        if (detail !== null) line!.details.push(detail);
        break;
      }
      case 'alert': {
        const code = e.code !== undefined && e.code >= 0 ? `(${e.code})` : '';
        const body = e.encrypted ? `ENCRYPTED${e.inferred ? ' (INFERRED FROM RECORD SIZE)' : ''}` : `${String(e.level).toUpperCase()}: ${traceName(e.description ?? 'unknown')}${code}`;
        push(e.length, `${versionShort(e.recordVersion)}: ${e.decrypted ? 'DECRYPTED ' : ''}ALERT( ${body} )`);
        break;
      }
      case 'change_cipher_spec':
        push(1, `${versionShort(e.recordVersion)}: CHANGE_CIPHER_SPEC`);
        break;
      case 'application_data':
        push(e.bytes, `${versionShort(e.recordVersion)}: APPLICATION_DATA( ${e.records} RECORD${e.records === 1 ? '' : 'S'} )`);
        break;
      case 'heartbeat':
        push(e.length, `${versionShort(e.recordVersion)}: HEARTBEAT`);
        break;
      case 'sslv2':
        push(e.length, `SSL2: ${e.message === 'encrypted' ? 'ENCRYPTED' : e.message.replace(/-/g, '_')}`);
        break;
      case 'plaintext':
        push(e.length, `${e.decrypted ? 'DECRYPTED ' : ''}TEXT: ${e.text}`);
        break;
      case 'tcp':
        push(e.bytes ?? 0, e.flag === 'gap' ? 'TCP: MISSING BYTES' : `TCP: ${e.flag.toUpperCase()}`);
        break;
      case 'unknown':
        push(e.length, `UNKNOWN RECORD TYPE ${e.contentType ?? '?'}`);
        break;
    }
    if (k === failing && line !== null) (line as TraceLine).failing = true;
    if (e.recordHead !== undefined && line !== null) ((line as TraceLine).heads ??= []).push(e.recordHead);
  });
  return lines;
}
