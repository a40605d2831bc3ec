/**
 * The key exchange of a cipher suite, derived once from the registry names (`TLS_<kex>_WITH_...`).
 * It decides the ServerKeyExchange layout (RFC 5246 §7.4.3, RFC 8422 §5.4, RFC 4279 §2,
 * RFC 5489 §2) and whether one is sent at all.
 */
import { cipherSuiteName, ianaCipherSuites } from './cipher-suites.js';

export type KeyExchange =
  | 'rsa' // RSA key transport; no ServerKeyExchange
  | 'rsa_export' // RSA_EXPORT: ServerKeyExchange carries a temporary RSA key when the cert key is long
  | 'dh' // fixed DH (DH_DSS, DH_RSA): no ServerKeyExchange
  | 'dhe' // DHE_RSA, DHE_DSS: signed ServerDHParams
  | 'dh_anon' // unsigned ServerDHParams
  | 'ecdh' // fixed ECDH (ECDH_ECDSA, ECDH_RSA): no ServerKeyExchange
  | 'ecdhe' // ECDHE_RSA, ECDHE_ECDSA: signed ServerECDHParams
  | 'ecdh_anon' // unsigned ServerECDHParams
  | 'psk' // psk_identity_hint only
  | 'rsa_psk' // psk_identity_hint only
  | 'dhe_psk' // psk_identity_hint + ServerDHParams
  | 'ecdhe_psk' // psk_identity_hint + ServerECDHParams
  | 'srp'
  | 'krb5'
  | 'eccpwd'
  | 'gost'
  | 'fortezza'
  | 'null'
  | 'tls13' // TLS 1.3 suites: key exchange is negotiated by extensions, no ServerKeyExchange
  | 'scsv' // signalling values, not real suites
  | 'unknown';

/** TLS 1.3 suites whose names do not follow the TLS 1.3 pattern (RFC 9367 GOST MGM suites). */
const TLS13_BY_CODE: ReadonlySet<number> = new Set([0xc103, 0xc104, 0xc105, 0xc106]);

function fromName(code: number, name: string): KeyExchange {
  if (TLS13_BY_CODE.has(code)) return 'tls13';
  if (name.endsWith('_SCSV')) return 'scsv';
  if (name.startsWith('SSL_FORTEZZA_KEA')) return 'fortezza';
  if (name.startsWith('SSL_RSA_FIPS')) return 'rsa';
  const m = /^TLS_(.+?)_WITH_/.exec(name);
  // Suites without `_WITH_` are TLS 1.3 style: TLS_AES_128_GCM_SHA256, TLS_SM4_GCM_SM3, TLS_SHA256_SHA256.
  if (m === null) return name.startsWith('TLS_') ? 'tls13' : 'unknown';
  const kex = m[1].replace(/_EXPORT(1024)?$/, '');
  const exportRsa = m[1].startsWith('RSA_EXPORT');
  switch (kex) {
    case 'NULL': return 'null';
    case 'RSA': return exportRsa ? 'rsa_export' : 'rsa';
    case 'DH_DSS': case 'DH_RSA': return 'dh';
    case 'DHE_DSS': case 'DHE_RSA': return 'dhe';
    case 'DH_anon': return 'dh_anon';
    case 'ECDH_ECDSA': case 'ECDH_RSA': return 'ecdh';
    case 'ECDHE_ECDSA': case 'ECDHE_RSA': return 'ecdhe';
    case 'ECDH_anon': return 'ecdh_anon';
    case 'PSK': return 'psk';
    case 'RSA_PSK': return 'rsa_psk';
    case 'DHE_PSK': case 'PSK_DHE': return 'dhe_psk';
    case 'ECDHE_PSK': return 'ecdhe_psk';
    case 'SRP_SHA': case 'SRP_SHA_RSA': case 'SRP_SHA_DSS': return 'srp';
    case 'KRB5': return 'krb5';
    case 'ECCPWD': return 'eccpwd';
    case 'GOSTR341112_256': return 'gost';
    default: return 'unknown';
  }
}

const TABLE: ReadonlyMap<number, KeyExchange> = new Map(ianaCipherSuites().map((s) => [s.code, fromName(s.code, s.name)]));

/** Key exchange of a suite (`ecdhe`, `dhe`, `rsa`, `tls13`, ...); `unknown` for unassigned values. */
export function cipherSuiteKeyExchange(code: number): KeyExchange {
  return TABLE.get(code) ?? fromName(code, cipherSuiteName(code));
}

/** Suites that only TLS 1.3 may negotiate. */
export function isTls13CipherSuite(code: number): boolean {
  return cipherSuiteKeyExchange(code) === 'tls13';
}

/** Whether a ServerKeyExchange is part of the handshake for this key exchange (RFC 5246 §7.4.3). */
export function sendsServerKeyExchange(kex: KeyExchange): boolean | null {
  switch (kex) {
    case 'dhe': case 'dh_anon': case 'ecdhe': case 'ecdh_anon': case 'dhe_psk': case 'ecdhe_psk': case 'srp': case 'fortezza':
      return true;
    case 'rsa': case 'dh': case 'ecdh': case 'krb5': case 'null': case 'tls13': case 'scsv':
      return false;
    default:
      return null; // optional (PSK hint, RSA_EXPORT) or unknown
  }
}
