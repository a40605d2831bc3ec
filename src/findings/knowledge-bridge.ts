/**
 * Rules take what products log and what to change from the knowledge base, so a fact is written once
 * and `tlsdiag explain`, the rules and the docs say the same thing. Each rule names the entries it
 * quotes (the knowledge base links many more entries to a rule than a finding should show: a generic
 * z/OS message that follows every handshake failure does not help tell this one apart).
 */
import { KNOWLEDGE } from './knowledge/index.js';
import type { KnowledgeEntry } from './knowledge/types.js';
import type { ProductMessage, Remedy } from './types.js';

const PRODUCT_KINDS = new Set(['return-code', 'message', 'error-string']);

/** Only what a cited document supports is shown as fact in a finding. */
const SHOWN = new Set(['confirmed', 'partial']);

const BY_ID = new Map<string, KnowledgeEntry>(KNOWLEDGE.map((e) => [e.id, e]));

export function knowledgeEntry(id: string): KnowledgeEntry | undefined {
  return BY_ID.get(id);
}

/** Product renderings of an alert shown in findings: the stacks support engineers meet most. */
const ALERT_MESSAGE_PRODUCTS = /^(OpenSSL 1\.0\.x\/1\.1\.x|OpenSSL 3\.0|Java \(JSSE\)|Windows Schannel)$/;

export interface KnowledgeRefs {
  /** Entries whose product messages the finding quotes, in this order. */
  readonly products: readonly string[];
  /** Entries whose remedies the finding offers, in this order. */
  readonly remedies: readonly string[];
}

/**
 * Products and remedies for a rule from the named knowledge entries. `extraRemedies` are
 * rule-specific actions the knowledge base has no entry for.
 */
export function knowledgeFor(refs: KnowledgeRefs, extraRemedies: readonly Remedy[] = []): { products: ProductMessage[]; remedies: Remedy[] } {
  const products: ProductMessage[] = [];
  const remedies: Remedy[] = [];
  const seenText = new Map<string, number>();
  const seenRemedy = new Set<string>();
  // The same line under two product labels ("OpenSSL" and "OpenSSL 3.x") is shown once; a side named
  // by the entry's own line (a client's message) wins over the entry's generic `either`.
  const addProduct = (m: ProductMessage) => {
    const at = seenText.get(m.text);
    if (at !== undefined) {
      if (products[at].side === 'either' && m.side !== 'either') products[at] = { ...products[at], side: m.side };
      return;
    }
    seenText.set(m.text, products.length);
    products.push(m);
  };
  for (const id of refs.products) {
    const e = BY_ID.get(id);
    if (!e || !SHOWN.has(e.confidence)) continue;
    if (PRODUCT_KINDS.has(e.kind)) addProduct({ product: e.product, text: e.text, side: 'either', source: e.source });
    for (const m of e.messages ?? []) {
      if (e.kind !== 'alert' || ALERT_MESSAGE_PRODUCTS.test(m.product)) addProduct(e.kind === 'alert' && e.code ? { ...m, alert: e.code.value } : m);
    }
  }
  for (const id of refs.remedies) {
    const e = BY_ID.get(id);
    if (!e || !SHOWN.has(e.confidence)) continue;
    for (const r of e.remedies) {
      const key = `${r.where}|${r.action.slice(0, 40)}`;
      if (seenRemedy.has(key)) continue;
      seenRemedy.add(key);
      remedies.push(r);
    }
  }
  for (const r of extraRemedies) remedies.push(r);
  return { products, remedies };
}
