// Captures as port mirrors and cloud traffic mirroring deliver them: real samples and corpus files,
// every frame wrapped in GRE (plain, keyed with sequence numbers, Ethernet over GRE), ERSPAN types
// I, II and III (with and without the platform subheader), VXLAN and Geneve (test/support/tunnel.ts).
// The analysis of each wrapped capture must be that of the original: same connections, same
// frames, same findings; streams numbered as tshark 4.0.17 numbered the wrapped files once
// (tshark -T fields -e tcp.stream -e udp.stream): the inner tcp.stream and udp.stream are the
// original's, except that tshark gives the UDP datagrams carrying VXLAN or Geneve a udp.stream of
// their own first (0 here), so an inner UDP conversation's index moves up by one.
import { expect } from 'chai';
import { Readable } from 'node:stream';
import path from 'node:path';
import { analyzeFile, analyzeStream, type CaptureResult } from '../../src/analyze.js';
import { ENCAPSULATIONS, wrapFrame, wrappedCapture, type Encapsulation } from '../support/tunnel.js';
import { PacketView, decodePacket } from '../../decoders/packet.js';
import { bytes, ethernet, ipv4, tcp } from './support.js';
import { CORPUS, SAMPLES } from '../support/paths.js';

/** tshark's streams in the wrapped captures: inner tcp.stream values, every udp.stream value (outer ones included). */
const TSHARK: Record<string, { tcp: number[]; udp: number[]; udpTunnel: number[] }> = {
  'samples/no-shared-cipher.pcap': { tcp: [0], udp: [], udpTunnel: [0] },
  'samples/ftps-session-not-reused-522.pcap': { tcp: [0, 1], udp: [], udpTunnel: [0] },
  'samples/dtls-no-shared-cipher.pcap': { tcp: [], udp: [0], udpTunnel: [0, 1] },
  'corpus/tls-1.2-handshake-failure.pcap': { tcp: [0], udp: [], udpTunnel: [0] },
};

function file(name: string): string {
  return name.startsWith('samples/') ? path.join(SAMPLES, name.slice(8)) : path.join(CORPUS, name.slice(7));
}

const udpTunnel = (kind: Encapsulation): boolean => kind === 'vxlan' || kind === 'geneve';

/** What must not change when a capture is wrapped: connections and findings, streams shifted by `udpShift` for UDP. */
function shape(r: CaptureResult, udpShift: number): unknown {
  return {
    connections: r.connections.map((c) => {
      const v = c.conversation;
      return {
        stream: v.transport === 'udp' ? v.stream - udpShift : v.stream,
        transport: v.transport ?? 'tcp',
        client: v.client,
        server: v.server,
        basis: v.clientBasis,
        frames: [v.firstFrame, v.lastFrame],
        end: v.end,
        events: c.transcript.events.map((e) => `${e.frame} ${e.from} ${e.type}${'message' in e ? ` ${e.message}` : ''}`),
      };
    }),
    findings: r.findings.map((f) => {
      const udp = f.transport !== undefined;
      const stream = udp ? f.stream - udpShift : f.stream;
      // The filter names the stream tshark gives the inner conversation: the shifted one.
      expect(f.wiresharkFilter).to.contain(`${udp ? 'udp' : 'tcp'}.stream eq ${f.stream}`);
      return { ...f, stream, wiresharkFilter: f.wiresharkFilter.replace(/stream eq \d+/, `stream eq ${stream}`) };
    }),
  };
}

describe('tunnels: captures wrapped in GRE, ERSPAN, VXLAN and Geneve read as the originals', () => {
  for (const [name, expected] of Object.entries(TSHARK)) {
    describe(name, () => {
      let original: CaptureResult;
      before(async () => {
        original = await analyzeFile(file(name));
        expect(original.connections.length).to.be.greaterThan(0);
      });
      for (const kind of ENCAPSULATIONS) {
        it(`inside ${kind}`, async () => {
          const bytes = wrappedCapture(file(name), kind);
          const r = await analyzeStream(Readable.from([bytes]), `${name}.${kind}`);
          const tcp = r.connections.filter((c) => c.conversation.transport === undefined).map((c) => c.conversation.stream);
          const udp = r.connections.filter((c) => c.conversation.transport === 'udp').map((c) => c.conversation.stream);
          expect(tcp, 'tcp.stream').to.deep.equal(expected.tcp);
          // Inside VXLAN or Geneve the carrying datagrams take udp.stream 0 first (tshark's list).
          const innerUdp = expected.udp.map((s) => s + (udpTunnel(kind) ? 1 : 0));
          expect(udp, 'udp.stream').to.deep.equal(innerUdp);
          if (udpTunnel(kind)) expect([0, ...innerUdp]).to.deep.equal(expected.udpTunnel);
          expect(shape(r, udpTunnel(kind) ? 1 : 0)).to.deep.equal(shape(original, 0));
          expect(r.findings.length).to.equal(original.findings.length);
          const note = r.problems.find((p) => p.code === 'tunnel-unwrapped');
          expect(note, 'the tunnel is named in a note').to.not.equal(undefined);
          expect(note!.frame).to.equal(1);
        });
      }
    });
  }

  it('a tunnel cut by the snap length inside the inner Ethernet header is a note, not a crash', async () => {
    const bytes = wrappedCapture(file('samples/no-shared-cipher.pcap'), 'vxlan');
    // Cut every record's captured bytes to end 6 bytes into the inner Ethernet header (14+20+8+8+6).
    const cut: Buffer[] = [bytes.subarray(0, 24)];
    for (let at = 24; at < bytes.length;) {
      const captured = bytes.readUInt32LE(at + 8);
      const header = Buffer.from(bytes.subarray(at, at + 16));
      const keep = Math.min(captured, 56);
      header.writeUInt32LE(keep, 8);
      cut.push(header, bytes.subarray(at + 16, at + 16 + keep));
      at += 16 + captured;
    }
    const r = await analyzeStream(Readable.from([Buffer.concat(cut)]), 'cut.pcap');
    expect(r.connections.filter((c) => c.conversation.transport === undefined)).to.have.length(0);
    expect(r.problems.map((p) => p.code)).to.include('header-truncated');
  });
});

describe('tunnel headers decoded alone', () => {
  const inner = ethernet(ipv4('10.0.0.1', '10.0.0.2', tcp({ sport: 1234, dport: 443, seq: 1, flags: 'S' })), 0x0800);

  it('PPTP\'s enhanced GRE (version 1) and source-routed GRE are left alone', () => {
    const view = new PacketView();
    for (const flags of [0x0001, 0x4000]) {
      const frame = ethernet(ipv4('192.0.2.1', '192.0.2.2', bytes([flags >> 8, flags & 0xff, 0x65, 0x58], inner), { protocol: 47 }), 0x0800);
      expect(decodePacket(1, frame, view)).to.equal('other-ip');
      expect(view.tunnel).to.equal('');
    }
  });

  it('nesting stops at four tunnels deep', () => {
    const view = new PacketView();
    let frame = inner;
    for (let depth = 1; depth <= 6; depth++) {
      frame = wrapFrame('gre-ethernet', frame, depth);
      const result = decodePacket(1, frame, view);
      expect(result, `depth ${depth}`).to.equal(depth <= 4 ? 'tcp' : 'other-ip');
      if (depth <= 4) expect(view.sourceText()).to.equal('10.0.0.1');
    }
  });

  it('a VXLAN datagram keeps its own 5-tuple for udp.stream numbering', () => {
    const view = new PacketView();
    expect(decodePacket(1, wrapFrame('vxlan', inner, 1), view)).to.equal('tcp');
    expect(view.tunnel).to.equal('vxlan');
    expect(view.hasOuterUdp).to.equal(true);
    expect(view.outerUdp!.sourceText()).to.equal('192.0.2.1');
    expect(view.outerUdp!.dstPort).to.equal(4789);
    expect(view.outerUdp!.payloadCaptured).to.equal(0);
    expect(decodePacket(1, inner, view)).to.equal('tcp');
    expect(view.hasOuterUdp).to.equal(false);
  });
});

describe('tunnel headers under mutation', () => {
  it('decodePacket never throws on mutated or cut tunnelled frames, and never reads past them', () => {
    const inner = ethernet(ipv4('10.0.0.1', '10.0.0.2', tcp({ sport: 1234, dport: 443, seq: 1, flags: 'S' })), 0x0800);
    const view = new PacketView();
    let seed = 13;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const kind of ENCAPSULATIONS) {
      const frame = wrapFrame(kind, inner, 1);
      for (let i = 0; i < 400; i++) {
        const bytes = Uint8Array.from(frame);
        // A few bytes of the tunnel and inner headers (offsets 34..90) changed, then maybe a cut.
        for (let k = 0; k < 3; k++) bytes[34 + (next() % 56)] = next() & 0xff;
        const cut = next() % 3 === 0 ? bytes.subarray(0, next() % bytes.length) : bytes;
        const result = decodePacket(1, cut, view);
        expect(result).to.be.a('string');
        if (result === 'tcp' || result === 'udp') expect(view.payloadOffset + view.payloadCaptured).to.be.at.most(cut.length);
      }
    }
  });
});
