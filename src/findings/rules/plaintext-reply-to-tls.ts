/**
 * The client started TLS and the server answered in plaintext: implicit TLS against a port that
 * expects a plaintext protocol first (FTP's 220 banner, SMTP, an HTTP server), a wrong port, or a
 * proxy in the way.
 */
import type { Rule } from '../types.js';
import { makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'plaintext-reply-to-tls';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-410', 'zos-attls-rc-5003', 'openssl-wrong-version-number', 'openssl-http-request', 'java-unrecognized-ssl-message'], remedies: ['zos-attls-rc-5003', 'java-unrecognized-ssl-message', 'zos-ftp-data-secureimplicitzos', 'vsftpd-implicit-ssl'] };

const ADVICE: Record<string, string> = {
  ftp: 'The server is a plaintext FTP server (explicit FTPS): connect in plaintext and send AUTH TLS, or use the implicit FTPS port (990) if the server offers one.',
  smtp: 'The server speaks SMTP first: use STARTTLS on this port, or the implicit-TLS submission port (465).',
  http: 'The server speaks plain HTTP on this port: use http://, or the HTTPS port.',
  imap: 'The server speaks IMAP first: use STARTTLS, or port 993.',
  pop3: 'The server speaks POP3 first: use STLS, or port 995.',
};

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Server answered the ClientHello in plaintext',
    severity: 'error',
    summary:
      'The client opened with a TLS ClientHello, but the server answered with bytes that are not TLS — an FTP 220 banner, ' +
      'an SMTP greeting, an HTTP error page. The client expected implicit TLS on a port where the server expects a ' +
      'plaintext protocol first (or the port is wrong, or a proxy answered). IBM System SSL reports this as RC 410 too.',
    ...knowledgeFor(KNOWLEDGE_IDS),
    references: [RFC.ftpTls],
  },
  detect(connection) {
    const { transcript } = connection;
    const events = transcript.events;
    const hello = events.findIndex((e) => e.from === 'client' && ((e.type === 'handshake' && e.message === 'ClientHello') || (e.type === 'sslv2' && e.handshakeType === 1)));
    if (hello < 0) return [];
    // A STARTTLS-style upgrade (the client spoke plaintext first) is not implicit TLS.
    if (events.slice(0, hello).some((e) => e.type === 'plaintext' && e.from === 'client')) return [];
    const helloEv = events[hello];
    // The server's answer after the hello, or its greeting before it (a server that speaks first,
    // FTP or SMTP, sends its banner while the client is already sending the ClientHello).
    const answer = events.slice(hello + 1).find((e) => e.from === 'server' && e.type !== 'tcp');
    const banner = events.slice(0, hello).find((e) => e.from === 'server' && e.type === 'plaintext');
    const reply = answer && answer.type === 'plaintext' ? answer : !answer || answer.type === 'tcp' ? banner : undefined;
    if (!reply || reply.type !== 'plaintext') return [];
    const text = reply.text.replace(/\\r\\n$|\\n$/, '');
    const binary = (text.match(/\\x[0-9a-f]{2}/g)?.length ?? 0) * 4 > text.length / 2;
    const what = binary ? `bytes that are not TLS ("${text}")` : `plaintext "${text}"`;
    const when = reply === banner ? `before the ClientHello (frame ${reply.frame}), and never answered it in TLS` : `in frame ${reply.frame}`;
    const advice = binary
      ? 'The port is served by something that speaks neither TLS nor a text protocol: check the port and any proxy or load balancer in front of it.'
      : (ADVICE[reply.protocol] ?? 'Check the port, and whether the service expects a plaintext protocol before TLS.');
    const message = `The client sent a ClientHello in frame ${helloEv.frame}; the server answered with ${what} ${when}. ${advice}`;
    return [
      makeFinding(rule.meta, connection, message, [
        { frame: helloEv.frame, text: `frame ${helloEv.frame}: client ClientHello (TLS from the first byte)` },
        { frame: reply.frame, text: `frame ${reply.frame}: server ${reply === banner ? 'greeted in plaintext' : 'answered in plaintext'}: "${text}"` },
      ]),
    ];
  },
};
