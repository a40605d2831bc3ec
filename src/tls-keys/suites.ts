/**
 * What record protection a cipher suite uses, read from its IANA name: the bulk cipher (as
 * node:crypto names it), key and IV sizes, the MAC of CBC suites, the PRF hash. Suites whose cipher
 * node:crypto has no use for here (RC4, NULL, export, IDEA, SEED, GOST ...) give null: not decrypted.
 */
import { cipherSuiteName } from '../../decoders/tls/registry/cipher-suites.js';
import type { HashName } from './kdf.js';

export interface SuiteCrypto {
  readonly kind: 'aead' | 'cbc';
  /** node:crypto cipher name: `aes-128-gcm`, `chacha20-poly1305`, `aes-256-cbc`, `des-ede3-cbc`. */
  readonly cipher: string;
  readonly keyLength: number;
  /** AEAD: the implicit IV (TLS 1.3: 12; TLS 1.2 GCM/CCM: 4; ChaCha20: 12). CBC: the block size. */
  readonly fixedIvLength: number;
  /** TLS 1.2 GCM/CCM: 8 bytes of explicit nonce per record; 0 otherwise. */
  readonly explicitNonceLength: number;
  readonly tagLength: number;
  readonly blockSize: number;
  /** CBC only: the record MAC. */
  readonly macHash: 'sha1' | 'sha256' | 'sha384' | null;
  readonly macLength: number;
  /** TLS 1.2 PRF hash; TLS 1.3 HKDF hash. */
  readonly hash: HashName;
  /** A TLS 1.3 suite (TLS_AES_128_GCM_SHA256, ...). */
  readonly tls13: boolean;
}

const cache = new Map<number, SuiteCrypto | null>();

export function suiteCrypto(code: number): SuiteCrypto | null {
  let s = cache.get(code);
  if (s === undefined) {
    s = parse(cipherSuiteName(code));
    cache.set(code, s);
  }
  return s;
}

function parse(name: string): SuiteCrypto | null {
  const tls13 = !name.includes('_WITH_') && /^TLS_(AES|CHACHA20)/.test(name);
  const cipherPart = tls13 ? name.slice(4) : name.slice(name.indexOf('_WITH_') + 6);
  if (!tls13 && !name.includes('_WITH_')) return null;
  if (/EXPORT/.test(name)) return null;
  const hash: HashName = name.endsWith('_SHA384') ? 'sha384' : 'sha256';
  let m: RegExpMatchArray | null;
  if ((m = /^AES_(128|256)_GCM_SHA(256|384)$/.exec(cipherPart))) {
    return aead(`aes-${m[1]}-gcm`, Number(m[1]) / 8, tls13, 16, hash);
  }
  if ((m = /^AES_(128|256)_CCM(_8)?(_SHA256)?$/.exec(cipherPart))) {
    return aead(`aes-${m[1]}-ccm`, Number(m[1]) / 8, tls13, m[2] ? 8 : 16, hash);
  }
  if (/^CHACHA20_POLY1305_SHA256$/.test(cipherPart)) {
    return { ...aead('chacha20-poly1305', 32, tls13, 16, hash), fixedIvLength: 12, explicitNonceLength: 0 };
  }
  if (tls13) return null;
  if ((m = /^(AES_128|AES_256|3DES_EDE|CAMELLIA_128|CAMELLIA_256)_CBC_(SHA|SHA256|SHA384)$/.exec(cipherPart))) {
    const [cipher, keyLength, blockSize] =
      m[1] === 'AES_128' ? ['aes-128-cbc', 16, 16] :
      m[1] === 'AES_256' ? ['aes-256-cbc', 32, 16] :
      m[1] === '3DES_EDE' ? ['des-ede3-cbc', 24, 8] :
      m[1] === 'CAMELLIA_128' ? ['camellia-128-cbc', 16, 16] : ['camellia-256-cbc', 32, 16];
    const macHash = m[2] === 'SHA' ? 'sha1' : m[2] === 'SHA256' ? 'sha256' : 'sha384';
    return {
      kind: 'cbc',
      cipher: cipher as string,
      keyLength: keyLength as number,
      fixedIvLength: blockSize as number,
      explicitNonceLength: 0,
      tagLength: 0,
      blockSize: blockSize as number,
      macHash,
      macLength: macHash === 'sha1' ? 20 : macHash === 'sha256' ? 32 : 48,
      hash,
      tls13: false,
    };
  }
  return null;
}

function aead(cipher: string, keyLength: number, tls13: boolean, tagLength: number, hash: HashName): SuiteCrypto {
  return {
    kind: 'aead',
    cipher,
    keyLength,
    fixedIvLength: tls13 ? 12 : 4,
    explicitNonceLength: tls13 ? 0 : 8,
    tagLength,
    blockSize: 0,
    macHash: null,
    macLength: 0,
    hash,
    tls13,
  };
}
