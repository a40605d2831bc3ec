// QUIC Initial packets: the key schedule and packet protection against RFC 9001 Appendix A (v1) and
// RFC 9369 Appendix A.1 (v2), copied into test/golden/rfc9001-appendix-a.json; then the RFC's two
// Initial packets in a capture, through the whole pipeline.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initialKeys, openLongPacket } from '../../decoders/quic/initial.js';
import { QUIC_V1, QUIC_V2, initialFrames, looksLikeQuicInitial, parseLongHeader } from '../../decoders/quic/packet.js';
import type { HandshakeEvent } from '../../src/session/transcript.js';
import { ROOT } from '../support/paths.js';
import { analyzeBytes } from '../support/conversation.js';
import { udpPcap } from '../support/udp.js';

const A = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'rfc9001-appendix-a.json'), 'utf8'));
const hex = (s: string) => Buffer.from(s, 'hex');
const keysHex = (k: { key: Buffer; iv: Buffer; hp: Buffer }) => ({ key: k.key.toString('hex'), iv: k.iv.toString('hex'), hp: k.hp.toString('hex') });

describe('QUIC Initial protection (RFC 9001 Appendix A, RFC 9369 Appendix A)', () => {
  it('derives the v1 client and server Initial keys from the DCID (A.1)', () => {
    expect(keysHex(initialKeys(hex(A.dcid), QUIC_V1, 'client'))).to.deep.equal(A.client);
    expect(keysHex(initialKeys(hex(A.dcid), QUIC_V1, 'server'))).to.deep.equal(A.server);
  });

  it('derives the v2 keys with the v2 salt and labels (RFC 9369 A.1)', () => {
    expect(keysHex(initialKeys(hex(A.dcid), QUIC_V2, 'client'))).to.deep.equal({ key: '8b1a0bc121284290a29e0971b5cd045d', iv: '91f73e2351d8fa91660e909f', hp: '45b95e15235d6f45a6b19cbcb0294ba9' });
    expect(keysHex(initialKeys(hex(A.dcid), QUIC_V2, 'server'))).to.deep.equal({ key: '82db637861d55e1d011f19ea71d5d2a7', iv: 'dd13c276499c0249d3310652', hp: 'edf6d05c83121201b436e16877593c3a' });
  });

  it("opens the client's protected Initial (A.2): packet number 2, the CRYPTO frame, PADDING to 1162 bytes", () => {
    const pkt = hex(A.clientInitial.packet);
    expect(looksLikeQuicInitial(pkt)).to.equal(true);
    const h = parseLongHeader(pkt, 0, pkt.length)!;
    expect(h.type).to.equal('Initial');
    expect(Buffer.from(h.dcid).toString('hex')).to.equal(A.dcid);
    const opened = openLongPacket(pkt, h, initialKeys(h.dcid, h.version, 'client'))!;
    expect(opened.packetNumber).to.equal(A.clientInitial.packetNumber);
    expect(opened.payload.length).to.equal(A.clientInitial.payloadLength);
    expect(Buffer.from(opened.payload.subarray(0, A.clientInitial.payloadStart.length / 2)).toString('hex')).to.equal(A.clientInitial.payloadStart);
    const { frames, complete } = initialFrames(opened.payload);
    expect(complete).to.equal(true);
    expect(frames.map((f) => f.kind)).to.deep.equal(['crypto']);
  });

  it("opens the server's Initial (A.3) with the server keys of the client's DCID", () => {
    const pkt = hex(A.serverInitial.packet);
    const h = parseLongHeader(pkt, 0, pkt.length)!;
    const opened = openLongPacket(pkt, h, initialKeys(hex(A.dcid), h.version, 'server'))!;
    expect(opened.packetNumber).to.equal(A.serverInitial.packetNumber);
    expect(Buffer.from(opened.payload).toString('hex')).to.equal(A.serverInitial.payload);
  });

  it('refuses a packet whose bytes were changed (the AEAD tag), and a packet with the wrong keys', () => {
    const pkt = hex(A.clientInitial.packet);
    const h = parseLongHeader(pkt, 0, pkt.length)!;
    const bad = Buffer.from(pkt);
    bad[100] ^= 1;
    expect(openLongPacket(bad, h, initialKeys(h.dcid, h.version, 'client'))).to.equal(null);
    expect(openLongPacket(pkt, h, initialKeys(h.dcid, h.version, 'server'))).to.equal(null);
  });

  it('walks hostile frame bytes without throwing: cut varints, lengths past the end, unknown frame types', () => {
    const cases = [
      Uint8Array.of(0x06, 0xc0), // CRYPTO with a cut 8-byte offset
      Uint8Array.of(0x06, 0x00, 0x7f, 0xff, 1, 2), // CRYPTO longer than the packet
      Uint8Array.of(0x02, 0x00, 0x00, 0x3f), // ACK whose range count runs past the end
      Uint8Array.of(0x1c, 0x41, 0x28, 0x00, 0x05, 0x61), // CONNECTION_CLOSE whose reason runs past the end
      Uint8Array.of(0x00, 0x00, 0x01, 0x08, 0x01), // PADDING, PING, then a STREAM frame (not allowed in Initial)
    ];
    const got = cases.map((c) => {
      const r = initialFrames(c);
      return [r.frames.length, r.complete];
    });
    expect(got).to.deep.equal([[0, false], [0, false], [0, false], [0, false], [0, false]]);
    const close = initialFrames(Uint8Array.of(0x1c, 0x41, 0x28, 0x00, 0x00));
    expect(close).to.deep.equal({ frames: [{ kind: 'connection_close', application: false, errorCode: 0x128, frameType: 0, reason: '' }], complete: true });
    for (let seed = 1; seed <= 2000; seed++) {
      let x = seed;
      const bytes = Uint8Array.from({ length: seed % 64 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
      expect(() => initialFrames(bytes)).to.not.throw();
      expect(() => parseLongHeader(bytes, 0, bytes.length)).to.not.throw();
    }
  });

  it('decodes the two packets in a capture: ClientHello with SNI and ALPN, ServerHello, udp.stream 0', async () => {
    const pcap = udpPcap([
      { src: '10.0.0.1', dst: '10.0.0.2', sport: 50000, dport: 443, payload: hex(A.clientInitial.packet), time: 1_700_000_000 },
      { src: '10.0.0.2', dst: '10.0.0.1', sport: 443, dport: 50000, payload: hex(A.serverInitial.packet), time: 1_700_000_000.01 },
    ]);
    const r = await analyzeBytes(pcap, 'rfc9001.pcap');
    expect(r.connections).to.have.length(1);
    const c = r.connections[0];
    expect(c.conversation.transport).to.equal('udp');
    expect(c.conversation.stream).to.equal(0);
    expect(c.transcript.transport).to.equal('quic');
    const tls = c.transcript.tls!;
    // The values the RFC's ClientHello and ServerHello carry (Appendix A.2, A.3).
    expect(tls.sni).to.equal('example.com');
    expect(tls.alpnOffered).to.deep.equal(['alpn']);
    expect(tls.negotiatedVersion).to.equal(0x0304);
    expect(tls.cipherSuite?.code).to.equal(0x1301);
    const hs = c.transcript.events.filter((e): e is HandshakeEvent => e.type === 'handshake');
    expect(hs.map((e) => [e.message, e.frame, e.from, e.quic?.packetNumber])).to.deep.equal([
      ['ClientHello', 1, 'client', 2],
      ['ServerHello', 2, 'server', 1],
    ]);
  });

  it('takes the client from the payload when the capture starts with the server', async () => {
    const pcap = udpPcap([
      { src: '10.0.0.2', dst: '10.0.0.1', sport: 443, dport: 50000, payload: hex(A.serverInitial.packet), time: 1_700_000_000 },
      { src: '10.0.0.1', dst: '10.0.0.2', sport: 50000, dport: 443, payload: hex(A.clientInitial.packet), time: 1_700_000_000.01 },
    ]);
    const r = await analyzeBytes(pcap, 'server-first.pcap');
    // The server's Initial alone cannot be opened (its keys come from the client's DCID, not yet
    // seen), nor is it the start of a conversation: the client's Initial opens it.
    const c = r.connections[0];
    expect(c.conversation.client.ip).to.equal('10.0.0.1');
    expect(c.transcript.tls?.sni).to.equal('example.com');
  });
});
