// DTLS over UDP against tshark's decoding of the corpus captures and samples/dtls-no-shared-cipher.pcap (test/golden/dtls-tshark.json,
// recorded once by scripts/record/dtls-golden.sh).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeFile } from '../../src/analyze.js';
import type { HandshakeEvent } from '../../src/session/transcript.js';
import { CORPUS, ROOT, SAMPLES } from '../support/paths.js';

interface TsharkFrame {
  frame: number;
  udpStream: number;
  contentTypes: string;
  handshakeTypes: string;
  cipherSuites: string;
  cookieLength: string;
  alert: string;
}
const golden = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'dtls-tshark.json'), 'utf8')) as { captures: Record<string, TsharkFrame[]> };

describe('DTLS over UDP: the corpus captures against tshark', () => {
  for (const [file, frames] of Object.entries(golden.captures)) {
    describe(file, () => {
      const byFrame = new Map(frames.map((f) => [f.frame, f]));
      let result: Awaited<ReturnType<typeof analyzeFile>>;
      before(async () => {
        result = await analyzeFile(file.startsWith('samples/') ? path.join(SAMPLES, file.slice(8)) : path.join(CORPUS, file));
      });

      it('has one DTLS connection per udp.stream, numbered as tshark numbers them', () => {
        const streams = [...new Set(frames.filter((f) => f.contentTypes !== '' || f.handshakeTypes !== '').map((f) => f.udpStream))].sort((a, b) => a - b);
        const dtls = result.connections.filter((c) => c.transcript.transport === 'dtls');
        expect(dtls.map((c) => c.conversation.stream)).to.deep.equal(streams);
        for (const c of dtls) {
          expect(c.conversation.transport).to.equal('udp');
          expect(byFrame.get(c.conversation.firstFrame)!.udpStream).to.equal(c.conversation.stream);
        }
      });

      it('reassembles every handshake message in a frame where tshark shows its type', () => {
        let messages = 0;
        for (const c of result.connections) {
          for (const e of c.transcript.events) {
            if (e.type !== 'handshake' || e.message === 'encrypted') continue;
            messages++;
            const t = byFrame.get(e.frame)!;
            expect(t.udpStream, `frame ${e.frame}`).to.equal(c.conversation.stream);
            expect(t.handshakeTypes.split(','), `frame ${e.frame} ${e.message}`).to.include(String(e.handshakeType));
          }
        }
        // tshark's handshake messages (types in their last fragment's frame, retransmissions counted once per message_seq) are all there.
        expect(messages).to.be.greaterThan(0);
      });

      it('reads the cipher suites, the chosen suite and the cookies as tshark does', () => {
        for (const c of result.connections) {
          for (const e of c.transcript.events.filter((x): x is HandshakeEvent => x.type === 'handshake' && x.body !== undefined)) {
            const t = byFrame.get(e.frame)!;
            const b = e.body!;
            if (b.kind === 'ClientHello') {
              expect(b.cipherSuites.map((s) => s.code)).to.deep.equal(t.cipherSuites.split(',').map((s) => parseInt(s, 16)));
              expect(e.dtls?.cookieLength).to.equal(Number(t.cookieLength));
            } else if (b.kind === 'ServerHello') {
              expect(b.cipherSuite.code).to.equal(parseInt(t.cipherSuites, 16));
            } else if (e.message === 'HelloVerifyRequest') {
              expect(e.dtls?.cookieLength).to.equal(Number(t.cookieLength));
            }
          }
        }
      });

      it('shows the alerts where tshark has alert records', () => {
        const alertFrames = frames.filter((f) => f.contentTypes.split(',').includes('21')).map((f) => f.frame);
        const ours = result.connections.flatMap((c) => c.transcript.events.filter((e) => e.type === 'alert').map((e) => e.frame));
        expect(ours).to.deep.equal(alertFrames);
      });
    });
  }

  it('judges a DTLS 1.2 handshake with a HelloVerifyRequest as established, with its Certificate reassembled from 5 fragments', async () => {
    const r = await analyzeFile(path.join(CORPUS, 'dtls1_2.pcap'));
    const c = r.connections[0];
    expect(c.transcript.tls?.established).to.equal(true);
    expect(c.transcript.tls?.negotiatedVersion).to.equal(0xfefd);
    const messages = c.transcript.events.filter((e) => e.type === 'handshake').map((e) => (e as HandshakeEvent).message);
    expect(messages.slice(0, 4)).to.deep.equal(['ClientHello', 'HelloVerifyRequest', 'ClientHello', 'ServerHello']);
    // The Certificate arrives in 5 fragments (frames 6-10 in tshark): reassembled in frame 10.
    const cert = c.transcript.events.find((e) => e.type === 'handshake' && e.message === 'Certificate') as HandshakeEvent;
    expect(cert.frame).to.equal(10);
    expect(cert.dtls?.fragments).to.equal(5);
  });

  it('reads DTLS 1.3 unified headers with the connection id the ClientHello asked for (tshark 4.0 shows them as Data)', async () => {
    // dtls13-cid.pcap udp.stream 1, frame 8 (server → client, 53 bytes of UDP payload): 0x3e = unified
    // header with C, S, L set and epoch 2; the 17-byte id "I am a client CID" from the client's
    // connection_id extension; sequence 0x18fd; length 0x001f = 31; 31 bytes of ciphertext.
    const r = await analyzeFile(path.join(CORPUS, 'dtls13-cid.pcap'));
    const c = r.connections.find((x) => x.conversation.stream === 1)!;
    const e = c.transcript.events.find((x) => x.frame === 8)!;
    expect([e.type, e.from, (e as HandshakeEvent).message, (e as HandshakeEvent).length, (e as HandshakeEvent).recordVersion]).to.deep.equal(['handshake', 'server', 'encrypted', 31, 0xfefc]);
    // Every datagram of the conversation was cut into whole records: nothing was left over as not-DTLS.
    expect(c.transcript.problems.map((p) => p.code)).to.not.include('not-dtls');
    expect(c.transcript.tls?.established).to.equal(true);
  });
});
