/**
 * The fallback for a handshake that a plaintext fatal alert ended and no specific rule explains
 * (unexpected_message(10), internal_error(80), missing_extension(109), no_application_protocol(120),
 * a handshake_failure(40) after the ServerHello ...): it names the alert, who sent it and after which
 * step, and quotes what the stacks log for that alert.
 */
import type { Rule } from '../types.js';
import { alertEvidence, failingAlert, makeFinding } from '../evidence.js';
import { knowledgeEntry, knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'handshake-failed';
/** What this finding quotes from the knowledge base: the alert's own entry is added per finding. */
export const KNOWLEDGE_IDS = { products: [] as string[], remedies: [] as string[] };

export const rule: Rule = {
  fallback: true,
  meta: {
    id: ID,
    title: 'Handshake failed with an alert',
    severity: 'error',
    summary:
      'A fatal alert ended the handshake and none of the specific rules explains it. The finding names the alert, ' +
      'the side that sent it and the step it answered, and quotes what the common TLS stacks log when they receive ' +
      'that alert, so the log line on the other side can be matched.',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      { where: 'the side that sent the alert', action: 'Read its log at the time of the alert: the alert names the category, the log names the cause' },
    ]),
    references: [RFC.tls12Alerts, RFC.tls13Alerts],
  },
  detect(connection) {
    const { transcript } = connection;
    const tls = transcript.tls;
    if (!tls || tls.established || tls.ended.how !== 'alert') return [];
    const alert = failingAlert(transcript.events);
    if (!alert || alert.encrypted || alert.level !== 'fatal' || alert.code === undefined) return [];
    const other = alert.from === 'client' ? 'server' : 'client';
    const step = tls.lastMessage[other];
    const entry = knowledgeEntry(`tls-alert-${alert.code}`);
    const fromKb = knowledgeFor({ products: entry ? [entry.id] : [], remedies: entry ? [entry.id] : [] }, rule.meta.remedies);
    const meaning = entry ? ` ${entry.meaning}` : '';
    const message =
      `The ${alert.from} ended the handshake with fatal ${alert.description}(${alert.code}) in frame ${alert.frame}` +
      `${step ? `, answering the ${other}'s ${step === 'encrypted' ? 'encrypted handshake message' : step}` : ''}.${meaning}`;
    return [makeFinding(rule.meta, connection, message, [alertEvidence(alert)], { products: fromKb.products, remedies: fromKb.remedies })];
  },
};
