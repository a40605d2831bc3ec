// Where rule empty-ca-list-rejected must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('empty-ca-list-rejected', {
  fires: [
    { capture: 'samples/vsftpd-zos-auth-tls-empty-ca-list.pcap', stream: 0, severity: 'error',
      check: (f) => {
        expect(f.message).to.contain('RC 410');
        expect(f.evidence.map((e) => e.text).join('\n')).to.match(/CertificateRequest, certificate_authorities length 0/);
        expect(f.evidence.map((e) => e.text).join('\n')).to.match(/alert fatal illegal_parameter\(47\)/);
        expect(f.evidence.map((e) => e.text).join('\n')).to.match(/500 OOPS/);
        expect(f.remedies.map((r) => r.action).join('\n')).to.match(/ssl_request_cert=NO/);
        expect(f.products.map((p) => p.text).join('\n')).to.match(/rc = 410/);
      } },
    { capture: 'samples/zos-empty-ca-list-tls12.pcap', severity: 'error', check: (f) => expect(f.message).to.contain('TLS 1.2 allows an empty list') },
    { capture: 'samples/zos-empty-ca-list-tls10.pcap', severity: 'error', check: (f) => expect(f.message).to.contain('protocol violation (RFC 2246 §7.4.4') },
  ],
  silent: [
    'samples/empty-ca-list-accepted.pcap',
    'corpus/client-certificate.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
