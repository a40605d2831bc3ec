/**
 * Runs the rules over a capture: each rule's per-connection detector over every connection with a
 * transcript, then the cross-connection detectors. A rule that throws is a bug in tlsdiag, not in the
 * capture: it becomes an internal-error finding for that rule, and the other rules still run.
 */
import { RULES } from './rules/index.js';
import type { CaptureView, Finding, Rule } from './types.js';

export function runRules(capture: CaptureView, only?: readonly string[]): Finding[] {
  const rules = only ? RULES.filter((r) => only.includes(r.meta.id)) : RULES;
  const findings: Finding[] = [];
  const specific = rules.filter((r) => !r.fallback);
  for (const rule of specific) {
    if (rule.detect) {
      for (const connection of capture.connections) guarded(rule, findings, () => rule.detect!(connection, capture));
    }
    if (rule.detectCapture) guarded(rule, findings, () => rule.detectCapture!(capture));
  }
  // Fallbacks see only the connections the specific rules left without an error.
  const explained = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.stream));
  for (const rule of rules.filter((r) => r.fallback)) {
    for (const connection of capture.connections) {
      if (explained.has(connection.conversation.stream) || !rule.detect) continue;
      guarded(rule, findings, () => rule.detect!(connection, capture));
    }
  }
  findings.sort(byEvidence);
  return findings;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function byEvidence(a: Finding, b: Finding): number {
  return a.stream - b.stream || (a.frames[0] ?? 0) - (b.frames[0] ?? 0) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule);
}

function guarded(rule: Rule, out: Finding[], run: () => readonly Finding[]): void {
  try {
    for (const f of run()) out.push(f);
  } catch (err) {
    out.push({
      rule: rule.meta.id,
      severity: 'info',
      title: `internal error in rule ${rule.meta.id}`,
      stream: -1,
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
