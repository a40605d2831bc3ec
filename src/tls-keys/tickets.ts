/**
 * TLS ≤ 1.2 session tickets (RFC 5077), only to find the master secret of a session a ticket
 * resumes: the ticket a NewSessionTicket hands out and the one a later ClientHello presents are
 * matched by their bytes (as a latin1 string: no hashing per connection). Read from the raw message
 * bodies; a malformed body gives null.
 */

const EXT_SESSION_TICKET = 35;
/** Longer tickets are not remembered (OpenSSL's and GnuTLS's are about 200 bytes). */
const MAX_TICKET = 1024;

function digest(bytes: Uint8Array): string | null {
  if (bytes.length > MAX_TICKET) return null;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

/** NewSessionTicket (TLS ≤ 1.2): lifetime_hint(4), ticket<0..2^16-1>. */
export function issuedTicket(body: Uint8Array): string | null {
  if (body.length < 6) return null;
  const len = (body[4] << 8) | body[5];
  if (len === 0 || 6 + len > body.length) return null;
  return digest(body.subarray(6, 6 + len));
}

/** The session_ticket extension of a ClientHello body, when it carries a ticket. */
export function presentedTicket(body: Uint8Array): string | null {
  let off = 2 + 32; // client_version, random
  if (off >= body.length) return null;
  off += 1 + body[off]; // session_id
  if (off + 2 > body.length) return null;
  off += 2 + ((body[off] << 8) | body[off + 1]); // cipher_suites
  if (off >= body.length) return null;
  off += 1 + body[off]; // compression_methods
  if (off + 2 > body.length) return null;
  const end = Math.min(body.length, off + 2 + ((body[off] << 8) | body[off + 1]));
  off += 2;
  while (off + 4 <= end) {
    const type = (body[off] << 8) | body[off + 1];
    const len = (body[off + 2] << 8) | body[off + 3];
    off += 4;
    if (off + len > end) return null;
    if (type === EXT_SESSION_TICKET) return len > 0 ? digest(body.subarray(off, off + len)) : null;
    off += len;
  }
  return null;
}
