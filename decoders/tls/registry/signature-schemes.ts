/**
 * TLS SignatureScheme registry (IANA "TLS SignatureScheme", RFC 8446 §4.2.3) and, for values it
 * leaves unnamed, the TLS 1.2 SignatureAndHashAlgorithm pair (RFC 5246 §7.4.1.4.1: HashAlgorithm
 * high byte, SignatureAlgorithm low byte) it encodes.
 * 0x0201-0x0603 and 0x0804-0x080B: RFC 8446 §4.2.3; 0x0420-0x0620: draft-ietf-tls-tls13-pkcs1;
 * 0x0704-0x0707: IANA (identity-based signatures); 0x0708: RFC 8998; 0x0709-0x070F: RFC 9367;
 * 0x081A-0x081C: RFC 8734; 0x0904-0x0906: draft-ietf-tls-mldsa; 0x0911-0x091C: draft-reddy-tls-slhdsa.
 */
import { hex16 } from '../hex.js';
import type { NamedCode } from '../types.js';
import { isGrease16 } from './versions.js';

const TABLE: readonly (readonly [number, string])[] = [
  [0x0201, 'rsa_pkcs1_sha1'], [0x0203, 'ecdsa_sha1'],
  [0x0401, 'rsa_pkcs1_sha256'], [0x0403, 'ecdsa_secp256r1_sha256'], [0x0420, 'rsa_pkcs1_sha256_legacy'],
  [0x0501, 'rsa_pkcs1_sha384'], [0x0503, 'ecdsa_secp384r1_sha384'], [0x0520, 'rsa_pkcs1_sha384_legacy'],
  [0x0601, 'rsa_pkcs1_sha512'], [0x0603, 'ecdsa_secp521r1_sha512'], [0x0620, 'rsa_pkcs1_sha512_legacy'],
  [0x0704, 'eccsi_sha256'], [0x0705, 'iso_ibs1'], [0x0706, 'iso_ibs2'], [0x0707, 'iso_chinese_ibs'],
  [0x0708, 'sm2sig_sm3'],
  [0x0709, 'gostr34102012_256a'], [0x070a, 'gostr34102012_256b'], [0x070b, 'gostr34102012_256c'],
  [0x070c, 'gostr34102012_256d'], [0x070d, 'gostr34102012_512a'], [0x070e, 'gostr34102012_512b'],
  [0x070f, 'gostr34102012_512c'],
  [0x0804, 'rsa_pss_rsae_sha256'], [0x0805, 'rsa_pss_rsae_sha384'], [0x0806, 'rsa_pss_rsae_sha512'],
  [0x0807, 'ed25519'], [0x0808, 'ed448'],
  [0x0809, 'rsa_pss_pss_sha256'], [0x080a, 'rsa_pss_pss_sha384'], [0x080b, 'rsa_pss_pss_sha512'],
  [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'], [0x081b, 'ecdsa_brainpoolP384r1tls13_sha384'],
  [0x081c, 'ecdsa_brainpoolP512r1tls13_sha512'],
  [0x0904, 'mldsa44'], [0x0905, 'mldsa65'], [0x0906, 'mldsa87'],
  [0x0911, 'slhdsa_sha2_128s'], [0x0912, 'slhdsa_sha2_128f'], [0x0913, 'slhdsa_sha2_192s'],
  [0x0914, 'slhdsa_sha2_192f'], [0x0915, 'slhdsa_sha2_256s'], [0x0916, 'slhdsa_sha2_256f'],
  [0x0917, 'slhdsa_shake_128s'], [0x0918, 'slhdsa_shake_128f'], [0x0919, 'slhdsa_shake_192s'],
  [0x091a, 'slhdsa_shake_192f'], [0x091b, 'slhdsa_shake_256s'], [0x091c, 'slhdsa_shake_256f'],
];

const SCHEMES: ReadonlyMap<number, NamedCode> = new Map(TABLE.map(([code, name]) => [code, Object.freeze({ code, name })]));

/** RFC 5246 §7.4.1.4.1 HashAlgorithm (0 none .. 6 sha512) and RFC 8422 §5.1.3 / RFC 8446 intrinsic(8). */
const HASH: readonly (string | undefined)[] = ['none', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', undefined, 'intrinsic'];
/** RFC 5246 §7.4.1.4.1 SignatureAlgorithm: anonymous(0), rsa(1), dsa(2), ecdsa(3). */
const SIG: readonly string[] = ['anonymous', 'rsa', 'dsa', 'ecdsa'];

function legacyPair(code: number): string | null {
  const hash = HASH[code >> 8];
  const sig = SIG[code & 0xff];
  if (hash === undefined || sig === undefined || hash === 'intrinsic') return null;
  return sig === 'rsa' ? `rsa_pkcs1_${hash}` : `${sig}_${hash}`;
}

export function signatureScheme(code: number): NamedCode {
  const known = SCHEMES.get(code);
  if (known !== undefined) return known;
  if (isGrease16(code)) return { code, name: 'GREASE' };
  return { code, name: legacyPair(code) ?? `unknown(${hex16(code)})` };
}

/** `rsa_pss_rsae_sha256`, `ecdsa_secp256r1_sha256`, TLS 1.2 pairs such as `dsa_sha256`, or `unknown(0x1234)`. */
export function signatureSchemeName(code: number): string {
  return signatureScheme(code).name;
}
