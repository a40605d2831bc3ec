/**
 * The machine-readable document (docs/json-output.md, docs/report.schema.json): one JSON value per
 * run, built from the analysis results. Every other report format is rendered from this document, so
 * what a person reads and what a machine reads cannot disagree.
 */
import type { AnalyzedConnection, CaptureResult, FinishedConnection } from '../analyze.js';
import { GroupIndex, type CaptureGroups } from './groups.js';
import { groupDigits } from './describe.js';
import type { Conversation, Direction, DirectionStats, IcmpRefusal } from '../flow/types.js';
import type { CaptureProblem } from '../input/frame.js';
import type { Finding } from '../findings/types.js';
import type { DecodeProblem } from '../../decoders/tls/types.js';
import type { TlsSummary, TranscriptEvent } from '../session/transcript.js';
import type { FtpInfo } from '../session/ftp.js';
import { identifySoftware, type SoftwareGuesses } from '../findings/software.js';
import { DECODED_LINK_TYPES_TEXT, isDecodedLinkType, linkTypeName } from './linktypes.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

/**
 * 2: connections are grouped (`groups`), the verdict names groups, JSON connections are compact by
 * default (docs/json-output.md), NDJSON has a capture line and a verdict line around its connections.
 */
export const SCHEMA_VERSION = 2;

/** How much of each connection the machine formats carry: `compact` (the default) or everything (`full`). */
export type Detail = 'compact' | 'full';

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
  /** TLS connections the capture picked up after their handshake (not counted in tlsConnections); present when there are any. */
  readonly midConnection?: number;
  /** Of tlsConnections, the handshakes over DTLS and over QUIC (present when there are any). */
  readonly dtls?: number;
  readonly quic?: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  /** Set when filters (--stream, --host, --port, --sni, --since, --until, --only failing) chose what is reported: the connections they kept. */
  readonly shown?: number;
  /** One sentence that names the groups: "1 of 3 TLS handshakes failed (2 established): empty-ca-list-rejected at 10.0.0.2:21 (stream 0)". */
  readonly text: string;
}

/** What the capture is and how it was read (known once it has been read). */
export interface CaptureHeader {
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
}

/** A capture summed up: what every format prints before (or instead of) its connections. */
export interface CaptureReport extends CaptureHeader {
  readonly verdict: CaptureVerdict;
  readonly groups: CaptureGroups;
}

/** A whole capture in memory (the library API, tests, small captures). */
export interface CaptureDocument extends CaptureReport {
  readonly findings: readonly Finding[];
  readonly connections: readonly ConnectionDocument[];
}

export interface ConnectionDocument {
  /** tcp.stream; with `transport` (DTLS or QUIC over UDP), udp.stream. */
  readonly stream: number;
  /** `dtls` or `quic`: the connection is a UDP conversation and `stream` its udp.stream. Absent for TLS over TCP. */
  readonly transport?: 'dtls' | 'quic';
  readonly client: string;
  readonly server: string;
  readonly clientBasis: string;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstTime: string;
  readonly lastTime: string;
  /** Per sending side: segments, bytes, gaps, retransmissions. */
  readonly stats: { readonly client: DirectionStats; readonly server: DirectionStats };
  readonly end: { readonly kind: string; readonly by: Direction | null; readonly frame: number | null; readonly icmp?: IcmpRefusal };
  /** `established`, `failed`, `incomplete` (capture ended mid-handshake), `mid-connection` (capture began after the handshake), or `not-tls`. */
  readonly status: 'established' | 'failed' | 'incomplete' | 'mid-connection' | 'not-tls';
  readonly tls: TlsSummary | null;
  /** The likely implementation on each side, with confidence and basis (src/findings/software.ts); absent without TLS. */
  readonly software?: SoftwareGuesses;
  readonly events: readonly TranscriptEvent[];
  readonly problems: readonly (DecodeProblem & { readonly frame?: number; readonly from?: Direction })[];
  /** Rule ids of the findings about this connection. */
  readonly findings: readonly string[];
  /** Its place in an FTP session: control connection (with its data streams) or data connection. */
  readonly ftp?: FtpInfo;
  /** Set on a later part of a tcp.stream that went on after its record was made final (see FinishedConnection). */
  readonly continuation?: true;
}

export function endpointText(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function isoTime(epochSeconds: number | null | undefined): string | null {
  // Beyond a Date's range (a hostile pcapng if_tsoffset or if_tsresol) there is no date to show.
  if (epochSeconds === null || epochSeconds === undefined || !(Math.abs(epochSeconds) < 8.64e12)) return null;
  const ms = Math.floor(epochSeconds * 1000);
  const micros = Math.round((epochSeconds - Math.floor(epochSeconds)) * 1e6) % 1000;
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

export function connectionStatus(tls: TlsSummary | null): ConnectionDocument['status'] {
  if (!tls) return 'not-tls';
  if (tls.midConnection === true) return 'mid-connection';
  if (tls.established) return 'established';
  if (tls.ended.how === 'open' || tls.ended.how === 'capture-ended') return 'incomplete';
  return 'failed';
}

export function connectionDocument(c: AnalyzedConnection, findingRules: readonly string[]): ConnectionDocument {
  const conv: Conversation = c.conversation;
  const tls = c.transcript.tls;
  return {
    stream: conv.stream,
    ...(c.transcript.transport ? { transport: c.transcript.transport } : {}),
    client: endpointText(conv.client.ip, conv.client.port),
    server: endpointText(conv.server.ip, conv.server.port),
    clientBasis: conv.clientBasis,
    firstFrame: conv.firstFrame,
    lastFrame: conv.lastFrame,
    firstTime: isoTime(conv.firstTime) ?? '',
    lastTime: isoTime(conv.lastTime) ?? '',
    stats: { client: { ...conv.stats.client }, server: { ...conv.stats.server } },
    end: conv.end
      ? { kind: conv.end.kind, by: conv.end.by ?? null, frame: conv.end.frame ?? null, ...(conv.end.icmp ? { icmp: conv.end.icmp } : {}) }
      : { kind: 'capture-ended', by: null, frame: null },
    status: connectionStatus(tls),
    tls,
    ...(tls ? { software: identifySoftware(c.transcript) } : {}),
    events: c.transcript.events,
    problems: c.transcript.problems,
    findings: findingRules,
    ...(c.ftp ? { ftp: c.ftp } : {}),
  };
}

/** The document of a connection as the pipeline hands it over: its findings' rules and those that name it. */
export function finishedConnectionDocument(c: FinishedConnection): ConnectionDocument {
  const doc = connectionDocument(c, [...new Set([...c.findings.map((f) => f.rule), ...c.related])]);
  return c.continuation ? { ...doc, continuation: true } : doc;
}

const plural = (n: number, w: string) => `${groupDigits(n)} ${w}${n === 1 ? '' : 's'}`;

/** Groups named in the verdict; the rest are counted. */
const VERDICT_GROUPS = 4;
/** Stream numbers named per group in the verdict. */
const VERDICT_STREAMS = 3;

/** The verdict sentence from the grouped counts: never more than a handful of groups or streams. */
export function verdictText(g: CaptureGroups, header?: Pick<CaptureHeader, 'linkTypes'>): string {
  const c = g.counts;
  // "TLS handshakes", "DTLS handshakes", "QUIC handshakes", or plain "handshakes" when they mix.
  const udp = (c.dtls ?? 0) + (c.quic ?? 0);
  const hs = udp === 0 ? 'TLS handshake' : c.dtls === c.tlsConnections ? 'DTLS handshake' : c.quic === c.tlsConnections ? 'QUIC handshake' : 'handshake';
  let text: string;
  if (c.failed > 0) {
    const rest = [`${groupDigits(c.established)} established`];
    if (c.incomplete) rest.push(`${groupDigits(c.incomplete)} incomplete`);
    text = `${groupDigits(c.failed)} of ${plural(c.tlsConnections, hs)} failed (${rest.join(', ')})`;
  } else {
    text = plural(c.tlsConnections, hs);
    // Say why there is nothing, so "0 TLS handshakes" does not read as "nothing wrong".
    const undecoded = (header?.linkTypes ?? []).filter((l) => !isDecodedLinkType(l.code));
    // Frames tlsdiag cannot decode are the reason, not UDP: name their link type.
    if (c.connections === 0 && undecoded.length > 0) {
      text += ` (no TCP conversations: frames of link type ${undecoded.map((l) => `${l.name} (${l.code})`).join(', ')} cannot be decoded; tlsdiag reads ${DECODED_LINK_TYPES_TEXT} captures)`;
    } else if (c.connections === 0) text += ' (no TCP conversations, and no DTLS or QUIC over UDP)';
    else if (c.tlsConnections === 0 && !c.midConnection) text += ` in ${plural(c.connections, 'conversation')}`;
    if (c.tlsConnections > 0) {
      const parts = [`${groupDigits(c.established)} established`];
      if (c.incomplete) parts.push(`${groupDigits(c.incomplete)} incomplete`);
      text += ` (${parts.join(', ')})`;
    }
  }
  // Connections picked up after their handshake are not handshakes: said apart.
  if (c.midConnection) text += `; ${plural(c.midConnection, 'TLS connection')} picked up mid-way (no handshake in the capture)`;
  const errors = g.groups.filter((x) => x.severity === 'error');
  if (errors.length > 0) {
    const named = errors.slice(0, VERDICT_GROUPS).map((x) => {
      const streams = x.streams.slice(0, VERDICT_STREAMS).join(', ') + (x.count > VERDICT_STREAMS ? ', …' : '');
      const word = x.example.connection.transport !== undefined ? 'udp.stream' : 'stream';
      return `${x.count > 1 ? `${groupDigits(x.count)} ` : ''}${x.rule} at ${x.server} (${word}${x.count > 1 ? 's' : ''} ${streams})`;
    });
    const more = errors.length - named.length;
    text += ': ' + named.join('; ') + (more > 0 ? `; and ${plural(more, 'more group')} (${groupDigits(errors.slice(VERDICT_GROUPS).reduce((n, x) => n + x.count, 0))} findings)` : '');
  } else if (c.findings.warning > 0) {
    text += `; ${plural(c.findings.warning, 'warning')}`;
  } else if (c.tlsConnections > 0 && c.failed === 0) {
    text += '; no problems found';
  }
  return text;
}

/** The capture's identity from what the reading gave. */
export function captureHeader(r: Pick<CaptureResult, 'file' | 'size' | 'sha256' | 'info' | 'error' | 'problems'>): CaptureHeader {
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
  };
}

/** The header fields alone (of a report or a whole document). */
export function headerOf(h: CaptureHeader): CaptureHeader {
  const { file, size, sha256, format, compressed, linkTypes, packets, firstTime, lastTime, error, problems } = h;
  return { file, size, sha256, format, compressed, linkTypes, packets, firstTime, lastTime, error, problems };
}

/** The capture summed up from its header and its groups. */
export function captureReport(header: CaptureHeader, groups: CaptureGroups): CaptureReport {
  const { counts } = groups;
  return { ...headerOf(header), verdict: { ...counts, findings: { ...counts.findings }, text: verdictText(groups, header) }, groups };
}

/** A whole capture's document (groups included), from a collected analysis. */
export function captureDocument(r: CaptureResult): CaptureDocument {
  const index = new GroupIndex();
  const connections = r.connections.map((c) => {
    const doc = finishedConnectionDocument(c);
    index.add(doc, c.findings);
    return doc;
  });
  return { ...captureReport(captureHeader(r), index.result()), findings: r.findings, connections };
}

export function reportDocument(results: readonly CaptureResult[], command: readonly string[]): ReportDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    command,
    captures: results.map(captureDocument),
  };
}
