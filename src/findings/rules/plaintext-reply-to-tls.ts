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

/** The commands that ask to start TLS on a plaintext protocol (RFC 4217 AUTH, RFC 3207/2595 STARTTLS, STLS). */
const UPGRADE = /^\s*(?:\S+\s+)?(AUTH\s+(?:TLS|SSL|TLS-C|TLS-P)|STARTTLS|STLS)\b/i;
/** A positive reply: FTP 234, SMTP 220, IMAP `tag OK`, POP3 `+OK`, XMPP `<proceed`. */
const AGREED = /^\s*(?:2\d\d[ -]|\+OK\b|\S+\s+OK\b|OK\b|<proceed\b)/i;

/**
 * After an upgrade command and the server's yes (`AUTH TLS` → `234`, `STARTTLS` → `220`), the client's
 * ClientHello got a plaintext answer: the server, or something in between that speaks the plaintext
 * protocol, did not start TLS.
 */
function upgradeNotStarted(connection: Parameters<Rule['detect']>[0], hello: number): ReturnType<Rule['detect']> {
  const events = connection.transcript.events;
  const before = events.slice(0, hello);
  let command = -1;
  for (let i = before.length - 1; i >= 0; i--) {
    const e = before[i];
    if (e.type === 'plaintext' && e.from === 'client') {
      command = UPGRADE.test(e.text) ? i : -1;
      break;
    }
  }
  if (command < 0) return [];
  const commandEv = before[command];
  const yes = before.slice(command + 1).find((e) => e.type === 'plaintext' && e.from === 'server');
  if (!yes || yes.type !== 'plaintext' || !AGREED.test(yes.text) || commandEv.type !== 'plaintext') return [];
  const answer = events.slice(hello + 1).find((e) => e.from === 'server' && e.type !== 'tcp');
  if (!answer || answer.type !== 'plaintext') return [];
  const helloEv = events[hello];
  const line = (t: string) => t.replace(/\\r\\n$|\\n$/, '');
  const asked = line(commandEv.text);
  const agreed = line(yes.text);
  const text = line(answer.text);
  const message =
    `The client asked to start TLS with "${asked}" (frame ${commandEv.frame}) and the server agreed with "${agreed}" ` +
    `(frame ${yes.frame}), but after the client's ClientHello in frame ${helloEv.frame} it answered in plaintext "${text}" ` +
    `in frame ${answer.frame}: TLS was never started. Either the server did not switch to TLS after its own reply, or ` +
    'something in the path that speaks the plaintext protocol (an FTP or SMTP proxy, a firewall or load balancer that ' +
    'inspects the dialogue) answered the upgrade itself: compare with a capture taken on the server.';
  return [
    makeFinding(rule.meta, connection, message, [
      { frame: commandEv.frame, text: `frame ${commandEv.frame}: client asked to start TLS: "${asked}"` },
      { frame: yes.frame, text: `frame ${yes.frame}: server agreed: "${agreed}"` },
      { frame: helloEv.frame, text: `frame ${helloEv.frame}: client ClientHello` },
      { frame: answer.frame, text: `frame ${answer.frame}: server answered in plaintext: "${text}"` },
    ]),
  ];
}

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Server answered the ClientHello in plaintext',
    severity: 'error',
    summary:
      'The client opened with a TLS ClientHello, but the server answered with bytes that are not TLS — an FTP 220 banner, ' +
      'an SMTP greeting, an HTTP error page. The client expected implicit TLS on a port where the server expects a ' +
      'plaintext protocol first (or the port is wrong, or a proxy answered). IBM System SSL reports this as RC 410 too. ' +
      'Also after AUTH TLS or STARTTLS: the server agreed (234, 220) and then did not speak TLS.',
    ...knowledgeFor(KNOWLEDGE_IDS),
    references: [RFC.ftpTls],
  },
  detect(connection) {
    const { transcript } = connection;
    const events = transcript.events;
    const hello = events.findIndex((e) => e.from === 'client' && ((e.type === 'handshake' && e.message === 'ClientHello') || (e.type === 'sslv2' && e.handshakeType === 1)));
    if (hello < 0) return [];
    const helloEv = events[hello];
    // A STARTTLS-style upgrade (the client spoke plaintext first) is not implicit TLS: it is this
    // rule's case only when the server agreed to start TLS and then answered the ClientHello in plaintext.
    if (events.slice(0, hello).some((e) => e.type === 'plaintext' && e.from === 'client')) return upgradeNotStarted(connection, hello);
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
