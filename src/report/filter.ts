/**
 * Report filters: --stream N, --host, --port, --sni, --since/--until, --only failing. They choose
 * what is reported; the analysis still sees every connection (an FTP data connection is judged with
 * its control connection, whatever the filters keep), and the verdict counts every connection.
 * Findings follow their connections.
 */
import { isoSeconds } from './describe.js';
import type { CaptureDocument, ConnectionDocument, ReportDocument } from './document.js';
import { connectionKey } from './describe.js';

export interface ReportFilters {
  /** tcp.stream indexes (--stream). With udpStreams, a connection named by either is kept. */
  readonly streams?: readonly number[];
  /** udp.stream indexes (--udp-stream): DTLS and QUIC connections. */
  readonly udpStreams?: readonly number[];
  readonly onlyFailing?: boolean;
  /** An address of either end (as printed, without port or brackets), or the SNI (case-insensitive). */
  readonly hosts?: readonly string[];
  /** A port of either end. */
  readonly ports?: readonly number[];
  /** The SNI, case-insensitive; `*` matches any run of characters (`*.example.com`). */
  readonly snis?: readonly string[];
  /** Epoch seconds: connections whose last packet is at or after this. */
  readonly since?: number;
  /** Epoch seconds: connections whose first packet is at or before this. */
  readonly until?: number;
}

/** Whether any filter is set (a report that shows only part of the capture says so). */
export function isFiltered(f: ReportFilters): boolean {
  return (
    f.streams !== undefined ||
    f.udpStreams !== undefined ||
    f.onlyFailing === true ||
    f.hosts !== undefined ||
    f.ports !== undefined ||
    f.snis !== undefined ||
    f.since !== undefined ||
    f.until !== undefined
  );
}

/** `[2001:db8::1]:443` → `2001:db8::1`; `10.0.0.1:21` → `10.0.0.1`. */
function addressOf(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':');
  const host = colon < 0 ? endpoint : endpoint.slice(0, colon);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

function sniMatches(pattern: string, sni: string): boolean {
  const p = pattern.toLowerCase();
  const s = sni.toLowerCase();
  if (!p.includes('*')) return p === s;
  const parts = p.split('*');
  if (!s.startsWith(parts[0]) || !s.endsWith(parts[parts.length - 1])) return false;
  let at = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = s.indexOf(parts[i], at);
    if (found < 0) return false;
    at = found + parts[i].length;
  }
  return at <= s.length - parts[parts.length - 1].length;
}

/** Whether the filters keep a connection: every filter given must agree (and --only failing: it failed or has findings). */
export function keepsConnection(c: ConnectionDocument, f: ReportFilters): boolean {
  // `streams` are tcp.stream indexes, `udpStreams` udp.stream ones (DTLS, QUIC): a connection is
  // kept when the list of its own transport names it.
  if (f.streams || f.udpStreams) {
    const list = c.transport === undefined ? f.streams : f.udpStreams;
    if (!list || !list.includes(c.stream)) return false;
  }
  if (f.onlyFailing && c.status !== 'failed' && c.findings.length === 0) return false;
  if (f.ports && !f.ports.includes(portOf(c.client)) && !f.ports.includes(portOf(c.server))) return false;
  const sni = c.tls?.sni ?? null;
  if (f.hosts) {
    const a = addressOf(c.client).toLowerCase();
    const b = addressOf(c.server).toLowerCase();
    const s = sni?.toLowerCase() ?? null;
    if (!f.hosts.some((h) => { const x = h.toLowerCase(); return x === a || x === b || x === s; })) return false;
  }
  if (f.snis && (sni === null || !f.snis.some((p) => sniMatches(p, sni)))) return false;
  if (f.since !== undefined && isoSeconds(c.lastTime) < f.since) return false;
  if (f.until !== undefined && isoSeconds(c.firstTime) > f.until) return false;
  return true;
}

/** A whole document filtered (the writers filter connection by connection with keepsConnection). */
export function applyFilters(doc: ReportDocument, f: ReportFilters): ReportDocument {
  if (!isFiltered(f)) return doc;
  const keep = (c: CaptureDocument['connections'][number]) => keepsConnection(c, f);
  return {
    ...doc,
    captures: doc.captures.map((cap) => {
      const connections = cap.connections.filter(keep);
      const kept = new Set(connections.map(connectionKey));
      return { ...cap, connections, findings: cap.findings.filter((x) => kept.has(connectionKey(x))) };
    }),
  };
}

/**
 * A time given to --since or --until: epoch seconds (`1700000000`, `1700000000.25`) or ISO 8601
 * (`2024-03-04`, `2024-03-04T18:26:26.5`, `2024-03-04 18:26:26+01:00`). A time without a zone is
 * UTC, as every time the report prints is. Null when it is neither.
 */
export function parseTime(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(t);
  if (m === null) return null;
  let zone = (m[4] ?? 'Z').toUpperCase();
  if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[2] !== undefined && m[2].length === 5 ? ':00' : ''}${zone}`);
  if (!Number.isFinite(ms)) return null;
  // Date.parse accepts 2024-02-31 (it rolls over): the date must come back as written.
  if (zone === 'Z' && new Date(ms).toISOString().slice(0, 10) !== m[1]) return null;
  return ms / 1000 + (m[3] !== undefined ? Number(`0${m[3]}`) : 0);
}

/** The filters in words, for the verdict of a filtered report: `--host db1 --only failing`. */
export function describeFilters(f: ReportFilters, redacted: boolean): string {
  const parts: string[] = [];
  // Host names and SNIs name customers: a redacted report says a filter was used, not its value.
  const named = (values: readonly string[]) => (redacted ? '(redacted)' : values.join(','));
  if (f.streams) parts.push(`--stream ${f.streams.join(',')}`);
  if (f.udpStreams) parts.push(`--udp-stream ${f.udpStreams.join(',')}`);
  if (f.hosts) parts.push(`--host ${named(f.hosts)}`);
  if (f.ports) parts.push(`--port ${f.ports.join(',')}`);
  if (f.snis) parts.push(`--sni ${named(f.snis)}`);
  if (f.since !== undefined) parts.push(`--since ${new Date(f.since * 1000).toISOString()}`);
  if (f.until !== undefined) parts.push(`--until ${new Date(f.until * 1000).toISOString()}`);
  if (f.onlyFailing) parts.push('--only failing');
  return parts.join(' ');
}
