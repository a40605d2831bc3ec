// Where rule client-certificate-missing must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('client-certificate-missing', {
  fires: [
    { capture: 'samples/client-certificate-missing-tls12.pcap', severity: 'error' },
    // The issue expected client-certificate-rejected here, but the client's Certificate in frame 8 is
    // empty (tshark agrees: tls.handshake.certificates_length == 0): no certificate was sent, so
    // the server's handshake_failure(40) answers a missing certificate, not a rejected one.
    { capture: 'corpus/certificate-request-failed.pcap', stream: 0, severity: 'error', frames: [6, 8, 9] },
  ],
  silent: [
    'samples/client-certificate-rejected.pcap',
    'samples/empty-ca-list-accepted.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
