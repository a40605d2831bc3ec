/**
 * `tlsdiag explain "TEXT"`: which knowledge entries a pasted log line, return code, alert or
 * option matches, best first.
 *
 * Ranking: first by kind, because a number that names a cause (a return code, an alert, an error
 * string) explains more than the product message that carries it ("500 OOPS: error:14094417..."
 * is an illegal_parameter alert before it is a vsftpd reply); then by the length of the match, so a
 * full product line outranks a bare word; then by confidence; then by knowledge-base order.
 */
import { KNOWLEDGE, type KnowledgeEntry, type KnowledgeKind } from './knowledge/index.js';

export interface Explanation {
  readonly entry: KnowledgeEntry;
  /** The part of the input that matched (the longest match among the entry's patterns). */
  readonly matched: string;
  /** Where in the input the match starts. */
  readonly index: number;
}

const KIND_TIER: Readonly<Record<KnowledgeKind, number>> = {
  'return-code': 0,
  alert: 1,
  'error-string': 2,
  message: 3,
  option: 4,
  'rfc-rule': 5,
};

const CONFIDENCE_TIER: Readonly<Record<KnowledgeEntry['confidence'], number>> = {
  confirmed: 0,
  partial: 1,
  unconfirmed: 2,
};

interface Candidate {
  readonly explanation: Explanation;
  readonly order: number;
}

function bestMatch(entry: KnowledgeEntry, text: string): RegExpExecArray | undefined {
  let best: RegExpExecArray | undefined;
  for (const pattern of entry.patterns) {
    const match = pattern.exec(text);
    if (match !== null && match[0].length > 0 && (best === undefined || match[0].length > best[0].length)) best = match;
  }
  return best;
}

function compare(a: Candidate, b: Candidate): number {
  const ea = a.explanation.entry;
  const eb = b.explanation.entry;
  return (
    KIND_TIER[ea.kind] - KIND_TIER[eb.kind] ||
    b.explanation.matched.length - a.explanation.matched.length ||
    CONFIDENCE_TIER[ea.confidence] - CONFIDENCE_TIER[eb.confidence] ||
    a.order - b.order
  );
}

/** Every entry the text matches, best first; empty when nothing in the knowledge base applies. */
export function explain(text: string, knowledge: readonly KnowledgeEntry[] = KNOWLEDGE): readonly Explanation[] {
  const candidates: Candidate[] = [];
  for (let order = 0; order < knowledge.length; order++) {
    const entry = knowledge[order];
    const match = bestMatch(entry, text);
    if (match !== undefined) candidates.push({ explanation: { entry, matched: match[0], index: match.index }, order });
  }
  return candidates.sort(compare).map((candidate) => candidate.explanation);
}
