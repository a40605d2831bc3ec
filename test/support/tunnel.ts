// Real captures re-wrapped as port mirrors and cloud traffic mirroring deliver them: every Ethernet
// frame of a corpus or sample capture put inside GRE, ERSPAN I/II/III, VXLAN or Geneve, one frame
// for one frame (so frame numbers stay the same), between two tunnel endpoints 192.0.2.1 and
// 192.0.2.2. The results were checked once with tshark 4.0 (see test/flow/tunnel.test.ts).
import { corpusRecords, pcapFile, type TestRecord } from '../input/builders.js';
import { bytes, ethernet, ipv4 } from '../flow/support.js';

export type Encapsulation =
  | 'gre-ip'
  | 'gre-keyed-seq'
  | 'gre-ethernet'
  | 'erspan-1'
  | 'erspan-2'
  | 'erspan-3'
  | 'erspan-3-subheader'
  | 'vxlan'
  | 'geneve';

export const ENCAPSULATIONS: readonly Encapsulation[] = [
  'gre-ip',
  'gre-keyed-seq',
  'gre-ethernet',
  'erspan-1',
  'erspan-2',
  'erspan-3',
  'erspan-3-subheader',
  'vxlan',
  'geneve',
];

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return bytes(u16(sport), u16(dport), u16(8 + payload.length), [0, 0], payload);
}

/** The tunnel's outer frame around one inner Ethernet frame (`index` numbers GRE sequences). */
export function wrapFrame(kind: Encapsulation, inner: Uint8Array, index: number): Uint8Array {
  const outer = (protocol: number, payload: Uint8Array): Uint8Array =>
    ethernet(ipv4('192.0.2.1', '192.0.2.2', payload, { protocol, id: index & 0xffff }), 0x0800);
  switch (kind) {
    case 'gre-ip': {
      // Plain GRE carrying the IP packet (the inner Ethernet header dropped); the inner EtherType names it.
      const etherType = (inner[12] << 8) | inner[13];
      return outer(47, bytes([0, 0], u16(etherType), inner.subarray(14)));
    }
    case 'gre-keyed-seq': {
      const etherType = (inner[12] << 8) | inner[13];
      return outer(47, bytes([0x30, 0], u16(etherType), u32(0x01020304), u32(index), inner.subarray(14)));
    }
    case 'gre-ethernet':
      return outer(47, bytes([0, 0], u16(0x6558), inner));
    case 'erspan-1':
      return outer(47, bytes([0, 0], u16(0x88be), inner));
    case 'erspan-2':
      // GRE with S; ERSPAN II: Ver 1, VLAN 0, COS 0, En 0, T 0, session 5; reserved, index 0.
      return outer(47, bytes([0x10, 0], u16(0x88be), u32(index), [0x10, 0x00, 0x00, 0x05], [0, 0, 0, 0], inner));
    case 'erspan-3':
    case 'erspan-3-subheader': {
      // ERSPAN III: Ver 2, session 5; timestamp; SGT 0, P 0, FT 0 (Ethernet), HW id 0, D 0, Gra 0, O.
      const o = kind === 'erspan-3-subheader' ? 1 : 0;
      const sub = o === 1 ? [0, 0, 0, 0, 0, 0, 0, 0] : [];
      return outer(47, bytes([0x10, 0], u16(0x22eb), u32(index), [0x20, 0x00, 0x00, 0x05], u32(index * 1000), [0, 0, 0, o], sub, inner));
    }
    case 'vxlan':
      // Source port from a hash of the inner flow in real VTEPs; one fixed port here (RFC 7348 §5 allows it).
      return outer(17, udp(49152, 4789, bytes([0x08, 0, 0, 0], [0, 0x12, 0x34, 0], inner)));
    case 'geneve':
      // Version 0, one 8-byte option (class 0x0103, type 0x80, length 1 word), protocol 0x6558, VNI 0x1234.
      return outer(17, udp(49152, 6081, bytes([0x02, 0], u16(0x6558), [0, 0x12, 0x34, 0], [0x01, 0x03, 0x80, 0x01], u32(0xdeadbeef), inner)));
  }
}

/** A capture file: the Ethernet capture at `path` with every frame wrapped in `kind`. */
export function wrappedCapture(path: string, kind: Encapsulation): Buffer {
  const { linkType, records } = corpusRecords(path);
  if (linkType !== 1) throw new Error(`${path}: only Ethernet captures are wrapped`);
  const wrapped: TestRecord[] = records.map((r, i) => {
    const data = wrapFrame(kind, r.data, i + 1);
    return { seconds: r.seconds, subsecond: r.subsecond, data, originalLength: data.length + (r.originalLength - r.data.length) };
  });
  return pcapFile(wrapped, { linkType: 1, snaplen: 262144 });
}
