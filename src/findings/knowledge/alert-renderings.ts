/**
 * How stacks other than OpenSSL report a received alert, where a stored source gives the mapping.
 * Java prints the RFC name (`Received fatal alert: illegal_parameter`), so it needs no table.
 */

export interface SchannelCode {
  readonly name: string;
  readonly hex: string;
}

/** Microsoft, "Schannel error codes for TLS and SSL alerts" (confirmed for alerts 10 to 80). */
export const SCHANNEL_BY_ALERT: ReadonlyMap<number, SchannelCode> = new Map<number, SchannelCode>([
  [10, { name: 'SEC_E_ILLEGAL_MESSAGE', hex: '0x80090326' }],
  [20, { name: 'SEC_E_MESSAGE_ALTERED', hex: '0x8009030F' }],
  [21, { name: 'SEC_E_DECRYPT_FAILURE', hex: '0x80090330' }],
  [22, { name: 'SEC_E_ILLEGAL_MESSAGE', hex: '0x80090326' }],
  [30, { name: 'SEC_E_MESSAGE_ALTERED', hex: '0x8009030F' }],
  [40, { name: 'SEC_E_ILLEGAL_MESSAGE', hex: '0x80090326' }],
  [42, { name: 'SEC_E_CERT_UNKNOWN', hex: '0x80090327' }],
  [43, { name: 'SEC_E_CERT_UNKNOWN', hex: '0x80090327' }],
  [44, { name: 'CRYPT_E_REVOKED', hex: '0x80092010' }],
  [45, { name: 'SEC_E_CERT_EXPIRED', hex: '0x80090328' }],
  [46, { name: 'SEC_E_CERT_UNKNOWN', hex: '0x80090327' }],
  [47, { name: 'SEC_E_ILLEGAL_MESSAGE', hex: '0x80090326' }],
  [48, { name: 'SEC_E_UNTRUSTED_ROOT', hex: '0x80090325' }],
  [49, { name: 'SEC_E_LOGON_DENIED', hex: '0x8009030C' }],
  [50, { name: 'SEC_E_ILLEGAL_MESSAGE', hex: '0x80090326' }],
  [51, { name: 'SEC_E_DECRYPT_FAILURE', hex: '0x80090330' }],
  [60, { name: 'SEC_E_ILLEGAL_MESSAGE', hex: '0x80090326' }],
  [70, { name: 'SEC_E_UNSUPPORTED_FUNCTION', hex: '0x80090302' }],
  [71, { name: 'SEC_E_ALGORITHM_MISMATCH', hex: '0x80090331' }],
  [80, { name: 'SEC_E_INTERNAL_ERROR', hex: '0x80090304' }],
]);

/** GnuTLS lib/alert.c, gnutls_alert_get_name(): the text GnuTLS prints for a received alert. */
export const GNUTLS_NAME_BY_ALERT: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'Close notify'],
  [10, 'Unexpected message'],
  [20, 'Bad record MAC'],
  [21, 'Decryption failed'],
  [22, 'Record overflow'],
  [30, 'Decompression failed'],
  [40, 'Handshake failed'],
  [41, 'No certificate (SSL 3.0)'],
  [42, 'Certificate is bad'],
  [43, 'Certificate is not supported'],
  [44, 'Certificate was revoked'],
  [45, 'Certificate is expired'],
  [46, 'Unknown certificate'],
  [47, 'Illegal parameter'],
  [48, 'CA is unknown'],
  [49, 'Access was denied'],
  [50, 'Decode error'],
  [51, 'Decrypt error'],
  [60, 'Export restriction'],
  [70, 'Error in protocol version'],
  [71, 'Insufficient security'],
  [80, 'Internal error'],
  [86, 'Inappropriate fallback'],
  [90, 'User canceled'],
  [100, 'No renegotiation is allowed'],
  [109, 'An extension was expected but was not seen'],
  [110, 'An unsupported extension was sent'],
  [111, 'Could not retrieve the specified certificate'],
  [112, 'The server name sent was not recognized'],
  [115, 'The SRP/PSK username is missing or not known'],
  [116, 'Certificate is required'],
  [120, 'No supported application protocol could be negotiated'],
]);

/** Constant prefixes OpenSSL (SSL3_AD_, TLS1_AD_, TLS13_AD_) and Schannel (SSL3_ALERT_, TLS1_ALERT_) use. */
export const ALERT_MACRO_PREFIX = '(?:SSL3?|TLS1|TLS13)_(?:AD|ALERT)_';

/** Schannel's header spells two constants differently from the RFC names. */
export const SCHANNEL_MACRO_ALIASES: ReadonlyMap<number, string> = new Map([
  [30, 'DECOMPRESSION_FAIL'],
  [43, 'UNSUPPORTED_CERT'],
  [71, 'INSUFFIENT_SECURITY'],
]);
