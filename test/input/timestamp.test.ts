// pcapng timestamp units: the exact double arithmetic agrees with BigInt arithmetic everywhere.
import { expect } from 'chai';
import fc from 'fast-check';
import { TimestampScale } from '../../src/input/pcapng-time.js';
import type { TimeParts } from '../../src/input/pcapng-time.js';

/** The reference: whole seconds and truncated nanoseconds of `count` units of 10^-n or 2^-n s. */
function reference(tsresol: number, high: number, low: number): TimeParts {
  const count = (BigInt(high) << 32n) | BigInt(low);
  const exponent = BigInt(tsresol & 0x7f);
  const perSecond = (tsresol & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
  return { seconds: Number(count / perSecond), nanos: Number(((count % perSecond) * 1_000_000_000n) / perSecond) };
}

function convert(tsresol: number, high: number, low: number): TimeParts {
  const out = { seconds: -1, nanos: -1 };
  new TimestampScale(tsresol).convert(high, low, out);
  return out;
}

describe('capture input: pcapng timestamp resolutions', () => {
  it('splits a nanosecond count beyond 2^53 exactly', () => {
    const count = 1_357_328_848_512_314_123n;
    expect(convert(9, Number(count >> 32n), Number(count & 0xffffffffn))).to.deep.equal({ seconds: 1_357_328_848, nanos: 512_314_123 });
  });

  it('reads the default microseconds, and 2^-10 fractions truncated to the nanosecond', () => {
    expect(convert(6, 0, 1_500_001)).to.deep.equal({ seconds: 1, nanos: 500_001_000 });
    expect(convert(0x8a, 0, 3 * 1024 + 1)).to.deep.equal({ seconds: 3, nanos: 976_562 });
  });

  it('agrees with BigInt arithmetic for every decimal and binary resolution and any count', () => {
    const tsresol = fc.oneof(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 64 }).map((n) => 0x80 | n));
    const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
    fc.assert(fc.property(tsresol, u32, u32, (r, high, low) => {
      const got = convert(r, high, low);
      const want = reference(r, high, low);
      expect(got.nanos).to.equal(want.nanos);
      expect(got.seconds).to.equal(want.seconds);
    }), { numRuns: 20_000 });
  });
});
