/**
 * One direction's record protection with known keys: opens (decrypts and authenticates) a record,
 * with node:crypto's ciphers only. TLS 1.3 AEAD (RFC 8446 §5.2), TLS 1.2 AEAD (RFC 5288 GCM, RFC 6655
 * CCM, RFC 7905 ChaCha20-Poly1305), and CBC with HMAC (RFC 5246 §6.2.3.2; TLS 1.0's IV chained from
 * the previous record, RFC 2246 §6.2.3.2; encrypt_then_mac, RFC 7366).
 *
 * A record that does not authenticate gives null: the caller says so with the frame, and the keys
 * stay out of every message.
 */
import { createDecipheriv, createHmac, timingSafeEqual, type Decipher } from 'node:crypto';
import { hkdfExpandLabel } from './kdf.js';
import type { SuiteCrypto } from './suites.js';

export interface Opened {
  /** The real content type (TLS 1.3: the inner type; else the record's). */
  readonly contentType: number;
  readonly plaintext: Uint8Array;
}

export interface RecordKeys {
  /** Opens the record with sequence number `seq`; null when it does not authenticate. */
  open(contentType: number, version: number, body: Uint8Array, seq: number): Opened | null;
  /** TLS 1.0 CBC: a record passed over unopened still moves the IV chain (its last cipher block). */
  readonly chained: boolean;
  skipped(lastBlock: Uint8Array): void;
}

const EMPTY = new Uint8Array(0);

/** Writes the 64-bit sequence number big-endian at `out[at..at+8]`. */
function writeSeq(out: Uint8Array, at: number, seq: number): void {
  const hi = Math.floor(seq / 0x100000000) >>> 0;
  const lo = seq >>> 0;
  out[at] = hi >>> 24;
  out[at + 1] = (hi >>> 16) & 0xff;
  out[at + 2] = (hi >>> 8) & 0xff;
  out[at + 3] = hi & 0xff;
  out[at + 4] = lo >>> 24;
  out[at + 5] = (lo >>> 16) & 0xff;
  out[at + 6] = (lo >>> 8) & 0xff;
  out[at + 7] = lo & 0xff;
}

/** nonce = iv XOR the 64-bit sequence number, right-aligned (RFC 8446 §5.3, RFC 7905 §2), into `out`. */
function xorNonce(out: Uint8Array, iv: Uint8Array, seq: number): Uint8Array {
  out.set(iv);
  writeSeq(SEQ, 0, seq);
  for (let i = 0; i < 8; i++) out[out.length - 8 + i] ^= SEQ[i];
  return out;
}
const SEQ = new Uint8Array(8);

// Keys stay plain bytes: node:crypto sets a raw key up faster than it unwraps a KeyObject.
function aeadOpen(suite: SuiteCrypto, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Buffer | null {
  try {
    const d = createDecipheriv(suite.cipher as 'aes-128-gcm', key, nonce, { authTagLength: suite.tagLength });
    d.setAuthTag(tag);
    if (suite.cipher.endsWith('ccm')) d.setAAD(aad, { plaintextLength: ciphertext.length });
    else d.setAAD(aad);
    const out = d.update(ciphertext);
    d.final();
    return out;
  } catch {
    return null;
  }
}

/** TLS 1.3: one traffic secret's key and IV. */
export class Tls13Keys implements RecordKeys {
  readonly chained = false;
  private readonly key: Uint8Array;
  private readonly iv: Uint8Array;
  private readonly nonce = new Uint8Array(12);
  private readonly aad = new Uint8Array(5);

  constructor(
    private readonly suite: SuiteCrypto,
    private readonly secret: Uint8Array,
  ) {
    this.key = hkdfExpandLabel(suite.hash, secret, 'key', EMPTY, suite.keyLength);
    this.iv = hkdfExpandLabel(suite.hash, secret, 'iv', EMPTY, 12);
  }

  /** The keys after a KeyUpdate (RFC 8446 §7.2). */
  next(): Tls13Keys {
    const len = this.suite.hash === 'sha384' ? 48 : 32;
    return new Tls13Keys(this.suite, hkdfExpandLabel(this.suite.hash, this.secret, 'traffic upd', EMPTY, len));
  }

  open(contentType: number, version: number, body: Uint8Array, seq: number): Opened | null {
    const tagLength = this.suite.tagLength;
    if (body.length < tagLength + 1) return null;
    const aad = this.aad;
    aad[0] = contentType;
    aad[1] = version >> 8;
    aad[2] = version & 0xff;
    aad[3] = body.length >> 8;
    aad[4] = body.length & 0xff;
    const out = aeadOpen(this.suite, this.key, xorNonce(this.nonce, this.iv, seq), aad, body.subarray(0, body.length - tagLength), body.subarray(body.length - tagLength));
    if (out === null) return null;
    // TLSInnerPlaintext: content, the real type, zero padding.
    let end = out.length - 1;
    while (end >= 0 && out[end] === 0) end--;
    if (end < 0) return null;
    return { contentType: out[end], plaintext: out.subarray(0, end) };
  }

  skipped(): void {}
}

/** TLS 1.2 AEAD: GCM and CCM with an 8-byte explicit nonce; ChaCha20-Poly1305 with an XOR nonce. */
export class Tls12AeadKeys implements RecordKeys {
  readonly chained = false;
  private readonly nonce = new Uint8Array(12);
  private readonly aad = new Uint8Array(13);

  constructor(
    private readonly suite: SuiteCrypto,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
  ) {}

  open(contentType: number, version: number, body: Uint8Array, seq: number): Opened | null {
    const { explicitNonceLength: explicit, tagLength } = this.suite;
    if (body.length < explicit + tagLength) return null;
    let nonce: Uint8Array;
    if (explicit > 0) {
      nonce = this.nonce;
      nonce.set(this.iv);
      nonce.set(body.subarray(0, explicit), this.iv.length);
    } else nonce = xorNonce(this.nonce, this.iv, seq);
    const ciphertext = body.subarray(explicit, body.length - tagLength);
    const aad = this.aad;
    writeSeq(aad, 0, seq);
    aad[8] = contentType;
    aad[9] = version >> 8;
    aad[10] = version & 0xff;
    aad[11] = ciphertext.length >> 8;
    aad[12] = ciphertext.length & 0xff;
    const out = aeadOpen(this.suite, this.key, nonce, aad, ciphertext, body.subarray(body.length - tagLength));
    return out === null ? null : { contentType, plaintext: out };
  }

  skipped(): void {}
}

/** CBC with HMAC, MAC-then-encrypt or encrypt_then_mac. */
/**
 * CBC with HMAC, MAC-then-encrypt or encrypt_then_mac. One decipher serves a direction for as long as
 * it can: CBC decryption of a block needs only the cipher block before it, so records fed to it in
 * order decrypt right whatever came before — a record's explicit IV (TLS 1.1+) is fed as its first
 * block and its garbage output dropped; TLS 1.0's chain simply continues. Only a TLS 1.0 record
 * passed over unopened breaks the chain: the next one starts a decipher from that record's last block.
 */
export class CbcKeys implements RecordKeys {
  readonly chained: boolean;
  /** TLS 1.0: the IV of the next record (the previous record's last cipher block). */
  private chainIv: Buffer;
  /** The direction's decipher, fed records in order (null: start one at the next record). */
  private decipher: Decipher | null = null;

  constructor(
    private readonly suite: SuiteCrypto,
    private readonly macKey: Uint8Array,
    private readonly key: Uint8Array,
    iv: Uint8Array,
    /** TLS 1.1 and later carry an explicit IV in each record. */
    private readonly explicitIv: boolean,
    private readonly encryptThenMac: boolean,
  ) {
    this.chainIv = Buffer.from(iv);
    this.chained = !explicitIv;
  }

  /** `tail`: the record's last bytes (its last cipher block, and with encrypt_then_mac the MAC after it). */
  skipped(tail: Uint8Array): void {
    const end = tail.length - (this.encryptThenMac ? this.suite.macLength : 0);
    if (this.chained && end >= this.suite.blockSize) {
      this.chainIv = Buffer.from(tail.subarray(end - this.suite.blockSize, end));
      this.decipher = null;
    }
  }

  private mac(seq: number, contentType: number, version: number, content: Uint8Array): Buffer {
    const h = createHmac(this.suite.macHash!, this.macKey);
    const head = Buffer.alloc(13);
    writeSeq(head, 0, seq);
    head[8] = contentType;
    head.writeUInt16BE(version, 9);
    head.writeUInt16BE(content.length, 11);
    h.update(head);
    h.update(content);
    return h.digest();
  }

  open(contentType: number, version: number, body: Uint8Array, seq: number): Opened | null {
    const bs = this.suite.blockSize;
    const macLength = this.suite.macLength;
    let cipherPart = body;
    if (this.encryptThenMac) {
      if (body.length < macLength + bs) return null;
      cipherPart = body.subarray(0, body.length - macLength);
      const expected = this.mac(seq, contentType, version, cipherPart);
      if (!timingSafeEqual(expected, body.subarray(body.length - macLength))) return null;
    }
    if (cipherPart.length === 0 || cipherPart.length % bs !== 0) return null;
    let out: Buffer;
    try {
      if (this.decipher === null) {
        // TLS 1.1+: any IV will do, the record's explicit IV block comes first. TLS 1.0: the chain.
        this.decipher = createDecipheriv(this.suite.cipher, this.key, this.explicitIv ? Buffer.alloc(bs) : this.chainIv);
        this.decipher.setAutoPadding(false);
      }
      out = this.decipher.update(cipherPart);
    } catch {
      this.decipher = null;
      return null;
    }
    if (out.length !== cipherPart.length) {
      this.decipher = null;
      return null;
    }
    if (this.explicitIv) {
      if (cipherPart.length < 2 * bs) return null;
      out = out.subarray(bs);
    } else {
      this.chainIv = Buffer.from(cipherPart.subarray(cipherPart.length - bs));
    }
    const pad = out[out.length - 1];
    if (pad + 1 > out.length) return null;
    for (let i = out.length - 1 - pad; i < out.length; i++) if (out[i] !== pad) return null;
    const unpadded = out.subarray(0, out.length - pad - 1);
    if (this.encryptThenMac) return { contentType, plaintext: unpadded };
    if (unpadded.length < macLength) return null;
    const content = unpadded.subarray(0, unpadded.length - macLength);
    const expected = this.mac(seq, contentType, version, content);
    if (!timingSafeEqual(expected, unpadded.subarray(unpadded.length - macLength))) return null;
    return { contentType, plaintext: content };
  }
}
