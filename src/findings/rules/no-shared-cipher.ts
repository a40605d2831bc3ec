/**
 * The server refused the ClientHello outright: handshake_failure(40) or insufficient_security(71)
 * before any ServerHello. Almost always no cipher suite (or no signature algorithm / group) in common.
 */
import type { Rule } from '../types.js';
import { alertEvidence, handshakeEvidence, handshakes, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';
import { versionName } from '../../../decoders/tls/registry/versions.js';
import { isSignalingCipherSuite, offeredSuites } from '../../../decoders/tls/registry/cipher-suites.js';

const ID = 'no-shared-cipher';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-402', 'openssl-no-shared-cipher', 'tls-alert-40', 'schannel-sec-e-algorithm-mismatch', 'curl-35', 'gnutls-handshake-failed'], remedies: ['system-ssl-rc-402'] };
const REFUSALS = new Set([40, 71]);

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Server refused the ClientHello: no cipher suite in common',
    severity: 'error',
    summary:
      'The server answered the ClientHello with a fatal handshake_failure(40) or insufficient_security(71) alert and no ' +
      'ServerHello: nothing the client offered (cipher suites, and from TLS 1.2 on signature algorithms and groups) is ' +
      'acceptable to the server. IBM System SSL reports RC 402 (no cipher specifications); OpenSSL servers log "no shared cipher".',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      {
        where: 'either end',
        action:
          "Enable on one side a cipher suite the other offers: compare the ClientHello's list in the evidence with the server's " +
          'configured suites (for an OpenSSL server: openssl ciphers -v followed by its cipher string)',
      },
    ]),
    references: [RFC.tls12HelloNegotiation, RFC.tls12Alerts, RFC.tls13Alerts],
  },
  detect(connection) {
    const { transcript } = connection;
    const tls = transcript.tls;
    if (!tls) return [];
    const hellos = handshakes(transcript.events, 'client', 'ClientHello');
    if (hellos.length === 0 || handshakes(transcript.events, 'server', 'ServerHello').length > 0) return [];
    const alert = transcript.events.find((e) => e.type === 'alert' && e.from === 'server' && !e.encrypted && e.code !== undefined && REFUSALS.has(e.code));
    if (!alert || alert.type !== 'alert') return [];
    // The refused ClientHello is the last one before the alert: after a DTLS HelloVerifyRequest the
    // client sends its hello again with the cookie, and that one is what the server judged.
    const ch = [...hellos].reverse().find((h) => h.frame <= alert.frame) ?? hellos[0];
    const body = ch.body?.kind === 'ClientHello' ? ch.body : null;
    // Real suites only: GREASE and the SCSVs signal, they are not offers (counted apart).
    const suites = body ? body.cipherSuites.filter((s) => !s.name.startsWith('GREASE') && !isSignalingCipherSuite(s.code)).map((s) => s.name) : [];
    const counted = body ? offeredSuites(body.cipherSuites).text : '0 cipher suites';
    const shown = suites.slice(0, 12).join(', ') + (suites.length > 12 ? `, and ${suites.length - 12} more` : '');
    const versions = tls.offeredVersions.map((v) => versionName(v)).join(', ');
    const message =
      `The client offered ${versions || 'an unknown version'} with ${counted} in frame ${ch.frame}; ` +
      `the server refused with ${alert.description}(${alert.code}) in frame ${alert.frame} without choosing any. ` +
      `Offered: ${shown || 'none'}. Compare with the suites the server is configured for.`;
    return [makeFinding(rule.meta, connection, message, [handshakeEvidence(ch, `${counted}, ${versions}`), alertEvidence(alert)])];
  },
};
