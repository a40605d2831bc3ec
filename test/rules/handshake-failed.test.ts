// Where the fallback rule handshake-failed must fire, and where it must stay silent. No real
// software here fails with an alert none of the specific rules explain on demand, so that handshake
// is built in the test (a client that answers the ServerHello with unexpected_message(10)).
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';
import { analyzeBytes, clientHello, conversationPcap, record, serverHello } from '../support/conversation.js';

ruleSpec('handshake-failed', {
  fires: [],
  silent: [
    // Failures a specific rule explains: the fallback stays out of them.
    'samples/no-shared-cipher.pcap',
    'samples/zos-empty-ca-list-tls12.pcap',
    'samples/server-certificate-unknown-ca.pcap',
    'samples/client-certificate-rejected.pcap',
    'corpus/tls-1.2-handshake-failure.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
  ],
});

describe('rule handshake-failed on an alert no specific rule explains', () => {
  it('names the alert, who sent it, the step it answered, and what stacks log for it', async () => {
    const pcap = conversationPcap([
      { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0xc02f])) },
      { from: 'server', data: record(22, 0x0303, serverHello(0x0303, 0xc02f)) },
      { from: 'client', data: record(21, 0x0303, [2, 10]) },
      { from: 'client', close: 'fin' },
    ]);
    const r = await analyzeBytes(pcap);
    const f = r.findings.filter((x) => x.rule === 'handshake-failed');
    expect(f).to.have.length(1);
    expect(f[0].message).to.match(/^The client ended the handshake with fatal unexpected_message\(10\) in frame 6, answering the server's ServerHello/);
    expect(f[0].frames).to.deep.equal([6]);
    expect(f[0].products.map((p) => p.text).join('\n')).to.match(/unexpected message/i);
    expect(r.findings.map((x) => x.rule)).to.not.include('handshake-aborted');
  });
});
