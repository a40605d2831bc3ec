/**
 * The batch summary: per capture one line of counts, and for the whole run the findings per rule
 * and the failing server endpoints ranked, so that a cause common to many captures stands out.
 * Built from small per-capture digests as the captures finish, so its memory grows with the
 * number of captures and distinct failing servers, never with their contents.
 *
 * It is the `summary` object of the JSON report (docs/json-output.md, report.schema.json).
 */
import type { CaptureReport } from './document.js';
import type { Severity } from '../findings/types.js';
import { ruleById } from '../findings/rules/index.js';

/** What the batch summary and the exit status need of one capture. */
export interface CaptureDigest {
  readonly file: string;
  /** Set when nothing could be read. */
  readonly error: string | null;
  /** Problems that ended the reading early (severity error): each is an error line and exit status 2. */
  readonly readErrors: readonly string[];
  readonly packets: number;
  readonly connections: number;
  readonly tlsConnections: number;
  readonly established: number;
  readonly failed: number;
  readonly incomplete: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  /** Findings per rule in this capture, most first. */
  readonly rules: readonly DigestRule[];
  /** Servers of failed handshakes or of connections with an error finding. */
  readonly failingServers: readonly DigestServer[];
  readonly worst: Severity | null;
}

export interface DigestRule {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly count: number;
}

export interface DigestServer {
  readonly server: string;
  readonly sni: string | null;
  readonly failed: number;
  readonly rules: readonly string[];
}


const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

/** What the summary and the exit status need of one capture, from its grouped report. */
export function digestOf(doc: CaptureReport): CaptureDigest {
  let worst: Severity | null = null;
  const rules = doc.groups.rules.map((r): DigestRule => {
    if (worst === null || RANK[r.severity] > RANK[worst]) worst = r.severity;
    return { rule: r.rule, severity: r.severity, title: ruleById(r.rule)?.meta.title ?? r.title, count: r.findings };
  });
  const v = doc.verdict;
  return {
    file: doc.file,
    error: doc.error?.message ?? null,
    readErrors: doc.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    packets: doc.packets,
    connections: v.connections,
    tlsConnections: v.tlsConnections,
    established: v.established,
    failed: v.failed,
    incomplete: v.incomplete,
    findings: { ...v.findings },
    rules: rules.sort(byCountThenSeverity),
    failingServers: doc.groups.servers.map((s): DigestServer => ({ server: s.server, sni: s.sni[0] ?? null, failed: s.failed, rules: s.rules })),
    worst,
  };
}

function byCountThenSeverity(a: DigestRule, b: DigestRule): number {
  return b.count - a.count || RANK[b.severity] - RANK[a.severity] || (a.rule < b.rule ? -1 : 1);
}

export interface SummaryRule {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  /** Findings in the whole run. */
  readonly findings: number;
  /** Captures with at least one. */
  readonly captures: number;
}

export interface SummaryServer {
  /** `ip:port`. */
  readonly server: string;
  /** Server names the clients asked for (SNI), when they did. */
  readonly sni: readonly string[];
  /** Failed handshakes and connections with an error finding. */
  readonly failed: number;
  readonly captures: number;
  readonly rules: readonly string[];
}

export interface SummaryCapture {
  readonly file: string;
  readonly connections: number;
  readonly tlsConnections: number;
  readonly failed: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  /** Rule ids, most findings first (at most three). */
  readonly topRules: readonly string[];
  /** Why it could not be read (completely), or null. */
  readonly error: string | null;
}

export interface BatchSummary {
  /** Captures analyzed or attempted (archive members included). */
  readonly captures: number;
  /** Of which could not be read, or not to their end. */
  readonly unreadable: number;
  readonly connections: number;
  readonly tlsConnections: number;
  readonly established: number;
  readonly failed: number;
  readonly incomplete: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  /** Most findings first. */
  readonly rules: readonly SummaryRule[];
  /** Most failures first. */
  readonly failingServers: readonly SummaryServer[];
  /** One entry per capture, in input order. */
  readonly perCapture: readonly SummaryCapture[];
  /** Files and archive members that are no captures. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  /** Inputs, archives and members that could not be read at all (their captures, if any, are in perCapture too). */
  readonly errors: readonly { readonly name: string; readonly message: string }[];
  /** Warnings about archives (a missing central directory, an unsafe member name). */
  readonly warnings: readonly { readonly name: string; readonly message: string }[];
}

/** Collects digests in input order and builds the summary at the end. */
export class SummaryBuilder {
  private readonly perCapture: SummaryCapture[] = [];
  private readonly rules = new Map<string, { severity: Severity; title: string; findings: number; captures: number }>();
  private readonly servers = new Map<string, { sni: Set<string>; failed: number; captures: number; rules: Set<string> }>();
  private readonly skipped: { name: string; reason: string }[] = [];
  private readonly errors: { name: string; message: string }[] = [];
  private readonly warnings: { name: string; message: string }[] = [];
  private totals = { connections: 0, tlsConnections: 0, established: 0, failed: 0, incomplete: 0, unreadable: 0 };
  private readonly findings = { error: 0, warning: 0, info: 0 };
  /** The worst finding severity of the run. */
  worst: Severity | null = null;

  addCapture(d: CaptureDigest): void {
    const error = d.error ?? (d.readErrors.length > 0 ? d.readErrors.join('; ') : null);
    this.perCapture.push({
      file: d.file,
      connections: d.connections,
      tlsConnections: d.tlsConnections,
      failed: d.failed,
      findings: d.findings,
      topRules: d.rules.slice(0, 3).map((r) => r.rule),
      error,
    });
    const t = this.totals;
    t.connections += d.connections;
    t.tlsConnections += d.tlsConnections;
    t.established += d.established;
    t.failed += d.failed;
    t.incomplete += d.incomplete;
    if (error !== null) t.unreadable++;
    this.findings.error += d.findings.error;
    this.findings.warning += d.findings.warning;
    this.findings.info += d.findings.info;
    if (d.worst !== null && (this.worst === null || RANK[d.worst] > RANK[this.worst])) this.worst = d.worst;
    for (const r of d.rules) {
      const s = this.rules.get(r.rule) ?? { severity: r.severity, title: r.title, findings: 0, captures: 0 };
      s.findings += r.count;
      s.captures++;
      this.rules.set(r.rule, s);
    }
    for (const f of d.failingServers) {
      const s = this.servers.get(f.server) ?? { sni: new Set<string>(), failed: 0, captures: 0, rules: new Set<string>() };
      s.failed += f.failed;
      s.captures++;
      if (f.sni !== null) s.sni.add(f.sni);
      for (const r of f.rules) s.rules.add(r);
      this.servers.set(f.server, s);
    }
  }

  addSkipped(name: string, reason: string): void {
    this.skipped.push({ name, reason });
  }

  addError(name: string, message: string): void {
    this.errors.push({ name, message });
  }

  addWarning(name: string, message: string): void {
    this.warnings.push({ name, message });
  }

  get captures(): number {
    return this.perCapture.length;
  }

  build(): BatchSummary {
    const rules = [...this.rules]
      .map(([rule, r]): SummaryRule => ({ rule, severity: r.severity, title: r.title, findings: r.findings, captures: r.captures }))
      .sort((a, b) => b.findings - a.findings || RANK[b.severity] - RANK[a.severity] || (a.rule < b.rule ? -1 : 1));
    const failingServers = [...this.servers]
      .map(([server, s]): SummaryServer => ({ server, sni: [...s.sni].sort(), failed: s.failed, captures: s.captures, rules: [...s.rules].sort() }))
      .sort((a, b) => b.failed - a.failed || b.captures - a.captures || (a.server < b.server ? -1 : 1));
    return {
      captures: this.perCapture.length,
      unreadable: this.totals.unreadable,
      connections: this.totals.connections,
      tlsConnections: this.totals.tlsConnections,
      established: this.totals.established,
      failed: this.totals.failed,
      incomplete: this.totals.incomplete,
      findings: { ...this.findings },
      rules,
      failingServers,
      perCapture: this.perCapture,
      skipped: this.skipped,
      errors: this.errors,
      warnings: this.warnings,
    };
  }
}
