/**
 * The shape of one fact in the knowledge base: what a product prints (or an RFC requires), what it
 * means, how the same failure looks on the wire, which rules detect it, what to change, and the
 * document it comes from. Rules, `tlsdiag explain` and docs/knowledge-base.md all read these.
 */
import type { ProductMessage, Remedy, Source } from '../types.js';

/** The finding rules (src/findings/rules/<id>.ts). Entries name the rules that detect their wire pattern. */
export const RULE_IDS = [
  'empty-ca-list-rejected',
  'empty-ca-list',
  'no-shared-cipher',
  'protocol-version-rejected',
  'plaintext-reply-to-tls',
  'handshake-aborted',
  'server-certificate-rejected',
  'certificate-expired',
  'client-certificate-missing',
  'client-certificate-rejected',
  'sslv3-negotiated',
  'sslv2-negotiated',
  'encrypted-alert-in-handshake',
  'malformed-handshake',
  'handshake-failed',
  'ftps-session-not-reused',
  'connection-unreachable',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/**
 * How well the stored sources support the entry:
 * - confirmed: the number, name and text are in a cited document (vendor manual, RFC, source code);
 * - partial: part is confirmed, part is inferred or comes from a third-party transcription (see `notes`);
 * - unconfirmed: recalled or inferred; kept so a pasted line is recognised, never to be shown as fact.
 */
export type Confidence = 'confirmed' | 'partial' | 'unconfirmed';

export type KnowledgeKind = 'return-code' | 'message' | 'option' | 'error-string' | 'rfc-rule' | 'alert';

/** A numeric code and its symbolic names, for return codes, reason codes and alert numbers. */
export interface CodeInfo {
  /** The number as the product documents it (decimal). */
  readonly value: number;
  /** Symbolic names, the most current first (`GSK_ERR_BAD_MESSAGE`, `GSK_ERROR_BAD_MESSAGE`). */
  readonly names: readonly string[];
}

export interface KnowledgeEntry {
  /** Stable kebab-case id, unique in the knowledge base: `system-ssl-rc-410`, `tls-alert-47`. */
  readonly id: string;
  /** `IBM z/OS System SSL`, `z/OS FTP client`, `vsftpd`, `OpenSSL`, `TLS`, `IETF`, ... */
  readonly product: string;
  readonly kind: KnowledgeKind;
  readonly title: string;
  /** The line as the product prints it, the option as it is written, or the RFC rule in short. */
  readonly text: string;
  /** What it means, in plain sentences. */
  readonly meaning: string;
  /**
   * How a pasted log line is recognised. Case-insensitive, never global (explain calls `exec`).
   * Longer matches rank first, so a full product line outranks a bare number.
   */
  readonly patterns: readonly RegExp[];
  /** What causes it on the wire, as sentences a reader can check against a capture. */
  readonly wirePatterns: readonly string[];
  /** The rules that detect those wire patterns. */
  readonly rules: readonly RuleId[];
  readonly remedies: readonly Remedy[];
  readonly source: Source;
  readonly confidence: Confidence;
  /** Return code, reason code or alert number, when the entry has one. */
  readonly code?: CodeInfo;
  /** What is and is not verified, version differences, related facts. */
  readonly notes?: readonly string[];
  /** How each product reports this (alerts: what a receiving stack logs). */
  readonly messages?: readonly ProductMessage[];
  /** Further documents that support the entry. */
  readonly seeAlso?: readonly Source[];
}
