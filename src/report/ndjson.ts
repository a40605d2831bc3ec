/**
 * `--format ndjson`: one JSON object per line, one line per connection, for log pipelines
 * (Elasticsearch, Splunk, Loki). Each line stands alone: it repeats the capture's identity and
 * carries the connection's findings inline, so a search for one finding shows which capture and
 * stream it came from without a join. A capture that could not be read, or in which no TCP
 * conversation was found, still gets one line (kind `capture`), so nothing analysed goes unlogged.
 *
 * The per-event transcript is left out (its message bodies differ in shape from one message type to
 * the next, which log stores index badly); `steps` gives the ladder as strings instead. The line
 * shape is documented in docs/json-output.md and in report.schema.json (`#/definitions/ndjsonLine`).
 */
import type { CaptureDocument, ConnectionDocument, ReportDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import { SCHEMA_VERSION } from './document.js';
import { ladder } from './ladder.js';
import { findingsAbout } from './describe.js';

export interface NdjsonOptions {
  /** Set when the capture document was redacted (--redact), so every line says so. */
  readonly redacted?: boolean;
}

/** The capture's identity and verdict, as repeated on every line. */
export interface NdjsonCapture {
  readonly file: string;
  readonly size: number | null;
  readonly sha256: string | null;
  readonly format: string | null;
  readonly compressed: boolean;
  readonly linkTypes: CaptureDocument['linkTypes'];
  readonly packets: number;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  readonly error: CaptureDocument['error'];
  readonly problems: CaptureDocument['problems'];
  readonly verdict: CaptureDocument['verdict'];
}

export type NdjsonConnection = Omit<ConnectionDocument, 'events'>;

export interface NdjsonLine {
  readonly schemaVersion: number;
  /** `connection`: one TCP conversation; `capture`: a capture with no conversation, or unreadable. */
  readonly kind: 'connection' | 'capture';
  /** The line's time: the connection's first frame, else the capture's first frame (null: none). */
  readonly time: string | null;
  readonly tool: { readonly name: string; readonly version: string };
  readonly redacted?: boolean;
  readonly capture: NdjsonCapture;
  readonly connection?: NdjsonConnection;
  /** `frame 6 server TLS 1.2 CertificateRequest`: the ladder, one string per step. */
  readonly steps?: readonly string[];
  readonly findings: readonly Finding[];
}

function captureIdentity(c: CaptureDocument): NdjsonCapture {
  return {
    file: c.file,
    size: c.size,
    sha256: c.sha256,
    format: c.format,
    compressed: c.compressed,
    linkTypes: c.linkTypes,
    packets: c.packets,
    firstTime: c.firstTime,
    lastTime: c.lastTime,
    error: c.error,
    problems: c.problems,
    verdict: c.verdict,
  };
}

function connectionPart(c: ConnectionDocument): NdjsonConnection {
  const { events: _events, ...rest } = c;
  return rest;
}

function steps(c: ConnectionDocument): string[] {
  return ladder(c.events, c.tls?.established ?? false, c.tls).map((r) => `frame ${r.frame} ${r.from}${r.record ? ` ${r.record}` : ''} ${r.what}${r.failure ? ' [failure]' : ''}`);
}

/**
 * The lines for one capture, without their newlines: one per connection, or one for the capture
 * itself when it could not be read or holds no connection.
 */
export function ndjsonLines(capture: CaptureDocument, tool: { name: string; version: string }, options: NdjsonOptions = {}): string[] {
  const identity = captureIdentity(capture);
  const head = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: tool.name, version: tool.version },
    ...(options.redacted ? { redacted: true } : {}),
  };
  if (capture.error || capture.connections.length === 0) {
    const line: NdjsonLine = { ...head, kind: 'capture', time: capture.firstTime, capture: identity, findings: capture.findings };
    return [JSON.stringify(orderKeys(line))];
  }
  return capture.connections.map((c) => {
    const line: NdjsonLine = {
      ...head,
      kind: 'connection',
      time: c.firstTime || capture.firstTime,
      capture: identity,
      connection: connectionPart(c),
      steps: steps(c),
      findings: findingsAbout(capture, c.stream),
    };
    return JSON.stringify(orderKeys(line));
  });
}

/** A fixed key order (kind and time first), so lines read the same in a terminal and a log viewer. */
function orderKeys(line: NdjsonLine): NdjsonLine {
  const { kind, time, schemaVersion, tool, redacted, capture, connection, steps: s, findings } = line;
  return {
    kind,
    time,
    schemaVersion,
    tool,
    ...(redacted ? { redacted } : {}),
    capture,
    ...(connection ? { connection } : {}),
    ...(s ? { steps: s } : {}),
    findings,
  };
}

/** The whole report as NDJSON: every capture's lines, each ending in a newline. */
export function renderNdjson(doc: ReportDocument): string {
  const redacted = (doc as { redacted?: boolean }).redacted === true;
  let out = '';
  for (const cap of doc.captures) for (const line of ndjsonLines(cap, doc.tool, { redacted })) out += line + '\n';
  return out;
}
