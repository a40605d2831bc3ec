// Where rule ftps-session-not-reused must fire, and where it must stay silent. The samples are real
// vsftpd 3.0.3 (require_ssl_reuse=YES, its default) with curl; see samples/README.md.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';
import { sample } from '../support/analyze.js';

ruleSpec('ftps-session-not-reused', {
  fires: [
    {
      capture: 'samples/ftps-session-not-reused-522.pcap',
      stream: 1,
      severity: 'error',
      check: (f, r) => {
        const data = r.connections.find((c) => c.conversation.stream === 1)!;
        const hello = (from: string, m: string) => data.transcript.events.find((e) => e.type === 'handshake' && e.from === from && e.message === m)!.frame;
        expect(f.frames).to.include.members([hello('client', 'ClientHello'), hello('server', 'ServerHello')]);
        expect(f.relatedStreams).to.deep.equal([0]);
        expect(f.message).to.contain('control connection stream 0');
        expect(f.message).to.match(/offered no session to resume/);
        expect(f.remedies.map((r) => r.action).join('\n')).to.match(/require_ssl_reuse=NO/);
      },
    },
  ],
  silent: ['samples/ftps-session-reused.pcap', 'samples/ftps-session-reused-tls13.pcap', 'samples/vsftpd-zos-auth-tls-empty-ca-list.pcap', 'samples/clean-tls12.pcap'],
});

describe('FTPS sessions as a whole', () => {
  it('ties the data connection to its control connection and sees the TLS 1.2 session id resumed', async () => {
    const r = await sample('ftps-session-reused.pcap');
    const control = r.connections.find((c) => c.conversation.stream === 0)!;
    const data = r.connections.find((c) => c.conversation.stream === 1)!;
    expect(control.ftp).to.deep.include({ role: 'control', security: 'explicit', dataStreams: [1] });
    expect(data.ftp?.role).to.equal('data');
    if (data.ftp?.role !== 'data') return;
    expect(data.ftp.controlStream).to.equal(0);
    expect(data.ftp.link).to.equal('inferred'); // the PASV reply travels inside TLS
    expect(data.ftp.resumption?.verdict).to.equal('reused');
    expect(data.ftp.resumption?.sameAsControl).to.equal(true);
    expect(data.transcript.tls?.resumption.clientSessionId).to.equal(control.transcript.tls?.resumption.serverSessionId);
  });

  it('in TLS 1.3 sees a PSK resumption and says what cannot be known without keys', async () => {
    const r = await sample('ftps-session-reused-tls13.pcap');
    const data = r.connections.find((c) => c.ftp?.role === 'data')!;
    if (data.ftp?.role !== 'data') throw new Error('no data connection');
    expect(data.ftp.resumption?.verdict).to.equal('reused');
    expect(data.ftp.resumption?.sameAsControl).to.equal(null);
    expect(data.ftp.resumption?.explanation).to.match(/cannot be seen without the keys/);
  });
});

describe('FTP data connections announced in plaintext', () => {
  it('ties a data connection to the PASV reply that announced its port (high confidence)', async () => {
    const { analyzeBytes, conversationPcap, record, clientHello, serverHello } = await import('../support/conversation.js');
    const enc = (s: string) => new TextEncoder().encode(s);
    const control = conversationPcap(
      [
        { from: 'server', data: enc('220 (vsFTPd 3.0.3)\r\n') },
        { from: 'client', data: enc('PASV\r\n') },
        { from: 'server', data: enc('227 Entering Passive Mode (10,0,0,2,117,48).\r\n') },
      ],
      { serverPort: 21, clientPort: 40000, start: 1_700_000_000 },
    );
    const data = conversationPcap(
      [
        { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0xc02f])) },
        { from: 'server', data: record(22, 0x0303, serverHello(0x0303, 0xc02f, [9, 9, 9, 9])) },
      ],
      { serverPort: 30000, clientPort: 40001, start: 1_700_000_001 },
    );
    const merged = Buffer.concat([control, data.subarray(24)]);
    const r = await analyzeBytes(merged);
    const d = r.connections.find((c) => c.conversation.server.port === 30000)!;
    expect(d.ftp).to.deep.include({ role: 'data', controlStream: 0, link: 'announced', confidence: 'high' });
  });
});

describe('implicit FTPS', () => {
  it('recognises an implicit FTPS control connection off port 990 by its passive data connections', async () => {
    const r = await sample('ftps-implicit.pcap');
    const control = r.connections.find((c) => c.conversation.stream === 0)!;
    expect(control.ftp).to.deep.include({ role: 'control', security: 'implicit', dataStreams: [1] });
    expect(r.findings.filter((f) => f.severity === 'error')).to.deep.equal([]);
  });

  it('takes no ordinary TLS capture of the corpus for FTP', async () => {
    const { readdirSync } = await import('node:fs');
    const { corpus } = await import('../support/analyze.js');
    const { CORPUS } = await import('../support/paths.js');
    for (const f of readdirSync(CORPUS).filter((x) => x.endsWith('.pcap'))) {
      const r = await corpus(f);
      expect(r.connections.filter((c) => c.ftp).map((c) => `${f} stream ${c.conversation.stream}`)).to.deep.equal([]);
    }
  });
});
