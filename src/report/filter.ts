// Report filters: --stream N (repeatable) and --only failing. Findings follow their connections.
import type { CaptureDocument, ReportDocument } from './document.js';

export interface ReportFilters {
  readonly streams?: readonly number[];
  readonly onlyFailing?: boolean;
}

export function applyFilters(doc: ReportDocument, f: ReportFilters): ReportDocument {
  if (!f.streams && !f.onlyFailing) return doc;
  const keep = (c: CaptureDocument['connections'][number]) =>
    (!f.streams || f.streams.includes(c.stream)) && (!f.onlyFailing || c.status === 'failed' || c.findings.length > 0);
  return {
    ...doc,
    captures: doc.captures.map((cap) => {
      const connections = cap.connections.filter(keep);
      const streams = new Set(connections.map((c) => c.stream));
      return { ...cap, connections, findings: cap.findings.filter((x) => streams.has(x.stream)) };
    }),
  };
}
