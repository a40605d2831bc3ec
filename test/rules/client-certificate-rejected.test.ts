// Where rule client-certificate-rejected must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('client-certificate-rejected', {
  fires: [
    { capture: 'samples/client-certificate-rejected.pcap', severity: 'error' },
  ],
  silent: [
    'corpus/certificate-request-failed.pcap',
    'samples/client-certificate-missing-tls12.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
