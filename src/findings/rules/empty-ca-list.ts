/**
 * The same empty certificate_authorities list, where the handshake did not fail on it: nothing broke
 * today, but a strict client (IBM z/OS System SSL) connecting to this server will.
 */
import type { Rule } from '../types.js';
import type { HandshakeEvent } from '../../session/transcript.js';
import { handshakeEvidence, makeFinding, versionText } from '../evidence.js';
import { emptyCaListContext, emptyCaListIsViolation, emptyCaListRequest } from '../patterns.js';
import { rule as rejected } from './empty-ca-list-rejected.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';

const ID = 'empty-ca-list';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['openssl-s-client-no-client-ca-names'], remedies: ['vsftpd-ssl-request-cert', 'vsftpd-ca-certs-file', 'xcom-configssl-verify-certificate'] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Server sent a CertificateRequest with an empty CA list',
    severity: 'warning',
    summary:
      'The server asked for a client certificate without naming any acceptable certificate authority. TLS 1.1 and 1.2 ' +
      'allow this, SSL 3.0 and TLS 1.0 do not. IBM z/OS System SSL clients (z/OS FTP, XCOM) are documented to abort ' +
      'the handshake on it with RC 410 where SSL 3.0 or TLS 1.0 was negotiated; under TLS 1.1 and 1.2 their behaviour ' +
      'is not documented. This connection survived it.',
    ...knowledgeFor(KNOWLEDGE_IDS, [
      {
        where: 'the server',
        action:
          'Give the server the list of CAs whose client certificates it accepts, so that certificate_authorities is not empty ' +
          "(OpenSSL: SSL_CTX_set_client_CA_list, or the product's CA file setting), or stop asking for a client certificate if none is used",
      },
    ]),
    references: [RFC.ssl3CertificateRequest, RFC.tls10CertificateRequest, RFC.tls12CertificateRequest],
  },
  detect(connection, capture) {
    const { transcript } = connection;
    const tls13 = tls13RequestWithoutAuthorities(transcript);
    if (tls13) return [tls13Finding(connection, tls13)];
    const cr = emptyCaListRequest(transcript);
    if (!cr) return [];
    // When the client rejected it, empty-ca-list-rejected says so with more weight.
    if (rejected.detect!(connection, capture).length > 0) return [];
    const v = transcript.tls?.negotiatedVersion ?? null;
    const ctx = emptyCaListContext(transcript, cr, false);
    const outcome = transcript.tls?.established
      ? 'The handshake went on and completed'
      : 'The handshake did not complete, for another reason (see the other findings)';
    const message =
      `The server asked for a client certificate in frame ${cr.frame} with an empty list of acceptable CAs (${versionText(v)}). ` +
      `${outcome}. ${ctx.legality} ${zosSentence(v)}`;
    return [
      makeFinding(rule.meta, connection, message, [handshakeEvidence(cr, `certificate_authorities length 0, ${versionText(v)}`), ...ctx.extraEvidence], {
        ...(emptyCaListIsViolation(v) ? { title: 'Server sent an empty CA list, which this protocol version forbids' } : {}),
      }),
    ];
  },
};

/**
 * What is known of IBM z/OS System SSL clients and an empty list at this version, and what is not: the
 * published failures (Broadcom KB 229426, the ibm-main z/OS FTP thread) negotiated SSL 3.0 or TLS 1.0.
 */
function zosSentence(v: number | null): string {
  if (v !== null && v <= 0x0301 && v >= 0x0300) {
    return 'An IBM z/OS System SSL client (z/OS FTP, XCOM) aborts here with illegal_parameter(47) (RC 410), as the published cases show.';
  }
  // The legality sentence before it already says that this is not documented for this version.
  return 'If IBM z/OS System SSL clients use this server, a CA list avoids the question.';
}

/**
 * TLS 1.3 (read with a key log: the CertificateRequest is encrypted): certificate_authorities is an
 * optional extension (RFC 8446 §4.2.4), and leaving it out is legal. It is not the empty list of
 * TLS 1.2 and older, which a field of the message always carries; what the client is left with is
 * the same, though: no hint which certificate the server will accept.
 */
function tls13RequestWithoutAuthorities(t: Parameters<typeof emptyCaListRequest>[0]): HandshakeEvent | undefined {
  if (t.tls?.negotiatedVersion !== 0x0304) return undefined;
  return t.events.find(
    (e): e is HandshakeEvent =>
      e.type === 'handshake' &&
      e.from === 'server' &&
      e.body?.kind === 'CertificateRequest' &&
      e.body.context !== undefined &&
      !(e.body.extensions ?? []).some((x) => x.type === EXT_CERTIFICATE_AUTHORITIES),
  );
}

const EXT_CERTIFICATE_AUTHORITIES = 47;

function tls13Finding(connection: Parameters<Rule['detect']>[0], cr: HandshakeEvent) {
  const t = connection.transcript.tls!;
  const sent = t.clientCertificate.sent === true ? 'The client sent a certificate anyway.' : t.clientCertificate.sent === false ? 'The client sent none.' : '';
  const message =
    `The server asked for a client certificate in frame ${cr.frame} (TLS 1.3, read with the key log) without a certificate_authorities extension. ` +
    'That is legal in TLS 1.3, where the extension is optional; it is not the empty list of TLS 1.2 and older, which that ' +
    `version's CertificateRequest always carries. The client gets no hint which CA the server trusts. ${sent}`.trimEnd();
  return makeFinding(rule.meta, connection, message, [handshakeEvidence(cr, 'no certificate_authorities extension, TLS 1.3 (decrypted)')], {
    severity: 'info',
    title: 'TLS 1.3 CertificateRequest without certificate_authorities',
  });
}
