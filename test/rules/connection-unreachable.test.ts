// Where rule connection-unreachable must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('connection-unreachable', {
  fires: [
    {
      capture: 'samples/connection-filtered-icmp.pcap',
      severity: 'error',
      check: (f) => {
        expect(f.message).to.match(/answered in frame 2 by ICMP "communication administratively filtered" from 127\.0\.0\.1/);
        expect(f.frames).to.deep.equal([1, 2]);
        expect(f.wiresharkFilter).to.equal('tcp.stream eq 0 && frame.number in {1, 2}');
      },
    },
  ],
  silent: [
    'samples/no-shared-cipher.pcap',
    'samples/handshake-reset-by-server.pcap',
    'samples/clean-tls12.pcap',
    'corpus/tls1.2.pcap',
  ],
});
