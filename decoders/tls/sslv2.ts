/**
 * SSL 2.0 records (draft-hickman-netscape-ssl-00 §2.1) and the messages that travel in the clear:
 * CLIENT-HELLO (also the SSLv2-compatible TLS ClientHello of RFC 5246 Appendix E.2),
 * SERVER-HELLO, CLIENT-MASTER-KEY and ERROR. Everything after the key exchange is encrypted and
 * only counted.
 */
import type { CertificateSummary, DecodeProblem, NamedCode, ProtocolVersion, Sslv2Message } from './types.js';
import { problem } from './problems.js';
import { sslv2CipherSpec } from './registry/cipher-suites.js';
import { versionName } from './registry/versions.js';
import { summarizeCertificate } from './certificate.js';

export interface Sslv2Header {
  readonly headerLength: 2 | 3;
  /** Bytes that follow the header (MAC, data and padding). */
  readonly length: number;
  readonly padding: number;
}

export const SSL2_MT_ERROR = 0;
export const SSL2_MT_CLIENT_HELLO = 1;
export const SSL2_MT_CLIENT_MASTER_KEY = 2;
export const SSL2_MT_SERVER_HELLO = 4;

const MESSAGE_NAMES: readonly string[] = [
  'ERROR', 'CLIENT-HELLO', 'CLIENT-MASTER-KEY', 'CLIENT-FINISHED', 'SERVER-HELLO',
  'SERVER-VERIFY', 'SERVER-FINISHED', 'REQUEST-CERTIFICATE', 'CLIENT-CERTIFICATE',
];

/** draft-hickman-netscape-ssl-00 Appendix C: error codes of the ERROR message. */
const ERROR_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0001, 'NO-CIPHER-ERROR'],
  [0x0002, 'NO-CERTIFICATE-ERROR'],
  [0x0004, 'BAD-CERTIFICATE-ERROR'],
  [0x0006, 'UNSUPPORTED-CERTIFICATE-TYPE-ERROR'],
]);

const SSL2_RULE = 'draft-hickman-netscape-ssl-00';
const V2HELLO_RULE = 'RFC 5246 Appendix E.2';

export function sslv2MessageName(type: number): string {
  return MESSAGE_NAMES[type] ?? `unknown(${type})`;
}

/**
 * The SSLv2 record header at `offset`: two bytes when the high bit is set (length 15 bits, no
 * padding), else three bytes (length 14 bits, padding count in the third). null when the header
 * is not all present.
 */
export function parseSslv2Header(buf: Uint8Array, offset: number, length: number): Sslv2Header | null {
  const avail = Math.min(length, buf.length - offset);
  if (offset < 0 || avail < 2) return null;
  const b0 = buf[offset];
  if ((b0 & 0x80) !== 0) return { headerLength: 2, length: ((b0 & 0x7f) << 8) | buf[offset + 1], padding: 0 };
  if (avail < 3) return null;
  return { headerLength: 3, length: ((b0 & 0x3f) << 8) | buf[offset + 1], padding: buf[offset + 2] };
}

function plausibleVersion(v: number): boolean {
  return v === 0x0002 || (v >> 8 === 3 && (v & 0xff) <= 4);
}

/**
 * Does an SSLv2 record holding a hello start here? Only the 2-byte header form is considered:
 * every known client sends its hello that way, and the 3-byte form would match too much plain text.
 * Answers 'sslv2', 'need-more' (consistent so far) or 'no'.
 */
export function sniffSslv2(buf: Uint8Array, offset: number, avail: number, expectServer: boolean): 'sslv2' | 'need-more' | 'no' {
  const b0 = buf[offset];
  if ((b0 & 0x80) === 0) return 'no';
  if (avail < 3) return 'need-more';
  const len = ((b0 & 0x7f) << 8) | buf[offset + 1];
  const type = buf[offset + 2];
  if (type === SSL2_MT_CLIENT_HELLO) {
    // msg_type, version, cipher_spec_length, session_id_length, challenge_length: 9 bytes.
    if (len < 9) return 'no';
    if (avail < 5) return 'need-more';
    if (!plausibleVersion(be16(buf, offset + 3))) return 'no';
    if (avail < 11) return 'need-more';
    const cs = be16(buf, offset + 5);
    const sid = be16(buf, offset + 7);
    const ch = be16(buf, offset + 9);
    if (cs === 0 || cs % 3 !== 0 || sid > 32 || ch < 16 || ch > 32) return 'no';
    return 9 + cs + sid + ch <= len ? 'sslv2' : 'no';
  }
  if (!expectServer) return 'no';
  if (type === SSL2_MT_SERVER_HELLO) {
    // msg_type, session_id_hit, certificate_type, version, certificate_length,
    // cipher_specs_length, connection_id_length: 11 bytes.
    if (len < 11) return 'no';
    if (avail < 5) return 'need-more';
    if (buf[offset + 3] > 1) return 'no';
    if (avail < 7) return 'need-more';
    if (be16(buf, offset + 5) !== 0x0002) return 'no';
    if (avail < 13) return 'need-more';
    const cert = be16(buf, offset + 7);
    const cs = be16(buf, offset + 9);
    const conn = be16(buf, offset + 11);
    if (cs % 3 !== 0 || conn < 16 || conn > 32) return 'no';
    return 11 + cert + cs + conn <= len ? 'sslv2' : 'no';
  }
  if (type === SSL2_MT_ERROR) {
    if (len !== 3) return 'no';
    if (avail < 5) return 'need-more';
    return ERROR_NAMES.has(be16(buf, offset + 3)) ? 'sslv2' : 'no';
  }
  return 'no';
}

/** Messages only a client sends, and only a server sends (draft-hickman-netscape-ssl-00 §2.5, §2.6). */
const CLIENT_ONLY: ReadonlySet<number> = new Set([1, 2, 3, 8]);
const SERVER_ONLY: ReadonlySet<number> = new Set([4, 5, 6, 7]);

/** True when `n` bytes are present at `at`; else records the short field. */
function need(problems: DecodeProblem[], name: string, field: string, n: number, at: number, end: number): boolean {
  if (end - at >= n) return true;
  problems.push(problem('error', 'buffer-too-small', `${name}.${field}`,
    `message ends before ${field} is complete: it needs ${n} bytes, ${Math.max(0, end - at)} remain`, SSL2_RULE, at));
  return false;
}

/** Checks that the variable part declared by the fixed fields (`total` bytes from `at`) fits the record exactly. */
function fixedPart(problems: DecodeProblem[], name: string, field: string, total: number, at: number, end: number): boolean {
  if (at + total <= end) {
    if (at + total < end) {
      problems.push(problem('warning', 'trailing-data', name,
        `${end - at - total} undecoded bytes after the last field of ${name}`, SSL2_RULE, at + total));
    }
    return true;
  }
  problems.push(problem('error', 'length-overrun', `${name}.${field}`,
    `the declared field lengths need ${total} bytes but only ${end - at} remain in the record`, SSL2_RULE, at));
  return false;
}

function be16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

function specs(body: Uint8Array, start: number, length: number): NamedCode[] {
  const out: NamedCode[] = [];
  const end = start + length - (length % 3);
  for (let i = start; i < end; i += 3) out.push(sslv2CipherSpec((body[i] << 16) | (body[i + 1] << 8) | body[i + 2]));
  return out;
}

/**
 * Decodes one SSLv2 message. `body` is the record's content after the header (`header.length`
 * bytes, padding included). With `encrypted` the content is only counted.
 */
export function decodeSslv2Message(body: Uint8Array, header: Sslv2Header, from: 'client' | 'server', encrypted: boolean): Sslv2Message {
  const problems: DecodeProblem[] = [];
  const base = { headerLength: header.headerLength, length: header.length, padding: header.padding };
  if (body.length < header.length) {
    problems.push(problem('error', 'buffer-too-small', 'SSLv2.record',
      `SSLv2 record declares ${header.length} bytes but only ${body.length} are present`, SSL2_RULE, 0));
  }
  if (encrypted) return { ...base, messageType: -1, name: 'encrypted', problems };
  // Plaintext messages carry no MAC; padding only exists with block ciphers, so it is not data.
  const end = Math.max(0, Math.min(body.length, header.length) - header.padding);
  if (end < 1) {
    problems.push(problem('error', 'buffer-too-small', 'SSLv2.msg_type', 'SSLv2 record holds no message type', SSL2_RULE, 0));
    return { ...base, messageType: -1, name: 'empty', problems };
  }
  const type = body[0];
  const name = sslv2MessageName(type);
  const wrongSide = CLIENT_ONLY.has(type) ? from === 'server' : SERVER_ONLY.has(type) ? from === 'client' : false;
  if (wrongSide) {
    problems.push(problem('warning', 'unexpected-direction', name, `${name} sent by the ${from}`, SSL2_RULE, 0));
  }
  switch (type) {
    case SSL2_MT_CLIENT_HELLO: {
      if (!need(problems, name, 'challenge_length', 8, 1, end)) return { ...base, messageType: type, name, problems };
      const version: ProtocolVersion = be16(body, 1);
      const cs = be16(body, 3);
      const sid = be16(body, 5);
      const ch = be16(body, 7);
      const tlsHello = version >> 8 === 3;
      const rule = tlsHello ? V2HELLO_RULE : SSL2_RULE;
      if (cs === 0) problems.push(problem('error', 'empty-vector-forbidden', `${name}.cipher_specs`,
        'cipher_spec_length is 0; it cannot be zero', rule, 3));
      else if (cs % 3 !== 0) problems.push(problem('error', 'vector-length', `${name}.cipher_specs`,
        `cipher_spec_length ${cs} is not a multiple of 3 (each V2CipherSpec is 3 bytes)`, rule, 3));
      if (tlsHello && version >= 0x0303 && sid !== 0) problems.push(problem('warning', 'vector-length', `${name}.session_id`,
        `session_id_length is ${sid}; it must be zero for a client that claims to support TLS 1.2`, V2HELLO_RULE, 5));
      else if (!tlsHello && sid !== 0 && sid !== 16) problems.push(problem('warning', 'vector-length', `${name}.session_id`,
        `session_id_length is ${sid}; SSL 2.0 session ids are 16 bytes`, SSL2_RULE, 5));
      if (ch < 16 || ch > 32) problems.push(problem('warning', 'vector-length', `${name}.challenge`,
        `challenge_length is ${ch}; permissible values are 16 to 32`, rule, 7));
      if (tlsHello) {
        problems.push(problem('warning', 'sslv2-compatible-hello', name,
          `SSLv2-format CLIENT-HELLO offering ${versionName(version)}; TLS clients must not send this format and current servers refuse it`,
          'RFC 6176 §3', 0));
      } else if (version === 0x0002) {
        problems.push(problem('warning', 'sslv2-hello', name,
          'SSL 2.0 CLIENT-HELLO; SSL 2.0 must never be negotiated', 'RFC 6176 §3', 0));
      } else {
        problems.push(problem('error', 'bad-version', `${name}.version`,
          `CLIENT-HELLO version 0x${version.toString(16).padStart(4, '0')} is neither SSL 2.0 nor {3,x}`, SSL2_RULE, 1));
      }
      const ok = fixedPart(problems, name, 'cipher_specs', cs + sid + ch, 9, end);
      const avail = Math.max(0, end - 9);
      return {
        ...base, messageType: type, name, problems,
        version,
        cipherSpecs: specs(body, 9, Math.min(cs, avail)),
        sessionIdLength: sid,
        challengeLength: ok ? ch : Math.max(0, Math.min(ch, avail - cs - sid)),
      };
    }
    case SSL2_MT_SERVER_HELLO: {
      if (!need(problems, name, 'connection_id_length', 10, 1, end)) return { ...base, messageType: type, name, problems };
      const hit = body[1];
      const certType = body[2];
      const version = be16(body, 3);
      const certLen = be16(body, 5);
      const cs = be16(body, 7);
      const conn = be16(body, 9);
      if (hit > 1) problems.push(problem('warning', 'bad-value', `${name}.session_id_hit`, `session_id_hit is ${hit}; it is a flag (0 or 1)`, SSL2_RULE, 1));
      if (cs % 3 !== 0) problems.push(problem('error', 'vector-length', `${name}.cipher_specs`,
        `cipher_specs_length ${cs} is not a multiple of 3`, SSL2_RULE, 7));
      if (conn < 16 || conn > 32) problems.push(problem('warning', 'vector-length', `${name}.connection_id`,
        `connection_id_length is ${conn}; permissible values are 16 to 32`, SSL2_RULE, 9));
      fixedPart(problems, name, 'certificate', certLen + cs + conn, 11, end);
      let certificate: CertificateSummary | undefined;
      const certEnd = Math.min(end, 11 + certLen);
      if (certType === 1 && certLen > 0 && certEnd > 11) certificate = summarizeCertificate(body.subarray(11, certEnd));
      const specStart = 11 + certLen;
      return {
        ...base, messageType: type, name, problems,
        version,
        cipherSpecs: specStart < end ? specs(body, specStart, Math.min(cs, end - specStart)) : [],
        sessionIdHit: hit === 1,
        certificateType: certType,
        connectionIdLength: conn,
        ...(certificate !== undefined ? { certificate } : {}),
      };
    }
    case SSL2_MT_CLIENT_MASTER_KEY: {
      if (!need(problems, name, 'key_arg_length', 9, 1, end)) return { ...base, messageType: type, name, problems };
      const kind = (body[1] << 16) | (body[2] << 8) | body[3];
      fixedPart(problems, name, 'key_data', be16(body, 4) + be16(body, 6) + be16(body, 8), 10, end);
      return { ...base, messageType: type, name, problems, cipherSpecs: [sslv2CipherSpec(kind)] };
    }
    case SSL2_MT_ERROR: {
      if (!need(problems, name, 'error_code', 2, 1, end)) return { ...base, messageType: type, name, problems };
      const code = be16(body, 1);
      fixedPart(problems, name, 'error_code', 2, 1, end);
      return { ...base, messageType: type, name, problems, errorCode: code, errorName: ERROR_NAMES.get(code) ?? `unknown(${code})` };
    }
    default:
      if (type >= MESSAGE_NAMES.length) {
        problems.push(problem('warning', 'unknown-message-type', 'SSLv2.msg_type',
          `SSLv2 message type ${type} is not defined`, SSL2_RULE, 0));
      }
      return { ...base, messageType: type, name, problems };
  }
}
