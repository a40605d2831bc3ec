/**
 * The machine-readable document (docs/json-output.md, docs/report.schema.json): one JSON value per
 * run, built from the analysis results. Every other report format is rendered from this document, so
 * what a person reads and what a machine reads cannot disagree.
 */
import type { AnalyzedConnection, CaptureResult } from '../analyze.js';
import type { Conversation, Direction, DirectionStats } from '../flow/types.js';
import type { CaptureProblem } from '../input/frame.js';
import type { Finding } from '../findings/types.js';
import type { DecodeProblem } from '../../decoders/tls/types.js';
import type { TlsSummary, TranscriptEvent } from '../session/transcript.js';
import type { FtpInfo } from '../session/ftp.js';
import { linkTypeName } from './linktypes.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export const SCHEMA_VERSION = 1;

export interface ReportDocument {
  readonly schemaVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  /** The command line as given (arguments only), so the reader knows what was asked. */
  readonly command: readonly string[];
  readonly captures: readonly CaptureDocument[];
}

export interface CaptureVerdict {
  readonly connections: number;
  readonly tlsConnections: number;
  readonly established: number;
  readonly failed: number;
  /** Handshakes neither established nor failed (the capture ends mid-handshake). */
  readonly incomplete: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  /** One sentence: "3 TLS handshakes, 1 failed: empty CA list rejected (stream 0)". */
  readonly text: string;
}

export interface CaptureDocument {
  readonly file: string;
  readonly size: number | null;
  readonly sha256: string | null;
  readonly format: string | null;
  readonly compressed: boolean;
  readonly linkTypes: readonly { readonly code: number; readonly name: string }[];
  readonly packets: number;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  readonly error: { readonly message: string; readonly offset: number | null } | null;
  readonly problems: readonly CaptureProblem[];
  readonly verdict: CaptureVerdict;
  readonly findings: readonly Finding[];
  readonly connections: readonly ConnectionDocument[];
}

export interface ConnectionDocument {
  readonly stream: number;
  readonly client: string;
  readonly server: string;
  readonly clientBasis: string;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstTime: string;
  readonly lastTime: string;
  /** Per sending side: segments, bytes, gaps, retransmissions. */
  readonly stats: { readonly client: DirectionStats; readonly server: DirectionStats };
  readonly end: { readonly kind: string; readonly by: Direction | null; readonly frame: number | null };
  /** `established`, `failed`, `incomplete` (capture ended mid-handshake), or `not-tls`. */
  readonly status: 'established' | 'failed' | 'incomplete' | 'not-tls';
  readonly tls: TlsSummary | null;
  readonly events: readonly TranscriptEvent[];
  readonly problems: readonly (DecodeProblem & { readonly frame?: number; readonly from?: Direction })[];
  /** Rule ids of the findings about this connection. */
  readonly findings: readonly string[];
  /** Its place in an FTP session: control connection (with its data streams) or data connection. */
  readonly ftp?: FtpInfo;
}

export function endpointText(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function isoTime(epochSeconds: number | null | undefined): string | null {
  if (epochSeconds === null || epochSeconds === undefined || !Number.isFinite(epochSeconds)) return null;
  const ms = Math.floor(epochSeconds * 1000);
  const micros = Math.round((epochSeconds - Math.floor(epochSeconds)) * 1e6) % 1000;
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

export function connectionStatus(tls: TlsSummary | null): ConnectionDocument['status'] {
  if (!tls) return 'not-tls';
  if (tls.established) return 'established';
  if (tls.ended.how === 'open' || tls.ended.how === 'capture-ended') return 'incomplete';
  return 'failed';
}

export function connectionDocument(c: AnalyzedConnection, findings: readonly Finding[]): ConnectionDocument {
  const conv: Conversation = c.conversation;
  const tls = c.transcript.tls;
  return {
    stream: conv.stream,
    client: endpointText(conv.client.ip, conv.client.port),
    server: endpointText(conv.server.ip, conv.server.port),
    clientBasis: conv.clientBasis,
    firstFrame: conv.firstFrame,
    lastFrame: conv.lastFrame,
    firstTime: isoTime(conv.firstTime) ?? '',
    lastTime: isoTime(conv.lastTime) ?? '',
    stats: { client: { ...conv.stats.client }, server: { ...conv.stats.server } },
    end: conv.end
      ? { kind: conv.end.kind, by: conv.end.by ?? null, frame: conv.end.frame ?? null }
      : { kind: 'capture-ended', by: null, frame: null },
    status: connectionStatus(tls),
    tls,
    events: c.transcript.events,
    problems: c.transcript.problems,
    findings: [...new Set(findings.filter((f) => f.stream === conv.stream || f.relatedStreams?.includes(conv.stream)).map((f) => f.rule))],
    ...(c.ftp ? { ftp: c.ftp } : {}),
  };
}

export function verdictOf(connections: readonly ConnectionDocument[], findings: readonly Finding[]): CaptureVerdict {
  const tlsConns = connections.filter((c) => c.tls !== null);
  const established = tlsConns.filter((c) => c.status === 'established').length;
  const failed = tlsConns.filter((c) => c.status === 'failed').length;
  const incomplete = tlsConns.filter((c) => c.status === 'incomplete').length;
  const count = { error: 0, warning: 0, info: 0 };
  for (const f of findings) count[f.severity]++;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  let text = `${plural(tlsConns.length, 'TLS handshake')}`;
  // Say why there is nothing, so "0 TLS handshakes" does not read as "nothing wrong".
  if (connections.length === 0) text += ' (no TCP conversations: tlsdiag reads TLS over TCP; DTLS and QUIC over UDP are not analyzed)';
  else if (tlsConns.length === 0) text += ` in ${plural(connections.length, 'TCP conversation')}`;
  if (tlsConns.length > 0) {
    const parts = [`${established} established`];
    if (failed) parts.push(`${failed} failed`);
    if (incomplete) parts.push(`${incomplete} incomplete`);
    text += ` (${parts.join(', ')})`;
  }
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const byRule = new Map<string, { title: string; streams: number[] }>();
    for (const f of errors) {
      const e = byRule.get(f.rule) ?? { title: f.title, streams: [] };
      if (!e.streams.includes(f.stream)) e.streams.push(f.stream);
      byRule.set(f.rule, e);
    }
    text += ': ' + [...byRule.values()].map((e) => `${e.title} (stream${e.streams.length > 1 ? 's' : ''} ${e.streams.join(', ')})`).join('; ');
  } else if (count.warning > 0) {
    text += `; ${plural(count.warning, 'warning')}`;
  } else if (tlsConns.length > 0 && failed === 0) {
    text += '; no problems found';
  }
  return { connections: connections.length, tlsConnections: tlsConns.length, established, failed, incomplete, findings: count, text };
}

export function captureDocument(r: CaptureResult): CaptureDocument {
  const connections = r.connections.map((c) => connectionDocument(c, r.findings));
  return {
    file: r.file,
    size: r.size,
    sha256: r.sha256,
    format: r.info?.format ?? null,
    compressed: r.info?.compressed ?? false,
    linkTypes: (r.info?.linkTypes ?? []).map((code) => ({ code, name: linkTypeName(code) })),
    packets: r.info?.packets ?? 0,
    firstTime: isoTime(r.info?.firstTime),
    lastTime: isoTime(r.info?.lastTime),
    error: r.error,
    problems: r.problems,
    verdict: verdictOf(connections, r.findings),
    findings: r.findings,
    connections,
  };
}

export function reportDocument(results: readonly CaptureResult[], command: readonly string[]): ReportDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    command,
    captures: results.map(captureDocument),
  };
}
