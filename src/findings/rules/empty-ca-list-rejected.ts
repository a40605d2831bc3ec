/**
 * The first case tlsdiag exists for: an OpenSSL-based server (vsftpd, XCOM on Linux) asks for a client
 * certificate with an EMPTY certificate_authorities list; a strict client (IBM z/OS System SSL: the
 * z/OS FTP client, XCOM for z/OS) answers with a fatal illegal_parameter(47) and gives up.
 */
import type { Rule } from '../types.js';
import { alertEvidence, closeAfter, failingAlert, handshakeEvidence, handshakes, makeFinding, versionText } from '../evidence.js';
import { emptyCaListContext, emptyCaListRequest } from '../patterns.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

/** Alerts with which clients reject a CertificateRequest they cannot parse or accept. */
const REJECTING_ALERTS = new Set([47 /* illegal_parameter */, 50 /* decode_error */]);

const ID = 'empty-ca-list-rejected';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-410', 'zos-ftp-client-trace-secure-socket-init-failed', 'zos-ftp-eza2897i', 'xcom-system-ssl-rc-410', 'vsftpd-500-oops', 'tls-alert-47'], remedies: ['vsftpd-ssl-request-cert', 'vsftpd-ca-certs-file', 'xcom-configssl-verify-certificate'] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Client rejected a CertificateRequest with an empty CA list',
    severity: 'error',
    summary:
      'The server asked for a client certificate but sent an empty list of acceptable certificate authorities ' +
      '(certificate_authorities length 0), and the client aborted the handshake: a fatal illegal_parameter(47) or ' +
      'decode_error(50) alert, or a close without an alert. IBM z/OS System SSL does this and reports ' +
      'gsk_secure_socket_init RC 410 "SSL message format is incorrect". OpenSSL servers send an empty list when no ' +
      'client CA list is configured (vsftpd with ssl_request_cert=YES and no ca_certs_file).',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      { where: 'any OpenSSL-based server', action: 'Give the server a client CA list (SSL_CTX_set_client_CA_list, or the product setting that loads one) so certificate_authorities is not empty' },
    ]),
    references: [RFC.ssl3CertificateRequest, RFC.tls10CertificateRequest, RFC.tls11CertificateRequest, RFC.tls12CertificateRequest, RFC.tls13CertificateAuthorities],
  },
  detect({ conversation, transcript }) {
    const cr = emptyCaListRequest(transcript);
    if (!cr) return [];
    const events = transcript.events;
    const after = events.filter((e) => e.frame >= cr.frame);
    // The client's answer: a rejecting alert, or a close before it sent anything of its own.
    const alert = failingAlert(after, 'client');
    let rejection: string | null = null;
    const evidence = [handshakeEvidence(cr, `certificate_authorities length 0, ${versionText(transcript.tls?.negotiatedVersion)}`)];
    if (alert && !alert.encrypted && alert.code !== undefined && REJECTING_ALERTS.has(alert.code)) {
      evidence.push(alertEvidence(alert));
      rejection = `answered with a ${alert.level} ${alert.description}(${alert.code}) alert in frame ${alert.frame}`;
    } else if (!alert) {
      const clientSpoke = handshakes(after, 'client').length > 0;
      // The client must be the one that gave up: its close comes before any close of the server's.
      const close = closeAfter(after, cr.frame);
      if (!clientSpoke && close && close.from === 'client' && !transcript.tls?.established) {
        evidence.push({ frame: close.frame, text: `frame ${close.frame}: client closed the connection (${close.flag.toUpperCase()}) without answering` });
        rejection = `closed the connection (${close.flag.toUpperCase()}) in frame ${close.frame} without an alert`;
      }
    }
    if (rejection === null) return [];
    const ctx = emptyCaListContext(transcript, cr, true);
    for (const e of ctx.extraEvidence) evidence.push(e);
    const server = `${conversation.server.ip}:${conversation.server.port}`;
    const message =
      `The server ${server} asked for a client certificate in frame ${cr.frame} with an empty list of acceptable CAs, ` +
      `and the client ${rejection}. ${ctx.legality} ` +
      `This is the wire pattern of IBM z/OS System SSL's gsk_secure_socket_init RC 410 (SSL message format is incorrect).` +
      (ctx.ftp ? ' The connection is an FTP control connection upgraded with AUTH TLS: the server is most likely vsftpd with ssl_request_cert=YES.' : '');
    return [makeFinding(rule.meta, { conversation, transcript }, message, evidence)];
  },
};
