// Where rule sslv3-negotiated must fire, and where it must stay silent.
// No SSL 3.0 server can be run here (Debian's OpenSSL 3 is built without SSLv3) and the Zeek
// corpus's ssl.v3.pcap negotiates TLS 1.0 after an SSLv2-format hello, so the SSL 3.0 handshake is
// built in the test from its RFC 6101 wire format.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';
import { analyzeBytes, clientHello, concatBytes, conversationPcap, record, serverHello, serverHelloDone, handshake, vec24 } from '../support/conversation.js';

ruleSpec('sslv3-negotiated', {
  fires: [],
  silent: ['corpus/ssl.v3.pcap', 'corpus/tls1_1.pcap', 'corpus/ssl-v2.pcap', 'samples/clean-tls12.pcap', 'corpus/tls1.2.pcap'],
});

describe('rule sslv3-negotiated on an SSL 3.0 handshake built from RFC 6101', () => {
  it('fires on the ServerHello that chooses SSL 3.0, and names the frame', async () => {
    const pcap = conversationPcap([
      { from: 'client', data: record(22, 0x0300, clientHello(0x0300, [0x000a, 0x0005])) },
      { from: 'server', data: record(22, 0x0300, concatBytes(serverHello(0x0300, 0x000a, [1, 2, 3, 4]), handshake(11, vec24([])), serverHelloDone())) },
      { from: 'client', data: concatBytes(record(22, 0x0300, handshake(16, new Uint8Array(130))), record(20, 0x0300, [1]), record(22, 0x0300, new Uint8Array(40))) },
      { from: 'server', data: concatBytes(record(20, 0x0300, [1]), record(22, 0x0300, new Uint8Array(40))) },
      { from: 'client', data: record(23, 0x0300, new Uint8Array(64)) },
      { from: 'server', data: record(23, 0x0300, new Uint8Array(64)) },
    ]);
    const r = await analyzeBytes(pcap, 'sslv3.pcap');
    const f = r.findings.filter((x) => x.rule === 'sslv3-negotiated');
    expect(f).to.have.length(1);
    expect(f[0].severity).to.equal('warning');
    expect(f[0].frames).to.deep.equal([5]);
    expect(f[0].message).to.contain('RFC 7568');
    expect(r.connections[0].transcript.tls?.established).to.equal(true);
  });
});
