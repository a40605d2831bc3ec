// Where rule no-shared-cipher must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('no-shared-cipher', {
  fires: [
    { capture: 'samples/no-shared-cipher.pcap', severity: 'error' },
    { capture: 'corpus/tls-1.2-handshake-failure.pcap', stream: 0, severity: 'error', frames: [4, 6] },
    // QUIC: the server's Initial carries CONNECTION_CLOSE 0x128, TLS alert 40 (RFC 9001 §4.8).
    { capture: 'samples/quic-no-shared-cipher.pcap', stream: 0, severity: 'error', frames: [1, 2], check: (f) => expect(f.transport).to.equal('quic') },
    // DTLS 1.2 after a HelloVerifyRequest (OpenSSL s_server/s_client).
    { capture: 'samples/dtls-no-shared-cipher.pcap', stream: 0, severity: 'error', frames: [3, 4], check: (f) => { expect(f.transport).to.equal('dtls'); expect(f.frames).to.deep.equal([3, 4]); } },
  ],
  silent: [
    'samples/protocol-version-rejected.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
    'samples/quic-clean.pcap',
    'corpus/dtls1_2.pcap',
    'corpus/dtls13-cid.pcap',
  ],
});
