/**
 * Handshake messages (RFC 5246 §7.4; RFC 6101 §5.6; RFC 8446 §4): the 4-byte header and one
 * decoder per message body. Layouts and vector bounds follow the version in the context; every
 * decoder reports overruns, truncation and trailing data as located problems and returns what it
 * could read.
 *
 * Division of labour with conformance.ts: the decoders check each message on its own. The rules
 * that need the other side's message (ServerHello against ClientHello) or the negotiated version
 * as a verdict (the CertificateRequest list bounds: certificate_types, supported_signature_algorithms,
 * certificate_authorities, the TLS 1.3 signature_algorithms requirement) live in conformance.ts,
 * so a caller that runs both never sees a problem twice.
 */
import type {
  CertificateSummary, DecodeProblem, DecodedHandshake, DistinguishedName, Extension, HandshakeBody, HandshakeContext, NamedCode,
} from './types.js';
import { ByteReader } from './reader.js';
import { problem } from './problems.js';
import { toHex } from './hex.js';
import * as B from './bounds.js';
import { checkTls13Placement, findExtension, readExtensionBlock } from './extensions.js';
import { summarizeCertificate } from './certificate.js';
import { decodeDistinguishedName } from './dn.js';
import { cipherSuite } from './registry/cipher-suites.js';
import { cipherSuiteKeyExchange, type KeyExchange } from './registry/key-exchange.js';
import { certificateType } from './registry/certificate-types.js';
import { EXT_CERTIFICATE_AUTHORITIES, EXT_SIGNATURE_ALGORITHMS, EXT_SUPPORTED_VERSIONS } from './registry/extensions.js';
import { namedGroup } from './registry/groups.js';
import { signatureScheme } from './registry/signature-schemes.js';
import * as HS from './registry/handshake-types.js';
import { handshakeTypeName } from './registry/handshake-types.js';
import { ERA_NAME, isTls13, isTls13Final, specEra, tls13Draft, TLS12, versionName, type SpecEra } from './registry/versions.js';

export const HANDSHAKE_HEADER_LENGTH = 4;

/** Reads the 4-byte handshake header: type and 24-bit length. null if fewer than 4 bytes. */
export function parseHandshakeHeader(buf: Uint8Array, offset: number): { type: number; length: number } | null {
  if (offset < 0 || buf.length - offset < HANDSHAKE_HEADER_LENGTH) return null;
  return { type: buf[offset], length: (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3] };
}

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest (SHA-256 of "HelloRetryRequest"). */
const HRR_RANDOM = Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

function isHrrRandom(buf: Uint8Array, at: number): boolean {
  for (let i = 0; i < 32; i++) if (buf[at + i] !== HRR_RANDOM[i]) return false;
  return true;
}

/** Who sends each message (RFC 5246 §7.3, RFC 8446 §2); absent: either side. */
const SENDER: ReadonlyMap<number, 'client' | 'server'> = new Map([
  [HS.HS_HELLO_REQUEST, 'server'],
  [HS.HS_CLIENT_HELLO, 'client'],
  [HS.HS_SERVER_HELLO, 'server'],
  [HS.HS_NEW_SESSION_TICKET, 'server'],
  [HS.HS_END_OF_EARLY_DATA, 'client'],
  [HS.HS_ENCRYPTED_EXTENSIONS, 'server'],
  [HS.HS_SERVER_KEY_EXCHANGE, 'server'],
  [HS.HS_CERTIFICATE_REQUEST, 'server'],
  [HS.HS_SERVER_HELLO_DONE, 'server'],
  [HS.HS_CLIENT_KEY_EXCHANGE, 'client'],
  [HS.HS_CERTIFICATE_STATUS, 'server'],
]);

function readRandom(r: ByteReader): string {
  const at = r.pos;
  return r.skip('random', 32) ? toHex(r.buf, at, at + 32) : '';
}

function readSessionId(r: ByteReader, era: SpecEra, server: boolean): string {
  const end = r.vector('session_id', 1, server ? B.serverHello.sessionId(era) : B.clientHello.sessionId(era));
  if (end < 0) return '';
  const id = toHex(r.buf, r.pos, end);
  r.pos = end;
  return id;
}

function decodeClientHello(r: ByteReader): HandshakeBody {
  const version = r.u16('client_version');
  // Vector bounds follow the version the client asks for; a TLS 1.3 client says 0x0303 here.
  const era: SpecEra = version < 0 ? 'tls12' : specEra(Math.min(version, TLS12));
  const random = version < 0 ? '' : readRandom(r);
  const sessionId = readSessionId(r, era, false);
  const cipherSuites: NamedCode[] = [];
  const csEnd = r.vector('cipher_suites', 2, B.clientHello.cipherSuites(era));
  if (csEnd >= 0) {
    const v = version < 0 ? undefined : version;
    while (csEnd - r.pos >= 2) {
      cipherSuites.push(cipherSuite((r.buf[r.pos] << 8) | r.buf[r.pos + 1], v));
      r.pos += 2;
    }
    r.pos = csEnd;
  }
  const compressionMethods: number[] = [];
  const cmEnd = r.vector('compression_methods', 1, B.clientHello.compressionMethods(era));
  if (cmEnd >= 0) {
    while (r.pos < cmEnd) compressionMethods.push(r.buf[r.pos++]);
    if (compressionMethods.length > 0 && !compressionMethods.includes(0)) {
      r.problems.push(problem('error', 'bad-value', r.field('compression_methods'),
        'compression_methods does not contain null(0); it must', B.ruleFor('ClientHello', era)));
    }
  }
  // SSL 3.0 (RFC 6101 §5.6.1.2) and TLS without extensions end here: no block at all is legal.
  let extensions: Extension[] = [];
  let extensionsLength: number | undefined;
  if (r.remaining() > 0) {
    const block = readExtensionBlock(r, 'ClientHello', era, B.clientHello.extensions(era));
    if (block !== null) {
      extensions = block.extensions;
      extensionsLength = block.length;
    }
  }
  r.trailing();
  const sv = findExtension(extensions, EXT_SUPPORTED_VERSIONS);
  const offered = sv?.value?.kind === 'supported_versions' ? sv.value.versions : [];
  if (offered.some(isTls13)) {
    if (version > TLS12) {
      r.problems.push(problem('warning', 'legacy-version', r.field('legacy_version'),
        `legacy_version is ${versionName(version)}; with supported_versions it must be 0x0303 (TLS 1.2)`, 'RFC 8446 §4.1.2', 0));
    }
    if (compressionMethods.length !== 1 || compressionMethods[0] !== 0) {
      r.problems.push(problem('error', 'bad-value', r.field('legacy_compression_methods'),
        'a ClientHello offering TLS 1.3 must carry exactly one compression method, null(0)', 'RFC 8446 §4.1.2'));
    }
  }
  return {
    kind: 'ClientHello',
    version: Math.max(version, 0),
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions,
    ...(extensionsLength !== undefined ? { extensionsLength } : {}),
  };
}

function decodeServerHello(r: ByteReader): HandshakeBody {
  const version = r.u16('server_version');
  const randomAt = r.pos;
  const random = version < 0 ? '' : readRandom(r);
  const hrr = random !== '' && isHrrRandom(r.buf, randomAt);
  const draft = version < 0 ? null : tls13Draft(version);
  // TLS 1.3 drafts before 22 had no session id and no compression method in the ServerHello.
  const draftLayout = draft !== null && draft < 22;
  const eraGuess: SpecEra = version < 0 ? 'tls12' : specEra(version);
  const sessionId = draftLayout ? '' : readSessionId(r, eraGuess, true);
  const suite = r.u16('cipher_suite');
  const compressionMethod = draftLayout ? 0 : r.u8('compression_method');
  let extensions: Extension[] = [];
  let extensionsLength: number | undefined;
  if (r.remaining() > 0) {
    // Bounds of the TLS 1.3 block are checked once the selected version is known (below).
    const block = readExtensionBlock(r, hrr ? 'HelloRetryRequest' : 'ServerHello', eraGuess, B.serverHello.extensions('tls12'));
    if (block !== null) {
      extensions = block.extensions;
      extensionsLength = block.length;
    }
  }
  r.trailing();
  const sv = findExtension(extensions, EXT_SUPPORTED_VERSIONS);
  const selected = sv?.value?.kind === 'supported_versions' && sv.value.versions.length === 1 ? sv.value.versions[0] : undefined;
  const negotiatedVersion = selected ?? Math.max(version, 0);
  if (isTls13(negotiatedVersion) && !draftLayout) {
    const bound = B.serverHello.extensions('tls13');
    if ((extensionsLength ?? 0) < bound.min) {
      r.problems.push(problem('error', 'vector-length', r.field('extensions'),
        `extensions length ${extensionsLength ?? 0} is below the minimum ${bound.min}; a TLS 1.3 ServerHello carries at least supported_versions (${bound.rule}: ${bound.decl})`,
        bound.rule));
    }
    if (version !== TLS12 && selected !== undefined) {
      r.problems.push(problem('error', 'legacy-version', r.field('legacy_version'),
        `legacy_version is ${versionName(version)}; a TLS 1.3 ServerHello must say 0x0303`, 'RFC 8446 §4.1.3', 0));
    }
    if (compressionMethod > 0) {
      r.problems.push(problem('error', 'bad-value', r.field('legacy_compression_method'),
        `legacy_compression_method is ${compressionMethod}; it must be 0`, 'RFC 8446 §4.1.3'));
    }
    if (isTls13Final(negotiatedVersion)) checkTls13Placement(extensions, hrr ? 'HelloRetryRequest' : 'ServerHello', r.problems, r.path);
  }
  if (selected !== undefined && selected <= TLS12) {
    r.problems.push(problem('error', 'bad-value', r.field('extensions.supported_versions'),
      `supported_versions selects ${versionName(selected)}; the extension may only select TLS 1.3 or later`, 'RFC 8446 §4.2.1'));
  }
  return {
    kind: 'ServerHello',
    version: Math.max(version, 0),
    random,
    sessionId,
    cipherSuite: cipherSuite(Math.max(suite, 0), negotiatedVersion),
    compressionMethod: Math.max(compressionMethod, 0),
    extensions,
    helloRetryRequest: hrr,
    negotiatedVersion,
    ...(extensionsLength !== undefined ? { extensionsLength } : {}),
  };
}

function decodeCertificate(r: ByteReader, era: SpecEra, memo: HandshakeContext['certificateMemo']): HandshakeBody {
  let context: string | undefined;
  if (era === 'tls13') {
    const end = r.vector('certificate_request_context', 1, B.certificate.context());
    if (end < 0) return { kind: 'Certificate', context: '', listLength: 0, certificates: [] };
    context = toHex(r.buf, r.pos, end);
    r.pos = end;
  }
  const listEnd = r.vector('certificate_list', 3, B.certificate.list(era));
  const certificates: CertificateSummary[] = [];
  const entryExtensions: Extension[][] = [];
  if (listEnd < 0) return { kind: 'Certificate', ...(context !== undefined ? { context } : {}), listLength: 0, certificates };
  const listLength = listEnd - r.pos;
  const outer = r.narrow(listEnd);
  while (r.pos < listEnd) {
    const certEnd = r.vector('certificate_list.cert', 3, B.certificate.cert(era));
    if (certEnd < 0) break;
    certificates.push(summarizeCertificate(r.buf.subarray(r.pos, certEnd), memo));
    r.pos = certEnd;
    if (era === 'tls13') {
      const sub = new ByteReader(r.buf, r.pos, listEnd, r.problems, `${r.path}.certificate_list`, r.origin);
      const block = readExtensionBlock(sub, 'Certificate', era, B.certificate.entryExtensions());
      entryExtensions.push(block?.extensions ?? []);
      if (block !== null) checkTls13Placement(block.extensions, 'Certificate', r.problems, r.path);
      r.pos = sub.pos;
      if (block === null) break;
    }
  }
  r.widen(outer);
  r.trailing();
  return {
    kind: 'Certificate',
    ...(context !== undefined ? { context } : {}),
    listLength,
    certificates,
    ...(era === 'tls13' ? { entryExtensions } : {}),
  };
}

/** Bit length of an unsigned big-endian integer in buf[start, end). */
function bitLength(buf: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end && buf[p] === 0) p++;
  return p === end ? 0 : (end - p - 1) * 8 + (32 - Math.clz32(buf[p]));
}

/** Guess the layout when the suite is unknown: a named-curve ECParameters, else DH parameters. */
function guessKeyExchange(body: Uint8Array): KeyExchange {
  if (body.length >= 4 && body[0] === 3) {
    const pointLen = body[3];
    if (4 + pointLen <= body.length) return 'ecdhe';
  }
  return 'dhe';
}

type ServerKeyExchangeBody = Extract<HandshakeBody, { kind: 'ServerKeyExchange' }>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function decodeServerKeyExchange(r: ByteReader, era: SpecEra, suite: number | undefined): HandshakeBody {
  const known = suite !== undefined ? cipherSuiteKeyExchange(suite) : 'unknown';
  let kex = known;
  if (known === 'rsa' || known === 'dh' || known === 'ecdh' || known === 'tls13' || known === 'krb5' || known === 'null') {
    r.problems.push(problem('error', 'unexpected-message', r.path,
      `ServerKeyExchange sent although ${cipherSuite(suite ?? 0).name} (key exchange ${known}) uses none`,
      era === 'tls13' ? 'RFC 8446 §4' : B.ruleFor('ServerKeyExchange', era)));
    kex = guessKeyExchange(r.buf.subarray(r.pos, r.end));
  } else if (known === 'unknown' || known === 'scsv') {
    kex = guessKeyExchange(r.buf.subarray(r.pos, r.end));
  }
  const out: Mutable<ServerKeyExchangeBody> = {
    kind: 'ServerKeyExchange',
    keyExchange: kex,
  };
  if (kex === 'psk' || kex === 'rsa_psk' || kex === 'dhe_psk' || kex === 'ecdhe_psk') {
    const end = r.vector('psk_identity_hint', 2, B.serverKeyExchange.pskHint());
    if (end < 0) return out;
    r.pos = end;
  }
  let signed = false;
  switch (kex) {
    case 'ecdhe': case 'ecdh_anon': case 'ecdhe_psk': {
      const curveType = r.u8('curve_type');
      if (curveType < 0) return out;
      out.curveType = curveType;
      if (curveType !== 3) {
        r.problems.push(problem('note', 'undecoded', r.field('curve_params'),
          `curve_type ${curveType} (explicit curve) is deprecated and not decoded`, 'RFC 8422 §5.4', r.offset() - 1));
        r.pos = r.end;
        return out;
      }
      const group = r.u16('namedcurve');
      if (group < 0) return out;
      out.group = namedGroup(group);
      const end = r.vector('public', 1, B.serverKeyExchange.ecPoint());
      if (end < 0) return out;
      r.pos = end;
      signed = kex === 'ecdhe';
      break;
    }
    case 'dhe': case 'dh_anon': case 'dhe_psk': {
      const pEnd = r.vector('dh_p', 2, B.serverKeyExchange.dh('dh_p'));
      if (pEnd < 0) return out;
      out.dhPrimeBits = bitLength(r.buf, r.pos, pEnd);
      r.pos = pEnd;
      const gEnd = r.vector('dh_g', 2, B.serverKeyExchange.dh('dh_g'));
      if (gEnd < 0) return out;
      r.pos = gEnd;
      const yEnd = r.vector('dh_Ys', 2, B.serverKeyExchange.dh('dh_Ys'));
      if (yEnd < 0) return out;
      r.pos = yEnd;
      signed = kex === 'dhe';
      break;
    }
    case 'rsa_export': {
      const mEnd = r.vector('rsa_modulus', 2, B.serverKeyExchange.rsa('rsa_modulus'));
      if (mEnd < 0) return out;
      out.rsaModulusBits = bitLength(r.buf, r.pos, mEnd);
      r.pos = mEnd;
      const eEnd = r.vector('rsa_exponent', 2, B.serverKeyExchange.rsa('rsa_exponent'));
      if (eEnd < 0) return out;
      r.pos = eEnd;
      signed = true;
      break;
    }
    case 'srp': {
      for (const f of ['srp_N', 'srp_g'] as const) {
        const end = r.vector(f, 2, B.serverKeyExchange.srp(f));
        if (end < 0) return out;
        r.pos = end;
      }
      const sEnd = r.vector('srp_s', 1, B.serverKeyExchange.srpSalt());
      if (sEnd < 0) return out;
      r.pos = sEnd;
      const bEnd = r.vector('srp_B', 2, B.serverKeyExchange.srp('srp_B'));
      if (bEnd < 0) return out;
      r.pos = bEnd;
      signed = suite !== undefined && !cipherSuite(suite).name.startsWith('TLS_SRP_SHA_WITH');
      break;
    }
    case 'psk': case 'rsa_psk':
      break;
    default:
      // GOST, ECCPWD, FORTEZZA: layouts this tool does not decode.
      r.problems.push(problem('note', 'undecoded', r.path, `ServerKeyExchange for key exchange ${kex} is not decoded`, undefined, r.offset()));
      r.pos = r.end;
      return out;
  }
  if (signed) {
    if (era === 'tls12' || era === 'tls13') {
      const scheme = r.u16('signature_algorithm');
      if (scheme < 0) return out;
      out.signatureScheme = signatureScheme(scheme);
    }
    const end = r.vector('signature', 2, B.signature(era));
    if (end < 0) return out;
    out.signatureLength = end - r.pos;
    r.pos = end;
  }
  r.trailing();
  return out;
}

function decodeCertificateRequest(r: ByteReader, era: SpecEra): HandshakeBody {
  if (era === 'tls13') {
    const ctxEnd = r.vector('certificate_request_context', 1, B.certificateRequest.context());
    if (ctxEnd < 0) return { kind: 'CertificateRequest', certificateTypes: [], authoritiesLength: 0, authorities: [], context: '', extensions: [] };
    const context = toHex(r.buf, r.pos, ctxEnd);
    r.pos = ctxEnd;
    // The floor of this block (signature_algorithms is mandatory) is judged by checkCertificateRequest.
    const block = readExtensionBlock(r, 'CertificateRequest', era, { ...B.certificateRequest.extensions(), min: 0 });
    r.trailing();
    const extensions = block?.extensions ?? [];
    checkTls13Placement(extensions, 'CertificateRequest', r.problems, r.path);
    const sa = findExtension(extensions, EXT_SIGNATURE_ALGORITHMS);
    const ca = findExtension(extensions, EXT_CERTIFICATE_AUTHORITIES);
    return {
      kind: 'CertificateRequest',
      certificateTypes: [],
      ...(sa?.value?.kind === 'signature_algorithms' ? { signatureAlgorithms: sa.value.schemes } : {}),
      authoritiesLength: ca?.value?.kind === 'certificate_authorities' ? ca.value.listLength : 0,
      authorities: ca?.value?.kind === 'certificate_authorities' ? ca.value.authorities : [],
      context,
      extensions,
    };
  }
  // Structure only here: the version's floors (<1..>, <2..>, <3..>) are conformance.ts's verdict.
  const certificateTypes: NamedCode[] = [];
  const typesEnd = r.vector('certificate_types', 1);
  if (typesEnd < 0) return { kind: 'CertificateRequest', certificateTypes, authoritiesLength: 0, authorities: [] };
  while (r.pos < typesEnd) certificateTypes.push(certificateType(r.buf[r.pos++]));
  let signatureAlgorithms: NamedCode[] | undefined;
  if (era === 'tls12') {
    const saBound = B.certificateRequest.signatureAlgorithms();
    const saEnd = r.vector('supported_signature_algorithms', 2, { ...saBound, min: 0 });
    if (saEnd < 0) return { kind: 'CertificateRequest', certificateTypes, authoritiesLength: 0, authorities: [] };
    signatureAlgorithms = [];
    while (saEnd - r.pos >= 2) {
      signatureAlgorithms.push(signatureScheme((r.buf[r.pos] << 8) | r.buf[r.pos + 1]));
      r.pos += 2;
    }
    r.pos = saEnd;
  }
  const authorities: DistinguishedName[] = [];
  const caEnd = r.vector('certificate_authorities', 2);
  if (caEnd < 0) {
    return { kind: 'CertificateRequest', certificateTypes, ...(signatureAlgorithms ? { signatureAlgorithms } : {}), authoritiesLength: 0, authorities };
  }
  const authoritiesLength = caEnd - r.pos;
  const outer = r.narrow(caEnd);
  while (r.pos < caEnd) {
    const dnEnd = r.vector('certificate_authorities.DistinguishedName', 2, B.certificateRequest.distinguishedName(era));
    if (dnEnd < 0) break;
    authorities.push(decodeDistinguishedName(r.buf.subarray(r.pos, dnEnd)));
    r.pos = dnEnd;
  }
  r.widen(outer);
  r.trailing();
  return {
    kind: 'CertificateRequest',
    certificateTypes,
    ...(signatureAlgorithms ? { signatureAlgorithms } : {}),
    authoritiesLength,
    authorities,
  };
}

function decodeNewSessionTicket(r: ByteReader, era: SpecEra): HandshakeBody {
  const lifetime = r.u32(era === 'tls13' ? 'ticket_lifetime' : 'ticket_lifetime_hint');
  if (lifetime < 0) return { kind: 'NewSessionTicket', lifetime: 0, ticketLength: 0, tls13: era === 'tls13' };
  if (era !== 'tls13') {
    const end = r.vector('ticket', 2, B.newSessionTicket.ticket12());
    const ticketLength = end < 0 ? 0 : end - r.pos;
    if (end >= 0) r.pos = end;
    r.trailing();
    return { kind: 'NewSessionTicket', lifetime, ticketLength, tls13: false };
  }
  if (lifetime > 604800) {
    r.problems.push(problem('warning', 'bad-value', r.field('ticket_lifetime'),
      `ticket_lifetime ${lifetime} s exceeds 604800 s (7 days)`, 'RFC 8446 §4.6.1', 0));
  }
  let ticketLength = 0;
  if (r.u32('ticket_age_add') >= 0) {
    const nonceEnd = r.vector('ticket_nonce', 1, B.newSessionTicket.nonce());
    if (nonceEnd >= 0) {
      r.pos = nonceEnd;
      const end = r.vector('ticket', 2, B.newSessionTicket.ticket13());
      if (end >= 0) {
        ticketLength = end - r.pos;
        r.pos = end;
        const block = readExtensionBlock(r, 'NewSessionTicket', era, B.newSessionTicket.extensions());
        if (block !== null) checkTls13Placement(block.extensions, 'NewSessionTicket', r.problems, r.path);
      }
    }
  }
  r.trailing();
  return { kind: 'NewSessionTicket', lifetime, ticketLength, tls13: true };
}

function decodeCertificateVerify(r: ByteReader, era: SpecEra): HandshakeBody {
  let scheme: NamedCode | undefined;
  if (era === 'tls12' || era === 'tls13') {
    const code = r.u16('algorithm');
    if (code < 0) return { kind: 'CertificateVerify', signatureLength: 0 };
    scheme = signatureScheme(code);
  }
  const end = r.vector('signature', 2, B.signature(era));
  const signatureLength = end < 0 ? 0 : end - r.pos;
  if (end >= 0) r.pos = end;
  r.trailing();
  return scheme !== undefined ? { kind: 'CertificateVerify', signatureScheme: scheme, signatureLength } : { kind: 'CertificateVerify', signatureLength };
}

function decodeFinished(r: ByteReader, era: SpecEra, suite: number | undefined): HandshakeBody {
  const n = r.remaining();
  let expected: number | null = null;
  if (era === 'ssl3') expected = 36; // RFC 6101 §5.6.9: md5_hash[16] + sha_hash[20]
  else if (era === 'tls10' || era === 'tls11') expected = 12; // verify_data[12]
  else if (era === 'tls13' && suite !== undefined) expected = cipherSuite(suite).name.endsWith('SHA384') ? 48 : 32; // Hash.length
  if (expected !== null && n !== expected) {
    r.problems.push(problem('warning', 'bad-length', r.field('verify_data'),
      `Finished is ${n} bytes; ${ERA_NAME[era]} verify_data is ${expected} bytes`, B.ruleFor('Finished', era), 0));
  } else if (era === 'tls12' && n < 12) {
    r.problems.push(problem('warning', 'bad-length', r.field('verify_data'),
      `Finished is ${n} bytes; TLS 1.2 verify_data is at least 12 bytes`, 'RFC 5246 §7.4.9', 0));
  }
  r.pos = r.end;
  return { kind: 'Finished', verifyDataLength: n };
}

function decodeCertificateStatus(r: ByteReader): HandshakeBody {
  const statusType = r.u8('status_type');
  if (statusType < 0) return { kind: 'CertificateStatus', statusType: 0, responseLength: 0 };
  let responseLength = 0;
  if (statusType === 1 || statusType === 2) {
    const end = r.vector(statusType === 1 ? 'response' : 'ocsp_response_list', 3,
      statusType === 1 ? B.certificateStatus.ocsp() : B.certificateStatus.ocspMulti());
    if (end >= 0) {
      responseLength = end - r.pos;
      r.pos = end;
    }
    r.trailing();
  } else {
    r.problems.push(problem('note', 'undecoded', r.field('status_type'),
      `status_type ${statusType} is neither ocsp(1) nor ocsp_multi(2)`, 'RFC 6066 §8', 0));
    responseLength = r.remaining();
    r.pos = r.end;
  }
  return { kind: 'CertificateStatus', statusType, responseLength };
}

function emptyBody(r: ByteReader, name: string, rule: string): void {
  if (r.remaining() > 0) {
    r.problems.push(problem('warning', 'trailing-data', r.path,
      `${name} has an empty body but carries ${r.remaining()} bytes`, rule, 0));
    r.pos = r.end;
  }
}

/**
 * Decodes one complete handshake message body (without its 4-byte header). `ctx.version` picks
 * the layout (negotiated version when known, else the record version); `ctx.cipherSuite` picks
 * the ServerKeyExchange layout. Never throws.
 */
export function decodeHandshake(type: number, body: Uint8Array, ctx: HandshakeContext): DecodedHandshake {
  const problems: DecodeProblem[] = [];
  let name = handshakeTypeName(type);
  const era = specEra(ctx.version);
  const r = new ByteReader(body, 0, body.length, problems, name);
  let decoded: HandshakeBody;
  try {
    decoded = decodeBody(type, r, era, ctx);
    if (decoded.kind === 'ServerHello' && decoded.helloRetryRequest) name = 'HelloRetryRequest';
  } catch (e) {
    // The decoders check every read; this is the last guard of the "never throws" promise.
    problems.push(problem('error', 'undecoded', name, `decoder failure: ${(e as Error).message}`));
    decoded = { kind: 'Unknown', length: body.length };
  }
  const sender = SENDER.get(type);
  if (sender !== undefined && sender !== ctx.from) {
    problems.push(problem('warning', 'unexpected-direction', name, `${name} sent by the ${ctx.from}; only the ${sender} sends it`));
  }
  return { type, name, length: body.length, body: decoded, problems };
}

function decodeBody(type: number, r: ByteReader, era: SpecEra, ctx: HandshakeContext): HandshakeBody {
  switch (type) {
    case HS.HS_HELLO_REQUEST:
      emptyBody(r, 'HelloRequest', B.ruleFor('HelloRequest', era));
      return { kind: 'HelloRequest' };
    case HS.HS_CLIENT_HELLO:
      return decodeClientHello(r);
    case HS.HS_SERVER_HELLO:
      return decodeServerHello(r);
    case HS.HS_NEW_SESSION_TICKET:
      return decodeNewSessionTicket(r, era);
    case HS.HS_END_OF_EARLY_DATA:
      emptyBody(r, 'EndOfEarlyData', 'RFC 8446 §4.5');
      return { kind: 'EndOfEarlyData' };
    case HS.HS_ENCRYPTED_EXTENSIONS: {
      const block = readExtensionBlock(r, 'EncryptedExtensions', 'tls13', B.encryptedExtensions());
      r.trailing();
      if (block !== null) checkTls13Placement(block.extensions, 'EncryptedExtensions', r.problems, r.path);
      return { kind: 'EncryptedExtensions', extensions: block?.extensions ?? [] };
    }
    case HS.HS_CERTIFICATE:
      return decodeCertificate(r, era, ctx.certificateMemo);
    case HS.HS_SERVER_KEY_EXCHANGE:
      return decodeServerKeyExchange(r, era, ctx.cipherSuite);
    case HS.HS_CERTIFICATE_REQUEST:
      return decodeCertificateRequest(r, era);
    case HS.HS_SERVER_HELLO_DONE:
      emptyBody(r, 'ServerHelloDone', B.ruleFor('ServerHelloDone', era));
      return { kind: 'ServerHelloDone' };
    case HS.HS_CERTIFICATE_VERIFY:
      return decodeCertificateVerify(r, era);
    case HS.HS_CLIENT_KEY_EXCHANGE:
      return { kind: 'ClientKeyExchange', length: r.remaining() };
    case HS.HS_FINISHED:
      return decodeFinished(r, era, ctx.cipherSuite);
    case HS.HS_CERTIFICATE_STATUS:
      return decodeCertificateStatus(r);
    case HS.HS_KEY_UPDATE: {
      const v = r.u8('request_update');
      if (v > 1) {
        r.problems.push(problem('error', 'bad-value', r.field('request_update'),
          `request_update is ${v}; only update_not_requested(0) and update_requested(1) exist`, 'RFC 8446 §4.6.3', 0));
      }
      r.trailing();
      return { kind: 'KeyUpdate', requestUpdate: Math.max(v, 0) };
    }
    default:
      return { kind: 'Unknown', length: r.remaining() };
  }
}
