/**
 * QUIC packet framing as far as a handshake needs it (RFC 9000 §17, RFC 9369 for version 2): long
 * headers (Initial, 0-RTT, Handshake, Retry), variable-length integers, and the frames an Initial
 * packet carries (RFC 9000 §19: PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE). Pure, never throws.
 */

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;

export type LongPacketType = 'Initial' | '0-RTT' | 'Handshake' | 'Retry';

/** Long-header type bits per version (RFC 9000 §17.2, RFC 9369 §3.2). */
function longType(version: number, bits: number): LongPacketType {
  if (version === QUIC_V2) return (['Retry', 'Initial', '0-RTT', 'Handshake'] as const)[bits];
  return (['Initial', '0-RTT', 'Handshake', 'Retry'] as const)[bits];
}

/** A variable-length integer (RFC 9000 §16) at `at`: [value, bytes], or null past `end`. */
export function readVarint(buf: Uint8Array, at: number, end: number): [number, number] | null {
  if (at >= end) return null;
  const prefix = buf[at] >> 6;
  const len = 1 << prefix;
  if (at + len > end) return null;
  let v = buf[at] & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + buf[at + i];
  return [v, len];
}

export interface LongHeader {
  /** Offset of the packet's first byte in the datagram. */
  readonly start: number;
  readonly type: LongPacketType;
  readonly version: number;
  readonly dcid: Uint8Array;
  readonly scid: Uint8Array;
  /** Initial only: the token's length. */
  readonly tokenLength: number;
  /** Offset of the (protected) packet number in the datagram. */
  readonly pnOffset: number;
  /** End of this packet in the datagram (the Length field's reach), where a coalesced one may follow. */
  readonly end: number;
}

/**
 * The long header at `offset` (a datagram may coalesce several packets, RFC 9000 §12.2), or null
 * when it is not one of QUIC v1/v2 or is cut. A short header (1-RTT) or an unknown version is null.
 */
export function parseLongHeader(buf: Uint8Array, offset: number, end: number): LongHeader | null {
  if (end - offset < 7) return null;
  const b0 = buf[offset];
  if ((b0 & 0x80) === 0) return null;
  const version = ((buf[offset + 1] << 24) >>> 0) + (buf[offset + 2] << 16) + (buf[offset + 3] << 8) + buf[offset + 4];
  if (version !== QUIC_V1 && version !== QUIC_V2) return null;
  let at = offset + 5;
  const dl = buf[at++];
  if (dl > 20 || at + dl >= end) return null;
  const dcid = buf.subarray(at, at + dl);
  at += dl;
  const sl = buf[at++];
  if (sl > 20 || at + sl > end) return null;
  const scid = buf.subarray(at, at + sl);
  at += sl;
  const type = longType(version, (b0 >> 4) & 3);
  if (type === 'Retry') return { start: offset, type, version, dcid, scid, tokenLength: 0, pnOffset: end, end };
  let tokenLength = 0;
  if (type === 'Initial') {
    const t = readVarint(buf, at, end);
    if (t === null) return null;
    tokenLength = t[0];
    at += t[1] + tokenLength;
  }
  const l = readVarint(buf, at, end);
  if (l === null) return null;
  at += l[1];
  if (at + l[0] > end || l[0] < 20) return null;
  return { start: offset, type, version, dcid, scid, tokenLength, pnOffset: at, end: at + l[0] };
}

/** A datagram that starts with a QUIC v1 or v2 Initial packet (cheap: no decryption). */
export function looksLikeQuicInitial(buf: Uint8Array): boolean {
  if (buf.length < 30 || (buf[0] & 0xc0) !== 0xc0) return false;
  const h = parseLongHeader(buf, 0, buf.length);
  return h !== null && h.type === 'Initial' && h.dcid.length >= 1;
}

/** The frames of a decrypted Initial packet that a handshake diagnosis reads. */
export type InitialFrame =
  | { readonly kind: 'crypto'; readonly offset: number; readonly data: Uint8Array }
  | { readonly kind: 'connection_close'; readonly application: boolean; readonly errorCode: number; readonly frameType: number; readonly reason: string };

/**
 * The CRYPTO and CONNECTION_CLOSE frames of a decrypted Initial or Handshake payload. Only the frame
 * types allowed there are known (RFC 9000 §12.4, Table 3); at any other byte the walk stops, and
 * `complete` is false.
 */
export function initialFrames(p: Uint8Array): { readonly frames: InitialFrame[]; readonly complete: boolean } {
  const frames: InitialFrame[] = [];
  let at = 0;
  const end = p.length;
  const v = (): number | null => {
    const r = readVarint(p, at, end);
    if (r === null) return null;
    at += r[1];
    return r[0];
  };
  while (at < end) {
    const type = p[at];
    if (type === 0x00 || type === 0x01) {
      at++;
      continue;
    }
    if (type === 0x02 || type === 0x03) {
      at++;
      const largest = v();
      const delay = v();
      const count = v();
      const first = v();
      if (largest === null || delay === null || count === null || first === null) return { frames, complete: false };
      for (let i = 0; i < count; i++) if (v() === null || v() === null) return { frames, complete: false };
      if (type === 0x03) for (let i = 0; i < 3; i++) if (v() === null) return { frames, complete: false };
      continue;
    }
    if (type === 0x06) {
      at++;
      const offset = v();
      const length = v();
      if (offset === null || length === null || at + length > end) return { frames, complete: false };
      frames.push({ kind: 'crypto', offset, data: p.subarray(at, at + length) });
      at += length;
      continue;
    }
    if (type === 0x1c || type === 0x1d) {
      at++;
      const errorCode = v();
      const frameType = type === 0x1c ? v() : 0;
      const length = v();
      if (errorCode === null || frameType === null || length === null || at + length > end) return { frames, complete: false };
      const reason = Buffer.from(p.subarray(at, at + length)).toString('latin1');
      at += length;
      frames.push({ kind: 'connection_close', application: type === 0x1d, errorCode, frameType, reason });
      continue;
    }
    return { frames, complete: false };
  }
  return { frames, complete: true };
}
