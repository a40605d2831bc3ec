/**
 * A small DER walker (ITU-T X.690): enough to read names, validity, extensions and algorithm
 * identifiers out of X.509 certificates and CertificateRequest distinguished names. Every read is
 * bounded by an explicit limit; malformed input yields null, never an exception.
 */

export const TAG_BOOLEAN = 0x01;
export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_OID = 0x06;
export const TAG_UTF8STRING = 0x0c;
export const TAG_NUMERICSTRING = 0x12;
export const TAG_PRINTABLESTRING = 0x13;
export const TAG_T61STRING = 0x14;
export const TAG_IA5STRING = 0x16;
export const TAG_UTCTIME = 0x17;
export const TAG_GENERALIZEDTIME = 0x18;
export const TAG_VISIBLESTRING = 0x1a;
export const TAG_UNIVERSALSTRING = 0x1c;
export const TAG_BMPSTRING = 0x1e;
export const TAG_SEQUENCE = 0x30;
export const TAG_SET = 0x31;

/** One TLV: `tag` is the identifier octet (low-tag-number form); content is [start, end). */
export interface Tlv {
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly at: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Reads the TLV at `offset`, which must end by `limit`. Only definite lengths of up to 4 length
 * octets and single-octet tags are accepted (DER certificates use nothing else).
 */
export function readTlv(buf: Uint8Array, offset: number, limit: number): Tlv | null {
  const lim = Math.min(limit, buf.length);
  if (offset < 0 || offset + 2 > lim) return null;
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) return null;
  let p = offset + 1;
  let len = buf[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > lim) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (len > lim - p) return null;
  return { tag, at: offset, start: p, end: p + len };
}

/** The children of a constructed TLV, in order; null if any child is malformed. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] | null {
  const out: Tlv[] = [];
  let p = parent.start;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    if (t === null) return null;
    out.push(t);
    p = t.end;
  }
  return out;
}

/** Dotted OID text (`1.2.840.113549.1.1.11`), or null for a malformed encoding. */
export function oidToString(buf: Uint8Array, start: number, end: number): string | null {
  if (end <= start || end > buf.length) return null;
  const arcs: number[] = [];
  let value = 0;
  let first = true;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (value > 0x1fffffffffff) return null; // beyond what a double holds exactly
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (first) {
        const x = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(x, value - x * 40);
        first = false;
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  if ((buf[end - 1] & 0x80) !== 0) return null;
  return arcs.join('.');
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Text of a string-typed TLV (UTF8, Printable, IA5, T61, BMP, Universal, ...); null for other tags. */
export function stringValue(buf: Uint8Array, t: Tlv): string | null {
  const bytes = buf.subarray(t.start, t.end);
  switch (t.tag) {
    case TAG_UTF8STRING:
      return utf8.decode(bytes);
    case TAG_PRINTABLESTRING: case TAG_IA5STRING: case TAG_NUMERICSTRING: case TAG_VISIBLESTRING: case TAG_T61STRING:
      return latin1.decode(bytes);
    case TAG_BMPSTRING: {
      let s = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
      return s;
    }
    case TAG_UNIVERSALSTRING: {
      let s = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) {
        const cp = ((bytes[i] << 24) >>> 0) + ((bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]);
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return null;
  }
}

/**
 * ISO 8601 time of a UTCTime or GeneralizedTime TLV (RFC 5280 §4.1.2.5: UTCTime years 50-99 are
 * 19xx, 00-49 are 20xx). null when the text is not a valid time.
 */
export function timeValue(buf: Uint8Array, t: Tlv): string | null {
  const s = latin1.decode(buf.subarray(t.start, t.end));
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === TAG_UTCTIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (m === null) return null;
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (t.tag === TAG_GENERALIZEDTIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
    if (m === null) return null;
    year = Number(m[1]);
  } else {
    return null;
  }
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (year < 100) d.setUTCFullYear(year);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
