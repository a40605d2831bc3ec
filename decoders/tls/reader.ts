/**
 * A bounds-checked cursor over one message body. Every read checks the bytes present first and,
 * when they are missing, records a located `buffer-too-small` problem and answers -1: decoders
 * test for a negative result instead of catching exceptions. A length field is trusted only up
 * to the bytes actually present, so a hostile length can never make a decoder loop or allocate
 * past the input.
 */
import type { DecodeProblem } from './types.js';
import { checkVectorBound, problem, type VectorBound } from './problems.js';

export class ByteReader {
  readonly buf: Uint8Array;
  pos: number;
  /** Exclusive end of the region this reader may read. */
  end: number;
  /** Problems are appended here; offsets are relative to `origin`. */
  readonly problems: DecodeProblem[];
  /** Dotted prefix for problem fields, e.g. `ClientHello`. */
  readonly path: string;
  /** Offset that problem offsets are measured from (the message body start). */
  readonly origin: number;
  /**
   * Set by the first truncation or overrun: what follows is unreadable, so later reads fail
   * quietly instead of reporting the same cut once per field.
   */
  failed = false;

  constructor(buf: Uint8Array, start: number, end: number, problems: DecodeProblem[], path: string, origin = start) {
    this.buf = buf;
    this.pos = Math.max(0, Math.min(start, buf.length));
    this.end = Math.max(this.pos, Math.min(end, buf.length));
    this.problems = problems;
    this.path = path;
    this.origin = origin;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  field(name: string): string {
    return name === '' ? this.path : `${this.path}.${name}`;
  }

  offset(): number {
    return this.pos - this.origin;
  }

  /** Records that `name` (needing `need` bytes) is cut short, then exhausts the reader. */
  short(name: string, need: number): void {
    if (this.failed) return;
    this.failed = true;
    this.problems.push(problem('error', 'buffer-too-small', this.field(name),
      `message ends before ${name} is complete: it needs ${need} byte${need === 1 ? '' : 's'}, ${this.remaining()} remain`,
      undefined, this.offset()));
    this.pos = this.end;
  }

  u8(name: string): number {
    if (this.end - this.pos < 1) { this.short(name, 1); return -1; }
    return this.buf[this.pos++];
  }

  u16(name: string): number {
    if (this.end - this.pos < 2) { this.short(name, 2); return -1; }
    const p = this.pos;
    this.pos = p + 2;
    return (this.buf[p] << 8) | this.buf[p + 1];
  }

  u24(name: string): number {
    if (this.end - this.pos < 3) { this.short(name, 3); return -1; }
    const p = this.pos;
    this.pos = p + 3;
    return (this.buf[p] << 16) | (this.buf[p + 1] << 8) | this.buf[p + 2];
  }

  u32(name: string): number {
    if (this.end - this.pos < 4) { this.short(name, 4); return -1; }
    const p = this.pos;
    this.pos = p + 4;
    return ((this.buf[p] << 24) >>> 0) + ((this.buf[p + 1] << 16) | (this.buf[p + 2] << 8) | this.buf[p + 3]);
  }

  /** Skips `n` fixed bytes (e.g. a 32-byte random); false (and a problem) when they are not all present. */
  skip(name: string, n: number): boolean {
    if (this.end - this.pos < n) { this.short(name, n); return false; }
    this.pos += n;
    return true;
  }

  /**
   * Reads a vector's length prefix (1, 2 or 3 bytes) and answers the vector's exclusive end; the
   * content starts at `pos`. Answers -1 when the prefix is missing or the length overruns the
   * container (a `length-overrun` problem; the reader is then exhausted). When `bound` is given
   * the length is also checked against the RFC's `<min..max>` and element size.
   */
  vector(name: string, prefixBytes: 1 | 2 | 3, bound?: VectorBound): number {
    const at = this.offset();
    const len = prefixBytes === 1 ? this.u8(`${name}.length`) : prefixBytes === 2 ? this.u16(`${name}.length`) : this.u24(`${name}.length`);
    if (len < 0) return -1;
    if (bound !== undefined) checkVectorBound(this.problems, this.field(name), len, bound, at);
    if (len > this.end - this.pos) {
      this.failed = true;
      this.problems.push(problem('error', 'length-overrun', this.field(name),
        `${name} length ${len} overruns its container: only ${this.end - this.pos} bytes remain`, undefined, at));
      this.pos = this.end;
      return -1;
    }
    return this.pos + len;
  }

  /**
   * Confines reads to [pos, end) (a vector's content) so an element that overruns the vector is
   * reported as such, not only when it overruns the message. Returns the end to give widen().
   */
  narrow(end: number): number {
    const outer = this.end;
    this.end = Math.max(this.pos, Math.min(end, outer));
    return outer;
  }

  /** Leaves the narrowed vector (skipping what is left of it) and reads on in the outer region. */
  widen(outerEnd: number): void {
    this.pos = this.end;
    this.end = outerEnd;
    this.failed = false;
  }

  /** Flags bytes left over after the last field the RFC defines. */
  trailing(name = ''): void {
    const n = this.end - this.pos;
    if (n > 0) {
      const where = name === '' ? this.path : this.field(name);
      this.problems.push(problem('warning', 'trailing-data', where,
        `${n} undecoded byte${n === 1 ? '' : 's'} after the last field of ${where}`, undefined, this.offset()));
      this.pos = this.end;
    }
  }
}
