/**
 * TLS ClientCertificateType Identifiers (IANA), as the CertificateRequest of TLS ≤ 1.2 lists them.
 * 1-4: RFC 5246 §7.4.4; 5, 6, 20: SSL 3.0 (RFC 6101 §5.6.4: rsa_ephemeral_dh, dss_ephemeral_dh,
 * fortezza_kea; RESERVED since RFC 4346); 64-66: RFC 8422 §5.5; 67-68: RFC 9189 §8.
 */
import type { NamedCode } from '../types.js';

const TABLE: readonly (readonly [number, string])[] = [
  [1, 'rsa_sign'],
  [2, 'dss_sign'],
  [3, 'rsa_fixed_dh'],
  [4, 'dss_fixed_dh'],
  [5, 'rsa_ephemeral_dh'],
  [6, 'dss_ephemeral_dh'],
  [20, 'fortezza_kea'],
  [64, 'ecdsa_sign'],
  [65, 'rsa_fixed_ecdh'],
  [66, 'ecdsa_fixed_ecdh'],
  [67, 'gost_sign256'],
  [68, 'gost_sign512'],
];

const TYPES: ReadonlyMap<number, NamedCode> = new Map(TABLE.map(([code, name]) => [code, Object.freeze({ code, name })]));

export function certificateType(code: number): NamedCode {
  return TYPES.get(code) ?? { code, name: `unknown(${code})` };
}

/** `rsa_sign`, `fortezza_kea`, `ecdsa_sign`, ... or `unknown(N)`. */
export function certificateTypeName(code: number): string {
  return certificateType(code).name;
}

/** Types only SSL 3.0 defines; TLS 1.1 and later mark them RESERVED (RFC 4346 §7.4.4). */
export function isSsl3OnlyCertificateType(code: number): boolean {
  return code === 5 || code === 6 || code === 20;
}
