// How rules describe certificates and chains in evidence sentences.
import type { CertificateSummary } from '../../decoders/tls/types.js';

export function describeCertificate(c: CertificateSummary): string {
  if (c.error) return `an undecodable certificate (${c.error})`;
  return `${c.subject || '(empty subject)'} issued by ${c.issuer || '(empty issuer)'}, valid ${c.validFrom.slice(0, 10)} to ${c.validTo.slice(0, 10)}${c.selfSigned ? ', self-signed' : ''}`;
}

export function describeChain(chain: readonly CertificateSummary[]): string {
  if (chain.length === 0) return 'no certificates';
  return chain.map((c, i) => `[${i}] ${describeCertificate(c)}`).join('; ');
}

/** Whether a certificate is outside its validity period at the given epoch time. */
export function validityAt(c: CertificateSummary, epochSeconds: number): 'valid' | 'expired' | 'not-yet-valid' | 'unknown' {
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 'unknown';
  const t = epochSeconds * 1000;
  if (t > to) return 'expired';
  if (t < from) return 'not-yet-valid';
  return 'valid';
}
