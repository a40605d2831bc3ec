/**
 * TCP sequence-number arithmetic (RFC 9293 §3.4): numbers live modulo 2^32, so comparisons are
 * made on the signed 32-bit difference. Valid while the two numbers are less than 2^31 apart, which
 * the largest window (2^30, RFC 7323 §2.3) guarantees for any two numbers in flight together.
 */

/** `a - b` as a signed 32-bit value: negative when a is before b. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** `a + n` modulo 2^32, as an unsigned value. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/**
 * A segment further ahead than the largest possible window is not part of this byte stream
 * (garbage, or a different connection on the same ports).
 */
export const MAX_WINDOW = 1 << 30;
