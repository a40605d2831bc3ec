// The server answered in SSL 2.0, which RFC 6176 prohibits outright.
import type { Rule } from '../types.js';
import { makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'sslv2-negotiated';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: [] as string[], remedies: ['rfc6176-sslv2-prohibited'] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'SSL 2.0 negotiated',
    severity: 'error',
    summary:
      'The server answered with an SSL 2.0 SERVER-HELLO: the connection uses SSL 2.0, which RFC 6176 (2011) prohibits ' +
      '(no handshake integrity, weak ciphers). Disable SSL 2.0 on the server.',
    ...knowledgeFor(KNOWLEDGE_IDS),
    references: [RFC.prohibitSsl2],
  },
  detect(connection) {
    const { transcript } = connection;
    const hello = transcript.events.find((e) => e.type === 'sslv2' && e.from === 'server' && e.handshakeType === 4);
    if (!hello) return [];
    const message = `The server answered with an SSL 2.0 SERVER-HELLO in frame ${hello.frame}: SSL 2.0 is prohibited (RFC 6176). Disable it on the server.`;
    return [makeFinding(rule.meta, connection, message, [{ frame: hello.frame, text: `frame ${hello.frame}: server SSL 2.0 SERVER-HELLO` }])];
  },
};
