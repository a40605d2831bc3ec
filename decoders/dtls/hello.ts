/**
 * The connection_id extension (RFC 9146 §3, code point 54; 53 in its drafts, still sent by some
 * stacks) read from a hello body in TLS layout: the length of the id the sender asks its peer to
 * put in records sent to it. Pure, never throws.
 */
const EXT_CONNECTION_ID = 54;
const EXT_CONNECTION_ID_DRAFT = 53;

/** The connection id length offered (ClientHello) or chosen (ServerHello), or -1 when none. */
export function connectionIdOf(body: Uint8Array, hello: 'client' | 'server'): number {
  let at = 2 + 32;
  if (at >= body.length) return -1;
  at += 1 + body[at];
  if (hello === 'client') {
    if (at + 2 > body.length) return -1;
    at += 2 + ((body[at] << 8) | body[at + 1]);
    if (at >= body.length) return -1;
    at += 1 + body[at];
  } else {
    at += 3;
  }
  if (at + 2 > body.length) return -1;
  const end = Math.min(body.length, at + 2 + ((body[at] << 8) | body[at + 1]));
  at += 2;
  while (at + 4 <= end) {
    const type = (body[at] << 8) | body[at + 1];
    const length = (body[at + 2] << 8) | body[at + 3];
    at += 4;
    if (at + length > end) return -1;
    if ((type === EXT_CONNECTION_ID || type === EXT_CONNECTION_ID_DRAFT) && length >= 1 && body[at] === length - 1) return body[at];
    at += length;
  }
  return -1;
}
