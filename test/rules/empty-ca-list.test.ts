// Where rule empty-ca-list must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('empty-ca-list', {
  fires: [
    { capture: 'samples/empty-ca-list-accepted.pcap', severity: 'warning' },
    { capture: 'corpus/client-certificate.pcap', stream: 0, severity: 'warning', frames: [11] },
  ],
  silent: [
    'samples/zos-empty-ca-list-tls12.pcap',
    'samples/vsftpd-zos-auth-tls-empty-ca-list.pcap',
    'corpus/certificate-request-failed.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
