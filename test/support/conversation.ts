/**
 * Captures made in the test from a script of who says what: a TCP conversation (handshake, data
 * segments with correct sequence numbers, FIN or RST) over Ethernet/IPv4 in a classic pcap, plus
 * builders for TLS records and handshake messages. For cases no real software here can produce
 * (SSL 3.0 servers, hostile lengths) — every such test says so.
 */
import { Readable } from 'node:stream';
import { analyzeStream, type CaptureResult } from '../../src/analyze.js';

export type Step = { from: 'client' | 'server'; data: Uint8Array } | { from: 'client' | 'server'; close: 'fin' | 'rst' };

const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const u24 = (v: number) => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const u32 = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

export function concatBytes(...parts: (Uint8Array | number[])[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function record(contentType: number, version: number, body: Uint8Array | number[]): Uint8Array {
  return concatBytes([contentType, ...u16(version), ...u16(body.length)], body);
}

export function handshake(type: number, body: Uint8Array | number[]): Uint8Array {
  return concatBytes([type, ...u24(body.length)], body);
}

export function vec8(body: Uint8Array | number[]): Uint8Array {
  return concatBytes([body.length], body);
}
export function vec16(body: Uint8Array | number[]): Uint8Array {
  return concatBytes(u16(body.length), body);
}
export function vec24(body: Uint8Array | number[]): Uint8Array {
  return concatBytes(u24(body.length), body);
}

const random = (seed: number) => Array.from({ length: 32 }, (_, i) => (i * 7 + seed) & 0xff);

/** A ClientHello: version, suites, and optional extensions block. */
export function clientHello(version: number, suites: number[], extensions?: Uint8Array): Uint8Array {
  return handshake(
    1,
    concatBytes(u16(version), random(1), [0], vec16(suites.flatMap(u16)), vec8([0]), extensions ? vec16(extensions) : []),
  );
}

export function serverHello(version: number, suite: number, sessionId: number[] = [], extensions?: Uint8Array): Uint8Array {
  return handshake(2, concatBytes(u16(version), random(2), vec8(sessionId), u16(suite), [0], extensions ? vec16(extensions) : []));
}

export const serverHelloDone = (): Uint8Array => handshake(14, []);

/** TLS ≤ 1.2 CertificateRequest: certificate types, optional signature algorithms (TLS 1.2), CA list bytes. */
export function certificateRequest(types: number[], sigAlgs: number[] | null, authorities: Uint8Array): Uint8Array {
  return handshake(13, concatBytes(vec8(types), sigAlgs ? vec16(sigAlgs.flatMap(u16)) : [], vec16(authorities)));
}

function ethernetIpv4Tcp(src: string, dst: string, sport: number, dport: number, seq: number, ack: number, flags: number, payload: Uint8Array): Uint8Array {
  const ip = (a: string) => a.split('.').map(Number);
  const tcp = concatBytes(u16(sport), u16(dport), u32(seq), u32(ack), [0x50, flags], u16(65535), [0, 0, 0, 0], payload);
  const ipv4 = concatBytes([0x45, 0], u16(20 + tcp.length), [0, 0, 0x40, 0, 64, 6, 0, 0], ip(src), ip(dst), tcp);
  return concatBytes([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], ipv4);
}

/** A classic little-endian pcap of one TCP conversation following `steps`, one segment per step. */
export function conversationPcap(steps: readonly Step[], opts: { client?: string; server?: string; clientPort?: number; serverPort?: number; start?: number } = {}): Buffer {
  const c = opts.client ?? '10.0.0.1';
  const s = opts.server ?? '10.0.0.2';
  const cp = opts.clientPort ?? 40000;
  const sp = opts.serverPort ?? 443;
  let t = opts.start ?? 1_700_000_000;
  let cseq = 1000;
  let sseq = 5000;
  const frames: Uint8Array[] = [];
  const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01, RST = 0x04;
  frames.push(ethernetIpv4Tcp(c, s, cp, sp, cseq++, 0, SYN, new Uint8Array(0)));
  frames.push(ethernetIpv4Tcp(s, c, sp, cp, sseq++, cseq, SYN | ACK, new Uint8Array(0)));
  frames.push(ethernetIpv4Tcp(c, s, cp, sp, cseq, sseq, ACK, new Uint8Array(0)));
  for (const st of steps) {
    const fromClient = st.from === 'client';
    const [a, b, pa, pb] = fromClient ? [c, s, cp, sp] : [s, c, sp, cp];
    const seq = fromClient ? cseq : sseq;
    const ack = fromClient ? sseq : cseq;
    if ('data' in st) {
      frames.push(ethernetIpv4Tcp(a, b, pa, pb, seq, ack, ACK | PSH, st.data));
      if (fromClient) cseq += st.data.length;
      else sseq += st.data.length;
    } else {
      frames.push(ethernetIpv4Tcp(a, b, pa, pb, seq, ack, st.close === 'fin' ? FIN | ACK : RST | ACK, new Uint8Array(0)));
      if (st.close === 'fin') {
        if (fromClient) cseq++;
        else sseq++;
      }
    }
  }
  const header = Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]);
  const parts: Buffer[] = [header];
  for (const f of frames) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(Math.floor(t), 0);
    h.writeUInt32LE(Math.round((t % 1) * 1e6), 4);
    h.writeUInt32LE(f.length, 8);
    h.writeUInt32LE(f.length, 12);
    parts.push(h, Buffer.from(f));
    t += 0.001;
  }
  return Buffer.concat(parts);
}

export function analyzeBytes(pcap: Buffer, name = 'built.pcap'): Promise<CaptureResult> {
  return analyzeStream(Readable.from([pcap]), name);
}
