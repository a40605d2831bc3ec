/** Hex rendering: one flat string per call. */

/**
 * Lower-case hex of `buf[start, end)`; the range is clamped to the buffer. Encoded natively over a
 * view of the same bytes: a string built by `+=` is a chain of one small string per byte that V8
 * keeps as it is, some 1 KB for a 32-byte random where the flat string takes 80 bytes, and the
 * transcripts of every open connection hold several.
 */
export function toHex(buf: Uint8Array, start = 0, end = buf.length): string {
  const s = Math.max(0, start);
  const e = Math.min(buf.length, end);
  if (e <= s) return '';
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('hex');
}

/** `0x` + four lower-case hex digits: how 16-bit registry codes are printed. */
export function hex16(n: number): string {
  return '0x' + (n & 0xffff).toString(16).padStart(4, '0');
}
