// Where rule server-certificate-rejected must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('server-certificate-rejected', {
  fires: [
    { capture: 'samples/server-certificate-unknown-ca.pcap', severity: 'error', check: (f) => expect(f.message).to.match(/unknown_ca\(48\)/) },
  ],
  silent: [
    // One finding per cause: the client rejected an expired certificate, certificate-expired's finding.
    'samples/server-certificate-expired.pcap',
    'samples/client-certificate-rejected.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
