/**
 * OpenSSL errors raised by the side that DETECTS a failure (and usually sends the alert), as
 * opposed to the received-alert errors computed in openssl-codes.ts. Codes are given per major
 * version: 1.x packs the function into the code (it changes with the code path), 3.x does not.
 * Java and Node lines that mean the same are here too.
 */
import type { ProductMessage, Source } from '../types.js';
import { nodeErrorCode } from './openssl-codes.js';
import { pattern, phraseSource } from './pattern.js';
import {
  NODE_CRYPTO_ERRORS, OPENJDK_RECORD, OPENSSL_111_SSLERR_H, OPENSSL_30_ERRSTR, OPENSSL_ERR_TXT,
  PUBLIC_LOG_REPORTS, ZABBIX_CERT_PROBLEMS,
} from './sources.js';
import type { Confidence, KnowledgeEntry, RuleId } from './types.js';

const OPENSSL = 'OpenSSL';

interface SentSideFact {
  readonly id: string;
  readonly reason: string;
  readonly macro: string;
  readonly reasonCode: number;
  readonly meaning: string;
  readonly wire: readonly string[];
  readonly rules: readonly RuleId[];
  /** Full lines by version: [product, text, source]. */
  readonly lines: readonly (readonly [string, string, Source])[];
  readonly confidence: Confidence;
  readonly notes?: readonly string[];
  /** Node reports the same reason as ERR_SSL_<REASON>. */
  readonly node?: boolean;
  /** The reason alone is ordinary English ("http request"): recognise it only in OpenSSL's `:reason` position. */
  readonly common?: boolean;
}

const FACTS: readonly SentSideFact[] = [
  {
    id: 'openssl-no-shared-cipher', reason: 'no shared cipher', macro: 'SSL_R_NO_SHARED_CIPHER', reasonCode: 193,
    meaning: 'OpenSSL, as server, found no cipher suite in the ClientHello that it has enabled and can use with its certificate and key.',
    wire: ['The server answers the ClientHello with a fatal handshake_failure(40) alert; compare the ClientHello cipher list with the server configuration.'],
    rules: ['no-shared-cipher'],
    lines: [
      ['OpenSSL 1.1.1', 'error:142090C1:SSL routines:tls_early_post_process_client_hello:no shared cipher', PUBLIC_LOG_REPORTS],
      ['OpenSSL 1.1.x', 'error:1417A0C1:SSL routines:tls_post_process_client_hello:no shared cipher', OPENSSL_111_SSLERR_H],
      ['OpenSSL 1.0.x', 'error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher', OPENSSL_111_SSLERR_H],
      ['OpenSSL 3.x', 'error:0A0000C1:SSL routines::no shared cipher', OPENSSL_30_ERRSTR],
    ],
    confidence: 'confirmed', node: true,
    notes: ['The 1.1.x tls_post_process_client_hello and 1.0.x ssl3_get_client_hello codes are computed from the function and reason numbers (ERR_PACK); the other two are quoted from logs and openssl errstr.'],
  },
  {
    id: 'openssl-wrong-version-number', reason: 'wrong version number', macro: 'SSL_R_WRONG_VERSION_NUMBER', reasonCode: 267,
    meaning: 'Where OpenSSL expected a TLS record header it found bytes whose version field it does not accept. Almost always the peer is not speaking TLS at that moment: a cleartext reply (an FTP "220" greeting or "500 OOPS", an HTTP response, an SMTP banner) or a port that expects STARTTLS first. openssl s_client then reports having read only 5 bytes.',
    wire: [
      'Right after the ClientHello the server sends cleartext (for example "220 ..." or "500 OOPS: ...") instead of a ServerHello.',
      'A record whose version bytes differ from the negotiated version (rare; a broken middlebox or peer).',
    ],
    rules: ['plaintext-reply-to-tls', 'protocol-version-rejected'],
    lines: [
      ['OpenSSL 1.0.x/1.1.x', 'error:1408F10B:SSL routines:ssl3_get_record:wrong version number', PUBLIC_LOG_REPORTS],
      ['OpenSSL 1.0.x (server)', 'error:1408A10B:SSL routines:SSL3_GET_CLIENT_HELLO:wrong version number', PUBLIC_LOG_REPORTS],
      ['OpenSSL 3.x', 'error:0A00010B:SSL routines::wrong version number', OPENSSL_30_ERRSTR],
    ],
    confidence: 'confirmed', node: true,
  },
  {
    id: 'openssl-unknown-protocol', reason: 'unknown protocol', common: true, macro: 'SSL_R_UNKNOWN_PROTOCOL', reasonCode: 252,
    meaning: 'OpenSSL 1.0.x, as client, could not recognise the server’s answer to its ClientHello as SSL or TLS: the server replied in cleartext or speaks another protocol on that port.',
    wire: ['The reply to the ClientHello is not a TLS record (an HTTP response on port 80, an FTP or SMTP greeting).'],
    rules: ['plaintext-reply-to-tls'],
    lines: [
      ['OpenSSL 1.0.x', 'error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol', PUBLIC_LOG_REPORTS],
      ['OpenSSL 3.x', 'error:0A0000FC:SSL routines::unknown protocol', OPENSSL_30_ERRSTR],
    ],
    confidence: 'confirmed', node: true,
    notes: ['1.1.x and 3.x clients usually report the same situation as "wrong version number".'],
  },
  {
    id: 'openssl-http-request', reason: 'http request', common: true, macro: 'SSL_R_HTTP_REQUEST', reasonCode: 156,
    meaning: 'OpenSSL, as server, received a cleartext HTTP request (GET, POST, ...) where it expected a ClientHello.',
    wire: ['The client’s first bytes on the TLS port are an HTTP request line instead of a ClientHello.'],
    rules: ['plaintext-reply-to-tls'],
    lines: [
      ['OpenSSL 1.1.x', 'error:1408F09C:SSL routines:ssl3_get_record:http request', OPENSSL_111_SSLERR_H],
      ['OpenSSL 3.x', 'error:0A00009C:SSL routines::http request', OPENSSL_30_ERRSTR],
    ],
    confidence: 'partial',
    notes: ['The 3.x code and string are confirmed; the 1.1.x line is computed from ssl3_get_record (143) and the reason (156).'],
  },
  {
    id: 'openssl-unsupported-protocol', reason: 'unsupported protocol', common: true, macro: 'SSL_R_UNSUPPORTED_PROTOCOL', reasonCode: 258,
    meaning: 'The protocol version the peer offered or chose is disabled on this side (a client refusing the ServerHello version, or a server with no version in common with the ClientHello).',
    wire: ['A fatal protocol_version(70) alert right after the ClientHello or the ServerHello.'],
    rules: ['protocol-version-rejected'],
    lines: [['OpenSSL 3.x', 'error:0A000102:SSL routines::unsupported protocol', OPENSSL_30_ERRSTR]],
    confidence: 'partial', node: true,
    notes: ['The 3.x code and string are confirmed; the meaning is from the reason name. The 1.1.1 client line error:1425F102:SSL routines:ssl_choose_client_version:unsupported protocol is recalled, not confirmed.'],
  },
  {
    id: 'openssl-version-too-low', reason: 'version too low', macro: 'SSL_R_VERSION_TOO_LOW', reasonCode: 396,
    meaning: 'OpenSSL, as server, received a ClientHello whose highest version is below its configured minimum (MinProtocol or the security level).',
    wire: ['The server answers a ClientHello offering only old versions (SSL 3.0, TLS 1.0, TLS 1.1) with a fatal protocol_version(70) alert.'],
    rules: ['protocol-version-rejected'],
    lines: [['OpenSSL 3.x', 'error:0A00018C:SSL routines:tls_early_post_process_client_hello:version too low', PUBLIC_LOG_REPORTS]],
    confidence: 'confirmed', node: true,
    notes: ['The alert OpenSSL sends with it (protocol_version) follows the RFC and is not quoted from a source.'],
  },
  {
    id: 'openssl-peer-did-not-return-a-certificate', reason: 'peer did not return a certificate', macro: 'SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE', reasonCode: 199,
    meaning: 'OpenSSL, as server, requires a client certificate (SSL_VERIFY_FAIL_IF_NO_PEER_CERT) and the client sent none.',
    wire: ['The client answers CertificateRequest with an empty Certificate message; the server ends the handshake with a fatal alert (handshake_failure up to TLS 1.2, certificate_required in TLS 1.3).'],
    rules: ['client-certificate-missing'],
    lines: [
      ['OpenSSL 1.1.x', 'error:1417C0C7:SSL routines:tls_process_client_certificate:peer did not return a certificate', OPENSSL_111_SSLERR_H],
      ['OpenSSL 3.x', 'error:0A0000C7:SSL routines::peer did not return a certificate', OPENSSL_30_ERRSTR],
    ],
    confidence: 'confirmed', node: true,
    notes: ['The 1.1.x code is computed from tls_process_client_certificate (380) and the reason (199).'],
  },
  {
    id: 'openssl-certificate-verify-failed', reason: 'certificate verify failed', macro: 'SSL_R_CERTIFICATE_VERIFY_FAILED', reasonCode: 134,
    meaning: 'OpenSSL rejected the peer’s certificate chain. The X.509 verify error next to it (unable to get local issuer certificate, certificate has expired, ...) names the reason, and OpenSSL sends the matching alert (Zabbix logs show TLS write fatal alert "unknown CA", "certificate revoked", "certificate expired").',
    wire: [
      'The client sends a certificate alert (unknown_ca, certificate_expired, bad_certificate, ...) right after the server’s Certificate message.',
      'The server sends such an alert after the client’s Certificate message.',
    ],
    rules: ['server-certificate-rejected', 'client-certificate-rejected', 'certificate-expired'],
    lines: [
      ['OpenSSL 1.0.x (client)', 'error:14090086:SSL routines:ssl3_get_server_certificate:certificate verify failed', ZABBIX_CERT_PROBLEMS],
      ['OpenSSL 1.0.x (server)', 'error:14089086:SSL routines:ssl3_get_client_certificate:certificate verify failed', ZABBIX_CERT_PROBLEMS],
      ['OpenSSL 1.1.x (client)', 'error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed', OPENSSL_111_SSLERR_H],
      ['OpenSSL 3.x', 'error:0A000086:SSL routines::certificate verify failed', OPENSSL_30_ERRSTR],
    ],
    confidence: 'confirmed',
    notes: ['The 1.1.x client code is computed from tls_process_server_certificate (367) and the reason (134).'],
  },
  {
    id: 'openssl-unexpected-eof-while-reading', reason: 'unexpected eof while reading', macro: 'SSL_R_UNEXPECTED_EOF_WHILE_READING', reasonCode: 294,
    meaning: 'The peer closed the TCP connection without close_notify or any alert. During the handshake it means the peer gave up without saying why.',
    wire: ['A FIN (or RST) from the peer in the middle of the handshake, with no alert record before it.'],
    rules: ['handshake-aborted'],
    lines: [['OpenSSL 3.x', 'error:0A000126:SSL routines::unexpected eof while reading', OPENSSL_30_ERRSTR]],
    confidence: 'confirmed', node: true,
    notes: ['OpenSSL 1.1.1 reports the same situation as SSL_ERROR_SYSCALL without an error string.'],
  },
];

function hex3(value: number): string {
  return value.toString(16).toUpperCase().padStart(3, '0');
}

function sentSideEntry(fact: SentSideFact): KnowledgeEntry {
  const low = hex3(fact.reasonCode);
  const messages: ProductMessage[] = fact.lines.map(([product, text, source]) => ({ product, text, side: 'either', source }));
  const reason = phraseSource(fact.reason);
  const patterns = [
    pattern(fact.common === true ? `:\\s*${reason}` : reason),
    pattern(`\\b(?:error:)?14[0-9A-F]{3}${low}\\b`),
    pattern(`\\b(?:error:)?0A000${low}\\b`),
    pattern(`\\b${fact.macro}\\b`),
  ];
  const seeAlso: Source[] = [OPENSSL_111_SSLERR_H, OPENSSL_30_ERRSTR];
  if (fact.node === true) {
    const code = nodeErrorCode(fact.reason);
    messages.push({ product: 'Node.js', text: code, side: 'either', source: NODE_CRYPTO_ERRORS });
    patterns.push(pattern(`\\b${code}\\b`));
    seeAlso.push(NODE_CRYPTO_ERRORS);
  }
  return {
    id: fact.id,
    product: OPENSSL,
    kind: 'error-string',
    title: `OpenSSL: ${fact.reason}`,
    text: (fact.lines.find(([product]) => product.startsWith('OpenSSL 3')) ?? fact.lines[0])[1],
    meaning: fact.meaning,
    patterns,
    wirePatterns: fact.wire,
    rules: fact.rules,
    remedies: [],
    source: OPENSSL_ERR_TXT,
    confidence: fact.confidence,
    code: { value: fact.reasonCode, names: [fact.macro] },
    notes: fact.notes ?? [],
    messages,
    seeAlso,
  };
}

export const OPENSSL_ENTRIES: readonly KnowledgeEntry[] = [
  ...FACTS.map(sentSideEntry),
  {
    id: 'openssl-s-client-no-client-ca-names',
    product: 'OpenSSL (s_client)',
    kind: 'message',
    title: 'openssl s_client: No client certificate CA names sent',
    text: 'No client certificate CA names sent',
    meaning: 's_client prints this when the server named no acceptable client CAs: either its CertificateRequest had an empty certificate_authorities list, or it sent no CertificateRequest at all. With a non-empty list it prints "Acceptable client certificate CA names" instead.',
    patterns: [pattern(phraseSource('No client certificate CA names sent'))],
    wirePatterns: ['A CertificateRequest whose certificate_authorities length is 0 (or no CertificateRequest); the capture tells which.'],
    rules: ['empty-ca-list'],
    remedies: [],
    source: PUBLIC_LOG_REPORTS,
    confidence: 'partial',
    notes: ['The line is confirmed in many published s_client outputs, most of them from servers that sent no CertificateRequest; the two cases are not distinguished by the line itself.'],
  },
];

export const JAVA_ENTRIES: readonly KnowledgeEntry[] = [
  {
    id: 'java-unrecognized-ssl-message',
    product: 'Java (JSSE)',
    kind: 'error-string',
    title: 'javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?',
    text: 'javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?',
    meaning: 'JSSE read bytes that are neither a TLS record nor an SSLv2-style hello where it expected a handshake record: the peer answered in cleartext or is not speaking TLS on that port.',
    patterns: [pattern(phraseSource('Unrecognized SSL message'))],
    wirePatterns: ['The peer’s first bytes after the ClientHello (or instead of it) are cleartext: an HTTP response, an FTP or SMTP greeting.'],
    rules: ['plaintext-reply-to-tls'],
    remedies: [{ where: 'the Java client', action: 'Connect to the TLS port, or use the protocol’s STARTTLS/AUTH TLS step before starting TLS.' }],
    source: OPENJDK_RECORD,
    confidence: 'confirmed',
  },
];
