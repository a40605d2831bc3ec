// Where rule plaintext-reply-to-tls must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';
import { analyzeBytes, clientHello, concatBytes, conversationPcap, record } from '../support/conversation.js';

ruleSpec('plaintext-reply-to-tls', {
  fires: [
    { capture: 'samples/ftp-plaintext-reply.pcap', severity: 'error', check: (f) => expect(f.message).to.match(/220/) },
    { capture: 'corpus/ssl-to-http-server.pcap', stream: 0 },
    { capture: 'corpus/https-to-http.pcap', stream: 0 },
  ],
  silent: [
    'samples/vsftpd-zos-auth-tls-empty-ca-list.pcap',
    'corpus/smtp-starttls.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});

describe('plaintext-reply-to-tls after an upgrade the server agreed to (AUTH TLS, STARTTLS)', () => {
  const t = (s: string) => new TextEncoder().encode(s);
  const hello = record(22, 0x0301, clientHello(0x0303, [0x002f, 0x0035]));
  const run = async (dialogue: [from: 'client' | 'server', text: string][], answer: Uint8Array, serverPort: number) => {
    const r = await analyzeBytes(conversationPcap([
      ...dialogue.map(([from, text]) => ({ from, data: t(text) })),
      { from: 'client', data: hello },
      { from: 'server', data: answer },
      { from: 'server', close: 'fin' },
      { from: 'client', close: 'fin' },
    ], { serverPort }));
    return r.findings.filter((f) => f.rule === 'plaintext-reply-to-tls');
  };

  it('FTP: 234 to AUTH TLS, then a plaintext reply to the ClientHello', async () => {
    const found = await run([['server', '220 Welcome\r\n'], ['client', 'AUTH TLS\r\n'], ['server', '234 AUTH TLS successful\r\n']], t('500 Command not understood.\r\n'), 21);
    expect(found).to.have.length(1);
    // frames: 1-3 handshake, 4 banner, 5 AUTH TLS, 6 234, 7 ClientHello, 8 the plaintext answer
    expect(found[0].evidence.map((e) => e.frame)).to.deep.equal([5, 6, 7, 8]);
    expect(found[0].message).to.match(/"AUTH TLS".*"234 AUTH TLS successful".*ClientHello in frame 7.*"500 Command not understood\."/);
  });

  it('SMTP: 220 to STARTTLS, then a plaintext reply', async () => {
    const found = await run([['server', '220 mx ESMTP\r\n'], ['client', 'EHLO c\r\n'], ['server', '250 STARTTLS\r\n'], ['client', 'STARTTLS\r\n'], ['server', '220 2.0.0 Ready to start TLS\r\n']], t('502 5.5.2 Error: command not recognized\r\n'), 25);
    expect(found).to.have.length(1);
    expect(found[0].message).to.include('"STARTTLS" (frame 7)');
  });

  it('IMAP: a tagged OK to STARTTLS, then a plaintext reply', async () => {
    const found = await run([['server', '* OK IMAP ready\r\n'], ['client', 'a1 STARTTLS\r\n'], ['server', 'a1 OK Begin TLS negotiation now\r\n']], t('* BAD Invalid tag\r\n'), 143);
    expect(found).to.have.length(1);
  });

  it('stays silent when the server refused the upgrade, or answered in TLS', async () => {
    expect(await run([['server', '220 Welcome\r\n'], ['client', 'AUTH TLS\r\n'], ['server', '534 Policy requires SSL\r\n']], t('500 Command not understood.\r\n'), 21)).to.have.length(0);
    expect(await run([['server', '220 Welcome\r\n'], ['client', 'AUTH TLS\r\n'], ['server', '234 Proceed\r\n']], record(21, 0x0303, concatBytes([2, 40])), 21)).to.have.length(0);
    // a plaintext command that is not an upgrade (the client logs in, then sends TLS unasked)
    expect(await run([['server', '220 Welcome\r\n'], ['client', 'USER bob\r\n'], ['server', '230 Welcome\r\n']], t('500 Command not understood.\r\n'), 21)).to.have.length(0);
  });
});
