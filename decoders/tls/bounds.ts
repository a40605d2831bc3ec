/**
 * Vector bounds of the handshake messages, per protocol version, as each RFC declares them.
 * Decoders and conformance checks share these so a rule is stated once, with its citation.
 * SSL 3.0: RFC 6101 §5.6; TLS 1.0: RFC 2246 §7.4; TLS 1.1: RFC 4346 §7.4; TLS 1.2: RFC 5246 §7.4;
 * TLS 1.3: RFC 8446 §4.
 */
import type { VectorBound } from './problems.js';
import { ERA_NAME, ERA_RFC, type SpecEra } from './registry/versions.js';

const U8 = 255;
const U16 = 65535;
const U24 = 16777215;

/** Bounds are asked for on every message decoded: each is built once (by declaration, era, section). */
const made = new Map<string, Map<SpecEra, Map<string, VectorBound>>>();

function bound(era: SpecEra, section: string, min: number, max: number, decl: string, unit?: number): VectorBound {
  let byEra = made.get(decl);
  if (byEra === undefined) made.set(decl, (byEra = new Map()));
  let bySection = byEra.get(era);
  if (bySection === undefined) byEra.set(era, (bySection = new Map()));
  let b = bySection.get(section);
  if (b === undefined) {
    b = Object.freeze({ min, max, decl, rule: `${ERA_RFC[era]} ${section}`, versionName: ERA_NAME[era], ...(unit !== undefined ? { unit } : {}) });
    bySection.set(section, b);
  }
  return b;
}

/** Section of each message per era. */
const SECTIONS = {
  ClientHello: { ssl3: '§5.6.1.2', tls10: '§7.4.1.2', tls11: '§7.4.1.2', tls12: '§7.4.1.2', tls13: '§4.1.2' },
  ServerHello: { ssl3: '§5.6.1.3', tls10: '§7.4.1.3', tls11: '§7.4.1.3', tls12: '§7.4.1.3', tls13: '§4.1.3' },
  Certificate: { ssl3: '§5.6.2', tls10: '§7.4.2', tls11: '§7.4.2', tls12: '§7.4.2', tls13: '§4.4.2' },
  ServerKeyExchange: { ssl3: '§5.6.3', tls10: '§7.4.3', tls11: '§7.4.3', tls12: '§7.4.3', tls13: '§4' },
  CertificateRequest: { ssl3: '§5.6.4', tls10: '§7.4.4', tls11: '§7.4.4', tls12: '§7.4.4', tls13: '§4.3.2' },
  ServerHelloDone: { ssl3: '§5.6.5', tls10: '§7.4.5', tls11: '§7.4.5', tls12: '§7.4.5', tls13: '§4' },
  CertificateVerify: { ssl3: '§5.6.8', tls10: '§7.4.8', tls11: '§7.4.8', tls12: '§7.4.8', tls13: '§4.4.3' },
  Finished: { ssl3: '§5.6.9', tls10: '§7.4.9', tls11: '§7.4.9', tls12: '§7.4.9', tls13: '§4.4.4' },
  HelloRequest: { ssl3: '§5.6.1.1', tls10: '§7.4.1.1', tls11: '§7.4.1.1', tls12: '§7.4.1.1', tls13: '§4' },
  Record: { ssl3: '§5.2.1', tls10: '§6.2.1', tls11: '§6.2.1', tls12: '§6.2.1', tls13: '§5.1' },
  Extensions: { ssl3: '§5.6.1.2', tls10: '§7.4.1.4', tls11: '§7.4.1.4', tls12: '§7.4.1.4', tls13: '§4.2' },
} as const;

export type MessageSection = keyof typeof SECTIONS;

/** `RFC 5246 §7.4.4` for (CertificateRequest, tls12). TLS 1.0/1.1 hello extensions are cited from RFC 5246, which defines the mechanism they use. */
export function ruleFor(message: MessageSection, era: SpecEra): string {
  if (message === 'Extensions' && (era === 'tls10' || era === 'tls11' || era === 'ssl3')) return 'RFC 5246 §7.4.1.4';
  return `${ERA_RFC[era]} ${SECTIONS[message][era]}`;
}

export const clientHello = {
  sessionId: (era: SpecEra): VectorBound =>
    bound(era, SECTIONS.ClientHello[era], 0, 32, era === 'tls13' ? 'opaque legacy_session_id<0..32>' : 'opaque SessionID<0..32>'),
  cipherSuites: (era: SpecEra): VectorBound =>
    era === 'ssl3' || era === 'tls10' || era === 'tls11'
      ? bound(era, SECTIONS.ClientHello[era], 2, U16, 'CipherSuite cipher_suites<2..2^16-1>', 2)
      : bound(era, SECTIONS.ClientHello[era], 2, U16 - 1, 'CipherSuite cipher_suites<2..2^16-2>', 2),
  compressionMethods: (era: SpecEra): VectorBound =>
    bound(era, SECTIONS.ClientHello[era], 1, U8, era === 'tls13' ? 'opaque legacy_compression_methods<1..2^8-1>' : 'CompressionMethod compression_methods<1..2^8-1>'),
  extensions: (era: SpecEra): VectorBound =>
    era === 'tls13'
      ? bound(era, SECTIONS.ClientHello.tls13, 8, U16, 'Extension extensions<8..2^16-1>')
      : bound('tls12', SECTIONS.ClientHello.tls12, 0, U16, 'Extension extensions<0..2^16-1>'),
};

export const serverHello = {
  sessionId: (era: SpecEra): VectorBound =>
    bound(era, SECTIONS.ServerHello[era], 0, 32, era === 'tls13' ? 'opaque legacy_session_id_echo<0..32>' : 'opaque SessionID<0..32>'),
  extensions: (era: SpecEra): VectorBound =>
    era === 'tls13'
      ? bound(era, SECTIONS.ServerHello.tls13, 6, U16, 'Extension extensions<6..2^16-1>')
      : bound('tls12', SECTIONS.ServerHello.tls12, 0, U16, 'Extension extensions<0..2^16-1>'),
};

export const certificate = {
  /** SSL 3.0 required at least one certificate; a client without one sent no_certificate instead. */
  list: (era: SpecEra): VectorBound =>
    era === 'ssl3'
      ? bound(era, SECTIONS.Certificate.ssl3, 1, U24, 'ASN.1Cert certificate_list<1..2^24-1>')
      : bound(era, SECTIONS.Certificate[era], 0, U24, era === 'tls13' ? 'CertificateEntry certificate_list<0..2^24-1>' : 'ASN.1Cert certificate_list<0..2^24-1>'),
  cert: (era: SpecEra): VectorBound =>
    bound(era, SECTIONS.Certificate[era], 1, U24, era === 'tls13' ? 'opaque cert_data<1..2^24-1>' : 'opaque ASN.1Cert<1..2^24-1>'),
  context: (): VectorBound => bound('tls13', SECTIONS.Certificate.tls13, 0, U8, 'opaque certificate_request_context<0..2^8-1>'),
  entryExtensions: (): VectorBound => bound('tls13', SECTIONS.Certificate.tls13, 0, U16, 'Extension extensions<0..2^16-1>'),
};

export const certificateRequest = {
  types: (era: SpecEra): VectorBound =>
    bound(era, SECTIONS.CertificateRequest[era], 1, U8, 'ClientCertificateType certificate_types<1..2^8-1>'),
  /**
   * RFC 5246 §7.4.4 prints this vector as `<2^16-1>` (no floor); §7.4.1.4.1 declares the same list
   * of 2-byte pairs as `<2..2^16-2>`, which is the bound implementations apply.
   */
  signatureAlgorithms: (): VectorBound => ({
    min: 2, max: U16 - 1, unit: 2, versionName: 'TLS 1.2',
    decl: 'SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>',
    rule: 'RFC 5246 §7.4.4, §7.4.1.4.1',
  }),
  /** The rule at the heart of the empty-CA-list diagnosis: <3..> in SSL 3.0 and TLS 1.0, <0..> from TLS 1.1. */
  authorities: (era: SpecEra): VectorBound =>
    era === 'ssl3' || era === 'tls10'
      ? bound(era, SECTIONS.CertificateRequest[era], 3, U16, 'DistinguishedName certificate_authorities<3..2^16-1>')
      : bound(era === 'tls13' ? 'tls12' : era, SECTIONS.CertificateRequest[era === 'tls13' ? 'tls12' : era], 0, U16, 'DistinguishedName certificate_authorities<0..2^16-1>'),
  distinguishedName: (era: SpecEra): VectorBound =>
    bound(era === 'tls13' ? 'tls12' : era, SECTIONS.CertificateRequest[era === 'tls13' ? 'tls12' : era], 1, U16, 'opaque DistinguishedName<1..2^16-1>'),
  context: (): VectorBound => bound('tls13', SECTIONS.CertificateRequest.tls13, 0, U8, 'opaque certificate_request_context<0..2^8-1>'),
  extensions: (): VectorBound => bound('tls13', SECTIONS.CertificateRequest.tls13, 2, U16, 'Extension extensions<2..2^16-1>'),
};

/** RFC 8446 §4.2.4: the certificate_authorities extension (ClientHello or CertificateRequest). */
export function authoritiesExtension(): VectorBound {
  return bound('tls13', '§4.2.4', 3, U16, 'DistinguishedName authorities<3..2^16-1>');
}

/** digitally-signed: `opaque signature<0..2^16-1>` (RFC 5246 §4.7; RFC 8446 §4.4.3). */
export function signature(era: SpecEra): VectorBound {
  return bound(era, era === 'tls13' ? SECTIONS.CertificateVerify.tls13 : '§4.7', 0, U16, 'opaque signature<0..2^16-1>');
}

/** RFC 5246 §7.4.3 ServerDHParams; RFC 8422 §5.4 ECPoint; RFC 4279 §2 PSK hint; RFC 5054 §2.8.1 SRP. */
export const serverKeyExchange = {
  dh: (field: 'dh_p' | 'dh_g' | 'dh_Ys'): VectorBound =>
    ({ min: 1, max: U16, decl: `opaque ${field}<1..2^16-1>`, rule: 'RFC 5246 §7.4.3' }),
  rsa: (field: 'rsa_modulus' | 'rsa_exponent'): VectorBound =>
    ({ min: 1, max: U16, decl: `opaque ${field}<1..2^16-1>`, rule: 'RFC 4346 §7.4.3' }),
  ecPoint: (): VectorBound => ({ min: 1, max: U8, decl: 'opaque point<1..2^8-1>', rule: 'RFC 8422 §5.4' }),
  pskHint: (): VectorBound => ({ min: 0, max: U16, decl: 'opaque psk_identity_hint<0..2^16-1>', rule: 'RFC 4279 §2' }),
  srp: (field: 'srp_N' | 'srp_g' | 'srp_B'): VectorBound =>
    ({ min: 1, max: U16, decl: `opaque ${field}<1..2^16-1>`, rule: 'RFC 5054 §2.8.1' }),
  srpSalt: (): VectorBound => ({ min: 1, max: U8, decl: 'opaque srp_s<1..2^8-1>', rule: 'RFC 5054 §2.8.1' }),
};

export const newSessionTicket = {
  ticket12: (): VectorBound => ({ min: 0, max: U16, decl: 'opaque ticket<0..2^16-1>', rule: 'RFC 5077 §3.3' }),
  nonce: (): VectorBound => bound('tls13', '§4.6.1', 0, U8, 'opaque ticket_nonce<0..255>'),
  ticket13: (): VectorBound => bound('tls13', '§4.6.1', 1, U16, 'opaque ticket<1..2^16-1>'),
  extensions: (): VectorBound => bound('tls13', '§4.6.1', 0, U16 - 1, 'Extension extensions<0..2^16-2>'),
};

/** RFC 8446 §4.3.1. */
export function encryptedExtensions(): VectorBound {
  return bound('tls13', '§4.3.1', 0, U16, 'Extension extensions<0..2^16-1>');
}

/** RFC 6066 §8 OCSPResponse; RFC 6961 §2.2 OCSPResponseList. */
export const certificateStatus = {
  ocsp: (): VectorBound => ({ min: 1, max: U24, decl: 'opaque OCSPResponse<1..2^24-1>', rule: 'RFC 6066 §8' }),
  ocspMulti: (): VectorBound => ({ min: 1, max: U24, decl: 'OCSPResponse ocsp_response_list<1..2^24-1>', rule: 'RFC 6961 §2.2' }),
};
