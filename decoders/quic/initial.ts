/**
 * QUIC Initial packet protection (RFC 9001 §5; RFC 9369 §3.3 for version 2): keys derived from the
 * client's first Destination Connection ID, header protection removed with AES-ECB, the payload
 * opened with AES-128-GCM. Every primitive is node:crypto's (HMAC/HKDF, AES). Never throws.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { QUIC_V2, type LongHeader } from './packet.js';

const SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'); // RFC 9001 §5.2
const SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex'); // RFC 9369 §3.3.1

export interface InitialKeys {
  readonly key: Buffer;
  readonly iv: Buffer;
  readonly hp: Buffer;
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
 * `keys`. null when the packet does not open (wrong keys, cut, or corrupt): the AEAD tag says so.
 */
export function openLongPacket(datagram: Uint8Array, h: LongHeader, keys: InitialKeys): OpenedPacket | null {
  const pnOffset = h.pnOffset;
  if (pnOffset + 4 + 16 > h.end) return null;
  const sample = datagram.subarray(pnOffset + 4, pnOffset + 20);
  let mask: Buffer;
  try {
    const ecb = createCipheriv('aes-128-ecb', keys.hp, null);
    ecb.setAutoPadding(false);
    mask = ecb.update(sample);
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
    const gcm = createDecipheriv('aes-128-gcm', keys.key, nonce);
    gcm.setAAD(header);
    gcm.setAuthTag(body.subarray(body.length - 16));
    const plain = Buffer.concat([gcm.update(body.subarray(0, body.length - 16)), gcm.final()]);
    return { packetNumber: pn, payload: plain };
  } catch {
    return null;
  }
}
