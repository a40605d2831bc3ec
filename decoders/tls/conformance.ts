/**
 * Per-version protocol rules that need more than one message, or the negotiated version, to judge:
 * what a ServerHello may choose given the ClientHello, what a CertificateRequest must contain in
 * the negotiated version, and which record version each record must carry. Every problem names the
 * RFC rule it breaks. The bounds behind the CertificateRequest rules are those of bounds.ts, which
 * quote each RFC's declaration.
 */
import type {
  CertificateRequestBody, ClientHelloBody, DecodeProblem, Extension, ProtocolVersion, ServerHelloBody,
} from './types.js';
import { checkVectorBound, NO_PROBLEMS, problem } from './problems.js';
import * as B from './bounds.js';
import { findExtension } from './extensions.js';
import { cipherSuiteName, isSignalingCipherSuite } from './registry/cipher-suites.js';
import { isTls13CipherSuite, cipherSuiteKeyExchange } from './registry/key-exchange.js';
import { isSsl3OnlyCertificateType } from './registry/certificate-types.js';
import {
  EXT_CERTIFICATE_AUTHORITIES, EXT_COOKIE, EXT_KEY_SHARE, EXT_PRE_SHARED_KEY, EXT_RENEGOTIATION_INFO,
  EXT_SIGNATURE_ALGORITHMS, EXT_SUPPORTED_GROUPS, EXT_SUPPORTED_VERSIONS, extensionName,
} from './registry/extensions.js';
import { groupName } from './registry/groups.js';
import { ERA_NAME, isGrease16, isTls13, isTls13Final, specEra, tls13Draft, versionName, type SpecEra } from './registry/versions.js';

function hexVersion(v: ProtocolVersion): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

function versionText(v: ProtocolVersion): string {
  return `${versionName(v)} (${hexVersion(v)})`;
}

function offeredVersions(client: ClientHelloBody): readonly ProtocolVersion[] | null {
  const sv = findExtension(client.extensions, EXT_SUPPORTED_VERSIONS);
  return sv?.value?.kind === 'supported_versions' ? sv.value.versions : null;
}

/** TLS 1.3 drafts before 16 still negotiated TLS 1.2-style suites (e.g. Chrome 55's draft 14). */
function tls13Suites(v: ProtocolVersion): boolean {
  const draft = tls13Draft(v);
  return draft === null || draft >= 16;
}

function groupsOf(e: Extension | undefined): readonly number[] {
  if (e?.value?.kind === 'key_share') return e.value.groups.map((g) => g.code);
  if (e?.value?.kind === 'supported_groups') return e.value.groups.map((g) => g.code);
  return [];
}

/**
 * A ServerHello (or HelloRetryRequest) judged against the ClientHello it answers: a version, cipher
 * suite, compression method or extension the client did not offer; a TLS 1.3 session id that does
 * not echo the client's; a key share in a group the client does not support; a PSK identity the
 * client never sent. Pass the client's first ClientHello; after a HelloRetryRequest the key share
 * check accepts any group of the first hello's supported_groups.
 */
export function checkServerHelloAgainstClientHello(client: ClientHelloBody, server: ServerHelloBody): DecodeProblem[] {
  const out: DecodeProblem[] = [];
  const msg = server.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello';
  const negotiated = server.negotiatedVersion;
  const tls13 = isTls13(negotiated);
  const era: SpecEra = specEra(negotiated);
  const helloRule = B.ruleFor('ServerHello', era);
  const extRule = B.ruleFor('Extensions', era);

  // Version (RFC 5246 §7.4.1.3 / Appendix E.1; RFC 8446 §4.2.1).
  const offered = offeredVersions(client);
  const selected = findExtension(server.extensions, EXT_SUPPORTED_VERSIONS);
  if (selected !== undefined) {
    if (offered !== null && !offered.includes(negotiated)) {
      out.push(problem('error', 'unoffered-version', `${msg}.extensions.supported_versions`,
        `${msg} selects ${versionText(negotiated)}, which the ClientHello's supported_versions did not offer; the client must abort with illegal_parameter`,
        'RFC 8446 §4.2.1'));
    }
  } else if (server.version > client.version && !(offered !== null && offered.includes(server.version))) {
    // TLS 1.3 drafts before 22 answered a supported_versions offer in server_version itself.
    out.push(problem('error', 'unoffered-version', `${msg}.server_version`,
      `${msg} version ${versionText(server.version)} is above the ClientHello's ${versionText(client.version)}; the server must choose the lower of the client's version and its own highest`,
      helloRule));
  }

  // Cipher suite.
  const suite = server.cipherSuite.code;
  if (!client.cipherSuites.some((c) => c.code === suite)) {
    out.push(problem('error', 'unoffered-cipher-suite', `${msg}.cipher_suite`,
      `${msg} selects ${cipherSuiteName(suite)} (${hexVersion(suite)}), which the ClientHello did not offer; the client must abort with illegal_parameter`,
      helloRule));
  }
  if (isSignalingCipherSuite(suite) || isGrease16(suite)) {
    out.push(problem('error', 'bad-cipher-suite', `${msg}.cipher_suite`,
      `${msg} selects ${cipherSuiteName(suite)}, a signalling or GREASE value that is never a real cipher suite`,
      isGrease16(suite) ? 'RFC 8701 §3' : suite === 0x00ff ? 'RFC 5746 §3.3' : 'RFC 7507 §2'));
  } else if (cipherSuiteKeyExchange(suite) !== 'unknown' && (tls13 ? tls13Suites(negotiated) && !isTls13CipherSuite(suite) : isTls13CipherSuite(suite))) {
    out.push(problem('error', 'cipher-suite-version-mismatch', `${msg}.cipher_suite`,
      tls13
        ? `${msg} negotiates TLS 1.3 with ${cipherSuiteName(suite)}, a TLS 1.2-and-earlier suite`
        : `${msg} negotiates ${versionName(negotiated)} with ${cipherSuiteName(suite)}, a TLS 1.3-only suite`,
      'RFC 8446 §B.4'));
  }

  // Compression.
  if (tls13) {
    if (server.compressionMethod !== 0) {
      out.push(problem('error', 'unoffered-compression', `${msg}.legacy_compression_method`,
        `legacy_compression_method is ${server.compressionMethod}; TLS 1.3 requires 0`, 'RFC 8446 §4.1.3'));
    }
  } else if (!client.compressionMethods.includes(server.compressionMethod)) {
    out.push(problem('error', 'unoffered-compression', `${msg}.compression_method`,
      `${msg} selects compression method ${server.compressionMethod}, which the ClientHello did not offer`, helloRule));
  }

  // Extensions: a server may only answer what was asked (RFC 5246 §7.4.1.4; RFC 8446 §4.2), except
  // the HelloRetryRequest cookie and the renegotiation_info answering the SCSV (RFC 5746 §3.6).
  const scsv = client.cipherSuites.some((c) => c.code === 0x00ff);
  for (const e of server.extensions) {
    if (findExtension(client.extensions, e.type) !== undefined) continue;
    if (e.type === EXT_COOKIE && server.helloRetryRequest) continue;
    if (e.type === EXT_RENEGOTIATION_INFO && scsv) continue;
    out.push(problem('error', 'unoffered-extension', `${msg}.extensions.${e.name}`,
      `${msg} carries ${extensionName(e.type)} (${e.type}), which the ClientHello did not send; the client must abort with unsupported_extension`,
      extRule));
  }

  if (tls13 || server.helloRetryRequest) {
    // RFC 8446 §4.1.3: legacy_session_id_echo must echo the client's legacy_session_id.
    if (server.sessionId !== client.sessionId) {
      out.push(problem('error', 'session-id-echo-mismatch', `${msg}.legacy_session_id_echo`,
        `legacy_session_id_echo (${server.sessionId.length / 2} bytes) does not echo the ClientHello's legacy_session_id (${client.sessionId.length / 2} bytes); the client must abort with illegal_parameter`,
        'RFC 8446 §4.1.3'));
    }
    const share = findExtension(server.extensions, EXT_KEY_SHARE);
    const supported = groupsOf(findExtension(client.extensions, EXT_SUPPORTED_GROUPS));
    const clientShares = groupsOf(findExtension(client.extensions, EXT_KEY_SHARE));
    for (const g of groupsOf(share)) {
      if (server.helloRetryRequest) {
        if (supported.length > 0 && !supported.includes(g)) {
          out.push(problem('error', 'unoffered-group', `${msg}.extensions.key_share`,
            `HelloRetryRequest asks for ${groupName(g)}, which is not in the ClientHello's supported_groups`, 'RFC 8446 §4.2.8'));
        } else if (clientShares.includes(g)) {
          out.push(problem('error', 'bad-value', `${msg}.extensions.key_share`,
            `HelloRetryRequest asks for ${groupName(g)}, for which the ClientHello already sent a key share`, 'RFC 8446 §4.2.8'));
        }
      } else if (!clientShares.includes(g) && !supported.includes(g)) {
        out.push(problem('error', 'unoffered-group', `${msg}.extensions.key_share`,
          `ServerHello key share uses ${groupName(g)}, a group the client neither offered a share for nor listed in supported_groups`,
          'RFC 8446 §4.2.8'));
      }
    }
    const psk = findExtension(server.extensions, EXT_PRE_SHARED_KEY);
    const clientPsk = findExtension(client.extensions, EXT_PRE_SHARED_KEY);
    if (psk?.value?.kind === 'pre_shared_key' && psk.value.selectedIdentity !== undefined &&
        clientPsk?.value?.kind === 'pre_shared_key' && clientPsk.value.identities !== undefined &&
        psk.value.selectedIdentity >= clientPsk.value.identities) {
      out.push(problem('error', 'bad-value', `${msg}.extensions.pre_shared_key`,
        `selected_identity ${psk.value.selectedIdentity} is outside the ${clientPsk.value.identities} identities the client offered`,
        'RFC 8446 §4.2.11'));
    }
  }
  return out;
}

/**
 * A CertificateRequest judged by the negotiated version's rules: certificate_types `<1..2^8-1>`,
 * TLS 1.2 supported_signature_algorithms `<2..2^16-2>`, certificate_authorities `<3..2^16-1>` in
 * SSL 3.0 and TLS 1.0 but `<0..2^16-1>` from TLS 1.1 on; in TLS 1.3 the mandatory
 * signature_algorithms extension and the certificate_authorities extension's `<3..2^16-1>`.
 * decodeHandshake leaves these to this check, so a caller running both sees each problem once.
 */
export function checkCertificateRequest(cr: CertificateRequestBody, negotiatedVersion: ProtocolVersion): DecodeProblem[] {
  const out: DecodeProblem[] = [];
  const era = specEra(negotiatedVersion);
  const field = 'CertificateRequest';
  if (cr.context !== undefined || era === 'tls13') {
    const exts = cr.extensions ?? [];
    if (findExtension(exts, EXT_SIGNATURE_ALGORITHMS) === undefined) {
      out.push(problem('error', 'missing-extension', `${field}.extensions.signature_algorithms`,
        'the TLS 1.3 CertificateRequest lacks the signature_algorithms extension, which must be specified; the client must abort with missing_extension',
        'RFC 8446 §4.3.2'));
    }
    const ca = findExtension(exts, EXT_CERTIFICATE_AUTHORITIES);
    if (ca?.value?.kind === 'certificate_authorities') {
      checkVectorBound(out, `${field}.extensions.certificate_authorities.authorities`, ca.value.listLength, B.authoritiesExtension());
    }
    return out;
  }
  checkVectorBound(out, `${field}.certificate_types`, cr.certificateTypes.length, B.certificateRequest.types(era));
  if (era !== 'ssl3') {
    for (const t of cr.certificateTypes) {
      if (isSsl3OnlyCertificateType(t.code)) {
        out.push(problem('warning', 'reserved-value', `${field}.certificate_types`,
          `certificate type ${t.name}(${t.code}) is SSL 3.0 only; ${ERA_NAME[era]} marks it RESERVED and it may not be used`,
          era === 'tls10' ? 'RFC 2246 §7.4.4' : B.ruleFor('CertificateRequest', era)));
      }
    }
  }
  if (era === 'tls12' && cr.signatureAlgorithms !== undefined) {
    checkVectorBound(out, `${field}.supported_signature_algorithms`, cr.signatureAlgorithms.length * 2, B.certificateRequest.signatureAlgorithms());
  }
  checkVectorBound(out, `${field}.certificate_authorities`, cr.authoritiesLength, B.certificateRequest.authorities(era));
  return out;
}

/**
 * The version a record carries against the negotiated version. TLS ≤ 1.2: a ClientHello record may
 * carry any {03,xx} (RFC 5246 Appendix E.1); every other record carries the negotiated version
 * (strict stacks such as OpenSSL refuse others with "wrong version number"). TLS 1.3: every record
 * says 0x0303, an initial ClientHello may say 0x0301 (RFC 8446 §5.1); receivers ignore the field,
 * so a mismatch is a warning. Pass 0 as negotiatedVersion while nothing is negotiated yet.
 */
export function checkRecordVersion(
  recordVersion: ProtocolVersion,
  negotiatedVersion: ProtocolVersion,
  opts: { initialClientHello: boolean; from: 'client' | 'server' },
): readonly DecodeProblem[] {
  if (recordVersion >> 8 !== 3) {
    return [problem('error', 'bad-record-version', 'record.version',
      `${opts.from} record version ${hexVersion(recordVersion)} is not {3,x}`, 'RFC 5246 Appendix E.1')];
  }
  if (negotiatedVersion === 0) return NO_PROBLEMS;
  if (isTls13(negotiatedVersion)) {
    // Drafts before 22 and the experiments wrote 0x0301 into every record.
    const ok = recordVersion === 0x0303 || ((opts.initialClientHello || !isTls13Final(negotiatedVersion)) && recordVersion === 0x0301);
    if (ok) return NO_PROBLEMS;
    return [problem('warning', 'record-version-mismatch', 'record.version',
      `${opts.from} record version is ${versionText(recordVersion)}; TLS 1.3 records carry legacy_record_version 0x0303${opts.initialClientHello ? ' (0x0301 also allowed for an initial ClientHello)' : ''}`,
      'RFC 8446 §5.1')];
  }
  if (opts.initialClientHello || recordVersion === negotiatedVersion) return NO_PROBLEMS;
  const era = specEra(negotiatedVersion);
  return [problem('error', 'record-version-mismatch', 'record.version',
    `${opts.from} record version ${versionText(recordVersion)} differs from the negotiated ${versionText(negotiatedVersion)}; once negotiated, every record carries the negotiated version`,
    B.ruleFor('Record', era))];
}
