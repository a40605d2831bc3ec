// Hand-built frames for the decoder and flow tests: small builders for link, IP and TCP headers
// (checksums left zero: nothing in tlsdiag checks them), a classic-pcap walker for the corpus, and a
// StreamHandler that records what it is told.
import { readFileSync } from 'node:fs';
import type { Frame } from '../../src/input/frame.js';
import type { Conversation, ConversationOpener, Direction, StreamHandler } from '../../src/flow/types.js';

// ---------------------------------------------------------------------------------------------
// Bytes

export function bytes(...parts: (Uint8Array | number[] | string)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export function ipv4Bytes(address: string): number[] {
  return address.split('.').map((x) => Number(x));
}

export function ipv6Bytes(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => u16(parseInt(g, 16)));
}

// ---------------------------------------------------------------------------------------------
// TCP

export interface TcpSpec {
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack?: number;
  /** Letters: S syn, A ack, F fin, R rst, P psh. */
  readonly flags: string;
  readonly window?: number;
  /** Raw option bytes (padded to 4 by the builder). */
  readonly options?: number[];
  readonly payload?: Uint8Array | string;
  /** Override the data offset nibble (in 32-bit words), to build malformed headers. */
  readonly dataOffsetWords?: number;
}

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

export function tcp(spec: TcpSpec): Uint8Array {
  const options = [...(spec.options ?? [])];
  while (options.length % 4 !== 0) options.push(0);
  const words = spec.dataOffsetWords ?? 5 + options.length / 4;
  let flags = 0;
  for (const c of spec.flags) flags |= FLAG_BITS[c] ?? 0;
  const payload = spec.payload === undefined ? new Uint8Array(0) : typeof spec.payload === 'string' ? bytes(spec.payload) : spec.payload;
  return bytes(
    u16(spec.sport),
    u16(spec.dport),
    u32(spec.seq >>> 0),
    u32((spec.ack ?? 0) >>> 0),
    [words << 4, flags],
    u16(spec.window ?? 65535),
    [0, 0, 0, 0],
    options,
    payload,
  );
}

// ---------------------------------------------------------------------------------------------
// IP

export interface Ipv4Options {
  readonly protocol?: number;
  readonly id?: number;
  readonly moreFragments?: boolean;
  /** Fragment offset in bytes (multiple of 8). */
  readonly fragmentOffset?: number;
  /** Override the total length field. */
  readonly totalLength?: number;
  /** IPv4 options (padded to 4). */
  readonly options?: number[];
  readonly ihlWords?: number;
}

export function ipv4(src: string, dst: string, payload: Uint8Array, o: Ipv4Options = {}): Uint8Array {
  const options = [...(o.options ?? [])];
  while (options.length % 4 !== 0) options.push(0);
  const ihl = o.ihlWords ?? 5 + options.length / 4;
  const headerLength = 20 + options.length;
  const total = o.totalLength ?? headerLength + payload.length;
  const flagsFragment = (o.moreFragments ? 0x2000 : 0) | ((o.fragmentOffset ?? 0) >> 3);
  return bytes(
    [0x40 | ihl, 0],
    u16(total),
    u16(o.id ?? 1),
    u16(flagsFragment),
    [64, o.protocol ?? 6],
    [0, 0],
    ipv4Bytes(src),
    ipv4Bytes(dst),
    options,
    payload,
  );
}

/** An IPv6 extension header for ipv6(): its type and body (body length makes the header a multiple of 8). */
export interface Ipv6Extension {
  readonly type: number;
  /** Bytes after the next-header and length bytes (for a fragment header: all 6 remaining bytes). */
  readonly body: number[];
}

export function ipv6(src: string, dst: string, payload: Uint8Array, nextHeader = 6, extensions: Ipv6Extension[] = [], payloadLength?: number): Uint8Array {
  const chain: number[] = [];
  const types = [...extensions.map((e) => e.type), nextHeader];
  extensions.forEach((e, i) => {
    const next = types[i + 1];
    if (e.type === 44) {
      chain.push(next, 0, ...e.body);
    } else if (e.type === 51) {
      const total = 2 + e.body.length;
      chain.push(next, total / 4 - 2, ...e.body);
    } else {
      const total = 2 + e.body.length;
      chain.push(next, total / 8 - 1, ...e.body);
    }
  });
  const first = extensions.length > 0 ? extensions[0].type : nextHeader;
  const length = payloadLength ?? chain.length + payload.length;
  return bytes([0x60, 0, 0, 0], u16(length), [first, 64], ipv6Bytes(src), ipv6Bytes(dst), chain, payload);
}

export function fragmentHeader(offset: number, more: boolean, id: number): Ipv6Extension {
  return { type: 44, body: [...u16(offset | (more ? 1 : 0)), ...u32(id)] };
}

/** An ICMP (or ICMPv6) error message quoting `quoted` (an IP header and what follows it). */
export function icmpError(type: number, code: number, quoted: Uint8Array): Uint8Array {
  return bytes([type, code, 0, 0, 0, 0, 0, 0], quoted);
}

// ---------------------------------------------------------------------------------------------
// Link layers

export function ethernet(payload: Uint8Array, etherType: number, tags: { tpid: number; vlan: number }[] = []): Uint8Array {
  const mac = [0x02, 0, 0, 0, 0, 1];
  const tagBytes: number[] = [];
  let type = etherType;
  const all = tags.map((t) => t.tpid);
  if (all.length > 0) {
    type = all[0];
    tags.forEach((t, i) => tagBytes.push(...u16(t.vlan), ...u16(i + 1 < tags.length ? tags[i + 1].tpid : etherType)));
  }
  return bytes(mac, mac, u16(type), tagBytes, payload);
}

export function sll(payload: Uint8Array, protocol: number): Uint8Array {
  return bytes(u16(0), u16(1), u16(6), [2, 0, 0, 0, 0, 1, 0, 0], u16(protocol), payload);
}

export function sll2(payload: Uint8Array, protocol: number): Uint8Array {
  return bytes(u16(protocol), u16(0), u32(2), u16(1), [0, 6], [2, 0, 0, 0, 0, 1, 0, 0], payload);
}

/** BSD loopback header: the address family in the writer's byte order. */
export function nullHeader(payload: Uint8Array, family: number, littleEndian: boolean): Uint8Array {
  const be = u32(family);
  return bytes(littleEndian ? be.reverse() : be, payload);
}

export function loopHeader(payload: Uint8Array, family: number): Uint8Array {
  return bytes(u32(family), payload);
}

// ---------------------------------------------------------------------------------------------
// Frames and conversations

export function frame(number: number, time: number, linkType: number, data: Uint8Array, originalLength = data.length): Frame {
  const seconds = Math.floor(time);
  return { number, seconds, nanos: Math.round((time - seconds) * 1e9), linkType, data, capturedLength: data.length, originalLength };
}

/** Builds the frames of one IPv4 (or IPv6) TCP conversation over Ethernet, numbering frames as it goes. */
export class Script {
  readonly frames: Frame[] = [];
  private time = 1_700_000_000;

  constructor(
    readonly client: { ip: string; port: number },
    readonly server: { ip: string; port: number },
    private readonly startNumber = 1,
  ) {}

  /** A segment from the client. */
  c(flags: string, seq: number, ack: number, payload?: Uint8Array | string, step = 0.001): Frame {
    return this.add(this.client, this.server, flags, seq, ack, payload, step);
  }

  /** A segment from the server. */
  s(flags: string, seq: number, ack: number, payload?: Uint8Array | string, step = 0.001): Frame {
    return this.add(this.server, this.client, flags, seq, ack, payload, step);
  }

  /** Lets capture time pass. */
  wait(seconds: number): void {
    this.time += seconds;
  }

  private add(
    from: { ip: string; port: number },
    to: { ip: string; port: number },
    flags: string,
    seq: number,
    ack: number,
    payload: Uint8Array | string | undefined,
    step: number,
  ): Frame {
    this.time += step;
    const segment = tcp({ sport: from.port, dport: to.port, seq, ack, flags, payload });
    const v6 = from.ip.includes(':');
    const ip = v6 ? ipv6(from.ip, to.ip, segment) : ipv4(from.ip, to.ip, segment);
    const f = frame(this.startNumber + this.frames.length, this.time, 1, ethernet(ip, v6 ? 0x86dd : 0x0800));
    this.frames.push(f);
    return f;
  }
}

// ---------------------------------------------------------------------------------------------
// Recording handler

export type Event =
  | { readonly type: 'data'; readonly dir: Direction; readonly text: string; readonly frame: number }
  | { readonly type: 'gap'; readonly dir: Direction; readonly bytes: number; readonly frame: number }
  | { readonly type: 'fin'; readonly dir: Direction; readonly frame: number }
  | { readonly type: 'rst'; readonly dir: Direction; readonly frame: number }
  | { readonly type: 'close' };

export class Recorder implements StreamHandler {
  readonly events: Event[] = [];
  constructor(readonly conversation: Conversation) {}

  onData(dir: Direction, data: Uint8Array, frame: number): void {
    this.events.push({ type: 'data', dir, text: Buffer.from(data).toString('latin1'), frame });
  }
  onGap(dir: Direction, bytes: number, frame: number): void {
    this.events.push({ type: 'gap', dir, bytes, frame });
  }
  onFin(dir: Direction, frame: number): void {
    this.events.push({ type: 'fin', dir, frame });
  }
  onRst(dir: Direction, frame: number): void {
    this.events.push({ type: 'rst', dir, frame });
  }
  onClose(): void {
    this.events.push({ type: 'close' });
  }

  /** Everything delivered in one direction, gaps shown as `[gap N]`. */
  stream(dir: Direction): string {
    let out = '';
    for (const e of this.events) {
      if (e.type === 'data' && e.dir === dir) out += e.text;
      else if (e.type === 'gap' && e.dir === dir) out += `[gap ${e.bytes}]`;
    }
    return out;
  }
}

/** An opener that records every conversation with a Recorder. */
export function recording(): { open: ConversationOpener; recorders: Recorder[] } {
  const recorders: Recorder[] = [];
  return {
    recorders,
    open: (conversation) => {
      const r = new Recorder(conversation);
      recorders.push(r);
      return r;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Classic pcap

/** The frames of a classic pcap file (either byte order, micro- or nanosecond timestamps). */
export function readPcap(path: string): Frame[] {
  return readPcapBuffer(readFileSync(path), path);
}

/** The frames of a classic pcap held in memory (`name` for the error message). */
export function readPcapBuffer(buf: Buffer, name = 'buffer'): Frame[] {
  const path = name;
  const magic = buf.readUInt32LE(0);
  let le: boolean;
  let nanos: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) {
    le = true;
    nanos = magic === 0xa1b23c4d;
  } else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) {
    le = false;
    nanos = magic === 0x4d3cb2a1;
  } else throw new Error(`${path}: not a classic pcap file`);
  const read32 = (at: number): number => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const linkType = read32(20) & 0x0fffffff;
  const frames: Frame[] = [];
  let at = 24;
  while (at + 16 <= buf.length) {
    const seconds = read32(at);
    const fraction = read32(at + 4);
    const captured = read32(at + 8);
    const original = read32(at + 12);
    if (at + 16 + captured > buf.length) break;
    const data = new Uint8Array(buf.buffer, buf.byteOffset + at + 16, captured);
    frames.push({
      number: frames.length + 1,
      seconds,
      nanos: nanos ? fraction : fraction * 1000,
      linkType,
      data,
      capturedLength: captured,
      originalLength: original,
    });
    at += 16 + captured;
  }
  return frames;
}
