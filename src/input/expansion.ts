/**
 * How far one archive member (or one .gz file) may expand. A decompression bomb is a few kilobytes
 * that inflate to terabytes; tlsdiag never writes what it inflates, so the cost of a bomb is time
 * and CPU, and these bounds end it early with a message that says which bound was hit.
 */

export interface ExpansionLimits {
  /** Decompressed bytes one member or one compressed file may produce. */
  readonly maxBytes: number;
  /**
   * Decompressed bytes per compressed byte read. Deflate cannot exceed about 1032:1; real captures
   * compress 2:1 to 10:1 (TLS payload is already random), so a ratio near deflate's maximum is a bomb.
   */
  readonly maxRatio: number;
}

/** Output allowed before the ratio is checked, so that a tiny member whose header compresses well passes. */
export const RATIO_GRACE_BYTES = 1 << 20;

export const DEFAULT_LIMITS: ExpansionLimits = { maxBytes: 64 * 1024 ** 3, maxRatio: 200 };

/** Raised by an inflater that stopped at a bound; its message names the bound and the option. */
export class ExpansionLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpansionLimitError';
  }
}

/** The bound `inflated` bytes out of `compressed` break, as an error; null when within bounds. */
export function checkExpansion(inflated: number, compressed: number, limits: ExpansionLimits): ExpansionLimitError | null {
  if (inflated > limits.maxBytes) {
    return new ExpansionLimitError(
      `decompression stopped at ${sizeText(inflated)}: more than the limit of ${sizeText(limits.maxBytes)} per member (--max-decompressed)`,
    );
  }
  if (inflated > RATIO_GRACE_BYTES && inflated > limits.maxRatio * Math.max(compressed, 1)) {
    return new ExpansionLimitError(
      `decompression stopped: ${sizeText(inflated)} out of ${sizeText(compressed)} compressed is more than ` +
        `${limits.maxRatio}:1 (--max-ratio); this looks like a decompression bomb`,
    );
  }
  return null;
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1.5 GiB`, `512 bytes`. */
export function sizeText(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

/** `64G`, `512M`, `1.5g`, `100000` → bytes (binary multiples); null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const power = ' kmgt'.indexOf(m[2].toLowerCase() || ' ');
  const bytes = Math.floor(Number(m[1]) * 1024 ** power);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}
