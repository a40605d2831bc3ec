/**
 * Protocol versions as they appear on the wire (ProtocolVersion, 16 bits).
 * SSL 2.0: draft-hickman-netscape-ssl-00; SSL 3.0: RFC 6101; TLS 1.0: RFC 2246; TLS 1.1: RFC 4346;
 * TLS 1.2: RFC 5246; TLS 1.3: RFC 8446 (drafts used 0x7f00 + draft number, draft-ietf-tls-tls13-xx
 * §4.2.1); DTLS 1.0: RFC 4347; DTLS 1.2: RFC 6347; DTLS 1.3: RFC 9147; GREASE: RFC 8701.
 */
import { hex16 } from '../hex.js';
import type { ProtocolVersion } from '../types.js';

export const SSL2 = 0x0002;
export const SSL3 = 0x0300;
export const TLS10 = 0x0301;
export const TLS11 = 0x0302;
export const TLS12 = 0x0303;
export const TLS13 = 0x0304;

const NAMES: ReadonlyMap<number, string> = new Map([
  [SSL2, 'SSL 2.0'],
  [SSL3, 'SSL 3.0'],
  [TLS10, 'TLS 1.0'],
  [TLS11, 'TLS 1.1'],
  [TLS12, 'TLS 1.2'],
  [TLS13, 'TLS 1.3'],
  [0xfeff, 'DTLS 1.0'], // RFC 4347
  [0xfefd, 'DTLS 1.2'], // RFC 6347
  [0xfefc, 'DTLS 1.3'], // RFC 9147
  [0x0100, 'DTLS 1.0 (OpenSSL pre 0.9.8f)'], // deployed before RFC 4347 settled on 0xfeff
  [0xfb17, 'TLS 1.3 (Facebook draft 23)'], // Facebook's experimental code points (Fizz)
  [0xfb1a, 'TLS 1.3 (Facebook draft 26)'],
  [0x7e01, 'TLS 1.3 (Google experiment 1)'], // BoringSSL's 2017 middlebox experiments (Chrome 62-64)
  [0x7e02, 'TLS 1.3 (Google experiment 2)'],
  [0x7e03, 'TLS 1.3 (Google experiment 3)'],
]);

/** Pre-standard TLS 1.3 code points that are not 0x7f00 + draft: Google's experiments, Facebook's drafts. */
const TLS13_EXPERIMENTS: ReadonlySet<number> = new Set([0x7e01, 0x7e02, 0x7e03, 0xfb17, 0xfb1a]);

const SHORT: ReadonlyMap<number, string> = new Map([
  [SSL2, 'SSL2'],
  [SSL3, 'SSL3'],
  [TLS10, 'TLS1.0'],
  [TLS11, 'TLS1.1'],
  [TLS12, 'TLS1.2'],
  [TLS13, 'TLS1.3'],
]);

/** RFC 8701 §2: GREASE values are 0x?A?A with both bytes equal. */
export function isGrease16(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

/** TLS 1.3 draft versions: 0x7f00 | draft number (draft-ietf-tls-tls13). */
export function tls13Draft(v: number): number | null {
  return (v & 0xff00) === 0x7f00 && (v & 0xff) > 0 ? v & 0xff : null;
}

/** 'TLS 1.2', 'TLS 1.3 (draft 23)', 'GREASE', or 'unknown(0x1234)'. */
export function versionName(v: ProtocolVersion): string {
  const known = NAMES.get(v);
  if (known !== undefined) return known;
  const draft = tls13Draft(v);
  if (draft !== null) return `TLS 1.3 (draft ${draft})`;
  if (isGrease16(v)) return 'GREASE';
  return `unknown(${hex16(v)})`;
}

/** The compact style of z/OS System SSL traces: 'SSL3', 'TLS1.0', 'TLS1.2', 'TLS1.3-draft23'. */
export function versionShort(v: ProtocolVersion): string {
  const known = SHORT.get(v);
  if (known !== undefined) return known;
  const draft = tls13Draft(v);
  if (draft !== null) return `TLS1.3-draft${draft}`;
  return versionName(v);
}

/** TLS 1.3 or one of its drafts (including Google's and Facebook's experimental code points). */
export function isTls13(v: ProtocolVersion): boolean {
  return v === TLS13 || tls13Draft(v) !== null || TLS13_EXPERIMENTS.has(v);
}

/**
 * TLS 1.3 as published, or a draft from 22 on: the versions that put 0x0303 in every record and
 * answer with supported_versions (draft-ietf-tls-tls13-22 introduced both for middlebox
 * compatibility). Earlier drafts and the experiments used 0x0301 records.
 */
export function isTls13Final(v: ProtocolVersion): boolean {
  const draft = tls13Draft(v);
  return v === TLS13 || (draft !== null && draft >= 22) || v === 0xfb17 || v === 0xfb1a;
}

/** Versions whose record and handshake layout this decoder knows: SSL 3.0 to TLS 1.3 (drafts included). */
export function isKnownTlsVersion(v: ProtocolVersion): boolean {
  return (v >= SSL3 && v <= TLS13) || isTls13(v);
}

/**
 * The specification family a version's message layouts and vector bounds come from. Versions
 * above TLS 1.2 that are not TLS 1.3 are read as TLS 1.2 (the newest ≤1.2 layout); versions
 * below SSL 3.0 as SSL 3.0.
 */
export type SpecEra = 'ssl3' | 'tls10' | 'tls11' | 'tls12' | 'tls13';

export function specEra(v: ProtocolVersion): SpecEra {
  if (isTls13(v)) return 'tls13';
  if (v <= SSL3) return 'ssl3';
  if (v === TLS10) return 'tls10';
  if (v === TLS11) return 'tls11';
  return 'tls12';
}

/** The RFC that defines each era. */
export const ERA_RFC: Readonly<Record<SpecEra, string>> = {
  ssl3: 'RFC 6101',
  tls10: 'RFC 2246',
  tls11: 'RFC 4346',
  tls12: 'RFC 5246',
  tls13: 'RFC 8446',
};

/** Display name of an era, for messages ("SSL 3.0 requires ..."). */
export const ERA_NAME: Readonly<Record<SpecEra, string>> = {
  ssl3: 'SSL 3.0',
  tls10: 'TLS 1.0',
  tls11: 'TLS 1.1',
  tls12: 'TLS 1.2',
  tls13: 'TLS 1.3',
};
