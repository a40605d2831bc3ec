/**
 * The TLS alert registry as the knowledge base needs it: number, RFC name, the document that
 * defines it, what it means, and which rules see it on the wire. Numbers and names follow the IANA
 * TLS Alerts registry (RFC 8446 §6 and Appendix B.2, plus the RFCs that added entries).
 */
import type { Remedy, Source } from '../types.js';
import {
  DRAFT_ECH, RFC_2246, RFC_5246, RFC_6066, RFC_6101, RFC_7301, RFC_7507, RFC_8446, rfc,
} from './sources.js';
import type { Confidence, RuleId } from './types.js';

export interface AlertFact {
  readonly code: number;
  /** RFC spelling, e.g. `illegal_parameter`. */
  readonly name: string;
  readonly defined: Source;
  readonly meaning: string;
  /** Reserved or version-limited status, when it has one. */
  readonly status?: string;
  readonly wire: readonly string[];
  readonly rules: readonly RuleId[];
  readonly remedies?: readonly Remedy[];
  readonly confidence: Confidence;
}

const TLS12_ALERTS = rfc(RFC_5246, '§7.2.2');
const TLS13_ALERTS = rfc(RFC_8446, '§6.2');

export const ALERT_REGISTRY: readonly AlertFact[] = [
  {
    code: 0, name: 'close_notify', defined: rfc(RFC_5246, '§7.2.1'), confidence: 'confirmed',
    meaning: 'The sender will send nothing more on this connection. Sent before the handshake has finished, it means the peer gave up without naming an error.',
    wire: ['close_notify before the handshake finished: the peer ended the handshake without an error alert; the reason is only in its own log.'],
    rules: ['handshake-failed'],
  },
  {
    code: 10, name: 'unexpected_message', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A message arrived that the protocol does not allow at that point, for example a handshake message out of order.',
    wire: ['A fatal unexpected_message right after a record the sender did not expect: an out-of-order handshake message or bytes that are not TLS where TLS was expected.'],
    rules: ['handshake-failed'],
  },
  {
    code: 20, name: 'bad_record_mac', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A record failed its integrity check (or, in TLS 1.3, could not be decrypted).',
    wire: ['A fatal bad_record_mac after ChangeCipherSpec: the two sides derived different keys, or a middlebox altered the record.'],
    rules: ['handshake-failed', 'encrypted-alert-in-handshake'],
  },
  {
    code: 21, name: 'decryption_failed', defined: rfc(RFC_2246, '§7.2.2'), confidence: 'confirmed',
    status: 'Reserved since TLS 1.1 (decryption_failed_RESERVED); only older stacks send it.',
    meaning: 'A record could not be decrypted correctly (bad length or padding).',
    wire: ['A fatal decryption_failed after ChangeCipherSpec, from an SSL 3.0 or TLS 1.0 stack.'],
    rules: ['handshake-failed'],
  },
  {
    code: 22, name: 'record_overflow', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A record was longer than the protocol allows.',
    wire: ['A fatal record_overflow: the peer received a record whose length field exceeds the limit.'],
    rules: ['handshake-failed'],
  },
  {
    code: 30, name: 'decompression_failure', defined: TLS12_ALERTS, confidence: 'confirmed',
    status: 'Reserved in TLS 1.3.',
    meaning: 'Decompressing a record failed.',
    wire: ['A fatal decompression_failure: only possible when a compression method other than null was negotiated.'],
    rules: ['handshake-failed'],
  },
  {
    code: 40, name: 'handshake_failure', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'The sender could not agree on acceptable security parameters. It is the generic refusal: no common cipher suite, no acceptable client certificate, or another parameter it will not accept.',
    wire: [
      'A fatal handshake_failure in answer to the ClientHello: the server found no cipher suite (or group, or signature algorithm) in common with the client.',
      'A fatal handshake_failure after the client sent an empty Certificate message (or an SSL 3.0 no_certificate alert): the server requires a client certificate (RFC 5246 §7.4.6 allows this answer).',
    ],
    rules: ['no-shared-cipher', 'client-certificate-missing', 'handshake-failed'],
  },
  {
    code: 41, name: 'no_certificate', defined: RFC_6101, confidence: 'confirmed',
    status: 'SSL 3.0 only; reserved (no_certificate_RESERVED) in every TLS version.',
    meaning: 'SSL 3.0 client answer to a certificate request when it has no suitable certificate.',
    wire: ['Under SSL 3.0 a client without a suitable certificate answers the CertificateRequest with a warning no_certificate alert instead of a Certificate message; a server that requires a certificate then aborts with handshake_failure.'],
    rules: ['client-certificate-missing', 'sslv3-negotiated'],
  },
  {
    code: 42, name: 'bad_certificate', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A certificate was corrupt or carried a signature that did not verify.',
    wire: [
      'Sent by the client right after the server Certificate message: the client rejected the server certificate.',
      'Sent by the server after the client Certificate (and CertificateVerify): the server rejected the client certificate.',
    ],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
  },
  {
    code: 43, name: 'unsupported_certificate', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A certificate was of a type the receiver does not support.',
    wire: ['Sent right after a Certificate message whose key type or certificate type the receiver cannot use.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
  },
  {
    code: 44, name: 'certificate_revoked', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A certificate was revoked by its issuer.',
    wire: ['Sent right after a Certificate message whose certificate the receiver found on a revocation list or in an OCSP response.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
  },
  {
    code: 45, name: 'certificate_expired', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A certificate has expired or is not yet valid.',
    wire: ['Sent right after a Certificate message whose certificate validity period does not include the handshake time.'],
    rules: ['certificate-expired'],
    remedies: [{ where: 'the side whose certificate expired', action: 'Install a renewed certificate (and its intermediates) and restart or refresh the service that loads it.' }],
  },
  {
    code: 46, name: 'certificate_unknown', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'Some other problem with the certificate made it unacceptable.',
    wire: ['Sent right after a Certificate message the receiver would not accept for a reason it does not name (often an untrusted chain).'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
  },
  {
    code: 47, name: 'illegal_parameter', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A handshake field was out of range or inconsistent with other fields. In TLS 1.3 it is reserved for fields that parse but carry a wrong value.',
    wire: [
      'Sent by the client right after a CertificateRequest whose certificate_authorities list is empty while SSL 3.0 or TLS 1.0 is negotiated (both require at least 3 bytes): a strict client such as IBM System SSL rejects the message (System SSL return code 410).',
      'Sent after any handshake message with a field the receiver finds out of range.',
    ],
    rules: ['empty-ca-list-rejected', 'handshake-failed', 'malformed-handshake'],
  },
  {
    code: 48, name: 'unknown_ca', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A certificate chain was received but its issuing CA is not one the receiver trusts.',
    wire: ['Sent right after a Certificate message whose chain does not lead to a trust anchor of the receiver.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
    remedies: [{ where: 'the side that sent the alert', action: 'Add the issuing CA certificate (root, and intermediates the peer does not send) to its trust store or key ring and mark it trusted.' }],
  },
  {
    code: 49, name: 'access_denied', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'The certificate (or PSK) was valid, but the receiver’s access policy refused the peer.',
    wire: ['Sent by the server after a valid client certificate that its access control does not allow.'],
    rules: ['client-certificate-rejected'],
  },
  {
    code: 50, name: 'decode_error', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A message could not be decoded: a field was out of its specified range or a length was wrong. In TLS 1.3 this is the alert for messages that break the formal syntax.',
    wire: [
      'Sent right after a handshake message with a length or vector bound the receiver rejects; an empty certificate_authorities list where the version requires at least 3 bytes is such a case for parsers that treat it as syntax.',
    ],
    rules: ['empty-ca-list-rejected', 'handshake-failed', 'malformed-handshake'],
  },
  {
    code: 51, name: 'decrypt_error', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'A handshake cryptographic check failed: a signature, a Finished message or a PSK binder did not verify.',
    wire: ['Sent after CertificateVerify, ServerKeyExchange or Finished when the signature or MAC does not verify.'],
    rules: ['handshake-failed', 'encrypted-alert-in-handshake'],
  },
  {
    code: 60, name: 'export_restriction', defined: rfc(RFC_2246, '§7.2.2'), confidence: 'confirmed',
    status: 'Reserved since TLS 1.1.',
    meaning: 'An export-grade key exchange violated export restrictions (historic).',
    wire: ['Only from very old stacks negotiating export cipher suites.'],
    rules: ['handshake-failed'],
  },
  {
    code: 70, name: 'protocol_version', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'The protocol version the peer tried to negotiate is recognised but not supported.',
    wire: ['A fatal protocol_version in answer to the ClientHello: the server accepts none of the versions the client offers (or the client refuses the version in ServerHello).'],
    rules: ['protocol-version-rejected'],
  },
  {
    code: 71, name: 'insufficient_security', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'Negotiation failed because the server requires parameters more secure than the client offers (used instead of handshake_failure).',
    wire: ['A fatal insufficient_security in answer to the ClientHello: the offered cipher suites are all weaker than the server accepts.'],
    rules: ['no-shared-cipher'],
  },
  {
    code: 80, name: 'internal_error', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'An error unrelated to the peer or the protocol (for example a memory allocation failure) stopped the sender.',
    wire: ['A fatal internal_error at any point: the cause is inside the sender and only its log says what it was.'],
    rules: ['handshake-failed'],
  },
  {
    code: 86, name: 'inappropriate_fallback', defined: RFC_7507, confidence: 'confirmed',
    meaning: 'The client retried with a lower version and signalled TLS_FALLBACK_SCSV while the server supports a higher one: a downgrade the server refuses.',
    wire: ['A fatal inappropriate_fallback in answer to a ClientHello that lists TLS_FALLBACK_SCSV (0x5600) and offers a version below the server’s highest.'],
    rules: ['protocol-version-rejected'],
  },
  {
    code: 90, name: 'user_canceled', defined: TLS12_ALERTS, confidence: 'confirmed',
    meaning: 'The handshake is being cancelled for a reason unrelated to a protocol failure.',
    wire: ['user_canceled during the handshake, usually followed by close_notify.'],
    rules: ['handshake-failed'],
  },
  {
    code: 100, name: 'no_renegotiation', defined: TLS12_ALERTS, confidence: 'confirmed',
    status: 'Reserved in TLS 1.3.',
    meaning: 'The sender refuses a renegotiation request (a warning, normally).',
    wire: ['A warning no_renegotiation in answer to a HelloRequest or a second ClientHello on an established connection.'],
    rules: [],
  },
  {
    code: 109, name: 'missing_extension', defined: TLS13_ALERTS, confidence: 'confirmed',
    meaning: 'A handshake message lacked an extension that is mandatory for the offered version or the negotiated parameters.',
    wire: ['A fatal missing_extension after a TLS 1.3 ClientHello or CertificateRequest without a required extension (supported_versions, signature_algorithms, key_share, ...).'],
    rules: ['handshake-failed'],
  },
  {
    code: 110, name: 'unsupported_extension', defined: TLS13_ALERTS, confidence: 'confirmed',
    meaning: 'A handshake message carried an extension that is not allowed there or that the receiver did not offer.',
    wire: ['A fatal unsupported_extension after a ServerHello (or EncryptedExtensions, Certificate) with an extension the client never offered.'],
    rules: ['handshake-failed'],
  },
  {
    code: 111, name: 'certificate_unobtainable', defined: RFC_6066, confidence: 'confirmed',
    status: 'Reserved in TLS 1.3.',
    meaning: 'A certificate referenced by URL could not be retrieved.',
    wire: ['Only with the client_certificate_url extension.'],
    rules: [],
  },
  {
    code: 112, name: 'unrecognized_name', defined: RFC_6066, confidence: 'confirmed',
    meaning: 'The server has no service for the name the client sent in server_name (SNI).',
    wire: ['An unrecognized_name (warning or fatal) in answer to a ClientHello whose server_name the server does not serve.'],
    rules: ['handshake-failed'],
  },
  {
    code: 113, name: 'bad_certificate_status_response', defined: RFC_6066, confidence: 'confirmed',
    meaning: 'The OCSP response the server stapled was invalid or unacceptable.',
    wire: ['Sent by the client after CertificateStatus (or a TLS 1.3 Certificate with a status_request entry) it cannot accept.'],
    rules: ['server-certificate-rejected'],
  },
  {
    code: 114, name: 'bad_certificate_hash_value', defined: RFC_6066, confidence: 'confirmed',
    status: 'Reserved in TLS 1.3.',
    meaning: 'A certificate fetched by URL did not match the hash the client supplied.',
    wire: ['Only with the client_certificate_url extension.'],
    rules: [],
  },
  {
    code: 115, name: 'unknown_psk_identity', defined: TLS13_ALERTS, confidence: 'confirmed',
    meaning: 'PSK key establishment was wanted but the client offered no PSK identity the server knows.',
    wire: ['Sent by the server after a ClientHello whose PSK identities it does not recognise (servers may send decrypt_error instead).'],
    rules: ['handshake-failed'],
  },
  {
    code: 116, name: 'certificate_required', defined: TLS13_ALERTS, confidence: 'confirmed',
    meaning: 'The server wanted a client certificate and the client provided none (TLS 1.3).',
    wire: ['Under TLS 1.3 a server that requires a client certificate answers an empty client Certificate message with certificate_required (RFC 8446 §4.4.2.4). The alert is encrypted, so on the wire it is a small application_data record after the client Finished.'],
    rules: ['client-certificate-missing', 'encrypted-alert-in-handshake'],
  },
  {
    code: 120, name: 'no_application_protocol', defined: RFC_7301, confidence: 'confirmed',
    meaning: 'The client offered only ALPN protocols the server does not support.',
    wire: ['A fatal no_application_protocol in answer to a ClientHello whose application_layer_protocol_negotiation list has nothing the server speaks.'],
    rules: ['handshake-failed'],
  },
  {
    code: 121, name: 'ech_required', defined: DRAFT_ECH, confidence: 'partial',
    meaning: 'The client required Encrypted Client Hello and the server did not accept it.',
    wire: ['Sent by a client that offered ECH when the server did not use it.'],
    rules: ['handshake-failed'],
  },
];

const BY_CODE: ReadonlyMap<number, AlertFact> = new Map(ALERT_REGISTRY.map((fact) => [fact.code, fact]));

export function alertFact(code: number): AlertFact | undefined {
  return BY_CODE.get(code);
}

/** `illegal_parameter` → `illegal parameter`. */
export function alertWords(name: string): string {
  return name.replace(/_/g, ' ');
}
