/**
 * The documents rules cite, named once. Section numbers are the RFCs' own.
 */
import type { Source } from './types.js';

const rfc = (n: number, title: string, section?: string): Source => ({
  title: `RFC ${n}: ${title}`,
  publisher: 'IETF',
  ref: `RFC ${n}`,
  ...(section ? { section } : {}),
});

export const RFC = {
  ssl3CertificateRequest: rfc(6101, 'The Secure Sockets Layer (SSL) Protocol Version 3.0', '§5.6.4 Certificate request'),
  ssl3NoCertificate: rfc(6101, 'The Secure Sockets Layer (SSL) Protocol Version 3.0', '§5.4.2 Alert messages (no_certificate)'),
  tls10CertificateRequest: rfc(2246, 'The TLS Protocol Version 1.0', '§7.4.4 Certificate request'),
  tls11CertificateRequest: rfc(4346, 'The Transport Layer Security (TLS) Protocol Version 1.1', '§7.4.4 Certificate Request'),
  tls12CertificateRequest: rfc(5246, 'The Transport Layer Security (TLS) Protocol Version 1.2', '§7.4.4 Certificate Request'),
  tls12ClientCertificate: rfc(5246, 'The Transport Layer Security (TLS) Protocol Version 1.2', '§7.4.6 Client Certificate'),
  tls12Alerts: rfc(5246, 'The Transport Layer Security (TLS) Protocol Version 1.2', '§7.2 Alert Protocol'),
  tls12HelloNegotiation: rfc(5246, 'The Transport Layer Security (TLS) Protocol Version 1.2', '§7.4.1.3 Server Hello'),
  tls12VersionCompat: rfc(5246, 'The Transport Layer Security (TLS) Protocol Version 1.2', 'Appendix E.1 Compatibility with TLS 1.0/1.1 and SSL 3.0'),
  tls12CertificateValidation: rfc(5246, 'The Transport Layer Security (TLS) Protocol Version 1.2', '§7.4.2 Server Certificate'),
  tls13CertificateAuthorities: rfc(8446, 'The Transport Layer Security (TLS) Protocol Version 1.3', '§4.2.4 Certificate Authorities'),
  tls13Alerts: rfc(8446, 'The Transport Layer Security (TLS) Protocol Version 1.3', '§6.2 Error Alerts'),
  tls13VersionNegotiation: rfc(8446, 'The Transport Layer Security (TLS) Protocol Version 1.3', '§4.2.1 Supported Versions'),
  tls13ClientCertificate: rfc(8446, 'The Transport Layer Security (TLS) Protocol Version 1.3', '§4.4.2.4 Receiving a Certificate Message'),
  deprecateSsl3: rfc(7568, 'Deprecating Secure Sockets Layer Version 3.0'),
  prohibitSsl2: rfc(6176, 'Prohibiting Secure Sockets Layer (SSL) Version 2.0'),
  deprecateTls10: rfc(8996, 'Deprecating TLS 1.0 and TLS 1.1'),
  fallbackScsv: rfc(7507, 'TLS Fallback Signaling Cipher Suite Value (SCSV) for Preventing Protocol Downgrade Attacks'),
  ftpTls: rfc(4217, 'Securing FTP with TLS'),
  x509Validity: rfc(5280, 'Internet X.509 Public Key Infrastructure Certificate and CRL Profile', '§4.1.2.5 Validity'),
} as const;
