/**
 * TLS Supported Groups registry (IANA "TLS Supported Groups", formerly EC Named Curves).
 * 1-25: RFC 8422 §5.1.1 (deprecated by RFC 8422 except 23-25); 26-28: RFC 7027; 29-30: RFC 8422;
 * 31-33: RFC 8734; 34-40: RFC 9189; 41: RFC 8998; 256-260: RFC 7919; 0x0200-0x0202, 0x11EB-0x11ED:
 * draft-ietf-tls-mlkem / draft-ietf-tls-ecdhe-mlkem; 0x11E9-0x11EA, 0x11EE: IANA early allocations;
 * 0x6399-0x639A: draft-tls-westerbaan-xyber768d00 (withdrawn Kyber drafts Chrome and Cloudflare
 * shipped); 0xFF01-0xFF02: RFC 8422 §5.1.1. GREASE (RFC 8701) reads as `GREASE`.
 */
import { hex16 } from '../hex.js';
import type { NamedCode } from '../types.js';
import { isGrease16 } from './versions.js';

const TABLE: readonly (readonly [number, string])[] = [
  [0x0001, 'sect163k1'], [0x0002, 'sect163r1'], [0x0003, 'sect163r2'], [0x0004, 'sect193r1'],
  [0x0005, 'sect193r2'], [0x0006, 'sect233k1'], [0x0007, 'sect233r1'], [0x0008, 'sect239k1'],
  [0x0009, 'sect283k1'], [0x000a, 'sect283r1'], [0x000b, 'sect409k1'], [0x000c, 'sect409r1'],
  [0x000d, 'sect571k1'], [0x000e, 'sect571r1'], [0x000f, 'secp160k1'], [0x0010, 'secp160r1'],
  [0x0011, 'secp160r2'], [0x0012, 'secp192k1'], [0x0013, 'secp192r1'], [0x0014, 'secp224k1'],
  [0x0015, 'secp224r1'], [0x0016, 'secp256k1'], [0x0017, 'secp256r1'], [0x0018, 'secp384r1'],
  [0x0019, 'secp521r1'],
  [0x001a, 'brainpoolP256r1'], [0x001b, 'brainpoolP384r1'], [0x001c, 'brainpoolP512r1'],
  [0x001d, 'x25519'], [0x001e, 'x448'],
  [0x001f, 'brainpoolP256r1tls13'], [0x0020, 'brainpoolP384r1tls13'], [0x0021, 'brainpoolP512r1tls13'],
  [0x0022, 'GC256A'], [0x0023, 'GC256B'], [0x0024, 'GC256C'], [0x0025, 'GC256D'],
  [0x0026, 'GC512A'], [0x0027, 'GC512B'], [0x0028, 'GC512C'],
  [0x0029, 'curveSM2'],
  [0x0100, 'ffdhe2048'], [0x0101, 'ffdhe3072'], [0x0102, 'ffdhe4096'], [0x0103, 'ffdhe6144'], [0x0104, 'ffdhe8192'],
  [0x0200, 'MLKEM512'], [0x0201, 'MLKEM768'], [0x0202, 'MLKEM1024'],
  [0x11e9, 'SecP256r1MLKEM512'], [0x11ea, 'MLKEM512X25519'], [0x11eb, 'SecP256r1MLKEM768'],
  [0x11ec, 'X25519MLKEM768'], [0x11ed, 'SecP384r1MLKEM1024'], [0x11ee, 'curveSM2MLKEM768'],
  [0x6399, 'X25519Kyber768Draft00'], [0x639a, 'SecP256r1Kyber768Draft00'],
  [0xff01, 'arbitrary_explicit_prime_curves'], [0xff02, 'arbitrary_explicit_char2_curves'],
];

const GROUPS: ReadonlyMap<number, NamedCode> = new Map(TABLE.map(([code, name]) => [code, Object.freeze({ code, name })]));

export function namedGroup(code: number): NamedCode {
  return GROUPS.get(code) ?? { code, name: isGrease16(code) ? 'GREASE' : `unknown(${hex16(code)})` };
}

/** `x25519`, `secp256r1`, `X25519MLKEM768`, ... or `unknown(0x1234)`. */
export function groupName(code: number): string {
  return namedGroup(code).name;
}

/** Finite-field groups (RFC 7919): 0x0100-0x01FF. */
export function isFfdheGroup(code: number): boolean {
  return code >= 0x0100 && code <= 0x01ff;
}
