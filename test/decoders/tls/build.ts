// Byte builders for crafted TLS messages in the decoder tests.

export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) { out.set(a, o); o += a.length; }
  return out;
}

export const u8 = (n: number): Uint8Array => Uint8Array.from([n & 0xff]);
export const u16 = (n: number): Uint8Array => Uint8Array.from([(n >> 8) & 0xff, n & 0xff]);
export const u32 = (n: number): Uint8Array => Uint8Array.from([(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
export const u24 = (n: number): Uint8Array => Uint8Array.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);

export const vec8 = (...parts: (Uint8Array | number[])[]): Uint8Array => { const b = cat(...parts); return cat(u8(b.length), b); };
export const vec16 = (...parts: (Uint8Array | number[])[]): Uint8Array => { const b = cat(...parts); return cat(u16(b.length), b); };
export const vec24 = (...parts: (Uint8Array | number[])[]): Uint8Array => { const b = cat(...parts); return cat(u24(b.length), b); };

/** One extension: type, then its data as a 16-bit vector. */
export const ext = (type: number, ...data: (Uint8Array | number[])[]): Uint8Array => cat(u16(type), vec16(...data));

export const zeros = (n: number): Uint8Array => new Uint8Array(n);

/** A ClientHello body: version, 32-byte random, session id, suites, compression, then optional extension block. */
export function clientHello(opts: {
  version?: number; sessionId?: Uint8Array; suites?: number[]; compression?: number[]; extensions?: Uint8Array[] | null;
}): Uint8Array {
  const suites = opts.suites ?? [0xc02f];
  const parts: Uint8Array[] = [
    u16(opts.version ?? 0x0303),
    zeros(32),
    vec8(opts.sessionId ?? new Uint8Array(0)),
    vec16(...suites.map(u16)),
    vec8(opts.compression ?? [0]),
  ];
  if (opts.extensions !== null && opts.extensions !== undefined) parts.push(vec16(...opts.extensions));
  return cat(...parts);
}

/** A ServerHello body (TLS ≤ 1.2 / 1.3 legacy layout). */
export function serverHello(opts: {
  version?: number; random?: Uint8Array; sessionId?: Uint8Array; suite?: number; compression?: number; extensions?: Uint8Array[] | null;
}): Uint8Array {
  const parts: Uint8Array[] = [
    u16(opts.version ?? 0x0303),
    opts.random ?? zeros(32),
    vec8(opts.sessionId ?? new Uint8Array(0)),
    u16(opts.suite ?? 0xc02f),
    u8(opts.compression ?? 0),
  ];
  if (opts.extensions !== null && opts.extensions !== undefined) parts.push(vec16(...opts.extensions));
  return cat(...parts);
}

/** A minimal DER Name: SEQUENCE { SET { SEQUENCE { OID 2.5.4.3 (CN), UTF8String } } }. */
export function cnName(cn: string): Uint8Array {
  const value = new TextEncoder().encode(cn);
  const atv = cat([0x06, 0x03, 0x55, 0x04, 0x03], [0x0c, value.length], value);
  const set = cat([0x31, atv.length + 2], [0x30, atv.length], atv);
  return cat([0x30, set.length], set);
}
