/**
 * Key derivation for record decryption: TLS 1.3's HKDF-Expand-Label (RFC 8446 §7.1) and the TLS 1.0–1.2
 * PRFs (RFC 2246 §5, RFC 5246 §5), all built on node:crypto's HMAC.
 */
import { createHmac } from 'node:crypto';

export type HashName = 'sha256' | 'sha384';

export function hashLength(hash: HashName): number {
  return hash === 'sha384' ? 48 : 32;
}

/** HKDF-Expand (RFC 5869 §2.3) with the secret as PRK. */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  // Every TLS 1.3 key, IV and secret fits in one block: one HMAC.
  if (length <= hashLength(hash)) return createHmac(hash, prk).update(info).update(ONE).digest().subarray(0, length);
  const out = Buffer.alloc(length);
  let prev: Buffer = Buffer.alloc(0);
  let filled = 0;
  for (let i = 1; filled < length; i++) {
    const h = createHmac(hash, prk);
    h.update(prev);
    h.update(info);
    h.update(Buffer.from([i]));
    prev = h.digest();
    prev.copy(out, filled, 0, Math.min(prev.length, length - filled));
    filled += prev.length;
  }
  return out;
}

const ONE = Buffer.from([1]);

/** HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix. */
export function hkdfExpandLabel(hash: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.alloc(2 + 1 + full.length + 1 + context.length);
  info.writeUInt16BE(length, 0);
  info[2] = full.length;
  full.copy(info, 3);
  info[3 + full.length] = context.length;
  Buffer.from(context).copy(info, 4 + full.length);
  return hkdfExpand(hash, secret, info, length);
}

/** P_hash (RFC 5246 §5). */
function pHash(hash: string, secret: Uint8Array, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  let a: Buffer = Buffer.from(seed);
  let filled = 0;
  while (filled < length) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    block.copy(out, filled, 0, Math.min(block.length, length - filled));
    filled += block.length;
  }
  return out;
}

/** TLS 1.2 PRF with the suite's hash. */
export function prf12(hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  return pHash(hash, secret, Buffer.concat([Buffer.from(label, 'latin1'), seed]), length);
}

/** TLS 1.0/1.1 PRF: P_MD5 of the secret's first half XOR P_SHA1 of its second half. */
export function prf10(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  const half = Math.ceil(secret.length / 2);
  const s1 = secret.subarray(0, half);
  const s2 = secret.subarray(secret.length - half);
  const labelSeed = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  const md5 = pHash('md5', s1, labelSeed, length);
  const sha = pHash('sha1', s2, labelSeed, length);
  for (let i = 0; i < length; i++) md5[i] ^= sha[i];
  return md5;
}
