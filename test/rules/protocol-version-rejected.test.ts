// Where rule protocol-version-rejected must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('protocol-version-rejected', {
  fires: [
    { capture: 'samples/protocol-version-rejected.pcap', severity: 'error' },
    { capture: 'corpus/tls13draft16-ff52.a01-aborted.pcap', stream: 0, frames: [4, 6] },
  ],
  silent: [
    'samples/no-shared-cipher.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
