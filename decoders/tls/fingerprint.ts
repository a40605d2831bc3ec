/**
 * Client and server hello fingerprints, the ones support teams match in Zeek, Suricata, CDN and WAF
 * logs:
 *
 * - JA4 (FoxIO, BSD-3-Clause; github.com/FoxIO-LLC/ja4, technical_details/JA4.md) in its four forms:
 *   `ja4` (sorted, hashed), `ja4_r` (sorted, raw), `ja4_o` (original order, hashed), `ja4_ro`
 *   (original order, raw). GREASE (RFC 8701) is ignored everywhere.
 * - JA3 for the ClientHello and JA3S for the ServerHello (Salesforce, BSD-3-Clause;
 *   github.com/salesforce/ja3): the decimal string and its MD5, named as tshark names its fields
 *   (`tls.handshake.ja3_full` is the string, `tls.handshake.ja3` the MD5).
 *
 * JA4S, JA4X, JA4H and the rest of JA4+ are under the FoxIO License, not BSD: they are not computed.
 *
 * Cost: one pass over the hello's lists to build the original-order strings, which key a bounded
 * cache of the hashes: four SHA-256 and one MD5 only for a hello shape not seen recently.
 */
import { createHash } from 'node:crypto';
import { isGrease16 } from './registry/versions.js';
import type { ClientHelloBody, ServerHelloBody } from './types.js';

/** `t` TLS over TCP, `d` DTLS, `q` QUIC: JA4's first character. */
export type Ja4Protocol = 't' | 'd' | 'q';

export interface ClientHelloFingerprint {
  readonly ja4: string;
  readonly ja4_r: string;
  readonly ja4_o: string;
  readonly ja4_ro: string;
  /** JA3 string: `SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats` in decimal. */
  readonly ja3_full: string;
  /** MD5 of `ja3_full`, lower-case hex. */
  readonly ja3: string;
}

export interface ServerHelloFingerprint {
  /** JA3S string: `SSLVersion,Cipher,Extensions` in decimal. */
  readonly ja3s_full: string;
  /** MD5 of `ja3s_full`. */
  readonly ja3s: string;
}

const EXT_SERVER_NAME = 0x0000;
const EXT_SUPPORTED_GROUPS = 0x000a;
const EXT_EC_POINT_FORMATS = 0x000b;
const EXT_SIGNATURE_ALGORITHMS = 0x000d;
const EXT_ALPN = 0x0010;
const EXT_SUPPORTED_VERSIONS = 0x002b;

/** JA4's two-character version, from the spec's table; anything else is `00`. */
function ja4Version(v: number): string {
  switch (v) {
    case 0x0304: return '13';
    case 0x0303: return '12';
    case 0x0302: return '11';
    case 0x0301: return '10';
    case 0x0300: return 's3';
    case 0x0002: return 's2';
    case 0xfeff: return 'd1';
    case 0xfefd: return 'd2';
    case 0xfefc: return 'd3';
    default: return '00';
  }
}

const HEX = '0123456789abcdef';
function hex4(v: number): string {
  return HEX[(v >> 12) & 15] + HEX[(v >> 8) & 15] + HEX[(v >> 4) & 15] + HEX[v & 15];
}

function sha12(s: string): string {
  return s === '' ? '000000000000' : createHash('sha256').update(s, 'latin1').digest('hex').slice(0, 12);
}

function md5(s: string): string {
  return createHash('md5').update(s, 'latin1').digest('hex');
}

function two(n: number): string {
  return n > 99 ? '99' : n < 10 ? `0${n}` : String(n);
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * The first ALPN value's bytes. The decoder writes a value with a byte outside printable ASCII as
 * `0x` and its hex (decoders/tls/extensions.ts); no registered ALPN id starts with `0x`.
 */
function alpnBytes(p: string): number[] {
  if (p.length > 2 && p.startsWith('0x') && p.length % 2 === 0 && /^0x[0-9a-f]+$/.test(p)) {
    const out: number[] = [];
    for (let i = 2; i < p.length; i += 2) out.push(parseInt(p.slice(i, i + 2), 16));
    return out;
  }
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) out.push(p.charCodeAt(i) & 0xff);
  return out;
}

/**
 * JA4's ALPN characters: the first and last characters of the first ALPN value; when either is not
 * an ASCII letter or digit, the first and last characters of the value's hex instead (the high nibble
 * of its first byte and the low nibble of its last); `00` without ALPN (or with an empty value).
 */
export function ja4Alpn(first: string | undefined): string {
  if (first === undefined || first === '') return '00';
  const b = alpnBytes(first);
  const a = b[0];
  const z = b[b.length - 1];
  if (isAlnum(a) && isAlnum(z)) return String.fromCharCode(a, z);
  return (a >> 4).toString(16) + (z & 0x0f).toString(16);
}

/** Both fingerprints of a ClientHello as carried by `protocol`. */
export function clientHelloFingerprint(hello: ClientHelloBody, protocol: Ja4Protocol): ClientHelloFingerprint {
  const ciphers: number[] = [];
  for (const c of hello.cipherSuites) if (!isGrease16(c.code)) ciphers.push(c.code);
  const extensions: number[] = [];
  let sni = false;
  let alpn: string | undefined;
  let sigAlgs = '';
  let groups = '';
  let pointFormats = '';
  let version = hello.version;
  let extJa3 = '';
  for (const e of hello.extensions) {
    if (isGrease16(e.type)) continue;
    extensions.push(e.type);
    extJa3 += extJa3 === '' ? String(e.type) : `-${e.type}`;
    const v = e.value;
    switch (e.type) {
      case EXT_SERVER_NAME:
        sni = true;
        break;
      case EXT_ALPN:
        if (v?.kind === 'alpn' && alpn === undefined) alpn = v.protocols[0] ?? '';
        break;
      case EXT_SIGNATURE_ALGORITHMS:
        if (v?.kind === 'signature_algorithms' && sigAlgs === '') {
          for (const s of v.schemes) if (!isGrease16(s.code)) sigAlgs += sigAlgs === '' ? hex4(s.code) : `,${hex4(s.code)}`;
        }
        break;
      case EXT_SUPPORTED_GROUPS:
        if (v?.kind === 'supported_groups' && groups === '') {
          for (const g of v.groups) if (!isGrease16(g.code)) groups += groups === '' ? String(g.code) : `-${g.code}`;
        }
        break;
      case EXT_EC_POINT_FORMATS:
        if (v?.kind === 'ec_point_formats' && pointFormats === '') pointFormats = v.formats.join('-');
        break;
      case EXT_SUPPORTED_VERSIONS:
        if (v?.kind === 'supported_versions') {
          // The highest version offered: for DTLS the lowest number (DTLS 1.3 is 0xfefc).
          let best = -1;
          for (const x of v.versions) {
            if (isGrease16(x)) continue;
            if (best < 0 || (protocol === 'd' ? x < best : x > best)) best = x;
          }
          if (best >= 0) version = best;
        }
        break;
    }
  }

  const head = `${protocol}${ja4Version(version)}${sni ? 'd' : 'i'}${two(ciphers.length)}${two(extensions.length)}${ja4Alpn(alpn)}`;
  let cOrig = '';
  for (const c of ciphers) cOrig += cOrig === '' ? hex4(c) : `,${hex4(c)}`;
  let eOrig = '';
  for (const t of extensions) eOrig += eOrig === '' ? hex4(t) : `,${hex4(t)}`;
  const cOrig_ = sigAlgs === '' ? eOrig : `${eOrig}_${sigAlgs}`;
  const ja4_ro = `${head}_${cOrig}_${cOrig_}`;
  let ja3s = '';
  for (const c of ciphers) ja3s += ja3s === '' ? String(c) : `-${c}`;
  const ja3Full = `${hello.version},${ja3s},${extJa3},${groups},${pointFormats}`;
  // Clients of one kind send the same hello shape again and again: the hashes are computed once per shape.
  let ja4 = JA4_CACHE.get(ja4_ro);
  if (ja4 === undefined) {
    const cSorted = ciphers.slice().sort((x, y) => x - y).map(hex4).join(',');
    const eSorted = extensions.filter((t) => t !== EXT_SERVER_NAME && t !== EXT_ALPN).sort((x, y) => x - y).map(hex4).join(',');
    const cSorted_ = sigAlgs === '' ? eSorted : `${eSorted}_${sigAlgs}`;
    ja4 = {
      ja4: `${head}_${sha12(cSorted)}_${sha12(cSorted_)}`,
      ja4_r: `${head}_${cSorted}_${cSorted_}`,
      ja4_o: `${head}_${sha12(cOrig)}_${sha12(cOrig_)}`,
    };
    remember(JA4_CACHE, ja4_ro, ja4);
  }
  let ja3 = JA3_CACHE.get(ja3Full);
  if (ja3 === undefined) {
    ja3 = md5(ja3Full);
    remember(JA3_CACHE, ja3Full, ja3);
  }
  return { ja4: ja4.ja4, ja4_r: ja4.ja4_r, ja4_o: ja4.ja4_o, ja4_ro, ja3_full: ja3Full, ja3 };
}

/**
 * Hashes by hello shape, at most CACHE_SIZE shapes each (then started afresh): the memory is bounded
 * whatever the capture holds, and a capture of many connections from few kinds of client hashes a
 * handful of times.
 */
const CACHE_SIZE = 512;
const JA4_CACHE = new Map<string, { ja4: string; ja4_r: string; ja4_o: string }>();
const JA3_CACHE = new Map<string, string>();
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, value);
}

/** JA3S of a ServerHello (a HelloRetryRequest has one too). */
export function serverHelloFingerprint(hello: ServerHelloBody): ServerHelloFingerprint {
  let ext = '';
  for (const e of hello.extensions) {
    if (isGrease16(e.type)) continue;
    ext += ext === '' ? String(e.type) : `-${e.type}`;
  }
  const full = `${hello.version},${hello.cipherSuite.code},${ext}`;
  let ja3s = JA3_CACHE.get(full);
  if (ja3s === undefined) {
    ja3s = md5(full);
    remember(JA3_CACHE, full, ja3s);
  }
  return { ja3s_full: full, ja3s };
}

/** The fingerprint a hello event carries (ClientHello: JA4 and JA3; ServerHello: JA3S), or none. */
export function helloFingerprint(body: { readonly kind: string }, protocol: Ja4Protocol): ClientHelloFingerprint | ServerHelloFingerprint | undefined {
  if (body.kind === 'ClientHello') return clientHelloFingerprint(body as ClientHelloBody, protocol);
  if (body.kind === 'ServerHello') return serverHelloFingerprint(body as ServerHelloBody);
  return undefined;
}
