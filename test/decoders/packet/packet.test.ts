import { expect } from 'chai';
import fc from 'fast-check';
import { PacketView, decodePacket, decodeReassembled } from '../../../decoders/packet.js';
import { TcpFlag } from '../../../decoders/tcp/tcp.js';
import {
  bytes,
  ethernet,
  fragmentHeader,
  icmpError,
  ipv4,
  ipv6,
  loopHeader,
  nullHeader,
  sll,
  sll2,
  tcp,
} from '../../flow/support.js';

const SYN_OPTIONS = [
  2, 4, 0x05, 0xb4, // MSS 1460
  1, // NOP
  3, 3, 7, // window scale 7
  4, 2, // SACK permitted
  8, 10, 0, 0, 0, 1, 0, 0, 0, 2, // timestamps 1 / 2
];

function segment(payload = 'hello'): Uint8Array {
  return tcp({ sport: 40000, dport: 443, seq: 1000, ack: 2000, flags: 'PA', payload });
}

function v4(payload = segment()): Uint8Array {
  return ipv4('192.0.2.1', '198.51.100.7', payload);
}

function v6(payload = segment()): Uint8Array {
  return ipv6('2001:db8::1', '2001:db8:0:1::2', payload);
}

function decode(linkType: number, data: Uint8Array): { result: string; view: PacketView } {
  const view = new PacketView();
  return { result: decodePacket(linkType, data, view), view };
}

function payloadText(view: PacketView): string {
  return Buffer.from(view.bytes.subarray(view.payloadOffset, view.payloadOffset + view.payloadCaptured)).toString('latin1');
}

describe('decodePacket: link layers', () => {
  it('decodes Ethernet → IPv4 → TCP and reads every header field', () => {
    const { result, view } = decode(1, ethernet(v4(), 0x0800));
    expect(result).to.equal('tcp');
    expect(view.ipVersion).to.equal(4);
    expect(view.sourceText()).to.equal('192.0.2.1');
    expect(view.destinationText()).to.equal('198.51.100.7');
    expect([view.srcPort, view.dstPort, view.seq, view.ack]).to.deep.equal([40000, 443, 1000, 2000]);
    expect(view.flags).to.equal(TcpFlag.PSH | TcpFlag.ACK);
    expect(view.vlanTags).to.equal(0);
    expect(payloadText(view)).to.equal('hello');
    expect(view.payloadLength).to.equal(5);
  });

  it('crosses an 802.1Q tag', () => {
    const { result, view } = decode(1, ethernet(v4(), 0x0800, [{ tpid: 0x8100, vlan: 42 }]));
    expect(result).to.equal('tcp');
    expect(view.vlanTags).to.equal(1);
    expect(view.vlanId).to.equal(42);
    expect(payloadText(view)).to.equal('hello');
  });

  it('crosses QinQ (802.1ad outer, 802.1Q inner) and the legacy 0x9100 outer tag', () => {
    for (const outer of [0x88a8, 0x9100]) {
      const { result, view } = decode(1, ethernet(v6(), 0x86dd, [{ tpid: outer, vlan: 100 }, { tpid: 0x8100, vlan: 7 }]));
      expect(result, outer.toString(16)).to.equal('tcp');
      expect(view.vlanTags).to.equal(2);
      expect(view.vlanId).to.equal(100);
      expect(view.ipVersion).to.equal(6);
      expect(payloadText(view)).to.equal('hello');
    }
  });

  it('calls an 802.3 length field (LLC frame) not IP', () => {
    const frame = bytes([0x01, 0x80, 0xc2, 0, 0, 0], [2, 0, 0, 0, 0, 1], [0, 38], new Uint8Array(38));
    expect(decode(1, frame).result).to.equal('not-ip');
  });

  it('decodes Linux cooked captures v1 (113) and v2 (276)', () => {
    for (const [linkType, data] of [
      [113, sll(v4(), 0x0800)],
      [276, sll2(v4(), 0x0800)],
      [113, sll(v6(), 0x86dd)],
      [276, sll2(v6(), 0x86dd)],
    ] as const) {
      const { result, view } = decode(linkType, data);
      expect(result, String(linkType)).to.equal('tcp');
      expect(payloadText(view)).to.equal('hello');
    }
    expect(decode(113, sll(bytes([1, 2, 3]), 0x0806)).result).to.equal('not-ip');
  });

  it('reads the BSD null header in either byte order, and OpenBSD loop in network order', () => {
    expect(decode(0, nullHeader(v4(), 2, true)).view.ipVersion).to.equal(4);
    expect(decode(0, nullHeader(v4(), 2, false)).result).to.equal('tcp');
    for (const family of [24, 28, 30]) {
      const le = decode(0, nullHeader(v6(), family, true));
      const be = decode(0, nullHeader(v6(), family, false));
      expect([le.result, be.result], String(family)).to.deep.equal(['tcp', 'tcp']);
      expect(le.view.ipVersion).to.equal(6);
    }
    expect(decode(108, loopHeader(v4(), 2)).result).to.equal('tcp');
    expect(decode(108, loopHeader(v6(), 24)).view.ipVersion).to.equal(6);
    expect(decode(0, nullHeader(v4(), 7, true)).result).to.equal('not-ip');
  });

  it('decodes raw IP (101, and the DLT_RAW values 12 and 14) and LINKTYPE_IPV4/IPV6 (228/229)', () => {
    for (const linkType of [101, 12, 14]) {
      expect(decode(linkType, v4()).view.ipVersion, String(linkType)).to.equal(4);
      expect(decode(linkType, v6()).view.ipVersion, String(linkType)).to.equal(6);
      expect(decode(linkType, v6()).result).to.equal('tcp');
    }
    expect(decode(228, v4()).result).to.equal('tcp');
    expect(decode(229, v6()).result).to.equal('tcp');
    // The fixed link type decides, not the nibble: IPv6 bytes under 228 are a malformed IPv4 header.
    expect(decode(228, v6()).result).to.equal('malformed');
  });

  it('says so for a link type it does not know', () => {
    expect(decode(105, v4()).result).to.equal('unknown-linktype');
  });
});

describe('decodePacket: IPv4', () => {
  it('skips header options by the IHL', () => {
    const data = ipv4('10.0.0.1', '10.0.0.2', segment('xy'), { options: [0x94, 4, 0, 0] }); // router alert
    const { result, view } = decode(101, data);
    expect(result).to.equal('tcp');
    expect(view.transportOffset).to.equal(24);
    expect(payloadText(view)).to.equal('xy');
  });

  it('rejects an IHL below 5 and a total length below the header, naming RFC 791', () => {
    const bad = decode(101, ipv4('10.0.0.1', '10.0.0.2', segment(), { ihlWords: 4 }));
    expect(bad.result).to.equal('malformed');
    expect(bad.view.issueCode).to.equal('ipv4-header-length');
    expect(bad.view.issueRule).to.equal('RFC 791 §3.1');
    const short = decode(101, ipv4('10.0.0.1', '10.0.0.2', segment(), { totalLength: 12 }));
    expect(short.result).to.equal('malformed');
    expect(short.view.issueCode).to.equal('ipv4-total-length');
  });

  it('ignores Ethernet padding after a short datagram', () => {
    const ack = ipv4('10.0.0.1', '10.0.0.2', tcp({ sport: 1, dport: 2, seq: 5, ack: 6, flags: 'A' }));
    const padded = bytes(ethernet(ack, 0x0800), new Uint8Array(6));
    const { result, view } = decode(1, padded);
    expect(result).to.equal('tcp');
    expect(view.payloadLength).to.equal(0);
    expect(view.payloadCaptured).to.equal(0);
  });

  it('reports a snap-length cut: the bytes present, and how many the IP header announced', () => {
    const full = ethernet(v4(segment('0123456789')), 0x0800);
    const { result, view } = decode(1, full.subarray(0, full.length - 4));
    expect(result).to.equal('tcp');
    expect(view.payloadLength).to.equal(10);
    expect(view.payloadCaptured).to.equal(6);
    expect(payloadText(view)).to.equal('012345');
  });

  it('uses the captured length when the total length is 0 (segmentation offload)', () => {
    const { result, view } = decode(101, ipv4('10.0.0.1', '10.0.0.2', segment('abc'), { totalLength: 0 }));
    expect(result).to.equal('tcp');
    expect(view.lengthFromCapture).to.equal(true);
    expect(payloadText(view)).to.equal('abc');
  });

  it('flags fragments by the MF bit or a non-zero offset', () => {
    const first = decode(101, ipv4('10.0.0.1', '10.0.0.2', new Uint8Array(16), { id: 7, moreFragments: true }));
    expect(first.result).to.equal('fragment');
    expect([first.view.ipId, first.view.fragmentOffset, first.view.moreFragments]).to.deep.equal([7, 0, true]);
    const last = decode(101, ipv4('10.0.0.1', '10.0.0.2', new Uint8Array(16), { id: 7, fragmentOffset: 16 }));
    expect(last.result).to.equal('fragment');
    expect([last.view.fragmentOffset, last.view.moreFragments]).to.deep.equal([16, false]);
  });

  it('reads a UDP header (ports, payload), and stops at other transports', () => {
    const udp = decode(101, ipv4('10.0.0.1', '10.0.0.2', Uint8Array.of(0x12, 0x34, 0x01, 0xbb, 0, 11, 0, 0, 0x61, 0x62, 0x63), { protocol: 17 }));
    expect(udp.result).to.equal('udp');
    expect([udp.view.srcPort, udp.view.dstPort, udp.view.payloadLength, udp.view.payloadCaptured]).to.deep.equal([0x1234, 443, 3, 3]);
    expect(payloadText(udp.view)).to.equal('abc');
    // A UDP header cut short is not read.
    expect(decode(101, ipv4('10.0.0.1', '10.0.0.2', new Uint8Array(6), { protocol: 17 })).result).to.equal('other-ip');
  });

  it('calls a frame cut inside the IP header truncated', () => {
    const { result, view } = decode(101, v4().subarray(0, 12));
    expect(result).to.equal('truncated');
    expect(view.issueCode).to.equal('ipv4-truncated');
  });
});

describe('decodePacket: IPv6 extension headers', () => {
  const options = { body: [1, 4, 0, 0, 0, 0] }; // PadN, 8 bytes in all

  it('walks hop-by-hop, routing and destination options to TCP', () => {
    const data = ipv6('2001:db8::1', '2001:db8::2', segment(), 6, [
      { type: 0, ...options },
      { type: 43, body: [0, 0, 0, 0, 0, 0] },
      { type: 60, ...options },
    ]);
    const { result, view } = decode(101, data);
    expect(result).to.equal('tcp');
    expect(view.transportOffset).to.equal(40 + 24);
    expect(payloadText(view)).to.equal('hello');
  });

  it('skips an AH header by its 4-byte length unit', () => {
    const ah = { type: 51, body: [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }; // 24 bytes
    const { result, view } = decode(101, ipv6('2001:db8::1', '2001:db8::2', segment(), 6, [ah]));
    expect(result).to.equal('tcp');
    expect(view.transportOffset).to.equal(64);
  });

  it('stops at ESP and at No Next Header', () => {
    const esp = decode(101, ipv6('2001:db8::1', '2001:db8::2', new Uint8Array(24), 50));
    expect([esp.result, esp.view.protocol]).to.deep.equal(['other-ip', 50]);
    const none = decode(101, ipv6('2001:db8::1', '2001:db8::2', new Uint8Array(0), 59));
    expect([none.result, none.view.protocol]).to.deep.equal(['other-ip', 59]);
  });

  it('flags a fragment header, and crosses an atomic fragment (offset 0, M clear)', () => {
    const frag = decode(101, ipv6('2001:db8::1', '2001:db8::2', new Uint8Array(16), 6, [fragmentHeader(0, true, 0xdeadbeef)]));
    expect(frag.result).to.equal('fragment');
    expect([frag.view.ipId, frag.view.protocol, frag.view.transportLength]).to.deep.equal([0xdeadbeef, 6, 16]);
    const atomic = decode(101, ipv6('2001:db8::1', '2001:db8::2', segment(), 6, [fragmentHeader(0, false, 9)]));
    expect(atomic.result).to.equal('tcp');
    expect(payloadText(atomic.view)).to.equal('hello');
  });

  it('rejects an extension header that runs past the payload length', () => {
    const data = ipv6('2001:db8::1', '2001:db8::2', new Uint8Array(0), 6, [{ type: 60, body: [1, 4, 0, 0, 0, 0] }], 4);
    const { result, view } = decode(101, data);
    expect(result).to.equal('malformed');
    expect(view.issueCode).to.equal('ipv6-extension-length');
  });

  it('decodes a reassembled datagram whose first header is a destination-options header', () => {
    const view = new PacketView();
    expect(decodePacket(101, ipv6('2001:db8::1', '2001:db8::2', new Uint8Array(8), 60, [fragmentHeader(8, false, 1)]), view)).to.equal('fragment');
    const reassembled = bytes([6, 0, 1, 4, 0, 0, 0, 0], segment('joined'));
    expect(decodeReassembled(reassembled, 60, view)).to.equal('tcp');
    expect(payloadText(view)).to.equal('joined');
    expect(view.sourceText()).to.equal('2001:db8::1');
  });
});

describe('decodePacket: TCP header', () => {
  it('reads MSS, window scale, SACK permitted and timestamps', () => {
    const syn = tcp({ sport: 1, dport: 2, seq: 0xfffffff0, flags: 'S', options: SYN_OPTIONS });
    const { result, view } = decode(101, ipv4('10.0.0.1', '10.0.0.2', syn));
    expect(result).to.equal('tcp');
    expect(view.seq).to.equal(0xfffffff0);
    expect([view.mss, view.windowScale, view.sackPermitted]).to.deep.equal([1460, 7, true]);
    expect([view.hasTimestamps, view.timestampValue, view.timestampEcho]).to.deep.equal([true, 1, 2]);
    expect(view.optionsMalformed).to.equal(false);
    expect(view.tcpHeaderLength).to.equal(40);
  });

  it('reads SACK blocks', () => {
    const opts = [1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40];
    const { view } = decode(101, ipv4('10.0.0.1', '10.0.0.2', tcp({ sport: 1, dport: 2, seq: 1, ack: 1, flags: 'A', options: opts })));
    expect(view.sackBlockCount).to.equal(2);
    expect(Array.from(view.sackBlocks.subarray(0, 4))).to.deep.equal([10, 20, 30, 40]);
  });

  it('stops at an option whose length byte is impossible', () => {
    const { result, view } = decode(101, ipv4('10.0.0.1', '10.0.0.2', tcp({ sport: 1, dport: 2, seq: 1, flags: 'S', options: [2, 4, 1, 0, 8, 1, 0, 0] })));
    expect(result).to.equal('tcp');
    expect(view.mss).to.equal(256);
    expect(view.optionsMalformed).to.equal(true);
  });

  it('rejects a data offset below 5 words but still reads the ports (Wireshark numbers such segments)', () => {
    const { result, view } = decode(101, ipv4('10.0.0.1', '10.0.0.2', tcp({ sport: 9, dport: 10, seq: 1, flags: 'A', dataOffsetWords: 3 })));
    expect(result).to.equal('malformed');
    expect(view.issueCode).to.equal('tcp-data-offset');
    expect(view.tcpHeaderRead).to.equal(true);
    expect([view.srcPort, view.dstPort]).to.deep.equal([9, 10]);
  });

  it('calls a frame cut inside the TCP header truncated; ports are read once 16 bytes are there', () => {
    const data = v4();
    const short = decode(101, data.subarray(0, 34));
    expect(short.result).to.equal('truncated');
    expect(short.view.tcpHeaderRead).to.equal(false);
    const enough = decode(101, data.subarray(0, 36));
    expect(enough.result).to.equal('truncated');
    expect(enough.view.tcpHeaderRead).to.equal(true);
    expect([enough.view.srcPort, enough.view.dstPort, enough.view.seq]).to.deep.equal([40000, 443, 1000]);
  });
});

describe('decodePacket: TCP quoted in ICMP errors', () => {
  const quotedSyn = ipv4('10.0.0.1', '10.0.0.2', tcp({ sport: 1234, dport: 80, seq: 100, flags: 'S' }));

  it('reads the quoted datagram\'s addresses and TCP header from an ICMP error', () => {
    // Fragmentation needed (type 3, code 4), quoting 16 bytes of TCP: enough for Wireshark.
    const data = ipv4('192.0.2.254', '10.0.0.1', icmpError(3, 4, quotedSyn.subarray(0, 36)), { protocol: 1 });
    const { result, view } = decode(101, data);
    expect(result).to.equal('tcp-in-icmp');
    expect([view.sourceText(), view.destinationText(), view.srcPort, view.dstPort, view.seq]).to.deep.equal(['10.0.0.1', '10.0.0.2', 1234, 80, 100]);
    expect(view.flags).to.equal(TcpFlag.SYN);
    expect(view.payloadCaptured).to.equal(0);
  });

  it('reads an ICMPv6 packet-too-big the same way', () => {
    const inner = ipv6('2001:db8::1', '2001:db8::2', tcp({ sport: 5, dport: 443, seq: 7, ack: 9, flags: 'PA', payload: 'x'.repeat(40) }));
    const data = ipv6('2001:db8::ff', '2001:db8::1', icmpError(2, 0, inner), 58);
    const { result, view } = decode(101, data);
    expect(result).to.equal('tcp-in-icmp');
    expect([view.sourceText(), view.srcPort, view.dstPort, view.ack]).to.deep.equal(['2001:db8::1', 5, 443, 9]);
  });

  it('ignores quotes shorter than 16 bytes of TCP, and ICMP messages that are not errors', () => {
    expect(decode(101, ipv4('192.0.2.254', '10.0.0.1', icmpError(3, 4, quotedSyn.subarray(0, 34)), { protocol: 1 })).result).to.equal('other-ip');
    expect(decode(101, ipv4('192.0.2.254', '10.0.0.1', icmpError(0, 0, quotedSyn), { protocol: 1 })).result).to.equal('other-ip');
  });
});

describe('decodePacket: garbage never throws', () => {
  const linkTypes = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 9999];

  it('survives random bytes under every link type', () => {
    const view = new PacketView();
    fc.assert(
      fc.property(fc.constantFrom(...linkTypes), fc.uint8Array({ maxLength: 200 }), (linkType, data) => {
        const result = decodePacket(linkType, data, view);
        expect(['tcp', 'fragment', 'tcp-in-icmp', 'other-ip', 'not-ip', 'unknown-linktype', 'truncated', 'malformed']).to.include(result);
        if (result === 'tcp') {
          expect(view.payloadOffset + view.payloadCaptured).to.be.at.most(data.length);
          expect(view.payloadCaptured).to.be.at.least(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('survives corrupted and truncated copies of valid frames', () => {
    const view = new PacketView();
    const valid = [
      ethernet(v4(tcp({ sport: 1, dport: 2, seq: 1, flags: 'S', options: SYN_OPTIONS })), 0x0800, [{ tpid: 0x8100, vlan: 3 }]),
      ethernet(ipv6('2001:db8::1', '2001:db8::2', segment(), 6, [{ type: 0, body: [1, 4, 0, 0, 0, 0] }, fragmentHeader(0, false, 1)]), 0x86dd),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (original, flips, cut) => {
          const data = original.slice(0, original.length - (cut % original.length));
          for (const [at, value] of flips) if (data.length > 0) data[at % data.length] = value;
          if (decodePacket(1, data, view) === 'tcp') {
            expect(view.payloadOffset + view.payloadCaptured).to.be.at.most(data.length);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
