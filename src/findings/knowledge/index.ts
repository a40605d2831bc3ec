/**
 * The knowledge base: product facts (return codes, messages, options, error strings), the TLS alert
 * registry as each stack reports it, and the RFC rules — one list shared by the finding rules,
 * `tlsdiag explain` and docs/knowledge-base.md. Each family of facts lives in its own module.
 */
import { ALERT_ENTRIES, GNUTLS_ENTRIES, SCHANNEL_ENTRIES, alertEntryId } from './alerts.js';
import { FTP_SERVER_ENTRIES } from './ftp-servers.js';
import { CLIENT_MESSAGE_ENTRIES } from './client-messages.js';
import { JAVA_ENTRIES, OPENSSL_ENTRIES } from './openssl.js';
import { RFC_ENTRIES } from './rfc.js';
import { SYSTEM_SSL_ENTRIES } from './system-ssl.js';
import { RULE_IDS, type KnowledgeEntry, type RuleId } from './types.js';
import { VSFTPD_ENTRIES } from './vsftpd.js';
import { XCOM_ENTRIES } from './xcom.js';
import { ZOS_ATTLS_ENTRIES, ZOS_FTP_ENTRIES } from './zos.js';

export type { CodeInfo, Confidence, KnowledgeEntry, KnowledgeKind, RuleId } from './types.js';
export { RULE_IDS } from './types.js';
export { opensslAlertErrors, type OpensslAlertErrors } from './openssl-codes.js';
export { systemSslReturnCode } from './system-ssl.js';
export { ALERT_REGISTRY, type AlertFact } from './alert-registry.js';

/** Product families first (what a user pastes), then the alert registry, then the RFC rules. */
export const KNOWLEDGE: readonly KnowledgeEntry[] = [
  ...SYSTEM_SSL_ENTRIES,
  ...ZOS_FTP_ENTRIES,
  ...ZOS_ATTLS_ENTRIES,
  ...XCOM_ENTRIES,
  ...VSFTPD_ENTRIES,
  ...FTP_SERVER_ENTRIES,
  ...OPENSSL_ENTRIES,
  ...JAVA_ENTRIES,
  ...SCHANNEL_ENTRIES,
  ...GNUTLS_ENTRIES,
  ...CLIENT_MESSAGE_ENTRIES,
  ...ALERT_ENTRIES,
  ...RFC_ENTRIES,
];

const BY_ID: ReadonlyMap<string, KnowledgeEntry> = new Map(KNOWLEDGE.map((entry) => [entry.id, entry]));

const BY_RULE: ReadonlyMap<RuleId, readonly KnowledgeEntry[]> = new Map(
  RULE_IDS.map((rule) => [rule, KNOWLEDGE.filter((entry) => entry.rules.includes(rule))]),
);

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** Every entry whose wire pattern the rule detects, in knowledge-base order; empty for an unknown id. */
export function entriesForRule(ruleId: string): readonly KnowledgeEntry[] {
  return isRuleId(ruleId) ? (BY_RULE.get(ruleId) ?? []) : [];
}

export function entryById(id: string): KnowledgeEntry | undefined {
  return BY_ID.get(id);
}

/** The entry for a TLS alert number, when the alert is registered. */
export function alertEntry(code: number): KnowledgeEntry | undefined {
  return BY_ID.get(alertEntryId(code));
}
