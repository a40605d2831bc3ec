/**
 * vsftpd (require_ssl_reuse=YES, the default since 2.1.0) refuses a TLS data connection that does not
 * resume the control connection's TLS session: it answers "522 SSL connection failed; session reuse
 * required" on the control connection and drops the data connection. Other servers (FileZilla Server,
 * ProFTPD without NoSessionReuseRequired) have the same policy.
 */
import type { EvidenceItem, Finding, Rule } from '../types.js';
import { makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';
import { isTls13 } from '../../session/connection.js';

const ID = 'ftps-session-not-reused';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = {
  products: ['vsftpd-522-ssl-connection-failed', 'vsftpd-log-no-ssl-session-reuse', 'filezilla-server-425-tls-session-not-resumed', 'curl-18'],
  remedies: ['vsftpd-require-ssl-reuse', 'zos-ftp-data-secure-session-reuse', 'proftpd-tlsoptions-nosessionreuserequired'],
};

/** Application data a server sends on a refused TLS 1.3 data connection: its session tickets, at most. */
const TICKET_SIZED = 600;

export const rule: Rule = {
  meta: {
    id: ID,
    title: "FTPS data connection did not reuse the control connection's TLS session",
    severity: 'error',
    summary:
      "An FTPS data connection negotiated a fresh TLS session instead of resuming the control connection's. " +
      'vsftpd (require_ssl_reuse=YES, the default since 2.1.0) then refuses the transfer with "522 SSL connection ' +
      'failed; session reuse required" on the control connection and closes the data connection; FileZilla Server ' +
      'and ProFTPD have the same policy. It is an error when the data connection was torn down without data, a ' +
      'warning when the transfer went through anyway.',
    ...knowledgeFor(KNOWLEDGE_IDS),
    references: [RFC.ftpTls],
  },
  detect(data, capture) {
    const out: Finding[] = [];
    {
      const info = data.ftp;
      if (!info || info.role !== 'data' || !info.resumption || info.resumption.verdict !== 'not-reused') return out;
      const control = capture.connection(info.controlStream);
      const tls = data.transcript.tls!;
      const app = tls.applicationData;
      // Torn down without data: nothing but (TLS 1.3) session tickets crossed before the close. vsftpd
      // checks reuse right after its Finished and closes at once (an encrypted close_notify).
      const closed = tls.ended.how !== 'open' && tls.ended.how !== 'capture-ended';
      const tornDown = tls.established && closed && app.client.bytes === 0 && app.server.bytes <= (isTls13(tls.negotiatedVersion) ? TICKET_SIZED : 0);
      const serverAlert = data.transcript.events.find((e) => e.type === 'alert' && e.from === 'server' && (e.encrypted || e.decrypted === true));
      const evidence: EvidenceItem[] = [];
      const ch = data.transcript.events.find((e) => e.type === 'handshake' && e.from === 'client' && e.message === 'ClientHello');
      const sh = data.transcript.events.find((e) => e.type === 'handshake' && e.from === 'server' && e.message === 'ServerHello');
      const cert = data.transcript.events.find((e) => e.type === 'handshake' && e.from === 'server' && e.message === 'Certificate');
      // TLS 1.3: the session ids are the compatibility id and its echo (RFC 8446 §D.4), never a session.
      const tls13 = isTls13(tls.negotiatedVersion);
      const nothing = tls13 ? 'offers no session to resume (no pre_shared_key)' : 'offers no session to resume (empty session id, no ticket)';
      if (ch) evidence.push({ frame: ch.frame, text: `frame ${ch.frame}: data connection ClientHello, ${tls.resumption.offered.length ? `offers ${tls.resumption.offered.join(', ')}` : nothing}` });
      if (sh) evidence.push({ frame: sh.frame, text: `frame ${sh.frame}: server ServerHello starts a full handshake${tls.resumption.serverSessionId && !tls13 ? ` (new session id ${tls.resumption.serverSessionId.slice(0, 16)}…)` : ''}` });
      if (cert) evidence.push({ frame: cert.frame, text: `frame ${cert.frame}: server sends its Certificate again (a resumed session would not)` });
      if (tornDown && serverAlert && serverAlert.type === 'alert') {
        const what = serverAlert.decrypted === true ? `alert ${serverAlert.description}(${serverAlert.code}) (decrypted)` : 'an encrypted alert (close_notify)';
        evidence.push({ frame: serverAlert.frame, text: `frame ${serverAlert.frame}: server sends ${what} right after the handshake, before any data` });
      }
      if (tornDown && tls.ended.frame !== null) evidence.push({ frame: tls.ended.frame, text: `frame ${tls.ended.frame}: the data connection ends (${tls.ended.by} ${tls.ended.how.toUpperCase()}) with no data transferred` });
      const controlSh = control?.transcript.events.find((e) => e.type === 'handshake' && e.from === 'server' && e.message === 'ServerHello');
      // With the control connection's keys, the refusal itself: vsftpd's 522 after the data connection opened.
      const refusal = control?.transcript.events.find((e) => e.type === 'plaintext' && e.decrypted === true && e.from === 'server' && e.frame > data.conversation.firstFrame && /^52[12] /.test(e.text));
      const refusalText = refusal && refusal.type === 'plaintext' ? refusal.text.replace(/\\r\\n$|\\n$/, '') : null;
      if (refusal && refusalText !== null) {
        evidence.push({ frame: refusal.frame, stream: info.controlStream, text: `frame ${refusal.frame} (control connection, stream ${info.controlStream}): server replied "${refusalText}" (decrypted with the key log)` });
      }
      const controlDesc = control ? `${control.conversation.client.ip}:${control.conversation.client.port} → ${control.conversation.server.ip}:${control.conversation.server.port}` : '';
      const link =
        info.link === 'announced'
          ? `announced by PASV/EPSV/PORT on the control connection${control?.transcript.events.some((e) => e.type === 'plaintext' && e.decrypted === true) ? ' (decrypted with the key log)' : ''}`
          : 'tied to it by hosts and timing (the PASV reply is encrypted)';
      const message =
        `Data connection (stream ${data.conversation.stream}) belongs to the FTPS control connection stream ${info.controlStream} (${controlDesc}; ${link}). ` +
        `${info.resumption.explanation} ` +
        (controlSh ? `The control connection's TLS session was set up in frame ${controlSh.frame}. ` : '') +
        (refusalText !== null
          ? `The server refused the transfer on the control connection with "${refusalText}" in frame ${refusal!.frame} (decrypted with the key log): vsftpd's require_ssl_reuse refusal.`
          : tornDown
          ? 'The data connection was then closed without transferring anything: the pattern of vsftpd\'s require_ssl_reuse refusal, which answers "522 SSL connection failed: session reuse required" on the control connection (encrypted there, so not readable without the keys).'
          : 'The transfer went on anyway (this server does not require reuse), but a vsftpd server with require_ssl_reuse=YES would refuse it with 522.');
      out.push(
        makeFinding(rule.meta, data, message, evidence, {
          severity: tornDown || refusalText !== null ? 'error' : 'warning',
          relatedStreams: [info.controlStream],
        }),
      );
    }
    return out;
  },
};
