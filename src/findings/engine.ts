/**
 * Runs the rules over one finished connection: the specific rules first, then, when none of them
 * found an error, the fallback rules. A rule that throws is a bug in tlsdiag, not in the capture: it
 * becomes an internal-error finding for that rule, and the other rules still run.
 */
import { RULES } from './rules/index.js';
import { fitFinding } from './relevance.js';
import type { CaptureView, ConnectionView, Finding, Rule } from './types.js';

/** The rules to run: all, or those named (ids). */
export function selectRules(only?: readonly string[] | null): readonly Rule[] {
  return only ? RULES.filter((r) => only.includes(r.meta.id)) : RULES;
}

/** Findings about one connection, in evidence order. */
export function runConnectionRules(connection: ConnectionView, capture: CaptureView, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  // A connection picked up after its handshake has no handshake to judge, unless a plaintext fatal
  // alert (2 bytes, readable whatever was negotiated) says what went wrong.
  const tls = connection.transcript.tls;
  if (tls !== null && tls.midConnection === true && tls.alert?.level !== 'fatal') return findings;
  for (const rule of rules) if (!rule.fallback) guarded(rule, findings, connection, capture);
  // Fallbacks name a failure only when no specific rule explained it.
  if (!findings.some((f) => f.severity === 'error')) {
    for (const rule of rules) if (rule.fallback) guarded(rule, findings, connection, capture);
  }
  findings.sort(byEvidence);
  return findings;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function byEvidence(a: Finding, b: Finding): number {
  return a.stream - b.stream || (a.frames[0] ?? 0) - (b.frames[0] ?? 0) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule);
}

function guarded(rule: Rule, out: Finding[], connection: ConnectionView, capture: CaptureView): void {
  try {
    for (const f of rule.detect(connection, capture)) out.push(fitFinding(f, connection.transcript));
  } catch (err) {
    out.push({
      rule: rule.meta.id,
      severity: 'info',
      title: `internal error in rule ${rule.meta.id}`,
      stream: connection.conversation.stream,
      frames: [],
      evidence: [],
      message: `rule ${rule.meta.id} failed: ${(err as Error)?.message ?? String(err)} (please report this with the capture)`,
      products: [],
      remedies: [],
      references: [],
      wiresharkFilter: '',
    });
  }
}
