/**
 * The client sent a certificate and the server refused it (e.g. the Zeek trace
 * certificate-request-failed.pcap: handshake_failure(40) right after the client's chain).
 */
import type { Rule } from '../types.js';
import { alertEvidence, handshakeEvidence, handshakes, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';
import { describeChain } from '../certificates.js';

const ID = 'client-certificate-rejected';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-414', 'zos-attls-rc-5002', 'openssl-certificate-verify-failed', 'tls-alert-48'], remedies: ['zos-attls-rc-5002', 'openssl-certificate-verify-failed', 'vsftpd-validate-cert', 'vsftpd-ca-certs-file'] };
/** Alerts a server sends about the client's certificate (and handshake_failure, which some send instead). */
const REJECTIONS = new Set([40, 42, 43, 44, 45, 46, 48, 49, 51]);

export const rule: Rule = {
  meta: {
    id: ID,
    title: "Server rejected the client's certificate",
    severity: 'error',
    summary:
      'The client sent a certificate chain and the server aborted the handshake right after it: unknown_ca(48) when the ' +
      "server does not trust the issuing CA, bad_certificate(42), certificate_expired(45), certificate_unknown(46), " +
      'access_denied(49), decrypt_error(51) when the CertificateVerify signature fails, or a bare handshake_failure(40). ' +
      "Check the client's chain against the CAs the server trusts.",
    ...knowledgeFor(KNOWLEDGE_IDS),
    references: [RFC.tls12ClientCertificate, RFC.tls12Alerts],
  },
  detect(connection) {
    const { transcript } = connection;
    if (!transcript.tls || transcript.tls.established) return [];
    const cert = handshakes(transcript.events, 'client', 'Certificate').find((e) => e.body?.kind === 'Certificate' && e.body.certificates.length > 0);
    if (!cert || cert.body?.kind !== 'Certificate') return [];
    const alert = transcript.events.find(
      (e) => e.type === 'alert' && e.from === 'server' && !e.encrypted && e.level === 'fatal' && e.frame >= cert.frame && e.code !== undefined && REJECTIONS.has(e.code),
    );
    if (!alert || alert.type !== 'alert') return [];
    const chain = cert.body.certificates;
    const message =
      `The client sent its certificate chain in frame ${cert.frame} (${describeChain(chain)}); the server refused it with ` +
      `${alert.description}(${alert.code}) in frame ${alert.frame}.`;
    return [makeFinding(rule.meta, connection, message, [handshakeEvidence(cert, `${chain.length} certificate${chain.length === 1 ? '' : 's'}`), alertEvidence(alert)])];
  },
};
