// Where rule sslv2-negotiated must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('sslv2-negotiated', {
  fires: [
    { capture: 'corpus/ssl-v2.pcap', stream: 0, severity: 'error', frames: [6] },
  ],
  silent: [
    'corpus/ssl.v3.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
