/**
 * `--format ndjson`: one JSON object per line, for log pipelines (Elasticsearch, Splunk, Loki). Per
 * capture, in this order:
 *
 * - a `capture` line: the capture's name and size, before its connections;
 * - a `connection` line per TCP conversation, in tcp.stream order, carrying its findings inline and
 *   the capture's name (`capture.file`), so a search for one finding shows which capture and stream
 *   it came from without a join;
 * - a `certificate` line per distinct certificate (compact detail: connections refer to them by
 *   SHA-256 fingerprint);
 * - a `verdict` line: the capture's identity as read (hash, format, packets, time span, problems),
 *   its verdict and its groups of findings, known only once the capture has been read to its end.
 *
 * A capture that cannot be read gets its `capture` and `verdict` lines (with the error). The
 * per-event transcript is left out (its message bodies differ in shape from one message type to the
 * next, which log stores index badly); `steps` gives the ladder as strings instead. The contract is in
 * docs/json-output.md and report.schema.json (`#/definitions/ndjsonLine`).
 */
import type { CertificateSummary } from '../../decoders/tls/types.js';
import type { Finding } from '../findings/types.js';
import type { CaptureReport, ConnectionDocument, Detail } from './document.js';
import { SCHEMA_VERSION } from './document.js';
import { ladder } from './ladder.js';
import { type CertificateTable, connectionForOutput, findingForOutput, groupsForOutput } from './compact.js';

export interface NdjsonContext {
  readonly tool: { readonly name: string; readonly version: string };
  /** Set when the report is redacted (--redact), so every line says so. */
  readonly redacted: boolean;
  readonly detail: Detail;
}

function head(kind: string, time: string | null, ctx: NdjsonContext): Record<string, unknown> {
  return { kind, time, schemaVersion: SCHEMA_VERSION, tool: { name: ctx.tool.name, version: ctx.tool.version }, ...(ctx.redacted ? { redacted: true } : {}) };
}

function steps(c: ConnectionDocument): string[] {
  return ladder(c.events, c.tls?.established ?? false, c.tls).map((r) => `frame ${r.frame} ${r.from}${r.record ? ` ${r.record}` : ''} ${r.what}${r.failure ? ' [failure]' : ''}`);
}

export function ndjsonCaptureLine(file: string, size: number | null, ctx: NdjsonContext): string {
  return JSON.stringify({ ...head('capture', null, ctx), capture: { file, size } }) + '\n';
}

export function ndjsonConnectionLine(file: string, c: ConnectionDocument, findings: readonly Finding[], certs: CertificateTable, ctx: NdjsonContext): string {
  return (
    JSON.stringify({
      ...head('connection', c.firstTime || null, ctx),
      capture: { file },
      connection: connectionForOutput(c, ctx.detail, certs, false),
      steps: steps(c),
      findings: findings.map((f) => findingForOutput(f, ctx.detail)),
    }) + '\n'
  );
}

export function ndjsonCertificateLine(file: string, fingerprint: string, certificate: CertificateSummary, ctx: NdjsonContext): string {
  return JSON.stringify({ ...head('certificate', null, ctx), capture: { file }, fingerprint, certificate }) + '\n';
}

export function ndjsonVerdictLine(report: CaptureReport, ctx: NdjsonContext): string {
  const { groups, ...capture } = report;
  return JSON.stringify({ ...head('verdict', report.firstTime, ctx), capture, groups: groupsForOutput(groups) }) + '\n';
}
