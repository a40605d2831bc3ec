// Where rule certificate-expired must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('certificate-expired', {
  fires: [
    { capture: 'samples/server-certificate-expired.pcap', severity: 'error' },
  ],
  silent: [
    'samples/server-certificate-unknown-ca.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
