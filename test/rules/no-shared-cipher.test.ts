// Where rule no-shared-cipher must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('no-shared-cipher', {
  fires: [
    { capture: 'samples/no-shared-cipher.pcap', severity: 'error' },
    { capture: 'corpus/tls-1.2-handshake-failure.pcap', stream: 0, severity: 'error', frames: [4, 6] },
  ],
  silent: [
    'samples/protocol-version-rejected.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
