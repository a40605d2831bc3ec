/**
 * Captures where tshark 4.0.17's golden decoding is empty because tshark does not look for TLS on
 * that port, and tlsdiag (which recognises TLS by its bytes) is right. The expected frames were
 * taken from tshark itself once told where TLS is (`tshark -d tcp.port==6667,tls` and
 * `-d tcp.port==80,tls`), so they are tshark's answer, not tlsdiag's.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corpus } from '../support/analyze.js';
import { GOLDEN } from '../support/paths.js';

function handshakeFrames(events: readonly { type: string; frame: number; message?: string; handshakeType?: number }[]): string[] {
  return events.filter((e) => e.type === 'handshake' && e.handshakeType !== undefined).map((e) => `${e.frame}:${e.handshakeType}`);
}

describe('where tshark does not look for TLS, tlsdiag finds it', () => {
  it('irc-starttls.pcap: TLS after IRC STARTTLS on port 6667 (tshark golden: no TLS at all)', async () => {
    const golden = JSON.parse(readFileSync(path.join(GOLDEN, 'irc-starttls.pcap.json'), 'utf8')) as { tls: unknown[] };
    expect(golden.tls).to.deep.equal([]);
    const r = await corpus('irc-starttls.pcap');
    const c = r.connections.find((x) => x.conversation.stream === 0)!;
    expect(c.transcript.tls?.upgradedFrom).to.equal('irc');
    // tshark -d tcp.port==6667,tls: 8 ClientHello; 10 ServerHello, Certificate, CertificateRequest,
    // ServerHelloDone; 12 Certificate, ClientKeyExchange, CCS, encrypted; 14 NewSessionTicket, CCS, encrypted.
    expect(handshakeFrames(c.transcript.events)).to.deep.equal(['8:1', '10:2', '10:11', '10:13', '10:14', '12:11', '12:16', '14:4']);
    expect(c.transcript.events.filter((e) => e.type === 'change_cipher_spec').map((e) => e.frame)).to.deep.equal([12, 14]);
    const alert = c.transcript.events.find((e) => e.type === 'alert');
    expect(alert?.frame).to.equal(17);
  });

  it('ssl-to-http-server.pcap: a ClientHello to an HTTP server on port 80, answered "400 Bad Request"', async () => {
    const golden = JSON.parse(readFileSync(path.join(GOLDEN, 'ssl-to-http-server.pcap.json'), 'utf8')) as { tls: unknown[] };
    expect(golden.tls).to.deep.equal([]);
    const r = await corpus('ssl-to-http-server.pcap');
    const c = r.connections.find((x) => x.conversation.stream === 0)!;
    // tshark -d tcp.port==80,tls: frame 3 is the ClientHello.
    expect(handshakeFrames(c.transcript.events)).to.deep.equal(['3:1']);
    const reply = c.transcript.events.find((e) => e.type === 'plaintext' && e.from === 'server');
    expect(reply?.frame).to.equal(8);
    expect(reply?.type === 'plaintext' ? reply.text : '').to.match(/^HTTP\/1\.1 400 Bad Request/);
    expect(r.findings.map((f) => f.rule)).to.include('plaintext-reply-to-tls');
  });
});
