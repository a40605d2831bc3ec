// Where rule encrypted-alert-in-handshake must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('encrypted-alert-in-handshake', {
  fires: [
    { capture: 'samples/client-certificate-missing-tls13.pcap', severity: 'error', check: (f) => expect(f.message).to.match(/certificate_required\(116\)/) },
  ],
  silent: [
    'samples/client-certificate-missing-tls12.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
