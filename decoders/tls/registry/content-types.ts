/**
 * TLS ContentType registry (IANA "TLS ContentType").
 * 20-23: RFC 5246 §6.2.1 (and RFC 6101 §5.2.1 for SSL 3.0); 24 heartbeat: RFC 6520;
 * 25 tls12_cid: RFC 9146; 26 ack: RFC 9147 (DTLS 1.3 only).
 */
export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;
export const CONTENT_HEARTBEAT = 24;
export const CONTENT_TLS12_CID = 25;
export const CONTENT_ACK = 26;

const NAMES: readonly string[] = ['change_cipher_spec', 'alert', 'handshake', 'application_data', 'heartbeat', 'tls12_cid', 'ack'];

/** `handshake`, `alert`, ... or `unknown(N)`. */
export function contentTypeName(n: number): string {
  return n >= 20 && n <= 26 ? NAMES[n - 20] : `unknown(${n})`;
}

/** Content types a TLS (not DTLS) record may carry: 20..25. */
export function isTlsContentType(n: number): boolean {
  return n >= CONTENT_CHANGE_CIPHER_SPEC && n <= CONTENT_TLS12_CID;
}
