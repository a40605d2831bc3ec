/**
 * OpenSSL's error codes for a RECEIVED alert, computed rather than listed.
 *
 * OpenSSL records a received alert as reason SSL_AD_REASON_OFFSET (1000) + alert number
 * (crypto/err/openssl.txt: SSL_R_SSLV3_ALERT_ILLEGAL_PARAMETER:1047). The packed code differs by
 * major version (include/openssl/err.h):
 * - 1.0.x and 1.1.x: ERR_PACK(lib, func, reason) = lib << 24 | func << 12 | reason, with lib SSL = 0x14
 *   and, for alerts read by the record layer, func SSL_F_SSL3_READ_BYTES = 148 = 0x094.
 * - 3.x: no function code; lib << ERR_LIB_OFFSET (23) | reason, so SSL errors start 0x0A000000.
 * The reason string's prefix (`sslv3 alert`, `tlsv1 alert`, `tlsv1`, `tlsv13 alert`) follows the
 * SSL_R_ macro name, which follows the SSL/TLS version whose RFC first defined the alert.
 */
import { alertFact, alertWords } from './alert-registry.js';

const ERR_LIB_SSL = 0x14;
const SSL_F_SSL3_READ_BYTES = 0x094;
const ERR_LIB_OFFSET_3X = 23;
export const SSL_AD_REASON_OFFSET = 1000;

/** Which SSL_R_ name family OpenSSL gives an alert; absent: OpenSSL has no reason string for it. */
type OpensslAlertFamily = 'sslv3 alert' | 'tlsv1 alert' | 'tlsv1' | 'tlsv13 alert';

const FAMILY: ReadonlyMap<number, OpensslAlertFamily> = new Map<number, OpensslAlertFamily>([
  ...[10, 20, 30, 40, 41, 42, 43, 44, 45, 46, 47].map((c): [number, OpensslAlertFamily] => [c, 'sslv3 alert']),
  ...[21, 22, 48, 49, 50, 51, 60, 70, 71, 80, 86, 90, 100, 115, 120].map((c): [number, OpensslAlertFamily] => [c, 'tlsv1 alert']),
  ...[110, 111, 112, 113, 114].map((c): [number, OpensslAlertFamily] => [c, 'tlsv1']),
  ...[109, 116].map((c): [number, OpensslAlertFamily] => [c, 'tlsv13 alert']),
]);

/** OpenSSL spells user_canceled(90) with a double l: `tlsv1 alert user cancelled`. */
const OPENSSL_WORDS: ReadonlyMap<number, string> = new Map([[90, 'user cancelled']]);

export interface OpensslAlertErrors {
  readonly alert: number;
  /** OpenSSL 1.0.x/1.1.x packed code as printed after `error:`, e.g. `14094417`. */
  readonly openssl1: string;
  /** OpenSSL 3.x packed code, e.g. `0A000417`. */
  readonly openssl3: string;
  /** Reason string in OpenSSL 1.0.x to 3.0.x, e.g. `sslv3 alert illegal parameter`; `reason(1047)` when OpenSSL has none. */
  readonly reason: string;
  /** 1000 + alert. */
  readonly reasonCode: number;
  /** SSL_R_ macro, when OpenSSL defines one. */
  readonly macro?: string;
  /** Node.js error code derived from the reason string (absent when OpenSSL has no string). */
  readonly nodeCode?: string;
  /**
   * Spellings newer OpenSSL releases use for the same reason: the `sslv3 alert` family became
   * `ssl/tls alert` in 3.x master (PR 19950 kept it) and `tls alert` after the SSLv3 removal (PR 31993).
   */
  readonly laterReasons: readonly string[];
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** 47 → { openssl1: '14094417', openssl3: '0A000417', reason: 'sslv3 alert illegal parameter', ... }. */
export function opensslAlertErrors(alertCode: number): OpensslAlertErrors {
  const reasonCode = SSL_AD_REASON_OFFSET + (alertCode & 0xff);
  const openssl1 = hex8((ERR_LIB_SSL << 24) | (SSL_F_SSL3_READ_BYTES << 12) | (reasonCode & 0xfff));
  const openssl3 = hex8((ERR_LIB_SSL << ERR_LIB_OFFSET_3X) | reasonCode);
  const fact = alertFact(alertCode);
  const family = FAMILY.get(alertCode);
  if (fact === undefined || family === undefined) {
    return { alert: alertCode, openssl1, openssl3, reason: `reason(${reasonCode})`, reasonCode, laterReasons: [] };
  }
  const words = OPENSSL_WORDS.get(alertCode) ?? alertWords(fact.name);
  const reason = `${family} ${words}`;
  const macro = `SSL_R_${family.replace(/ /g, '_').toUpperCase()}_${words.replace(/ /g, '_').toUpperCase()}`;
  const laterReasons = family === 'sslv3 alert' ? [`ssl/tls alert ${words}`, `tls alert ${words}`] : [];
  return { alert: alertCode, openssl1, openssl3, reason, reasonCode, macro, nodeCode: nodeErrorCode(reason), laterReasons };
}

/** Node.js turns an OpenSSL reason string into `ERR_SSL_` + the string upper-cased, spaces to underscores. */
export function nodeErrorCode(reason: string): string {
  return `ERR_SSL_${reason.replace(/ /g, '_').toUpperCase()}`;
}

