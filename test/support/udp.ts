// Classic pcaps of UDP datagrams made in memory (Ethernet, IPv4, UDP; checksums zero, which UDP
// over IPv4 allows, RFC 768).
import { concatBytes } from './conversation.js';

export interface Datagram {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly payload: Uint8Array;
  /** Capture time, epoch seconds. */
  readonly time: number;
}

const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];

export function ethernetIpv4Udp(d: Datagram): Uint8Array {
  const ip = (a: string) => a.split('.').map(Number);
  const udp = concatBytes(u16(d.sport), u16(d.dport), u16(8 + d.payload.length), [0, 0], d.payload);
  const ipv4 = concatBytes([0x45, 0], u16(20 + udp.length), [0, 0, 0x40, 0, 64, 17, 0, 0], ip(d.src), ip(d.dst), udp);
  return concatBytes([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], ipv4);
}

/** A little-endian microsecond pcap (Ethernet) of the datagrams, in the order given. */
export function udpPcap(datagrams: readonly Datagram[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0])];
  for (const d of datagrams) {
    const f = ethernetIpv4Udp(d);
    const h = Buffer.alloc(16);
    h.writeUInt32LE(Math.floor(d.time), 0);
    h.writeUInt32LE(Math.round((d.time % 1) * 1e6), 4);
    h.writeUInt32LE(f.length, 8);
    h.writeUInt32LE(f.length, 12);
    parts.push(h, Buffer.from(f));
  }
  return Buffer.concat(parts);
}

/**
 * The frames of corpus dtls1_2.pcap (one DTLS 1.2 conversation, 16 frames) with DNS-like datagrams
 * of three other UDP conversations put between them: the DNS query of one 5-tuple before the DTLS
 * conversation starts, its answer and a second query among the DTLS frames, a third at the end.
 * tshark numbers them udp.stream 0 (first DNS), 1 (DTLS), 2, 3 (recorded in test/flow/udp-tracker.test.ts).
 */
export function mixedUdpCapture(dtlsRecords: readonly { seconds: number; subsecond: number; data: Uint8Array }[]): Buffer {
  const dns = (src: string, dst: string, sport: number, dport: number) => ethernetIpv4Udp({ src, dst, sport, dport, time: 0, payload: Uint8Array.of(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0) });
  const first = dtlsRecords[0];
  const frames: { seconds: number; subsecond: number; data: Uint8Array }[] = [];
  const at = (r: { seconds: number; subsecond: number }, data: Uint8Array) => frames.push({ seconds: r.seconds, subsecond: r.subsecond, data });
  at(first, dns('192.168.17.58', '192.168.17.1', 5353, 53));
  dtlsRecords.forEach((r, i) => {
    at(r, r.data);
    if (i === 2) at(r, dns('192.168.17.1', '192.168.17.58', 53, 5353));
    if (i === 7) at(r, dns('192.168.17.58', '192.168.17.1', 5354, 53));
  });
  const last = dtlsRecords[dtlsRecords.length - 1];
  at(last, dns('192.168.17.58', '8.8.8.8', 5355, 53));
  const parts: Buffer[] = [Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0])];
  for (const f of frames) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(f.seconds, 0);
    h.writeUInt32LE(f.subsecond, 4);
    h.writeUInt32LE(f.data.length, 8);
    h.writeUInt32LE(f.data.length, 12);
    parts.push(h, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}
