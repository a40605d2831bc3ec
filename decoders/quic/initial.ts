/**
 * QUIC packet protection (RFC 9001 §5; RFC 9369 §3.3 for version 2). Initial keys are derived here
 * from the client's first Destination Connection ID (header protection AES-ECB, payload
 * AES-128-GCM). The same opener takes Handshake keys derived from a key log's secrets (src/tls-keys
 * derives them): AES-128/256-GCM with AES-ECB header protection, or ChaCha20-Poly1305 with ChaCha20
 * header protection (RFC 9001 §5.4.3, §5.4.4). Every primitive is node:crypto's. Never throws.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { QUIC_V2, type LongHeader } from './packet.js';

const SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'); // RFC 9001 §5.2
const SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex'); // RFC 9369 §3.3.1

export interface InitialKeys {
  readonly key: Buffer;
  readonly iv: Buffer;
  readonly hp: Buffer;
  /** The AEAD (node:crypto name); absent: `aes-128-gcm`, as for Initial packets. */
  readonly aead?: PacketAead;
}

/** The AEADs a TLS 1.3 suite can give QUIC packets (RFC 9001 §5.3; CCM is not read here). */
export type PacketAead = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

/** Packet protection keys of any level: Initial's, or Handshake's from a key log. */
export type PacketKeys = InitialKeys;

/** The 5-byte header protection mask for a 16-byte sample (RFC 9001 §5.4.3, §5.4.4). */
function headerMask(aead: PacketAead, hp: Buffer, sample: Uint8Array): Buffer {
  if (aead === 'chacha20-poly1305') {
    // counter = sample[0..4] little-endian, nonce = sample[4..16]: node's chacha20 IV is exactly that.
    const c = createCipheriv('chacha20', hp, sample);
    return c.update(Buffer.alloc(5));
  }
  const ecb = createCipheriv(aead === 'aes-256-gcm' ? 'aes-256-ecb' : 'aes-128-ecb', hp, null);
  ecb.setAutoPadding(false);
  return ecb.update(sample);
}

/** The HkdfLabel structure (RFC 8446 §7.1) with an empty context. */
function hkdfLabel(label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  return Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
}

/** HKDF-Expand-Label with an empty context; `length` ≤ 32 is one HMAC-SHA256 block (RFC 5869 §2.3). */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  return createHmac('sha256', secret).update(hkdfLabel(label, length)).update(Buffer.from([1])).digest().subarray(0, length);
}

/** The client's or the server's Initial keys for a client's first Destination Connection ID. */
export function initialKeys(dcid: Uint8Array, version: number, side: 'client' | 'server'): InitialKeys {
  const v2 = version === QUIC_V2;
  // HKDF-Extract(salt, dcid), then HKDF-Expand-Label(initial_secret, "client in" / "server in", "", 32).
  const secret = Buffer.from(hkdfSync('sha256', dcid, v2 ? SALT_V2 : SALT_V1, hkdfLabel(`${side} in`, 32), 32));
  const prefix = v2 ? 'quicv2 ' : 'quic ';
  return { key: expandLabel(secret, `${prefix}key`, 16), iv: expandLabel(secret, `${prefix}iv`, 12), hp: expandLabel(secret, `${prefix}hp`, 16) };
}

export interface OpenedPacket {
  readonly packetNumber: number;
  readonly payload: Uint8Array;
}

/**
 * Removes header protection and decrypts one long-header packet of `datagram` (header `h`) with
 * `keys` (Initial or Handshake level). null when the packet does not open (wrong keys, cut, or corrupt): the AEAD tag says so.
 */
export function openLongPacket(datagram: Uint8Array, h: LongHeader, keys: InitialKeys): OpenedPacket | null {
  const pnOffset = h.pnOffset;
  if (pnOffset + 4 + 16 > h.end) return null;
  const sample = datagram.subarray(pnOffset + 4, pnOffset + 20);
  const aead = keys.aead ?? 'aes-128-gcm';
  let mask: Buffer;
  try {
    mask = headerMask(aead, keys.hp, sample);
  } catch {
    return null;
  }
  const headerStart = h.start;
  const first = datagram[headerStart] ^ (mask[0] & 0x0f);
  const pnLength = (first & 0x03) + 1;
  const header = Buffer.from(datagram.subarray(headerStart, pnOffset + pnLength));
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLength; i++) {
    const b = datagram[pnOffset + i] ^ mask[1 + i];
    header[pnOffset - headerStart + i] = b;
    pn = pn * 256 + b;
  }
  const nonce = Buffer.from(keys.iv);
  for (let i = 0; i < 6; i++) nonce[11 - i] ^= Math.floor(pn / 2 ** (8 * i)) & 0xff;
  const body = datagram.subarray(pnOffset + pnLength, h.end);
  if (body.length < 16) return null;
  try {
    const sealed = body.subarray(0, body.length - 16);
    const tag = body.subarray(body.length - 16);
    let plain: Buffer;
    if (aead === 'chacha20-poly1305') {
      const c = createDecipheriv(aead, keys.key, nonce, { authTagLength: 16 });
      c.setAAD(header, { plaintextLength: sealed.length });
      c.setAuthTag(tag);
      plain = Buffer.concat([c.update(sealed), c.final()]);
    } else {
      const gcm = createDecipheriv(aead, keys.key, nonce);
      gcm.setAAD(header);
      gcm.setAuthTag(tag);
      plain = Buffer.concat([gcm.update(sealed), gcm.final()]);
    }
    return { packetNumber: pn, payload: plain };
  } catch {
    return null;
  }
}
