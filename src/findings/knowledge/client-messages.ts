/**
 * What TLS clients print when a handshake fails, as users paste it (#12): OpenSSL s_client's
 * `verify error:num=N`, curl's exit codes, Java's PKIX and host name errors, Python's
 * ssl.SSLCertVerificationError, GnuTLS as lftp prints it. `tlsdiag explain` maps each to the rule that
 * finds the failure on the wire, and the rules quote them.
 */
import type { ProductMessage, Source } from '../types.js';
import { pattern, phrase } from './pattern.js';
import type { Confidence, KnowledgeEntry, RuleId } from './types.js';

const OPENSSL_VERIFY: Source = { title: 'OpenSSL openssl-verification-options(1) and X509_verify_cert_error_string(3): verification error codes', publisher: 'OpenSSL Project', ref: 'https://www.openssl.org/docs/man3.0/man3/X509_STORE_CTX_get_error.html' };
const CURL_ERRORS: Source = { title: 'libcurl error codes (libcurl-errors(3)) and curl(1) EXIT CODES', publisher: 'curl project', ref: 'https://curl.se/libcurl/c/libcurl-errors.html' };
const JAVA_PKIX: Source = { title: 'OpenJDK sun.security.validator.PKIXValidator and sun.security.util.HostnameChecker', publisher: 'OpenJDK', ref: 'https://github.com/openjdk/jdk/blob/master/src/java.base/share/classes/sun/security/util/HostnameChecker.java' };
const PYTHON_SSL: Source = { title: 'Python ssl module: ssl.SSLCertVerificationError', publisher: 'Python Software Foundation', ref: 'https://docs.python.org/3/library/ssl.html#ssl.SSLCertVerificationError' };
const GNUTLS_ERRORS: Source = { title: 'GnuTLS error codes (gnutls_strerror) and certificate verification status (gnutls_certificate_verification_status_print)', publisher: 'GnuTLS', ref: 'https://www.gnutls.org/manual/html_node/Error-codes.html' };
const LFTP_SOURCE: Source = { title: 'lftp lftp_ssl.cc: "Certificate verification: ..." and "Fatal error: gnutls_handshake: ..."', publisher: 'lftp', ref: 'https://github.com/lavv17/lftp/blob/master/src/lftp_ssl.cc' };

interface ClientFact {
  readonly id: string;
  readonly product: string;
  readonly text: string;
  readonly title: string;
  readonly meaning: string;
  readonly patterns: readonly RegExp[];
  readonly wire: readonly string[];
  readonly rules: readonly RuleId[];
  readonly source: Source;
  readonly confidence: Confidence;
  readonly notes?: readonly string[];
  readonly remedy?: string;
}

const TRUST = 'the CA that issued the server’s certificate is not in the client’s trust store, or the server did not send the intermediate certificates';

const FACTS: readonly ClientFact[] = [
  // ---- OpenSSL s_client (and anything printing X509 verify results)
  {
    id: 'openssl-verify-error-20', product: 'OpenSSL (s_client)', text: 'verify error:num=20:unable to get local issuer certificate',
    title: 'OpenSSL verify error 20: unable to get local issuer certificate',
    meaning: `X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ${TRUST}.`,
    patterns: [pattern('verify\\s+error\\s*:\\s*num\\s*=\\s*20\\b'), phrase('unable to get local issuer certificate')],
    wire: ['The client sends unknown_ca(48) right after the server’s Certificate message (with -verify_return_error; without it s_client carries on).'],
    rules: ['server-certificate-rejected'], source: OPENSSL_VERIFY, confidence: 'confirmed',
    remedy: 'Add the issuing CA to the client’s trust store (s_client: -CAfile), or have the server send its intermediates',
  },
  {
    id: 'openssl-verify-error-21', product: 'OpenSSL (s_client)', text: 'verify error:num=21:unable to verify the first certificate',
    title: 'OpenSSL verify error 21: unable to verify the first certificate',
    meaning: 'X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: the chain holds only the server’s certificate and its issuer is unknown: most often the server does not send its intermediate certificate.',
    patterns: [pattern('verify\\s+error\\s*:\\s*num\\s*=\\s*21\\b'), phrase('unable to verify the first certificate')],
    wire: ['The server’s Certificate message carries one certificate whose issuer is not itself; the client sends unknown_ca(48) when it enforces verification.'],
    rules: ['server-certificate-rejected'], source: OPENSSL_VERIFY, confidence: 'confirmed',
    remedy: 'Configure the server to send its intermediate certificate(s) with its own',
  },
  {
    id: 'openssl-verify-error-19', product: 'OpenSSL (s_client)', text: 'verify error:num=19:self-signed certificate in certificate chain',
    title: 'OpenSSL verify error 19: self-signed certificate in certificate chain',
    meaning: 'X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: the chain ends in a root the client does not trust.',
    patterns: [pattern('verify\\s+error\\s*:\\s*num\\s*=\\s*19\\b'), pattern('self[- ]signed\\s+certificate\\s+in\\s+certificate\\s+chain')],
    wire: ['The client sends unknown_ca(48) after a chain whose last certificate is self-signed.'],
    rules: ['server-certificate-rejected'], source: OPENSSL_VERIFY, confidence: 'confirmed',
  },
  {
    id: 'openssl-verify-error-18', product: 'OpenSSL (s_client)', text: 'verify error:num=18:self-signed certificate',
    title: 'OpenSSL verify error 18: self-signed certificate',
    meaning: 'X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: the server’s certificate is self-signed and not trusted by the client.',
    patterns: [pattern('verify\\s+error\\s*:\\s*num\\s*=\\s*18\\b'), pattern('self[- ]signed\\s+certificate(?!\\s+in)')],
    wire: ['The client sends unknown_ca(48) (OpenSSL) or bad_certificate after a one-certificate, self-signed chain.'],
    rules: ['server-certificate-rejected'], source: OPENSSL_VERIFY, confidence: 'confirmed',
  },
  {
    id: 'openssl-verify-error-10', product: 'OpenSSL (s_client)', text: 'verify error:num=10:certificate has expired',
    title: 'OpenSSL verify error 10: certificate has expired',
    meaning: 'X509_V_ERR_CERT_HAS_EXPIRED: a certificate of the chain is past its notAfter date (by the client’s clock).',
    patterns: [pattern('verify\\s+error\\s*:\\s*num\\s*=\\s*10\\b'), phrase('certificate has expired')],
    wire: ['The client sends certificate_expired(45) after the server’s Certificate message.'],
    rules: ['certificate-expired'], source: OPENSSL_VERIFY, confidence: 'confirmed',
  },
  {
    id: 'openssl-verify-error-9', product: 'OpenSSL (s_client)', text: 'verify error:num=9:certificate is not yet valid',
    title: 'OpenSSL verify error 9: certificate is not yet valid',
    meaning: 'X509_V_ERR_CERT_NOT_YET_VALID: a certificate’s notBefore is in the future by the client’s clock (often a clock that is wrong).',
    patterns: [pattern('verify\\s+error\\s*:\\s*num\\s*=\\s*9\\b'), phrase('certificate is not yet valid')],
    wire: ['The client sends bad_certificate(42) or certificate_expired(45) after the server’s Certificate message.'],
    rules: ['certificate-expired'], source: OPENSSL_VERIFY, confidence: 'confirmed',
  },
  {
    id: 'openssl-verify-error-62', product: 'OpenSSL (s_client)', text: 'verify error:num=62:hostname mismatch',
    title: 'OpenSSL verify error 62: hostname mismatch',
    meaning: 'X509_V_ERR_HOSTNAME_MISMATCH: the certificate does not name the host the client connected to (checked with -verify_hostname).',
    patterns: [pattern('verify\\s+error\\s*:\\s*num\\s*=\\s*62\\b'), phrase('hostname mismatch')],
    wire: ['The client sends certificate_unknown(46) or bad_certificate(42) after the server’s Certificate message.'],
    rules: ['server-certificate-rejected'], source: OPENSSL_VERIFY, confidence: 'confirmed',
  },
  // ---- curl
  {
    id: 'curl-60', product: 'curl', text: 'curl: (60) SSL certificate problem: unable to get local issuer certificate',
    title: 'curl (60): SSL certificate problem',
    meaning: `CURLE_PEER_FAILED_VERIFICATION: the server’s certificate did not verify; the words after "problem:" are OpenSSL’s verify error (${TRUST}; or "certificate has expired").`,
    patterns: [pattern('curl:\\s*\\(60\\)'), phrase('SSL certificate problem'), pattern('\\bCURLE_PEER_FAILED_VERIFICATION\\b')],
    wire: ['The client sends a certificate alert (unknown_ca(48), certificate_expired(45)) after the server’s Certificate message.'],
    rules: ['server-certificate-rejected', 'certificate-expired'], source: CURL_ERRORS, confidence: 'confirmed',
    remedy: 'Give curl the issuing CA (--cacert FILE or the system store), or fix the server’s chain; -k only hides the problem',
  },
  {
    id: 'curl-35', product: 'curl', text: 'curl: (35) error:0A000410:SSL routines::sslv3 alert handshake failure',
    title: 'curl (35): SSL connect error',
    meaning: 'CURLE_SSL_CONNECT_ERROR: the TLS handshake failed; the OpenSSL error after it says how (an alert from the server, a wrong version number when the server answered in plaintext, an unexpected EOF when it closed).',
    patterns: [pattern('curl:\\s*\\(35\\)'), pattern('\\bCURLE_SSL_CONNECT_ERROR\\b')],
    wire: ['Any handshake failure: the server’s alert (handshake_failure(40), protocol_version(70)), a plaintext reply, or a close during the handshake.'],
    rules: ['no-shared-cipher', 'protocol-version-rejected', 'plaintext-reply-to-tls', 'handshake-aborted', 'client-certificate-missing', 'handshake-failed'], source: CURL_ERRORS, confidence: 'confirmed',
  },
  {
    id: 'curl-18', product: 'curl', text: 'curl: (18) transfer closed with 80 bytes remaining to read',
    title: 'curl (18): partial file',
    meaning: 'CURLE_PARTIAL_FILE: the transfer ended before the announced size. Over FTPS with vsftpd’s require_ssl_reuse=YES this follows a data connection that did not resume the control connection’s TLS session (522 on the control connection).',
    patterns: [pattern('curl:\\s*\\(18\\)'), pattern('\\bCURLE_PARTIAL_FILE\\b')],
    wire: ['An FTPS data connection with a full handshake where the server requires session reuse; the server closes it and answers 522 on the control connection.'],
    rules: ['ftps-session-not-reused'], source: CURL_ERRORS, confidence: 'partial',
    notes: ['The tie to 522 comes from samples/ftps-session-not-reused-522.pcap (curl 7.88.1 with --no-sessionid against vsftpd 3.0.3); (18) itself means any short transfer.'],
  },
  {
    id: 'curl-58', product: 'curl', text: 'curl: (58) unable to set private key file',
    title: 'curl (58): problem with the local client certificate',
    meaning: 'CURLE_SSL_CERTPROBLEM: curl could not load the client certificate or key it was given; no certificate is sent.',
    patterns: [pattern('curl:\\s*\\(58\\)'), pattern('\\bCURLE_SSL_CERTPROBLEM\\b')],
    wire: ['When the server requires a client certificate: an empty client Certificate message, then the server’s handshake_failure(40) or certificate_required(116).'],
    rules: ['client-certificate-missing'], source: CURL_ERRORS, confidence: 'confirmed',
  },
  // ---- Java
  {
    id: 'java-pkix-path-building-failed', product: 'Java (JSSE)', text: 'sun.security.validator.ValidatorException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    title: 'Java: PKIX path building failed',
    meaning: `The JVM’s trust store (cacerts, or javax.net.ssl.trustStore) has no path to the server’s certificate: ${TRUST}.`,
    patterns: [phrase('PKIX path building failed'), phrase('unable to find valid certification path to requested target')],
    wire: ['The Java client sends certificate_unknown(46) after the server’s Certificate message.'],
    rules: ['server-certificate-rejected'], source: JAVA_PKIX, confidence: 'confirmed',
    remedy: 'Import the issuing CA into the trust store the JVM uses (keytool -importcert -cacerts, or the file javax.net.ssl.trustStore names)',
  },
  {
    id: 'java-no-subject-alternative-names', product: 'Java (JSSE)', text: 'java.security.cert.CertificateException: No subject alternative names matching IP address 10.0.0.2 found',
    title: 'Java: No subject alternative names (matching ...) present/found',
    meaning: 'The certificate does not name the host or IP address the client connected to (HostnameChecker): a host name mismatch, not a trust problem.',
    patterns: [phrase('No subject alternative names'), phrase('No subject alternative DNS name matching')],
    wire: ['The Java client sends certificate_unknown(46) after the server’s Certificate message.'],
    rules: ['server-certificate-rejected'], source: JAVA_PKIX, confidence: 'confirmed',
    remedy: 'Connect by a name the certificate lists, or reissue the certificate with that name (or IP address) in subjectAltName',
  },
  // ---- Python
  {
    id: 'python-ssl-cert-verification-error', product: 'Python (ssl)', text: 'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
    title: 'Python: ssl.SSLCertVerificationError CERTIFICATE_VERIFY_FAILED',
    meaning: 'Python’s ssl module (OpenSSL) rejected the server’s certificate; the words after "certificate verify failed:" are OpenSSL’s verify error.',
    patterns: [pattern('\\bSSLCertVerificationError\\b'), pattern('\\[SSL:\\s*CERTIFICATE_VERIFY_FAILED\\]')],
    wire: ['The client sends a certificate alert (unknown_ca(48), certificate_expired(45)) after the server’s Certificate message.'],
    rules: ['server-certificate-rejected', 'certificate-expired'], source: PYTHON_SSL, confidence: 'confirmed',
    remedy: 'Give Python the CA (ssl.create_default_context(cafile=...), SSL_CERT_FILE, or requests’ verify=PATH), or fix the server’s chain',
  },
  // ---- GnuTLS as lftp prints it
  {
    id: 'lftp-certificate-verification', product: 'lftp (GnuTLS)', text: 'Certificate verification: Not trusted',
    title: 'lftp: Certificate verification: Not trusted (or: signer not found, expired)',
    meaning: 'GnuTLS did not verify the server’s certificate; lftp prints the reasons ("Not trusted", "The certificate issuer is unknown", "The certificate chain uses expired certificate") and stops unless ssl:verify-certificate is off.',
    patterns: [pattern('Certificate\\s+verification:\\s*(?:Not\\s+trusted|signer\\s+not\\s+found|certificate\\s+has\\s+expired)'), phrase('The certificate issuer is unknown')],
    wire: ['lftp closes, or GnuTLS sends a certificate alert, after the server’s Certificate message.'],
    rules: ['server-certificate-rejected'], source: LFTP_SOURCE, confidence: 'partial',
    notes: ['The wording is lftp’s and GnuTLS’s verification status text; whether an alert is sent before the close depends on the lftp version.'],
    remedy: 'set ssl:ca-file to the issuing CA’s PEM file in lftp (not ssl:verify-certificate no)',
  },
  {
    id: 'gnutls-handshake-failed', product: 'lftp (GnuTLS)', text: 'Fatal error: gnutls_handshake: A TLS fatal alert has been received.',
    title: 'GnuTLS: gnutls_handshake: A TLS fatal alert has been received',
    meaning: 'The server ended the handshake with a fatal alert; lftp -d shows which (GNUTLS_E_FATAL_ALERT_RECEIVED).',
    patterns: [phrase('A TLS fatal alert has been received'), pattern('\\bGNUTLS_E_FATAL_ALERT_RECEIVED\\b')],
    wire: ['The server’s fatal alert during the handshake (handshake_failure(40), protocol_version(70), ...).'],
    rules: ['no-shared-cipher', 'protocol-version-rejected', 'client-certificate-missing', 'handshake-failed'], source: GNUTLS_ERRORS, confidence: 'confirmed',
  },
  {
    id: 'gnutls-unexpected-packet-length', product: 'lftp (GnuTLS)', text: 'Fatal error: gnutls_handshake: An unexpected TLS packet was received.',
    title: 'GnuTLS: An unexpected TLS packet was received / unexpected packet length',
    meaning: 'GnuTLS read something that is not a TLS record where a handshake message was due: most often a plaintext reply (an FTP greeting on an implicit-FTPS port).',
    patterns: [phrase('An unexpected TLS packet was received'), phrase('A TLS packet with unexpected length was received')],
    wire: ['The server answers the ClientHello with plaintext bytes.'],
    rules: ['plaintext-reply-to-tls'], source: GNUTLS_ERRORS, confidence: 'partial',
    notes: ['Which of the two texts appears depends on the bytes received.'],
  },
];

function entry(f: ClientFact): KnowledgeEntry {
  const message: ProductMessage = { product: f.product, text: f.text, side: 'client', source: f.source };
  return {
    id: f.id,
    product: f.product,
    kind: 'error-string',
    title: f.title,
    text: f.text,
    meaning: f.meaning,
    patterns: f.patterns,
    wirePatterns: f.wire,
    rules: f.rules,
    // The client runs it: the place says so, so that the remedy is matched to the client's software.
    remedies: f.remedy ? [{ where: /client/.test(f.product) ? f.product : `${f.product} client`, action: f.remedy, source: f.source }] : [],
    source: f.source,
    confidence: f.confidence,
    messages: [message],
    ...(f.notes ? { notes: f.notes } : {}),
  };
}

export const CLIENT_MESSAGE_ENTRIES: readonly KnowledgeEntry[] = FACTS.map(entry);
