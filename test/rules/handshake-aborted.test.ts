// Where rule handshake-aborted must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('handshake-aborted', {
  fires: [
    { capture: 'samples/handshake-aborted-by-server.pcap', severity: 'error', check: (f) => expect(f.message).to.match(/server closed \(FIN\)/) },
    { capture: 'samples/handshake-reset-by-server.pcap', severity: 'error', check: (f) => expect(f.message).to.match(/server reset \(RST\)/) },
  ],
  silent: [
    'samples/zos-empty-ca-list-tls12.pcap',
    'samples/ftp-plaintext-reply.pcap',
    'samples/no-shared-cipher.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
