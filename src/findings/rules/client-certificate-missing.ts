/**
 * The server required a client certificate, the client had none to send (an empty Certificate, or
 * SSL 3.0's no_certificate(41) alert), and the server failed the handshake.
 */
import type { Rule } from '../types.js';
import { alertEvidence, handshakeEvidence, handshakes, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'client-certificate-missing';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-403', 'zos-attls-rc-5001', 'openssl-peer-did-not-return-a-certificate', 'tls-alert-116', 'curl-58'], remedies: ['system-ssl-rc-403', 'openssl-peer-did-not-return-a-certificate', 'vsftpd-require-cert'] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Server required a client certificate; the client sent none',
    severity: 'error',
    summary:
      'The server asked for a client certificate (CertificateRequest), the client answered with an empty Certificate ' +
      'message (or, in SSL 3.0, a no_certificate(41) warning), and the server then failed the handshake — usually with ' +
      'handshake_failure(40), bad_certificate(42) or certificate_required(116). Either configure a client certificate ' +
      '(one issued by a CA the server lists) or stop requiring one on the server. A z/OS server reports RC 403 (no ' +
      'certificate received from partner).',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      {
        where: 'the client',
        action: 'Configure the client with a certificate and key issued by a CA the server accepts (a CertificateRequest in the capture names them, unless its list is empty), and for FTP make the client send it',
      },
      {
        where: 'the server',
        action: 'If client certificates are not meant to be mandatory, make them optional (OpenSSL: SSL_VERIFY_PEER without SSL_VERIFY_FAIL_IF_NO_PEER_CERT; s_server -verify instead of -Verify)',
      },
    ]),
    references: [RFC.tls12ClientCertificate, RFC.ssl3NoCertificate, RFC.tls13ClientCertificate],
  },
  detect(connection) {
    const { transcript } = connection;
    const tls = transcript.tls;
    if (!tls || tls.established) return [];
    const cr = handshakes(transcript.events, 'server', 'CertificateRequest')[0];
    if (!cr) return [];
    const empty = handshakes(transcript.events, 'client', 'Certificate').find((e) => e.body?.kind === 'Certificate' && e.body.certificates.length === 0);
    const noCert = transcript.events.find((e) => e.type === 'alert' && e.from === 'client' && e.code === 41);
    const answer = empty ?? noCert;
    if (!answer) return [];
    const serverAlert = transcript.events.find((e) => e.type === 'alert' && e.from === 'server' && e.frame >= answer.frame && (e.level === 'fatal' || e.encrypted));
    const serverClose = transcript.events.find((e) => e.type === 'tcp' && e.flag !== 'gap' && e.from === 'server' && e.frame >= answer.frame);
    const end = serverAlert ?? serverClose;
    if (!end) return [];
    const evidence = [handshakeEvidence(cr, crDetail(cr))];
    if (empty) evidence.push(handshakeEvidence(empty, 'empty certificate list'));
    else if (noCert && noCert.type === 'alert') evidence.push(alertEvidence(noCert));
    if (serverAlert && serverAlert.type === 'alert') evidence.push(alertEvidence(serverAlert));
    else if (serverClose) evidence.push({ frame: serverClose.frame, text: `frame ${serverClose.frame}: server closed the connection` });
    const how = serverAlert && serverAlert.type === 'alert' && !serverAlert.encrypted ? `${serverAlert.description}(${serverAlert.code})` : 'closing the connection';
    const message =
      `The server asked for a client certificate in frame ${cr.frame}; the client sent none in frame ${answer.frame}; ` +
      `the server then ended the handshake with ${how} in frame ${end.frame}. Give the client a certificate from a CA the server accepts, or make the certificate optional on the server.`;
    return [makeFinding(rule.meta, connection, message, evidence)];
  },
};

function crDetail(cr: { body?: { kind: string } }): string {
  const b = cr.body as { kind: string; authoritiesLength?: number } | undefined;
  return b && b.kind === 'CertificateRequest' ? `certificate_authorities length ${b.authoritiesLength}` : 'client certificate requested';
}
