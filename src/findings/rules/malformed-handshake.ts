/**
 * A handshake message that breaks its own length fields or its version's vector bounds (the located
 * decode problems of decoders/tls). Peers differ in how strictly they check: what one stack lets
 * through, a strict one (IBM System SSL) rejects with RC 410.
 */
import type { EvidenceItem, Rule } from '../types.js';
import { makeFinding, sideName } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'malformed-handshake';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-410', 'tls-alert-50'], remedies: [] };

/** Problems other rules already explain in their own words: the empty CA list (empty-ca-list*). */
function explainedElsewhere(p: { code: string; field: string }): boolean {
  return p.code === 'empty-vector-forbidden' && /certificate_authorities/.test(p.field);
}

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Malformed handshake message',
    severity: 'warning',
    severityWhenFailed: 'error',
    summary:
      'A handshake message does not decode cleanly: a length field overruns its container, a vector is shorter or ' +
      'longer than its protocol version allows, or bytes are left over. Lenient peers often carry on; strict ones ' +
      '(IBM System SSL: RC 410, SSL message format is incorrect) abort with decode_error(50) or illegal_parameter(47). ' +
      'It is an error when the handshake then failed.',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      { where: 'the side that sent the malformed message', action: 'Upgrade or fix its TLS implementation; compare with a capture taken next to the sender to rule out a device in between rewriting the message' },
    ]),
    references: [RFC.tls12Alerts, RFC.tls13Alerts],
  },
  detect(connection) {
    const { transcript } = connection;
    if (!transcript.tls) return [];
    const evidence: EvidenceItem[] = [];
    for (const e of transcript.events) {
      for (const p of e.problems ?? []) {
        if (p.severity !== 'error' || explainedElsewhere(p)) continue;
        const what = e.type === 'handshake' ? e.message : e.type;
        evidence.push({ frame: e.frame, text: `frame ${e.frame}: ${sideName(e.from)} ${what}: ${p.message}${p.rule ? ` (${p.rule})` : ''}` });
      }
    }
    for (const p of transcript.problems) {
      if (p.severity !== 'error' || p.frame === undefined || explainedElsewhere(p)) continue;
      evidence.push({ frame: p.frame, text: `frame ${p.frame}: ${p.from ? `${sideName(p.from)} ` : ''}${p.message}${p.rule ? ` (${p.rule})` : ''}` });
    }
    if (evidence.length === 0) return [];
    const failed = !transcript.tls.established && transcript.tls.ended.how !== 'open' && transcript.tls.ended.how !== 'capture-ended';
    const shown = evidence.slice(0, 8);
    const message =
      `${evidence.length} malformed field${evidence.length === 1 ? '' : 's'} in the handshake (first in frame ${shown[0].frame}). ` +
      (failed
        ? 'The handshake then failed: a strict peer rejects such a message (decode_error(50), illegal_parameter(47); IBM System SSL RC 410).'
        : 'The peer accepted it anyway; a stricter peer would not.');
    return [makeFinding(rule.meta, connection, message, shown, { severity: failed ? (rule.meta.severityWhenFailed ?? rule.meta.severity) : rule.meta.severity })];
  },
};
