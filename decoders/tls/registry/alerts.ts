/**
 * TLS Alerts registry (IANA "TLS Alerts"), AlertLevel and AlertDescription.
 * Names are the RFC names without the `_RESERVED` suffix later RFCs added to retired values: a
 * capture of an old stack shows the alert as that stack meant it (an SSL 3.0 client's
 * no_certificate(41) is a real, meaningful message).
 */

export const ALERT_WARNING = 1;
export const ALERT_FATAL = 2;

export interface AlertInfo {
  readonly code: number;
  readonly name: string;
  /** Where the value is defined. */
  readonly rfc: string;
  /** The last version that may send it, when a later RFC retired it. */
  readonly retired?: string;
}

const TABLE: readonly AlertInfo[] = [
  { code: 0, name: 'close_notify', rfc: 'RFC 5246 §7.2.1' },
  { code: 10, name: 'unexpected_message', rfc: 'RFC 5246 §7.2.2' },
  { code: 20, name: 'bad_record_mac', rfc: 'RFC 5246 §7.2.2' },
  { code: 21, name: 'decryption_failed', rfc: 'RFC 2246 §7.2.2', retired: 'TLS 1.0 (RFC 4346 §7.2.2 made it _RESERVED)' },
  { code: 22, name: 'record_overflow', rfc: 'RFC 5246 §7.2.2' },
  { code: 30, name: 'decompression_failure', rfc: 'RFC 5246 §7.2.2', retired: 'TLS 1.2 (RFC 8446 §6 made it _RESERVED)' },
  { code: 40, name: 'handshake_failure', rfc: 'RFC 5246 §7.2.2' },
  { code: 41, name: 'no_certificate', rfc: 'RFC 6101 §5.4.2', retired: 'SSL 3.0 (absent from RFC 2246; _RESERVED in RFC 4346 and later)' },
  { code: 42, name: 'bad_certificate', rfc: 'RFC 5246 §7.2.2' },
  { code: 43, name: 'unsupported_certificate', rfc: 'RFC 5246 §7.2.2' },
  { code: 44, name: 'certificate_revoked', rfc: 'RFC 5246 §7.2.2' },
  { code: 45, name: 'certificate_expired', rfc: 'RFC 5246 §7.2.2' },
  { code: 46, name: 'certificate_unknown', rfc: 'RFC 5246 §7.2.2' },
  { code: 47, name: 'illegal_parameter', rfc: 'RFC 5246 §7.2.2' },
  { code: 48, name: 'unknown_ca', rfc: 'RFC 5246 §7.2.2' },
  { code: 49, name: 'access_denied', rfc: 'RFC 5246 §7.2.2' },
  { code: 50, name: 'decode_error', rfc: 'RFC 5246 §7.2.2' },
  { code: 51, name: 'decrypt_error', rfc: 'RFC 5246 §7.2.2' },
  { code: 60, name: 'export_restriction', rfc: 'RFC 2246 §7.2.2', retired: 'TLS 1.0 (RFC 4346 §7.2.2 made it _RESERVED)' },
  { code: 70, name: 'protocol_version', rfc: 'RFC 5246 §7.2.2' },
  { code: 71, name: 'insufficient_security', rfc: 'RFC 5246 §7.2.2' },
  { code: 80, name: 'internal_error', rfc: 'RFC 5246 §7.2.2' },
  { code: 86, name: 'inappropriate_fallback', rfc: 'RFC 7507 §2' },
  { code: 90, name: 'user_canceled', rfc: 'RFC 5246 §7.2.2' },
  { code: 100, name: 'no_renegotiation', rfc: 'RFC 5246 §7.2.2', retired: 'TLS 1.2 (RFC 8446 §6 made it _RESERVED)' },
  { code: 109, name: 'missing_extension', rfc: 'RFC 8446 §6.2' },
  { code: 110, name: 'unsupported_extension', rfc: 'RFC 5246 §7.2.2' },
  { code: 111, name: 'certificate_unobtainable', rfc: 'RFC 6066 §9', retired: 'TLS 1.2 (RFC 8446 made it _RESERVED)' },
  { code: 112, name: 'unrecognized_name', rfc: 'RFC 6066 §3' },
  { code: 113, name: 'bad_certificate_status_response', rfc: 'RFC 6066 §8' },
  { code: 114, name: 'bad_certificate_hash_value', rfc: 'RFC 6066 §9', retired: 'TLS 1.2 (RFC 8446 made it _RESERVED)' },
  { code: 115, name: 'unknown_psk_identity', rfc: 'RFC 4279 §2' },
  { code: 116, name: 'certificate_required', rfc: 'RFC 8446 §6.2' },
  { code: 120, name: 'no_application_protocol', rfc: 'RFC 7301 §3.2' },
  { code: 121, name: 'ech_required', rfc: 'draft-ietf-tls-esni §11.2' },
];

const BY_CODE: ReadonlyMap<number, AlertInfo> = new Map(TABLE.map((a) => [a.code, a]));

/** `illegal_parameter`, `no_certificate`, ... or `unknown(N)`. */
export function alertDescription(n: number): string {
  return BY_CODE.get(n)?.name ?? `unknown(${n})`;
}

/** The registry entry, or undefined for an unassigned value. */
export function alertInfo(n: number): AlertInfo | undefined {
  return BY_CODE.get(n);
}

/** `warning`, `fatal` or `unknown(N)` (RFC 5246 §7.2: AlertLevel). */
export function alertLevelName(n: number): 'warning' | 'fatal' | `unknown(${number})` {
  return n === ALERT_WARNING ? 'warning' : n === ALERT_FATAL ? 'fatal' : `unknown(${n})`;
}

/** Every registered alert, in code order (for tables and documentation). */
export function allAlerts(): readonly AlertInfo[] {
  return TABLE;
}
