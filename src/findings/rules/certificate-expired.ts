/**
 * A certificate that was not valid at the moment of the handshake, judged by the capture's own clock
 * (the frame time of the Certificate message), not by today's date.
 */
import type { EvidenceItem, Finding, Rule } from '../types.js';
import { handshakes, makeFinding } from '../evidence.js';
import { knowledgeFor } from '../knowledge-bridge.js';
import { RFC } from '../sources.js';
import { describeCertificate, validityAt } from '../certificates.js';

const ID = 'certificate-expired';
/** What this finding quotes from the knowledge base: what products log, and what to change. */
export const KNOWLEDGE_IDS = { products: ['system-ssl-rc-401', 'tls-alert-45', 'schannel-sec-e-cert-expired', 'openssl-verify-error-10', 'openssl-verify-error-9', 'curl-60', 'python-ssl-cert-verification-error'], remedies: ['system-ssl-rc-401', 'tls-alert-45'] };

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Certificate not valid at the time of the capture',
    severity: 'warning',
    severityWhenFailed: 'error',
    summary:
      "A certificate in the chain was expired (or not yet valid) at the time the handshake was captured — judged by " +
      "the capture's timestamps, not today's date. It is an error when the handshake failed on it (a " +
      'certificate_expired(45) or other certificate alert), a warning when the peer accepted it anyway (or its ' +
      'decision is not visible).',
    ...knowledgeFor(KNOWLEDGE_IDS),
    references: [RFC.x509Validity, RFC.tls12CertificateValidation],
  },
  detect(connection) {
    const { transcript } = connection;
    const out: Finding[] = [];
    for (const cert of handshakes(transcript.events).filter((e) => e.message === 'Certificate')) {
      if (cert.body?.kind !== 'Certificate') continue;
      const bad: EvidenceItem[] = [];
      const names: string[] = [];
      cert.body.certificates.forEach((c, i) => {
        const v = validityAt(c, cert.time);
        if (v === 'expired' || v === 'not-yet-valid') {
          bad.push({ frame: cert.frame, text: `frame ${cert.frame}: ${cert.from} certificate [${i}] ${describeCertificate(c)}: ${v === 'expired' ? 'expired' : 'not yet valid'} at the capture time ${captureTimeText(cert.time)}` });
          names.push(c.subject);
        }
      });
      if (bad.length === 0) continue;
      const peer = cert.from === 'server' ? 'client' : 'server';
      const alert = transcript.events.find((e) => e.type === 'alert' && e.from === peer && !e.encrypted && e.frame >= cert.frame && (e.code === 45 || e.code === 42 || e.code === 46));
      const failed = alert !== undefined && alert.type === 'alert' && !transcript.tls?.established;
      if (failed && alert.type === 'alert') bad.push({ frame: alert.frame, text: `frame ${alert.frame}: ${peer} alert ${alert.level} ${alert.description}(${alert.code})` });
      const message =
        `The ${cert.from}'s certificate ${names.join(', ')} (frame ${cert.frame}) was outside its validity period when this handshake was captured. ` +
        (failed ? `The ${peer} rejected it.` : `The ${peer} ${transcript.tls?.established ? 'accepted it anyway (it does not check, or its clock differs)' : 'did not visibly object'}.`) +
        ' Renew the certificate (and check the clocks of both hosts).';
      out.push(makeFinding(rule.meta, connection, message, bad, { severity: failed ? (rule.meta.severityWhenFailed ?? rule.meta.severity) : rule.meta.severity }));
    }
    return out;
  },
};

/** The capture time as ISO 8601; a time beyond a Date's range (a hostile pcapng timestamp) as seconds. */
function captureTimeText(seconds: number): string {
  return Math.abs(seconds) < 8.64e12 ? new Date(seconds * 1000).toISOString() : `${seconds} s after 1970`;
}
