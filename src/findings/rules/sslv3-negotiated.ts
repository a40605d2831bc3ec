// The server chose SSL 3.0, which RFC 7568 forbids (POODLE and more).
import type { Rule } from '../types.js';
import { handshakeEvidence, handshakes, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'sslv3-negotiated';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: [], remedies: ['rfc7568-sslv3-deprecated', 'vsftpd-ssl-protocol-versions', 'xcom-configssl-ssl-method'] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'SSL 3.0 negotiated',
    severity: 'warning',
    summary:
      'The server chose SSL 3.0. RFC 7568 (2015) says SSL 3.0 MUST NOT be used; it is broken (POODLE) and modern ' +
      'stacks refuse it, so this connection works only between two outdated ends. Enable TLS 1.2 on both.',
    ...knowledgeFor(KNOWLEDGE_IDS),
    references: [RFC.deprecateSsl3],
  },
  detect(connection) {
    const { transcript } = connection;
    if (transcript.tls?.negotiatedVersion !== 0x0300) return [];
    const sh = handshakes(transcript.events, 'server', 'ServerHello')[0];
    if (!sh) return [];
    const message = `The server chose SSL 3.0 in its ServerHello (frame ${sh.frame})${transcript.tls.cipherSuite ? ` with ${transcript.tls.cipherSuite.name}` : ''}. SSL 3.0 must not be used (RFC 7568): enable TLS 1.2 on both ends.`;
    return [makeFinding(rule.meta, connection, message, [handshakeEvidence(sh, 'version SSL 3.0')])];
  },
};
