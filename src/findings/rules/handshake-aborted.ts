/**
 * A handshake that stopped with FIN or RST and no alert at all: one side gave up without saying why
 * (some stacks never send the alert they log), or something in between cut the connection.
 */
import type { Rule } from '../types.js';
import { makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'handshake-aborted';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-406', 'system-ssl-rc-420', 'openssl-unexpected-eof-while-reading', 'zos-attls-rc-5004'], remedies: ['system-ssl-rc-420'] };

export const rule: Rule = {
  fallback: true,
  meta: {
    id: ID,
    title: 'Handshake aborted without an alert',
    severity: 'error',
    summary:
      'The TLS handshake did not complete and no alert explains it: one side closed the connection (FIN) or reset it ' +
      '(RST) in the middle of the handshake. The side that closed, and the last message each side sent, point at the ' +
      'cause: a server that dislikes the ClientHello (SNI, version, suites) and drops it, a client that cannot validate ' +
      'the certificate and hangs up, a firewall or proxy resetting the connection, or a TLS stack that logs an error ' +
      'without sending the alert.',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      { where: 'the side that closed', action: 'Read its log at the time of the close: a TLS stack that gives up without an alert still logs why' },
      { where: 'the network', action: 'If neither end logged the close, look for a firewall, load balancer or proxy cutting the connection: compare with a capture taken next to the other end' },
    ]),
    references: [RFC.tls12Alerts, RFC.tls13Alerts],
  },
  detect(connection) {
    const { transcript } = connection;
    const tls = transcript.tls;
    if (!tls || tls.established) return [];
    // The close must come first: a side that sends a fatal alert and then closes said why.
    if (tls.ended.how !== 'fin' && tls.ended.how !== 'rst') return [];
    const firstServer = transcript.events.find((e) => e.from === 'server' && e.frame >= tls.startFrame && e.type !== 'tcp');
    if (firstServer && firstServer.type === 'plaintext') return [];
    const close = transcript.events.find((e) => e.type === 'tcp' && e.frame === tls.ended.frame && e.flag === tls.ended.how);
    if (!close) return [];
    const by = tls.ended.by ?? 'unknown side';
    const other = by === 'client' ? 'server' : 'client';
    const lastOwn = tls.lastMessage[by as 'client' | 'server'];
    const lastOther = tls.lastMessage[other];
    const after = lastOther ? `after the ${other}'s ${lastOther === 'encrypted' ? 'encrypted handshake message' : lastOther}` : `before the ${other} sent any handshake message`;
    const how = tls.ended.how === 'rst' ? 'reset (RST)' : 'closed (FIN)';
    const evidence = [];
    const lastOtherEv = [...transcript.events].reverse().find((e) => e.from === other && e.type === 'handshake' && e.frame <= close.frame);
    if (lastOtherEv && lastOtherEv.type === 'handshake') evidence.push({ frame: lastOtherEv.frame, text: `frame ${lastOtherEv.frame}: ${other} ${lastOtherEv.message === 'encrypted' ? 'encrypted handshake message' : lastOtherEv.message} (its last handshake message)` });
    evidence.push({ frame: close.frame, text: `frame ${close.frame}: ${by} ${how} the connection, no alert` });
    // The other side's alert after the close is its reaction (OpenSSL sends decode_error(50) on EOF).
    const reaction = transcript.events.find((e) => e.type === 'alert' && e.from === other && e.frame >= close.frame);
    if (reaction && reaction.type === 'alert') evidence.push({ frame: reaction.frame, text: `frame ${reaction.frame}: ${other} alert ${reaction.encrypted ? '(encrypted)' : `${reaction.level} ${reaction.description}(${reaction.code})`} after the close: its reaction, not the cause` });
    const message =
      `The ${by} ${how} the connection in frame ${close.frame} ${after}, without sending an alert` +
      `${lastOwn ? ` (its own last message: ${lastOwn === 'encrypted' ? 'an encrypted handshake message' : lastOwn})` : ''}. ` +
      `Look in the ${by}'s log for the reason it gave up at this step.`;
    return [makeFinding(rule.meta, connection, message, evidence)];
  },
};
