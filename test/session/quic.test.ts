// QUIC samples recorded with ngtcp2 (samples/README.md) against tshark's decoding of them
// (test/golden/quic-tshark.json, recorded once by scripts/record/quic-golden.sh).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeFile } from '../../src/analyze.js';
import type { AlertEvent, HandshakeEvent } from '../../src/session/transcript.js';
import { ROOT, SAMPLES } from '../support/paths.js';
import { render } from '../../src/report/render.js';
import { documentOf } from '../report/support.js';

interface TsharkFrame {
  frame: number;
  udpStream: number;
  headerForms: string;
  longPacketTypes: string;
  packetNumbers: string;
  handshakeTypes: string;
  sni: string;
  alpn: string;
  cipherSuites: string;
  closeError: string;
}
const golden = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'quic-tshark.json'), 'utf8')) as { captures: Record<string, TsharkFrame[]> };
const list = (s: string) => (s === '' ? [] : s.split(','));

describe('QUIC over UDP: the recorded samples against tshark', () => {
  for (const [file, frames] of Object.entries(golden.captures)) {
    describe(file, () => {
      const byFrame = new Map(frames.map((f) => [f.frame, f]));
      let result: Awaited<ReturnType<typeof analyzeFile>>;
      before(async () => {
        result = await analyzeFile(path.join(SAMPLES, file));
      });

      it('is one QUIC connection per udp.stream, as tshark numbers them, with every frame counted', () => {
        expect(result.connections.map((c) => [c.conversation.stream, c.transcript.transport])).to.deep.equal([...new Set(frames.map((f) => f.udpStream))].map((s) => [s, 'quic']));
        const c = result.connections[0].conversation;
        expect(c.stats.client.segments + c.stats.server.segments).to.equal(frames.length);
        expect(c.lastFrame).to.equal(frames[frames.length - 1].frame);
      });

      it("decodes the Initial packets' ClientHello and ServerHello where tshark does, with the packet numbers, SNI, ALPN and suites", () => {
        const hs = result.connections.flatMap((c) => c.transcript.events.filter((e): e is HandshakeEvent => e.type === 'handshake' && e.message !== 'encrypted'));
        const tsharkMessages = frames.flatMap((f) => list(f.handshakeTypes).map((t) => [f.frame, Number(t)]));
        expect(hs.map((e) => [e.frame, e.handshakeType])).to.deep.equal(tsharkMessages);
        for (const e of hs) {
          const t = byFrame.get(e.frame)!;
          expect(list(t.packetNumbers).map(Number)).to.include(e.quic!.packetNumber);
          const b = e.body!;
          if (b.kind === 'ClientHello') {
            expect(b.cipherSuites.map((s) => s.code)).to.deep.equal(list(t.cipherSuites).map((s) => parseInt(s, 16)));
            const tls = result.connections[0].transcript.tls!;
            expect(tls.sni).to.equal(t.sni);
            expect(tls.alpnOffered).to.deep.equal(list(t.alpn));
          } else if (b.kind === 'ServerHello') {
            expect(b.cipherSuite.code).to.equal(parseInt(t.cipherSuites, 16));
          }
        }
      });

      it('shows each Handshake packet as an encrypted handshake step, in its frame', () => {
        const ours = result.connections.flatMap((c) => c.transcript.events.filter((e) => e.type === 'handshake' && e.message === 'encrypted').map((e) => e.frame));
        const theirs = frames.flatMap((f) => list(f.longPacketTypes).filter((t) => t === '2').map(() => f.frame));
        expect(ours).to.deep.equal(theirs);
      });

      it('counts the short-header (1-RTT) packets as application data, in their frames and directions', () => {
        const c = result.connections[0];
        const data = c.transcript.events.filter((e) => e.type === 'application_data');
        const ours = data.reduce((n, e) => n + (e.type === 'application_data' ? e.records : 0), 0);
        const theirs = frames.reduce((n, f) => n + list(f.headerForms).filter((h) => h === '0').length, 0);
        expect(ours).to.equal(theirs);
        for (const e of data) expect(list(byFrame.get(e.frame)!.headerForms), `frame ${e.frame}`).to.include('0');
      });

      it('reports a CONNECTION_CLOSE with a CRYPTO_ERROR as the TLS alert it carries', () => {
        const closes = frames.filter((f) => f.closeError !== '');
        const alerts = result.connections.flatMap((c) => c.transcript.events.filter((e): e is AlertEvent => e.type === 'alert'));
        expect(alerts.map((a) => [a.frame, a.code, a.quic?.errorCode])).to.deep.equal(closes.map((f) => [f.frame, Number(f.closeError) - 0x100, Number(f.closeError)]));
      });
    });
  }

  it('judges the clean handshake established and the refused one failed, with the udp.stream filter', async () => {
    const clean = await analyzeFile(path.join(SAMPLES, 'quic-clean.pcap'));
    expect(clean.connections[0].transcript.tls?.established).to.equal(true);
    expect(clean.findings).to.deep.equal([]);
    const refused = await analyzeFile(path.join(SAMPLES, 'quic-no-shared-cipher.pcap'));
    const tls = refused.connections[0].transcript.tls!;
    expect(tls.established).to.equal(false);
    expect(tls.alert).to.include({ from: 'server', description: 'handshake_failure', code: 40, frame: 2 });
    expect(refused.findings.map((f) => [f.rule, f.wiresharkFilter])).to.deep.equal([['no-shared-cipher', 'udp.stream eq 0 && frame.number in {1, 2}']]);
  });

  it('--redact hides the addresses and the SNI of a QUIC connection in every format', async () => {
    const doc = await documentOf([path.join(SAMPLES, 'quic-no-shared-cipher.pcap')]);
    for (const format of ['json', 'ndjson', 'text', 'markdown', 'html', 'trace'] as const) {
      const out = render(format, doc, { color: false, redact: true });
      expect(out, format).to.not.match(/127\.0\.0\.1|localhost/);
    }
  });
});
