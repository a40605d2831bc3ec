/**
 * The RFC sections rules cite, named once. The documents themselves are the knowledge base's
 * (src/findings/knowledge/sources.ts), so a rule and `tlsdiag explain` cite them the same way.
 */
import {
  RFC_792, RFC_1812, RFC_4443, RFC_2246, RFC_4217, RFC_4346, RFC_5246, RFC_5280, RFC_6101, RFC_6176, RFC_7507, RFC_7568, RFC_8446, RFC_8996, rfc,
} from './knowledge/sources.js';

export const RFC = {
  ssl3CertificateRequest: rfc(RFC_6101, '§5.6.4 Certificate request'),
  ssl3NoCertificate: rfc(RFC_6101, '§5.4.2 Alert messages (no_certificate)'),
  tls10CertificateRequest: rfc(RFC_2246, '§7.4.4 Certificate request'),
  tls11CertificateRequest: rfc(RFC_4346, '§7.4.4 Certificate Request'),
  tls12CertificateRequest: rfc(RFC_5246, '§7.4.4 Certificate Request'),
  tls12ClientCertificate: rfc(RFC_5246, '§7.4.6 Client Certificate'),
  tls12Alerts: rfc(RFC_5246, '§7.2 Alert Protocol'),
  tls12HelloNegotiation: rfc(RFC_5246, '§7.4.1.3 Server Hello'),
  tls12VersionCompat: rfc(RFC_5246, 'Appendix E.1 Compatibility with TLS 1.0/1.1 and SSL 3.0'),
  tls12CertificateValidation: rfc(RFC_5246, '§7.4.2 Server Certificate'),
  tls13CertificateAuthorities: rfc(RFC_8446, '§4.2.4 Certificate Authorities'),
  tls13Alerts: rfc(RFC_8446, '§6.2 Error Alerts'),
  tls13VersionNegotiation: rfc(RFC_8446, '§4.2.1 Supported Versions'),
  tls13ClientCertificate: rfc(RFC_8446, '§4.4.2.4 Receiving a Certificate Message'),
  deprecateSsl3: RFC_7568,
  prohibitSsl2: RFC_6176,
  deprecateTls10: RFC_8996,
  fallbackScsv: RFC_7507,
  ftpTls: RFC_4217,
  x509Validity: rfc(RFC_5280, '§4.1.2.5 Validity'),
  icmpUnreachable: rfc(RFC_792, 'Destination Unreachable Message'),
  icmpFiltered: rfc(RFC_1812, '§5.2.7.1 Destination Unreachable (codes 13-15)'),
  icmpv6Unreachable: rfc(RFC_4443, '§3.1 Destination Unreachable Message'),
} as const;
