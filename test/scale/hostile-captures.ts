// Hostile captures generated in memory (nothing large is committed): raw-IP pcap (link type 101,
// LINKTYPE_RAW) records written straight into one buffer, so a million packets take a second.

/** RFC 1071 checksum is not computed: tlsdiag and tshark (by default) do not verify it. */
function ipv4Header(out: Buffer, at: number, src: number, dst: number, payloadLength: number, id: number, offset: number, more: boolean, protocol = 6): void {
  out[at] = 0x45;
  out[at + 1] = 0;
  out.writeUInt16BE(20 + payloadLength, at + 2);
  out.writeUInt16BE(id & 0xffff, at + 4);
  out.writeUInt16BE((more ? 0x2000 : 0) | (offset >> 3), at + 6);
  out[at + 8] = 64;
  out[at + 9] = protocol;
  out.writeUInt16BE(0, at + 10);
  out.writeUInt32BE(src >>> 0, at + 12);
  out.writeUInt32BE(dst >>> 0, at + 16);
}

function tcpHeader(out: Buffer, at: number, sport: number, dport: number, seq: number, ack: number, flags: number): void {
  out.writeUInt16BE(sport, at);
  out.writeUInt16BE(dport, at + 2);
  out.writeUInt32BE(seq >>> 0, at + 4);
  out.writeUInt32BE(ack >>> 0, at + 8);
  out[at + 12] = 5 << 4;
  out[at + 13] = flags;
  out.writeUInt16BE(65535, at + 14);
  out.writeUInt32BE(0, at + 16);
}

const PCAP_HEADER = Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0]);

class PcapWriter {
  readonly buf: Buffer;
  at = PCAP_HEADER.length;
  constructor(bytes: number) {
    this.buf = Buffer.alloc(PCAP_HEADER.length + bytes);
    PCAP_HEADER.copy(this.buf, 0);
  }
  /** Reserves a record of `length` bytes at `time` and returns where its data starts. */
  record(time: number, length: number): number {
    const b = this.buf;
    b.writeUInt32LE(Math.floor(time), this.at);
    b.writeUInt32LE(Math.round((time % 1) * 1e6) % 1_000_000, this.at + 4);
    b.writeUInt32LE(length, this.at + 8);
    b.writeUInt32LE(length, this.at + 12);
    const data = this.at + 16;
    this.at = data + length;
    return data;
  }
  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

const SYN = 0x02, ACK = 0x10, PSH = 0x08;

/** `count` SYNs, each from its own client port and address to one server, `gap` seconds apart; none answered. */
export function synFlood(count: number, gap = 0.00001): Buffer {
  const w = new PcapWriter(count * (16 + 40));
  const server = 0x0a000001;
  for (let i = 0; i < count; i++) {
    const at = w.record(1_700_000_000 + i * gap, 40);
    ipv4Header(w.buf, at, 0x0b000000 + (i >>> 14), server, 20, i, 0, false);
    tcpHeader(w.buf, at + 20, 1024 + (i & 0x3fff), 443, i * 7919, 0, SYN);
  }
  return w.done();
}

/** `count` IP fragments of one datagram (id 7) that never completes: all empty but the first. */
export function fragmentFlood(count: number, emptyFragments = true): Buffer {
  const w = new PcapWriter(count * (16 + 28));
  for (let i = 0; i < count; i++) {
    const length = emptyFragments && i > 0 ? 0 : 8;
    const at = w.record(1_700_000_000 + i * 0.00001, 20 + length);
    // offsets cycle over 8-byte units, the last fragment (MF clear) never sent
    ipv4Header(w.buf, at, 0x0a000002, 0x0a000001, length, 7, ((i * 8) % 65_000), true);
  }
  return w.done();
}

/**
 * A TCP conversation (handshake, then `payload` from the client, then the server's `reply`) in which
 * the client's payload is sent one byte per segment, in reverse order.
 */
export function reversedBytes(payload: Uint8Array, reply: Uint8Array): Buffer {
  const w = new PcapWriter((payload.length + 8) * (16 + 41) + reply.length + (Math.ceil(reply.length / 1400) + 1) * 56);
  const c = 0x0a000002, s = 0x0a000001, cp = 40000, sp = 443;
  let t = 1_700_000_000;
  const seg = (src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, data: Uint8Array) => {
    const at = w.record((t += 0.00001), 40 + data.length);
    ipv4Header(w.buf, at, src, dst, 20 + data.length, 1, 0, false);
    tcpHeader(w.buf, at + 20, sport, dport, seq, ack, flags);
    w.buf.set(data, at + 40);
  };
  const none = new Uint8Array(0);
  seg(c, s, cp, sp, 999, 0, SYN, none);
  seg(s, c, sp, cp, 4999, 1000, SYN | ACK, none);
  seg(c, s, cp, sp, 1000, 5000, ACK, none);
  for (let i = payload.length - 1; i >= 0; i--) seg(c, s, cp, sp, 1000 + i, 5000, ACK | PSH, payload.subarray(i, i + 1));
  for (let at = 0; at < reply.length; at += 1400) seg(s, c, sp, cp, 5000 + at, 1000 + payload.length, ACK | PSH, reply.subarray(at, at + 1400));
  return w.done();
}
