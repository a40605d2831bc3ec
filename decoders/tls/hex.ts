/** Hex rendering without per-byte string allocation beyond the result. */

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `buf[start, end)`; the range is clamped to the buffer. */
export function toHex(buf: Uint8Array, start = 0, end = buf.length): string {
  const s = Math.max(0, start);
  const e = Math.min(buf.length, end);
  let out = '';
  for (let i = s; i < e; i++) out += HEX[buf[i]];
  return out;
}

/** `0x` + four lower-case hex digits: how 16-bit registry codes are printed. */
export function hex16(n: number): string {
  return '0x' + (n & 0xffff).toString(16).padStart(4, '0');
}
