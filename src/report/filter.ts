// Report filters: --stream N (repeatable) and --only failing. Findings follow their connections.
import type { CaptureDocument, ConnectionDocument, ReportDocument } from './document.js';
import { connectionKey } from './describe.js';

export interface ReportFilters {
  readonly streams?: readonly number[];
  readonly onlyFailing?: boolean;
}

/**
 * Whether the filters keep a connection: its stream is asked for, and (--only failing) it failed or
 * has findings. `streams` are tcp.stream indexes: a DTLS or QUIC connection (a udp.stream) is not one.
 */
export function keepsConnection(c: ConnectionDocument, f: ReportFilters): boolean {
  return (!f.streams || (c.transport === undefined && f.streams.includes(c.stream))) && (!f.onlyFailing || c.status === 'failed' || c.findings.length > 0);
}

/** A whole document filtered (the writers filter connection by connection with keepsConnection). */
export function applyFilters(doc: ReportDocument, f: ReportFilters): ReportDocument {
  if (!f.streams && !f.onlyFailing) return doc;
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
