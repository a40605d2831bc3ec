/**
 * One side refused the protocol version: a protocol_version(70) alert (or inappropriate_fallback(86),
 * a downgrade the server saw through).
 */
import type { Rule } from '../types.js';
import { alertEvidence, handshakeEvidence, handshakes, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';
import { versionName } from '../../../decoders/tls/registry/versions.js';

const ID = 'protocol-version-rejected';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['openssl-unsupported-protocol', 'openssl-version-too-low', 'tls-alert-70', 'schannel-sec-e-unsupported-function', 'curl-35'], remedies: ['vsftpd-ssl-protocol-versions', 'xcom-configssl-ssl-method'] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Protocol version refused',
    severity: 'error',
    summary:
      'One side refused the TLS/SSL version the other proposed: a fatal protocol_version(70) alert (or ' +
      'inappropriate_fallback(86) after a client retried with a lower version). The two ends have no version in common: ' +
      'typically an old client (SSL 3.0/TLS 1.0 only) against a server that requires TLS 1.2 or later, or the reverse.',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      { where: 'both ends', action: 'Enable a protocol version both ends support: TLS 1.2 is the widest common ground' },
      { where: 'the side that refused', action: 'Check its minimum and maximum protocol version settings (OpenSSL: MinProtocol/MaxProtocol in openssl.cnf or the application\'s own options)' },
    ]),
    references: [RFC.tls12VersionCompat, RFC.tls13VersionNegotiation, RFC.fallbackScsv, RFC.deprecateTls10],
  },
  detect(connection) {
    const { transcript } = connection;
    const tls = transcript.tls;
    if (!tls || tls.established) return [];
    const alert = transcript.events.find((e) => e.type === 'alert' && !e.encrypted && (e.code === 70 || e.code === 86));
    if (!alert || alert.type !== 'alert') return [];
    const ch = handshakes(transcript.events, 'client', 'ClientHello')[0];
    const sh = handshakes(transcript.events, 'server', 'ServerHello')[0];
    const offered = tls.offeredVersions.map((v) => versionName(v)).join(', ') || 'unknown';
    const evidence = [];
    if (ch) evidence.push(handshakeEvidence(ch, `offers ${offered}`));
    if (sh && sh.body?.kind === 'ServerHello') evidence.push(handshakeEvidence(sh, `chooses ${versionName(sh.body.negotiatedVersion)}`));
    evidence.push(alertEvidence(alert));
    const who = alert.from === 'server' ? 'The server' : 'The client';
    const what =
      alert.code === 86
        ? `${who} detected a downgraded retry (inappropriate_fallback(86)): the client fell back to a lower version after a failed attempt`
        : sh && sh.body?.kind === 'ServerHello'
          ? `${who} refused the version ${versionName(sh.body.negotiatedVersion)} that the server chose`
          : `${who} refused every version the client offered (${offered})`;
    const message = `${what}, with a fatal ${alert.description}(${alert.code}) alert in frame ${alert.frame}. Enable a common version on both ends (TLS 1.2 is the widest common ground).`;
    return [makeFinding(rule.meta, connection, message, evidence)];
  },
};
