/**
 * The client refused the server's certificate chain: bad_certificate(42), unsupported_certificate(43),
 * certificate_revoked(44), certificate_expired(45), certificate_unknown(46) or unknown_ca(48) after
 * the server's Certificate.
 */
import type { Rule } from '../types.js';
import { alertEvidence, handshakeEvidence, handshakes, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';
import { describeChain, validityAt } from '../certificates.js';
import { isTls13 } from '../../session/connection.js';

const ID = 'server-certificate-rejected';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-8', 'system-ssl-rc-414', 'system-ssl-rc-435', 'openssl-certificate-verify-failed', 'tls-alert-48', 'openssl-verify-error-20', 'openssl-verify-error-21', 'openssl-verify-error-19', 'openssl-verify-error-62', 'curl-60', 'java-pkix-path-building-failed', 'java-no-subject-alternative-names', 'python-ssl-cert-verification-error', 'lftp-certificate-verification'], remedies: ['system-ssl-rc-435', 'openssl-certificate-verify-failed', 'xcom-configssl-ca', 'curl-60', 'java-pkix-path-building-failed', 'java-no-subject-alternative-names', 'python-ssl-cert-verification-error', 'lftp-certificate-verification'] };
export const CERTIFICATE_ALERTS = new Set([42, 43, 44, 45, 46, 48]);
/** The alerts certificate-expired takes as the peer rejecting an expired certificate (its detect). */
const EXPIRY_ALERTS = new Set([42, 45, 46]);

const WHY: Record<number, string> = {
  42: 'the certificate is corrupt or its signature does not verify',
  43: 'the certificate is of a type the client does not support',
  44: 'the certificate has been revoked by its issuer',
  45: 'the certificate has expired or is not yet valid',
  46: 'some other problem with the certificate (often a host name mismatch or a failed check the client does not name)',
  48: 'the client does not trust the CA that issued it (the root, or a missing intermediate)',
};

export const rule: Rule = {
  meta: {
    id: ID,
    title: "Client rejected the server's certificate",
    severity: 'error',
    summary:
      "The client received the server's certificate chain and aborted with a certificate alert: bad_certificate(42), " +
      'unsupported_certificate(43), certificate_revoked(44), certificate_expired(45), certificate_unknown(46) or ' +
      'unknown_ca(48). The chain the server sent is in the evidence: compare it with what the client trusts (its trust ' +
      'store, key ring or key database) and check the intermediates, the dates and the host name.',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      {
        where: 'the client',
        action:
          "Add the CA that issued the server's certificate (the root of the chain in the evidence) to the client's trust store, " +
          'or, when the chain stops short of a root the client trusts, have the server send its intermediate certificates',
      },
      { where: 'the server', action: 'Use a certificate issued by a CA the clients trust, valid at the time, naming the host the clients connect to' },
    ]),
    references: [RFC.tls12CertificateValidation, RFC.tls12Alerts, RFC.x509Validity],
  },
  detect(connection) {
    const { transcript } = connection;
    const tls = transcript.tls;
    if (!tls || tls.established) return [];
    const cert = handshakes(transcript.events, 'server', 'Certificate')[0];
    // TLS 1.3 encrypts the server's Certificate: its flight is visible only as encrypted records.
    const hiddenChain = !cert && isTls13(tls.negotiatedVersion) ? handshakes(transcript.events, 'server', 'encrypted')[0] : undefined;
    const after = cert ?? hiddenChain;
    if (!after) return [];
    const alert = transcript.events.find(
      (e) => e.type === 'alert' && e.from === 'client' && !e.encrypted && e.frame >= after.frame && e.code !== undefined && CERTIFICATE_ALERTS.has(e.code),
    );
    if (!alert || alert.type !== 'alert') return [];
    if (cert && cert.body?.kind === 'Certificate') {
      const chain = cert.body.certificates;
      // One finding per cause: an expired certificate the client rejected is certificate-expired's (the
      // alerts it counts as a rejection of an expired certificate: 42, 45, 46).
      if (EXPIRY_ALERTS.has(alert.code!) && chain.some((c) => { const v = validityAt(c, cert.time); return v === 'expired' || v === 'not-yet-valid'; })) return [];
      const message =
        `The client aborted with ${alert.level} ${alert.description}(${alert.code}) in frame ${alert.frame} after the server's ` +
        `certificate chain in frame ${cert.frame}: ${WHY[alert.code!] ?? 'a certificate problem'}. Chain sent: ${describeChain(chain)}.`;
      return [makeFinding(rule.meta, connection, message, [handshakeEvidence(cert, `${chain.length} certificate${chain.length === 1 ? '' : 's'}: ${describeChain(chain)}`), alertEvidence(alert)])];
    }
    const message =
      `The client aborted with ${alert.level} ${alert.description}(${alert.code}) in frame ${alert.frame} after the server's encrypted ` +
      `handshake flight (frame ${after.frame}): ${WHY[alert.code!] ?? 'a certificate problem'}. TLS 1.3 encrypts the certificate chain, so ` +
      'it is not in the capture: check the chain the server is configured with (openssl s_client -showcerts), or decrypt with a key log.';
    return [makeFinding(rule.meta, connection, message, [{ frame: after.frame, text: `frame ${after.frame}: server encrypted handshake flight (its Certificate is inside)` }, alertEvidence(alert)])];
  },
};
