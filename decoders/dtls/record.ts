/**
 * DTLS record framing (RFC 6347 §4.1 for DTLS 1.0/1.2, RFC 9146 for the tls12_cid record, RFC 9147
 * §4 for DTLS 1.3's unified header) and the DTLS handshake header (RFC 6347 §4.2.2). Bodies are
 * decoded by decoders/tls: only the framing differs. Pure, never throws.
 */

export const DTLS_RECORD_HEADER_LENGTH = 13;
export const DTLS_HANDSHAKE_HEADER_LENGTH = 12;

export const CONTENT_TLS12_CID = 25; // RFC 9146 §4
export const CONTENT_ACK = 26; // RFC 9147 §7

export interface DtlsRecordHeader {
  /** The content type; 0 for a DTLS 1.3 unified-header record (encrypted: the type is inside). */
  contentType: number;
  /** Wire version (0xfeff, 0xfefd); 0 for a unified-header record, which has none. */
  version: number;
  /** The epoch; for a unified header only its low two bits are on the wire. */
  epoch: number;
  /** The sequence number (48 bits; for a unified header its low 8 or 16 bits). */
  sequence: number;
  /** Connection id bytes in the header (RFC 9146, RFC 9147 §4), 0 when none. */
  cidLength: number;
  unified: boolean;
  headerLength: number;
  /** Offset of the body in the datagram, and its length. */
  bodyOffset: number;
  length: number;
}

/** DTLS record versions: 1.0, 1.2, 1.3 (RFC 9147 keeps 1.2's in its plaintext records), OpenSSL's pre-RFC 1.0. */
export function isDtlsVersion(v: number): boolean {
  return v === 0xfeff || v === 0xfefd || v === 0xfefc || v === 0x0100;
}

/**
 * The record at `offset` of a datagram ending at `end`, or null when the bytes are not a whole DTLS
 * record. `cidLength` is the connection id length the receiver of this direction asked for (needed
 * to find the length field of tls12_cid records and of unified headers with the C bit).
 */
export function parseDtlsRecord(buf: Uint8Array, offset: number, end: number, cidLength: number, out: DtlsRecordHeader): boolean {
  const avail = end - offset;
  if (avail < 1) return false;
  const b0 = buf[offset];
  if ((b0 & 0xe0) === 0x20) {
    // 0 0 1 C S L E E
    let at = offset + 1;
    const hasCid = (b0 & 0x10) !== 0;
    const cid = hasCid ? cidLength : 0;
    const seqBytes = (b0 & 0x08) !== 0 ? 2 : 1;
    const hasLength = (b0 & 0x04) !== 0;
    if (hasCid && cidLength <= 0) return false;
    at += cid;
    if (at + seqBytes > end) return false;
    const sequence = seqBytes === 2 ? (buf[at] << 8) | buf[at + 1] : buf[at];
    at += seqBytes;
    let length: number;
    if (hasLength) {
      if (at + 2 > end) return false;
      length = (buf[at] << 8) | buf[at + 1];
      at += 2;
    } else {
      length = end - at;
    }
    if (at + length > end) return false;
    out.contentType = 0;
    out.version = 0;
    out.epoch = b0 & 0x03;
    out.sequence = sequence;
    out.cidLength = cid;
    out.unified = true;
    out.headerLength = at - offset;
    out.bodyOffset = at;
    out.length = length;
    return true;
  }
  if (avail < DTLS_RECORD_HEADER_LENGTH) return false;
  const ct = b0;
  if (ct < 20 || ct > 26) return false;
  const version = (buf[offset + 1] << 8) | buf[offset + 2];
  if (!isDtlsVersion(version)) return false;
  const epoch = (buf[offset + 3] << 8) | buf[offset + 4];
  let sequence = 0;
  for (let i = 5; i < 11; i++) sequence = sequence * 256 + buf[offset + i];
  let at = offset + 11;
  let cid = 0;
  if (ct === CONTENT_TLS12_CID) {
    if (cidLength <= 0) return false;
    cid = cidLength;
    at += cid;
    if (at + 2 > end) return false;
  }
  const length = (buf[at] << 8) | buf[at + 1];
  at += 2;
  if (at + length > end) return false;
  out.contentType = ct;
  out.version = version;
  out.epoch = epoch;
  out.sequence = sequence;
  out.cidLength = cid;
  out.unified = false;
  out.headerLength = at - offset;
  out.bodyOffset = at;
  out.length = length;
  return true;
}

/** A first datagram that is DTLS: a whole plaintext record with a DTLS version (any content type). */
export function looksLikeDtls(buf: Uint8Array): boolean {
  if (buf.length < DTLS_RECORD_HEADER_LENGTH) return false;
  const ct = buf[0];
  if (ct < 20 || ct > 25 || ct === CONTENT_TLS12_CID) return false;
  if (buf[1] !== 0xfe || (buf[2] !== 0xff && buf[2] !== 0xfd)) return false;
  const length = (buf[11] << 8) | buf[12];
  return DTLS_RECORD_HEADER_LENGTH + length <= buf.length && length > 0;
}

export interface DtlsHandshakeHeader {
  type: number;
  /** The whole message's length. */
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  fragmentLength: number;
}

/** The 12-byte DTLS handshake header at `offset`, or null when fewer bytes remain. */
export function parseDtlsHandshakeHeader(buf: Uint8Array, offset: number, end: number): DtlsHandshakeHeader | null {
  if (end - offset < DTLS_HANDSHAKE_HEADER_LENGTH) return null;
  const u24 = (at: number) => (buf[at] << 16) | (buf[at + 1] << 8) | buf[at + 2];
  return {
    type: buf[offset],
    length: u24(offset + 1),
    messageSeq: (buf[offset + 4] << 8) | buf[offset + 5],
    fragmentOffset: u24(offset + 6),
    fragmentLength: u24(offset + 9),
  };
}

/**
 * A DTLS ClientHello differs from TLS's by the cookie after session_id (RFC 6347 §4.2.1). Returns
 * the body without the cookie (the TLS layout decoders/tls reads) and the cookie's length, or null
 * when the body is too short to hold the cookie it announces.
 */
export function dtlsClientHelloAsTls(body: Uint8Array): { readonly body: Uint8Array; readonly cookieLength: number } | null {
  const sessionAt = 2 + 32;
  if (body.length < sessionAt + 1) return null;
  const cookieAt = sessionAt + 1 + body[sessionAt];
  if (body.length < cookieAt + 1) return null;
  const cookieLength = body[cookieAt];
  const restAt = cookieAt + 1 + cookieLength;
  if (body.length < restAt) return null;
  const out = new Uint8Array(body.length - 1 - cookieLength);
  out.set(body.subarray(0, cookieAt), 0);
  out.set(body.subarray(restAt), cookieAt);
  return { body: out, cookieLength };
}

/** HelloVerifyRequest (RFC 6347 §4.2.1): server_version and the cookie; null when malformed. */
export function decodeHelloVerifyRequest(body: Uint8Array): { readonly version: number; readonly cookieLength: number } | null {
  if (body.length < 3) return null;
  const cookieLength = body[2];
  if (body.length !== 3 + cookieLength) return null;
  return { version: (body[0] << 8) | body[1], cookieLength };
}

/** The TLS version whose message layouts a DTLS version uses (RFC 6347 §1: DTLS 1.0 ~ TLS 1.1, 1.2 ~ 1.2; RFC 9147: 1.3 ~ 1.3). */
export function tlsLayoutOf(v: number): number {
  switch (v) {
    case 0xfeff:
    case 0x0100:
      return 0x0302;
    case 0xfefd:
      return 0x0303;
    case 0xfefc:
      return 0x0304;
    default:
      return v;
  }
}

/**
 * A STUN message (RFC 8489 §5: first two bits 0, the magic cookie 0x2112A442 at offset 4). WebRTC
 * sends STUN connectivity checks on the 5-tuple before and between DTLS records (RFC 7983).
 */
export function isStun(buf: Uint8Array): boolean {
  return buf.length >= 20 && buf[0] < 4 && buf[4] === 0x21 && buf[5] === 0x12 && buf[6] === 0xa4 && buf[7] === 0x42;
}

/** RFC 7983 §7: the first byte tells DTLS (20-63) from STUN (0-3) and RTP/RTCP (128-191) on a shared 5-tuple. */
export function isMultiplexedNonDtls(buf: Uint8Array): boolean {
  return buf.length > 0 && (buf[0] < 4 || (buf[0] >= 128 && buf[0] <= 191));
}
