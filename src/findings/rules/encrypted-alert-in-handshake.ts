/**
 * The handshake failed on an alert that is encrypted: after the ChangeCipherSpec in TLS ≤ 1.2 (a bad
 * Finished, a MAC or decryption failure), or in TLS 1.3, where every alert after the ServerHello is
 * encrypted (the most common cause there: the server wanted a client certificate).
 */
import type { Rule } from '../types.js';
import { alertEvidence, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';
import { isTls13 } from '../../session/connection.js';

const ID = 'encrypted-alert-in-handshake';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['tls-alert-116', 'tls-alert-20'], remedies: [] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Handshake failed with an encrypted alert',
    severity: 'error',
    summary:
      'The handshake did not complete and the alert that ended it is encrypted, so its reason is not visible in the ' +
      'capture. In TLS 1.3 every alert after the ServerHello is encrypted; a server that rejects the client\'s final ' +
      'flight most often wanted a client certificate (certificate_required(116)) or refused the one it got. In TLS 1.2 ' +
      'an encrypted alert right after the Finished messages means the keys did not match (bad_record_mac(20), ' +
      'decrypt_error(51)). Decrypt the capture with a key log (SSLKEYLOGFILE) in Wireshark, or read the log of the side that sent it.',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      { where: 'the capture', action: 'Record the TLS key log (SSLKEYLOGFILE for curl and browsers, openssl s_client -keylogfile) and open the capture in Wireshark with it to read the alert' },
      { where: 'a TLS 1.3 server that requires client certificates', action: 'Give the client a certificate from a CA the server trusts, or make client authentication optional' },
    ]),
    references: [RFC.tls13Alerts, RFC.tls13ClientCertificate, RFC.tls12Alerts],
  },
  detect(connection) {
    const { transcript } = connection;
    const tls = transcript.tls;
    if (!tls || tls.established || tls.alert === null || tls.alert.level !== 'encrypted') return [];
    const alert = transcript.events.find((e) => e.type === 'alert' && e.frame === tls.alert!.frame && e.from === tls.alert!.from);
    if (!alert || alert.type !== 'alert') return [];
    const step = alert.from === 'server' ? tls.lastMessage.client : tls.lastMessage.server;
    const tls13 = isTls13(tls.negotiatedVersion);
    const guess =
      tls13 && alert.from === 'server'
        ? "In TLS 1.3 a server that rejects the client's last flight most often required a client certificate (certificate_required(116)) or refused the one it got."
        : tls13
          ? 'In TLS 1.3 a client alert after the server\'s flight most often rejects the server certificate (unknown_ca(48), bad_certificate(42), certificate_expired(45)).'
          : 'An encrypted alert right after ChangeCipherSpec usually means the two sides did not derive the same keys (bad_record_mac(20), decrypt_error(51)).';
    const message =
      `The ${alert.from} ended the handshake with an encrypted alert in frame ${alert.frame}${step ? `, after the ${alert.from === 'server' ? 'client' : 'server'}'s ${step === 'encrypted' ? 'encrypted handshake flight' : step}` : ''}. ` +
      `${guess} Decrypt the capture with the key log to see the alert, or read the ${alert.from}'s log.`;
    return [makeFinding(rule.meta, connection, message, [alertEvidence(alert)])];
  },
};
