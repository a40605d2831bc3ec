// UDP conversations: udp.stream numbering as tshark gives it (values recorded once from tshark 4.0.17
// on the capture mixedUdpCapture() builds), idle close with the same index continued, and memory
// that stays bounded however many UDP conversations a capture holds.
import { expect } from 'chai';
import path from 'node:path';
import { Readable } from 'node:stream';
import { analyzeFile, analyzeStream } from '../../src/analyze.js';
import { UdpTracker, type DatagramHandler } from '../../src/flow/udp-tracker.js';
import { PacketView, decodePacket } from '../../decoders/packet.js';
import { corpusRecords } from '../input/builders.js';
import { CORPUS } from '../support/paths.js';
import { ethernetIpv4Udp, mixedUdpCapture } from '../support/udp.js';

describe('UDP conversations (udp.stream)', () => {
  it('numbers every UDP conversation as tshark does, DNS included, and reports the DTLS one under its udp.stream', async () => {
    const pcap = mixedUdpCapture(corpusRecords(path.join(CORPUS, 'dtls1_2.pcap')).records);
    const r = await analyzeStream(Readable.from([pcap]), 'mixed.pcap');
    // tshark -T fields -e frame.number -e udp.stream: frames 1, 5 are stream 0 (DNS); 2-4, 6-10,
    // 12-19 stream 1 (DTLS); 11 stream 2; 20 stream 3.
    expect(r.connections.map((c) => [c.conversation.stream, c.transcript.transport, c.conversation.firstFrame, c.conversation.lastFrame])).to.deep.equal([[1, 'dtls', 2, 19]]);
    const c = r.connections[0];
    expect(c.conversation.stats.client.segments + c.conversation.stats.server.segments).to.equal(16);
    expect(c.transcript.tls?.established).to.equal(true);
  });

  it('closes a conversation idle for --idle-timeout and continues its udp.stream in a second record', async () => {
    // dtls1_2.pcap: the client's encrypted alert (frame 16) comes 0.8 s after frame 15.
    const r = await analyzeFile(path.join(CORPUS, 'dtls1_2.pcap'), { idleTimeoutSeconds: 0.5 });
    expect(r.connections.map((c) => [c.conversation.stream, c.continuation ?? false, c.conversation.firstFrame, c.conversation.lastFrame, c.conversation.end?.kind])).to.deep.equal([
      [0, false, 1, 15, 'idle'],
      [0, true, 16, 16, 'capture-ended'],
    ]);
    expect(r.connections[0].transcript.tls?.established).to.equal(true);
    expect(r.connections[1].transcript.events.map((e) => e.type)).to.deep.equal(['alert']);
    expect(r.problems.map((p) => p.code)).to.include('stream-continued');
  });

  it('keeps memory bounded: idle conversations close, their sessions are released, tombstones are capped', () => {
    const view = new PacketView();
    let open = 0;
    let closed = 0;
    const tracker = new UdpTracker(
      {
        // Every conversation whose first byte is 22 gets a handler (a DTLS-like stand-in).
        accepts: (data) => (data[0] === 22 ? 1 : 0),
        open: (): DatagramHandler => {
          open++;
          return { onDatagram: () => {}, onClose: () => closed++ };
        },
      },
      { idleTimeoutSeconds: 1, maxClosed: 1000 },
    );
    let maxTracked = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const time = 1_700_000_000 + i * 0.01; // 100 new conversations a second
      const frame = ethernetIpv4Udp({ src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dst: '192.0.2.1', sport: 40000, dport: 4433, time, payload: Uint8Array.of(i % 2 === 0 ? 22 : 1, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0) });
      expect(decodePacket(1, frame, view)).to.equal('udp');
      tracker.push(view, i + 1, time);
      maxTracked = Math.max(maxTracked, tracker.tracked);
    }
    expect(tracker.conversations).to.equal(N);
    expect(open).to.equal(N / 2);
    // Open: about idle timeout × rate (+ one sweep interval); closed: at most maxClosed.
    expect(maxTracked).to.be.lessThan(1000 + 200);
    expect(closed).to.be.greaterThan(N / 2 - 200);
    expect(tracker.notes().map((p) => p.code)).to.deep.equal(['udp-conversations-forgotten']);
    tracker.finish();
    expect(closed).to.equal(open);
  });
});
