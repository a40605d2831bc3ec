/**
 * One X.509 certificate (RFC 5280 §4.1) summarised for a report: names, validity, SANs, key,
 * signature algorithm, fingerprint, self-signed and CA flags. The DER is walked directly for
 * what must print the same everywhere (names in RFC 4514 order, times, SANs, algorithms);
 * Node's crypto.X509Certificate supplies the key details and the self-signature check. Never
 * throws: input that is not a certificate yields a summary with `error` set.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateSummary } from './types.js';
import {
  children, oidToString, readTlv, stringValue, timeValue,
  TAG_BIT_STRING, TAG_BOOLEAN, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, type Tlv,
} from './der.js';
import { nameText } from './dn.js';
import { toHex } from './hex.js';

/** Signature algorithms by OID, named as OpenSSL prints them (RFC 3279, RFC 4055, RFC 5758, RFC 8410, FIPS 204). */
const SIGNATURE_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption'],
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.2.840.113549.1.1.10', 'rsassaPss'],
  ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
  ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption'],
  ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption'],
  ['1.2.840.113549.1.1.14', 'sha224WithRSAEncryption'],
  ['1.2.840.10040.4.3', 'dsaWithSHA1'],
  ['2.16.840.1.101.3.4.3.1', 'dsa_with_SHA224'],
  ['2.16.840.1.101.3.4.3.2', 'dsa_with_SHA256'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10045.4.3.1', 'ecdsa-with-SHA224'],
  ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
  ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
  ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512'],
  ['1.3.101.112', 'ED25519'],
  ['1.3.101.113', 'ED448'],
  ['2.16.840.1.101.3.4.3.17', 'ML-DSA-44'],
  ['2.16.840.1.101.3.4.3.18', 'ML-DSA-65'],
  ['2.16.840.1.101.3.4.3.19', 'ML-DSA-87'],
  ['1.2.156.10197.1.501', 'SM2-with-SM3'],
  ['1.2.643.7.1.1.3.2', 'GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)'],
  ['1.2.643.7.1.1.3.3', 'GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)'],
]);

/** Public key algorithms by OID (RFC 3279, RFC 4055, RFC 8410, FIPS 204), as Node names key types. */
const KEY_TYPES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.1', 'rsa'],
  ['1.2.840.113549.1.1.10', 'rsa-pss'],
  ['1.2.840.10040.4.1', 'dsa'],
  ['1.2.840.10045.2.1', 'ec'],
  ['1.2.840.10046.2.1', 'dh'],
  ['1.3.101.110', 'x25519'],
  ['1.3.101.111', 'x448'],
  ['1.3.101.112', 'ed25519'],
  ['1.3.101.113', 'ed448'],
  ['2.16.840.1.101.3.4.3.17', 'ml-dsa-44'],
  ['2.16.840.1.101.3.4.3.18', 'ml-dsa-65'],
  ['2.16.840.1.101.3.4.3.19', 'ml-dsa-87'],
  ['1.2.643.7.1.1.1.1', 'gost2012-256'],
  ['1.2.643.7.1.1.1.2', 'gost2012-512'],
]);

/** Named curves by OID (RFC 5480 §2.1.1.1, RFC 5639) with their sizes in bits. */
const CURVE_BITS: ReadonlyMap<string, number> = new Map([
  ['1.2.840.10045.3.1.1', 192],
  ['1.3.132.0.33', 224],
  ['1.2.840.10045.3.1.7', 256],
  ['1.3.132.0.10', 256],
  ['1.3.132.0.34', 384],
  ['1.3.132.0.35', 521],
  ['1.3.36.3.3.2.8.1.1.7', 256],
  ['1.3.36.3.3.2.8.1.1.11', 384],
  ['1.3.36.3.3.2.8.1.1.13', 512],
  ['1.2.156.10197.1.301', 256],
]);

/** Node's curve names (asymmetricKeyDetails.namedCurve) with their sizes in bits. */
const NODE_CURVE_BITS: ReadonlyMap<string, number> = new Map([
  ['prime192v1', 192], ['secp224r1', 224], ['prime256v1', 256], ['secp256k1', 256],
  ['secp384r1', 384], ['secp521r1', 521], ['brainpoolP256r1', 256], ['brainpoolP384r1', 384],
  ['brainpoolP512r1', 512], ['SM2', 256],
]);

/** Fixed public key sizes (RFC 8410: raw key lengths; FIPS 204 ML-DSA public key lengths). */
const FIXED_KEY_BITS: ReadonlyMap<string, number> = new Map([
  ['ed25519', 256], ['x25519', 256], ['ed448', 456], ['x448', 448],
]);

const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';

interface Parsed {
  serial: string;
  issuer: string;
  subject: string;
  validFrom: string;
  validTo: string;
  keyType: string;
  keyBits: number | null;
  signatureAlgorithm: string | null;
  subjectAltNames: string[];
  isCA: boolean;
}

function oidAt(buf: Uint8Array, t: Tlv | undefined): string | null {
  return t !== undefined && t.tag === TAG_OID ? oidToString(buf, t.start, t.end) : null;
}

/** Bit length of an unsigned big-endian INTEGER's content. */
function integerBits(buf: Uint8Array, t: Tlv): number {
  let p = t.start;
  while (p < t.end && buf[p] === 0) p++;
  if (p === t.end) return 0;
  return (t.end - p - 1) * 8 + (32 - Math.clz32(buf[p]));
}

function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
    return groups.join(':');
  }
  return toHex(b);
}

/** GeneralNames (RFC 5280 §4.2.1.6) in OpenSSL's `DNS:`/`IP Address:` style, shortened to `IP:`. */
function altNames(buf: Uint8Array, ext: Tlv): string[] {
  const seq = readTlv(buf, ext.start, ext.end);
  if (seq === null || seq.tag !== TAG_SEQUENCE) return [];
  const names = children(buf, seq) ?? [];
  const out: string[] = [];
  for (const n of names) {
    const value = buf.subarray(n.start, n.end);
    switch (n.tag) {
      case 0x81: out.push('email:' + stringValue(buf, { ...n, tag: 0x16 })); break;
      case 0x82: out.push('DNS:' + stringValue(buf, { ...n, tag: 0x16 })); break;
      case 0x86: out.push('URI:' + stringValue(buf, { ...n, tag: 0x16 })); break;
      case 0x87: out.push('IP:' + ipText(value)); break;
      case 0xa4: {
        const inner = readTlv(buf, n.start, n.end);
        out.push('DirName:' + ((inner && nameText(buf, inner)) ?? toHex(value)));
        break;
      }
      case 0x88: out.push('RID:' + (oidToString(buf, n.start, n.end) ?? toHex(value))); break;
      case 0xa0: {
        const inner = readTlv(buf, n.start, n.end);
        out.push('othername:' + (oidAt(buf, inner ?? undefined) ?? toHex(value)));
        break;
      }
      default: out.push(`unknown[${n.tag & 0x1f}]:${toHex(value)}`);
    }
  }
  return out;
}

/** basicConstraints cA (RFC 5280 §4.2.1.9): SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... }. */
function basicConstraintsCa(buf: Uint8Array, ext: Tlv): boolean {
  const seq = readTlv(buf, ext.start, ext.end);
  if (seq === null || seq.tag !== TAG_SEQUENCE) return false;
  const first = readTlv(buf, seq.start, seq.end);
  return first !== null && first.tag === TAG_BOOLEAN && first.end > first.start && buf[first.start] !== 0;
}

/** The SubjectPublicKeyInfo's key type and size (RFC 5280 §4.1.2.7). */
function publicKey(buf: Uint8Array, spki: Tlv): { keyType: string; keyBits: number | null } {
  const parts = children(buf, spki);
  if (parts === null || parts.length < 2 || parts[0].tag !== TAG_SEQUENCE) return { keyType: 'unknown', keyBits: null };
  const alg = children(buf, parts[0]) ?? [];
  const algOid = oidAt(buf, alg[0]);
  const keyType = (algOid !== null ? KEY_TYPES.get(algOid) : undefined) ?? 'unknown';
  const bits = parts[1];
  let keyBits: number | null = FIXED_KEY_BITS.get(keyType) ?? null;
  if (keyType === 'ec') {
    const curve = oidAt(buf, alg[1]);
    keyBits = curve !== null ? CURVE_BITS.get(curve) ?? null : null;
  } else if ((keyType === 'rsa' || keyType === 'rsa-pss') && bits.tag === TAG_BIT_STRING && bits.end > bits.start) {
    // BIT STRING: one unused-bits octet, then RSAPublicKey ::= SEQUENCE { modulus INTEGER, ... }.
    const rsa = readTlv(buf, bits.start + 1, bits.end);
    const modulus = rsa !== null && rsa.tag === TAG_SEQUENCE ? readTlv(buf, rsa.start, rsa.end) : null;
    if (modulus !== null && modulus.tag === TAG_INTEGER) keyBits = integerBits(buf, modulus);
  } else if (keyType === 'dsa' && alg[1] !== undefined && alg[1].tag === TAG_SEQUENCE) {
    const p = readTlv(buf, alg[1].start, alg[1].end);
    if (p !== null && p.tag === TAG_INTEGER) keyBits = integerBits(buf, p);
  }
  return { keyType, keyBits };
}

/** Walks Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
function parse(der: Uint8Array): Parsed | string {
  const cert = readTlv(der, 0, der.length);
  if (cert === null || cert.tag !== TAG_SEQUENCE) return 'not a DER SEQUENCE';
  if (cert.end !== der.length) return `${der.length - cert.end} bytes follow the certificate`;
  const top = children(der, cert);
  if (top === null || top.length !== 3 || top[0].tag !== TAG_SEQUENCE || top[1].tag !== TAG_SEQUENCE) return 'not an X.509 Certificate structure';
  const tbs = children(der, top[0]);
  if (tbs === null) return 'malformed tbsCertificate';
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version, absent for v1
  const serial = tbs[i++];
  i++; // signature AlgorithmIdentifier (repeated outside the TBS)
  const issuer = tbs[i++];
  const validity = tbs[i++];
  const subject = tbs[i++];
  const spki = tbs[i++];
  if (serial?.tag !== TAG_INTEGER || issuer === undefined || validity?.tag !== TAG_SEQUENCE || subject === undefined || spki?.tag !== TAG_SEQUENCE) {
    return 'tbsCertificate lacks serialNumber, issuer, validity, subject or subjectPublicKeyInfo';
  }
  const times = children(der, validity) ?? [];
  const issuerText = nameText(der, issuer);
  const subjectText = nameText(der, subject);
  if (issuerText === null || subjectText === null) return 'malformed issuer or subject name';
  const sigAlg = children(der, top[1]) ?? [];
  const sigOid = oidAt(der, sigAlg[0]);
  const key = publicKey(der, spki);

  let subjectAltNames: string[] = [];
  let isCA = false;
  const extsWrapper = tbs.find((t) => t.tag === 0xa3);
  if (extsWrapper !== undefined) {
    const exts = readTlv(der, extsWrapper.start, extsWrapper.end);
    for (const ext of (exts !== null && exts.tag === TAG_SEQUENCE ? children(der, exts) : null) ?? []) {
      const f = children(der, ext);
      if (f === null || f.length < 2) continue;
      const oid = oidAt(der, f[0]);
      const value = f[f.length - 1];
      if (value.tag !== TAG_OCTET_STRING) continue;
      if (oid === OID_SUBJECT_ALT_NAME) subjectAltNames = altNames(der, value);
      else if (oid === OID_BASIC_CONSTRAINTS) isCA = basicConstraintsCa(der, value);
    }
  }
  return {
    // A leading 00 only keeps a high-bit serial positive (X.690 §8.3.2); OpenSSL and Node omit it.
    serial: toHex(der, serial.end - serial.start > 1 && der[serial.start] === 0 ? serial.start + 1 : serial.start, serial.end).toUpperCase(),
    issuer: issuerText,
    subject: subjectText,
    validFrom: times[0] !== undefined ? timeValue(der, times[0]) ?? '' : '',
    validTo: times[1] !== undefined ? timeValue(der, times[1]) ?? '' : '',
    keyType: key.keyType,
    keyBits: key.keyBits,
    signatureAlgorithm: sigOid !== null ? SIGNATURE_ALGORITHMS.get(sigOid) ?? sigOid : null,
    subjectAltNames,
    isCA,
  };
}

/** SHA-256 of the DER as colon-separated upper-case hex, as `openssl x509 -fingerprint -sha256` prints it. */
function fingerprint(der: Uint8Array): string {
  return colonHex(createHash('sha256').update(der).digest());
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

function colonHex(digest: Buffer): string {
  let out = HEX_PAIRS[digest[0]];
  for (let i = 1; i < digest.length; i++) out += ':' + HEX_PAIRS[digest[i]];
  return out;
}

/** What Node's X509Certificate can add: key details and the self-signature check. */
function nodeDetails(der: Uint8Array, selfIssued: boolean): { keyType?: string; keyBits?: number | null; selfSigned?: boolean; isCA?: boolean } {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return {};
  }
  const out: { keyType?: string; keyBits?: number | null; selfSigned?: boolean; isCA?: boolean } = { isCA: x509.ca };
  try {
    const key = x509.publicKey;
    const details = key.asymmetricKeyDetails;
    if (key.asymmetricKeyType !== undefined) out.keyType = key.asymmetricKeyType;
    if (details?.modulusLength !== undefined) out.keyBits = details.modulusLength;
    else if (details?.namedCurve !== undefined) out.keyBits = NODE_CURVE_BITS.get(details.namedCurve) ?? null;
    if (selfIssued) out.selfSigned = x509.verify(key);
  } catch {
    // A key type this Node/OpenSSL cannot load (e.g. ML-DSA before OpenSSL 3.5): keep the DER view.
  }
  return out;
}

/** Summary of one DER certificate. Never throws. */
/**
 * A memo the caller owns (one per capture): the same certificate chain is sent on every connection to
 * a server, and Node's X.509 parse plus the self-signature check cost far more than the SHA-256 that
 * keys it. Bounded by the caller; the decoder itself keeps no state.
 */
export type CertificateMemo = Map<string, CertificateSummary>;
const MEMO_LIMIT = 4096;

export function summarizeCertificate(der: Uint8Array, memo?: CertificateMemo): CertificateSummary {
  if (memo) {
    // Keyed by the digest in base64 (44 characters, made by the hash itself); the colon form is
    // made only for a certificate not seen before.
    const digest = createHash('sha256').update(der).digest();
    const key = digest.toString('base64');
    const known = memo.get(key);
    if (known) return known;
    const fresh = summarizeUncached(der, colonHex(digest));
    if (memo.size < MEMO_LIMIT) memo.set(key, fresh);
    return fresh;
  }
  return summarizeUncached(der, fingerprint(der));
}

function summarizeUncached(der: Uint8Array, fp: string): CertificateSummary {
  let parsed: Parsed | string;
  try {
    parsed = parse(der);
  } catch (e) {
    parsed = `undecodable certificate: ${(e as Error).message}`;
  }
  if (typeof parsed === 'string') {
    return {
      subject: '', issuer: '', serialNumber: '', validFrom: '', validTo: '', subjectAltNames: [],
      keyType: 'unknown', keyBits: null, signatureAlgorithm: null, fingerprintSha256: fp,
      selfSigned: false, isCA: false, length: der.length, error: parsed,
    };
  }
  const selfIssued = parsed.issuer === parsed.subject;
  const node = nodeDetails(der, selfIssued);
  return {
    subject: parsed.subject,
    issuer: parsed.issuer,
    serialNumber: parsed.serial,
    validFrom: parsed.validFrom,
    validTo: parsed.validTo,
    subjectAltNames: parsed.subjectAltNames,
    keyType: node.keyType ?? parsed.keyType,
    keyBits: node.keyBits !== undefined && node.keyBits !== null ? node.keyBits : parsed.keyBits,
    signatureAlgorithm: parsed.signatureAlgorithm,
    fingerprintSha256: fp,
    // When Node cannot check the signature (unsupported key type), a self-issued name is the best evidence.
    selfSigned: selfIssued && (node.selfSigned ?? true),
    isCA: parsed.isCA || node.isCA === true,
    length: der.length,
  };
}
