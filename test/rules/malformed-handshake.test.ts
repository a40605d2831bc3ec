// Where rule malformed-handshake must fire, and where it must stay silent.
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('malformed-handshake', {
  fires: [
    { capture: 'corpus/tls1.2-protocol-violation.pcap', stream: 0, frames: [8] },
  ],
  silent: [
    'samples/zos-empty-ca-list-tls10.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
