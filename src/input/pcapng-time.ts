// pcapng timestamps: a 64-bit count of units whose size each interface declares with if_tsresol
// (draft-ietf-opsawg-pcapng §4.2: high bit clear, 10^-n s; high bit set, 2^-n s; absent, 10^-6 s).
// The usual resolutions are converted with exact double arithmetic, since the count does not fit
// a double's 53 bits; the rare ones go through BigInt.

export interface TimeParts {
  seconds: number;
  nanos: number;
}

/** if_tsresol when the option is absent: microseconds. */
export const DEFAULT_TSRESOL = 6;

const TWO_16 = 65_536;
const TWO_32 = 4_294_967_296;

export class TimestampScale {
  /** The if_tsresol byte this scale was built from. */
  readonly tsresol: number;
  private readonly binary: boolean;
  private readonly exponent: number;
  /** Units per second when it is a small power of ten, for the exact long division. */
  private readonly decimalDivisor: number;

  constructor(tsresol: number) {
    this.tsresol = tsresol;
    this.binary = (tsresol & 0x80) !== 0;
    this.exponent = tsresol & 0x7f;
    this.decimalDivisor = !this.binary && this.exponent <= 9 ? 10 ** this.exponent : 0;
  }

  /** Splits the count `high * 2^32 + low` into whole seconds and nanoseconds (truncated). */
  convert(high: number, low: number, out: TimeParts): void {
    if (this.decimalDivisor !== 0) this.convertDecimal(high, low, this.decimalDivisor, out);
    else if (this.binary && this.exponent <= 32) this.convertBinary(high, low, out);
    else this.convertBig(high, low, out);
  }

  /**
   * Long division of the 64-bit count by 10^n (n ≤ 9) in 16-bit digits: every intermediate value
   * stays below 2^46, so each step is exact in double arithmetic.
   */
  private convertDecimal(high: number, low: number, divisor: number, out: TimeParts): void {
    let rest = high >>> 16;
    const q3 = Math.floor(rest / divisor);
    rest = (rest - q3 * divisor) * TWO_16 + (high & 0xffff);
    const q2 = Math.floor(rest / divisor);
    rest = (rest - q2 * divisor) * TWO_16 + (low >>> 16);
    const q1 = Math.floor(rest / divisor);
    rest = (rest - q1 * divisor) * TWO_16 + (low & 0xffff);
    const q0 = Math.floor(rest / divisor);
    rest -= q0 * divisor;
    out.seconds = ((q3 * TWO_16 + q2) * TWO_16 + q1) * TWO_16 + q0;
    out.nanos = rest * (1_000_000_000 / divisor);
  }

  /**
   * 2^-n with n ≤ 32: the seconds are the count shifted right by n; the fraction f < 2^n becomes
   * f * 10^9 / 2^n = f * 5^9 / 2^(n-9), whose numerator stays below 2^53.
   */
  private convertBinary(high: number, low: number, out: TimeParts): void {
    const unitsPerSecond = 2 ** this.exponent;
    const lowSeconds = Math.floor(low / unitsPerSecond);
    const fraction = low - lowSeconds * unitsPerSecond;
    out.seconds = high * (TWO_32 / unitsPerSecond) + lowSeconds;
    out.nanos = this.exponent <= 9
      ? fraction * (1_000_000_000 / unitsPerSecond)
      : Math.floor((fraction * 1_953_125) / 2 ** (this.exponent - 9));
  }

  private convertBig(high: number, low: number, out: TimeParts): void {
    const count = (BigInt(high) << 32n) | BigInt(low);
    const unitsPerSecond = this.binary ? 1n << BigInt(this.exponent) : 10n ** BigInt(this.exponent);
    out.seconds = Number(count / unitsPerSecond);
    out.nanos = Number(((count % unitsPerSecond) * 1_000_000_000n) / unitsPerSecond);
  }
}
