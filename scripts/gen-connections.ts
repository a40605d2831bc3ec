/**
 * Generates the capture `npm run bench` measures: many short TLS connections, about `concurrency` of
 * them open at any moment with their packets interleaved, as a busy server's capture looks. Costs
 * that grow with the number of connections (per-connection state, transcripts, report lines) only
 * show on such a capture; a few long connections hide them.
 *
 * Every connection replays one TCP conversation of the recorded samples (samples/*.pcap, see
 * samples/README.md): each packet as recorded, in order and with its segmentation, from the SYN to
 * the FIN or RST, only re-addressed, re-timed and renumbered from fresh initial sequence numbers.
 * Established connections may carry bulk application data from the server before the client closes:
 * valid TLS application_data records of random bytes, sized so that the file reaches --size.
 * Frames: Ethernet, IPv4 and TCP with correct checksums, classic pcap, microsecond timestamps.
 *
 *   node dist/scripts/gen-connections.js [--size 1G] [--out FILE] [--connections N]
 *       [--concurrency 100] [--seed N] [--fail-every 5] [--bulk-every 2] [--distinct-servers]
 *
 * The default output is os.tmpdir()/tlsdiag-bench/, never the repository.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_DIR } from './gen-capture.js';
import { TcpFlag } from '../decoders/tcp/tcp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLES_DIR = path.join(ROOT, 'samples');
const GIB = 1024 ** 3;
/** Raised whenever the same options would give different bytes: bench.ts keeps captures keyed by it. */
export const GENERATOR_VERSION = 1;

/** What a connection shows; failing kinds are named after the rule that should report them. */
export type Outcome =
  | 'established'
  | 'client-certificate-missing'
  | 'no-shared-cipher'
  | 'protocol-version-rejected'
  | 'certificate-expired'
  | 'handshake-aborted';

export interface Recording {
  /** File name under samples/. */
  readonly sample: string;
  /** Its tcp.stream. */
  readonly stream: number;
  readonly outcome: Outcome;
}

/** Healthy connections, with weights: mostly full handshakes, some resumed by ticket. */
export const HEALTHY: readonly (Recording & { readonly weight: number })[] = [
  { sample: 'clean-tls12.pcap', stream: 0, outcome: 'established', weight: 4 },
  { sample: 'clean-tls13.pcap', stream: 0, outcome: 'established', weight: 4 },
  { sample: 'clean-resumed-tls12.pcap', stream: 0, outcome: 'established', weight: 1 },
  { sample: 'clean-resumed-tls12.pcap', stream: 1, outcome: 'established', weight: 1 },
];

/** Failing connections, taken in turn (so each kind gets its share, whatever the seed). */
export const FAILING: readonly Recording[] = [
  { sample: 'client-certificate-missing-tls12.pcap', stream: 0, outcome: 'client-certificate-missing' },
  { sample: 'no-shared-cipher.pcap', stream: 0, outcome: 'no-shared-cipher' },
  { sample: 'protocol-version-rejected.pcap', stream: 0, outcome: 'protocol-version-rejected' },
  { sample: 'client-certificate-missing-tls13.pcap', stream: 0, outcome: 'client-certificate-missing' },
  { sample: 'server-certificate-expired.pcap', stream: 0, outcome: 'certificate-expired' },
  { sample: 'handshake-reset-by-server.pcap', stream: 0, outcome: 'handshake-aborted' },
];

/**
 * Server endpoints. Client certificates are asked for on the mutual-TLS endpoint only, so that a
 * report's ranking of failing servers has a cause to show; the other connections spread evenly.
 */
export const SERVERS = [
  { ip: '10.1.0.7', port: 443 },
  { ip: '10.1.0.8', port: 443 },
  { ip: '10.1.0.9', port: 8443 },
] as const;
const MTLS_SERVER = 2;

export interface ConnectionsOptions {
  /** Where to write the capture. */
  readonly out: string;
  /** Bytes to write (the bulk data is sized to reach it). Without it, bulk connections average `bulkBytes`. */
  readonly size?: number;
  /** TLS connections. Default: 20,000 per GiB of `size`. */
  readonly connections?: number;
  /** Connections open at once, their packets interleaved. Default 100. */
  readonly concurrency?: number;
  /** Same seed, same file. Default 1. */
  readonly seed?: number;
  /** Every failEvery-th connection fails (in turn: FAILING). Default 5, i.e. 20%; 0 for none. */
  readonly failEvery?: number;
  /** Every bulkEvery-th established connection carries bulk application data. Default 2; 0 for none. */
  readonly bulkEvery?: number;
  /** Mean application data bytes of a bulk connection when no `size` is given. Default 64 KiB. */
  readonly bulkBytes?: number;
  /** Where the recordings are. Default: the repository's samples/. */
  readonly samplesDir?: string;
  /**
   * Every connection to a server address of its own (10.64.0.0/10, port 443), as a client-side,
   * egress or scanner capture looks: as many servers as connections. Default: the three SERVERS.
   */
  readonly distinctServers?: boolean;
}

/** A server endpoint as the replay writes it. */
interface ServerEndpoint {
  readonly ip: number;
  readonly port: number;
  readonly mac: Buffer;
}

export interface ConnectionsResult {
  readonly out: string;
  /** File size. */
  readonly bytes: number;
  readonly packets: number;
  readonly connections: number;
  /** Connections whose handshake fails (everything but 'established'). */
  readonly failed: number;
  readonly byOutcome: Readonly<Record<Outcome, number>>;
  /** Connections per recording, keyed `sample#stream`, e.g. `clean-tls13.pcap#0`. */
  readonly byRecording: Readonly<Record<string, number>>;
  /** Established connections carrying bulk application data, and the TLS bytes they carry. */
  readonly bulkConnections: number;
  readonly bulkBytes: number;
  /** Most connections open at one time. */
  readonly maxOpen: number;
  /** Time between the first and the last packet. */
  readonly captureSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Recordings

const { FIN, SYN, RST, PSH, ACK } = TcpFlag;

interface RecordedPacket {
  readonly fromClient: boolean;
  readonly flags: number;
  /** Sequence number relative to its direction's ISN; acknowledgment relative to the other's. */
  readonly relSeq: number;
  readonly relAck: number;
  /** The IPv4 header (20 bytes) and TCP header (with its options) as recorded. */
  readonly ip: Buffer;
  readonly tcp: Buffer;
  readonly payload: Buffer;
  /** Unfolded one's-complement sum of the payload: it does not change from one replay to the next. */
  readonly payloadSum: number;
}

interface Conversation {
  readonly recording: Recording;
  /** When the recording started, in microseconds since 1970. */
  readonly recordedAt: number;
  readonly packets: readonly RecordedPacket[];
  /** Bytes of the pcap records of one replay without bulk data. */
  readonly wireBytes: number;
  /** Where bulk data goes: before this packet (the client's last one carrying bytes, its close). */
  readonly bulkAt: number;
  /** Next relative sequence numbers of server and client at bulkAt. */
  readonly serverNextAt: number;
  readonly clientNextAt: number;
  /** Headers the bulk segments and their acknowledgments copy (options included). */
  readonly serverData: RecordedPacket | null;
  readonly clientAck: RecordedPacket | null;
  /** Length of a full application_data record under this recording's protocol version. */
  readonly recordLength: number;
}

function sum16(b: Uint8Array, start: number, end: number): number {
  let s = 0;
  let i = start;
  for (; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** Splits a sample into its TCP conversations, in the order of their SYNs. */
function readConversations(file: string): { recordedAt: number; conversations: RecordedPacket[][] } {
  const pcap = readFileSync(file);
  const magic = pcap.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4) throw new Error(`${file}: expected a little-endian microsecond pcap (the samples are)`);
  const linkType = pcap.readUInt32LE(20);
  if (linkType !== 1) throw new Error(`${file}: link type ${linkType}, expected Ethernet (1)`);
  const byTuple = new Map<string, { client: string; isn: Map<boolean, number>; packets: { fromClient: boolean; seq: number; ack: number; flags: number; ip: Buffer; tcp: Buffer; payload: Buffer }[] }>();
  const order: string[] = [];
  const recordedAt = pcap.length > 24 ? pcap.readUInt32LE(24) * 1e6 + pcap.readUInt32LE(28) : 0;
  for (let at = 24; at + 16 <= pcap.length; ) {
    const caplen = pcap.readUInt32LE(at + 8);
    if (pcap.readUInt32LE(at + 12) !== caplen) throw new Error(`${file}: a truncated frame`);
    const frame = pcap.subarray(at + 16, at + 16 + caplen);
    at += 16 + caplen;
    if (frame.readUInt16BE(12) !== 0x0800) continue;
    const ip = frame.subarray(14);
    if ((ip[0] & 0x0f) !== 5 || ip[9] !== 6) throw new Error(`${file}: expected IPv4 without options, carrying TCP`);
    const tcp = ip.subarray(20, ip.readUInt16BE(2));
    const hl = (tcp[12] >> 4) * 4;
    const src = `${ip.readUInt32BE(12)}:${tcp.readUInt16BE(0)}`;
    const dst = `${ip.readUInt32BE(16)}:${tcp.readUInt16BE(2)}`;
    const key = src < dst ? `${src}-${dst}` : `${dst}-${src}`;
    const flags = tcp[13];
    let conv = byTuple.get(key);
    if (!conv) {
      if ((flags & (SYN | ACK)) !== SYN) throw new Error(`${file}: a conversation that does not start with a SYN`);
      conv = { client: src, isn: new Map(), packets: [] };
      byTuple.set(key, conv);
      order.push(key);
    }
    const fromClient = src === conv.client;
    const seq = tcp.readUInt32BE(4);
    if (flags & SYN) conv.isn.set(fromClient, seq);
    conv.packets.push({ fromClient, seq, ack: tcp.readUInt32BE(8), flags, ip: Buffer.from(ip.subarray(0, 20)), tcp: Buffer.from(tcp.subarray(0, hl)), payload: Buffer.from(tcp.subarray(hl)) });
  }
  const conversations = order.map((key) => {
    const conv = byTuple.get(key)!;
    const isnClient = conv.isn.get(true);
    const isnServer = conv.isn.get(false);
    if (isnClient === undefined || isnServer === undefined) throw new Error(`${file}: a conversation without its SYN and SYN-ACK`);
    return conv.packets.map((p) => {
      const own = p.fromClient ? isnClient : isnServer;
      const other = p.fromClient ? isnServer : isnClient;
      return {
        fromClient: p.fromClient,
        flags: p.flags,
        relSeq: (p.seq - own) >>> 0,
        relAck: p.flags & ACK ? (p.ack - other) >>> 0 : 0,
        ip: p.ip,
        tcp: p.tcp,
        payload: p.payload,
        payloadSum: sum16(p.payload, 0, p.payload.length),
      };
    });
  });
  return { recordedAt, conversations };
}

function prepare(recording: Recording, recordedAt: number, packets: RecordedPacket[]): Conversation {
  const wireBytes = packets.reduce((n, p) => n + 16 + 14 + 20 + p.tcp.length + p.payload.length, 0);
  let bulkAt = -1;
  if (recording.outcome === 'established') {
    for (let i = packets.length - 1; i >= 0; i--) {
      if (packets[i].fromClient && packets[i].payload.length > 0) {
        bulkAt = i;
        break;
      }
    }
  }
  let serverNextAt = 0;
  let clientNextAt = 0;
  let serverData: RecordedPacket | null = null;
  let clientAck: RecordedPacket | null = null;
  for (let i = 0; i < bulkAt; i++) {
    const p = packets[i];
    const next = p.relSeq + p.payload.length + (p.flags & (SYN | FIN) ? 1 : 0);
    if (p.fromClient) {
      clientNextAt = Math.max(clientNextAt, next);
      if (p.payload.length === 0 && p.flags === ACK) clientAck = p;
    } else {
      serverNextAt = Math.max(serverNextAt, next);
      if (p.payload.length > 0) serverData = p;
    }
  }
  if (bulkAt >= 0 && (serverData === null || clientAck === null)) bulkAt = -1;
  // The ServerHello's version says which record limit applies: TLS 1.3 (supported_versions) pads
  // the inner type and a 16-byte tag; TLS 1.2 with AES-GCM adds an 8-byte explicit nonce and the tag.
  const tls13 = packets.some((p) => !p.fromClient && p.payload.length > 0 && p.payload[0] === 22 && p.payload.indexOf(Buffer.from([0x00, 0x2b, 0x00, 0x02, 0x03, 0x04])) >= 0);
  return { recording, recordedAt, packets, wireBytes, bulkAt, serverNextAt, clientNextAt, serverData, clientAck, recordLength: tls13 ? 16384 + 1 + 16 : 16384 + 8 + 16 };
}

function loadRecordings(dir: string, recordings: readonly Recording[]): Conversation[] {
  const cache = new Map<string, ReturnType<typeof readConversations>>();
  return recordings.map((r) => {
    let sample = cache.get(r.sample);
    if (!sample) {
      sample = readConversations(path.join(dir, r.sample));
      cache.set(r.sample, sample);
    }
    const packets = sample.conversations[r.stream];
    if (!packets) throw new Error(`${r.sample} has no tcp.stream ${r.stream}`);
    return prepare(r, sample.recordedAt, packets);
  });
}

// ---------------------------------------------------------------------------------------------
// Randomness and sizing

/** mulberry32: small, fast and repeatable; one generator per purpose so that the plan does not depend on the schedule. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const MSS = 1448;
const FRAME_OVERHEAD = 16 + 14 + 20;

/** Bytes on the wire (pcap records) of `bulk` bytes of application data sent in MSS segments, an ACK for every second one. */
function bulkWire(c: Conversation, bulk: number): number {
  if (bulk === 0) return 0;
  const segments = Math.ceil(bulk / MSS);
  return bulk + segments * (FRAME_OVERHEAD + c.serverData!.tcp.length) + Math.ceil(segments / 2) * (FRAME_OVERHEAD + c.clientAck!.tcp.length);
}

/** Application data bytes (whole records, none shorter than a tag) whose wire cost is about `wire`. */
function bulkFor(c: Conversation, wire: number, roundUp: boolean): number {
  if (wire <= 0) return 0;
  const perByte = 1 + (FRAME_OVERHEAD + c.serverData!.tcp.length) / MSS + (FRAME_OVERHEAD + c.clientAck!.tcp.length) / (2 * MSS);
  let bulk = roundUp ? Math.ceil(wire / perByte) : Math.floor(wire / perByte);
  const full = 5 + c.recordLength;
  const rest = bulk % full;
  if (rest > 0 && rest < 5 + 17) bulk = roundUp ? bulk - rest + 5 + 17 : bulk - rest;
  return bulk;
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)i?b?$/i.exec(text);
  if (!m) throw new Error(`not a size: ${text} (e.g. 1G, 300M)`);
  return Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' '));
}

// ---------------------------------------------------------------------------------------------
// Writing

/** pcap records into a large buffer, written out when full: memory stays flat whatever the size. */
class PcapWriter {
  readonly buf = Buffer.allocUnsafe(8 << 20);
  private used = 0;
  bytes = 0;
  packets = 0;

  constructor(private readonly fd: number) {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(262144, 16);
    header.writeUInt32LE(1, 20);
    header.copy(this.buf);
    this.used = 24;
    this.bytes = 24;
  }

  /** Room for one record; returns where its frame starts in `buf`. */
  begin(micros: number, frameLength: number): number {
    if (this.used + 16 + frameLength > this.buf.length) this.flush();
    const at = this.used;
    const seconds = Math.floor(micros / 1e6);
    this.buf.writeUInt32LE(seconds, at);
    this.buf.writeUInt32LE(micros - seconds * 1e6, at + 4);
    this.buf.writeUInt32LE(frameLength, at + 8);
    this.buf.writeUInt32LE(frameLength, at + 12);
    this.used += 16 + frameLength;
    this.bytes += 16 + frameLength;
    this.packets++;
    return at + 16;
  }

  flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buf, done, this.used - done);
    this.used = 0;
  }
}

const ROUTER_MAC = Buffer.from([0x02, 0x00, 0x0a, 0x01, 0x00, 0x01]);

function ipNumber(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const SERVER_ENDPOINTS: readonly ServerEndpoint[] = SERVERS.map((s) => ({ ip: ipNumber(s.ip), port: s.port, mac: Buffer.from([0x02, 0x00, ...s.ip.split('.').map(Number)]) }));

/** The i-th server of a capture whose connections each have their own (10.64.0.0 + i + 1). */
function distinctServer(i: number): ServerEndpoint {
  const ip = (0x0a400000 + ((i + 1) & 0x3fffff)) >>> 0;
  return { ip, port: 443, mac: Buffer.from([0x02, 0x00, ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff]) };
}

/** Random bytes the application data records are cut from (a record's content does not matter, its length does). */
function randomBlock(next: () => number, bytes: number): Buffer {
  const block = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i += 4) block.writeUInt32LE(next(), i);
  return block;
}

/** One connection being replayed. */
class Replay {
  private index = 0;
  /** Bulk bytes already sent, and segments (for the every-second ACK). */
  private bulkSent = 0;
  private bulkSegments = 0;
  private bulkDone: boolean;
  private ipIdClient: number;
  private ipIdServer: number;
  private readonly isnClient: number;
  private readonly isnServer: number;
  /** Where this connection's application data is in the block of random bytes. */
  private blockAt: number;

  constructor(
    private readonly c: Conversation,
    private readonly clientIp: number,
    private readonly clientPort: number,
    private readonly server: ServerEndpoint,
    private readonly bulk: number,
    next: () => number,
    private readonly block: Buffer,
  ) {
    this.isnClient = next();
    this.isnServer = next();
    this.ipIdClient = next() & 0xffff;
    this.ipIdServer = next() & 0xffff;
    this.blockAt = next() % block.length;
    this.bulkDone = bulk === 0;
  }

  get done(): boolean {
    return this.index >= this.c.packets.length;
  }

  /** Writes the next packet (in the bulk phase: a segment, and the client's ACK every second one). */
  emit(w: PcapWriter, clock: () => number): number {
    const c = this.c;
    if (!this.bulkDone && this.index === c.bulkAt) {
      const n = Math.min(MSS, this.bulk - this.bulkSent);
      const last = this.bulkSent + n === this.bulk;
      this.segment(w, clock(), c.serverData!, false, last ? PSH | ACK : ACK, c.serverNextAt + this.bulkSent, c.clientNextAt, n);
      this.bulkSent += n;
      let packets = 1;
      if (++this.bulkSegments % 2 === 0 || last) {
        this.segment(w, clock(), c.clientAck!, true, ACK, c.clientNextAt, c.serverNextAt + this.bulkSent, 0);
        packets++;
      }
      if (last) this.bulkDone = true;
      return packets;
    }
    const p = c.packets[this.index];
    // After the bulk data, the server's sequence numbers, and the client's acknowledgments of them, move on by its length.
    const shifted = this.bulk > 0 && c.bulkAt >= 0 && this.index >= c.bulkAt;
    const seq = p.relSeq + (shifted && !p.fromClient ? this.bulk : 0);
    const ack = p.relAck + (shifted && p.fromClient && p.relAck >= c.serverNextAt ? this.bulk : 0);
    this.segment(w, clock(), p, p.fromClient, p.flags, seq, ack, -1);
    this.index++;
    return 1;
  }

  /**
   * One frame with `like`'s IP and TCP headers. `bulk` < 0: `like`'s own payload; otherwise that
   * many bytes of application data records.
   */
  private segment(w: PcapWriter, micros: number, like: RecordedPacket, fromClient: boolean, flags: number, relSeq: number, relAck: number, bulk: number): void {
    const payloadLength = bulk < 0 ? like.payload.length : bulk;
    const tcpLength = like.tcp.length + payloadLength;
    const at = w.begin(micros, 14 + 20 + tcpLength);
    const b = w.buf;
    const serverMac = this.server.mac;
    (fromClient ? serverMac : ROUTER_MAC).copy(b, at);
    (fromClient ? ROUTER_MAC : serverMac).copy(b, at + 6);
    b[at + 12] = 0x08;
    b[at + 13] = 0x00;
    const ip = at + 14;
    like.ip.copy(b, ip);
    const src = fromClient ? this.clientIp : this.server.ip;
    const dst = fromClient ? this.server.ip : this.clientIp;
    b.writeUInt16BE(20 + tcpLength, ip + 2);
    b.writeUInt16BE(fromClient ? this.ipIdClient : this.ipIdServer, ip + 4);
    if (fromClient) this.ipIdClient = (this.ipIdClient + 1) & 0xffff;
    else this.ipIdServer = (this.ipIdServer + 1) & 0xffff;
    b.writeUInt32BE(src, ip + 12);
    b.writeUInt32BE(dst, ip + 16);
    b[ip + 10] = 0;
    b[ip + 11] = 0;
    b.writeUInt16BE(~fold(sum16(b, ip, ip + 20)) & 0xffff, ip + 10);
    const tcp = ip + 20;
    like.tcp.copy(b, tcp);
    const serverPort = this.server.port;
    b.writeUInt16BE(fromClient ? this.clientPort : serverPort, tcp);
    b.writeUInt16BE(fromClient ? serverPort : this.clientPort, tcp + 2);
    b.writeUInt32BE(((fromClient ? this.isnClient : this.isnServer) + relSeq) >>> 0, tcp + 4);
    b.writeUInt32BE(flags & ACK ? ((fromClient ? this.isnServer : this.isnClient) + relAck) >>> 0 : 0, tcp + 8);
    b[tcp + 13] = flags;
    b[tcp + 16] = 0;
    b[tcp + 17] = 0;
    const data = tcp + like.tcp.length;
    let payloadSum: number;
    if (bulk < 0) {
      like.payload.copy(b, data);
      payloadSum = like.payloadSum;
    } else {
      this.records(b, data, bulk);
      payloadSum = sum16(b, data, data + bulk);
    }
    const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + tcpLength;
    b.writeUInt16BE(~fold(pseudo + sum16(b, tcp, data) + payloadSum) & 0xffff, tcp + 16);
  }

  /**
   * Writes the next `n` bytes of the server's application data (whole records; a record header may
   * straddle two segments, as on any real connection) into b at `at`.
   */
  private records(b: Buffer, at: number, n: number): void {
    const full = 5 + this.c.recordLength;
    let pos = this.bulkSent;
    const end = pos + n;
    while (pos < end) {
      const start = pos - (pos % full);
      const length = Math.min(full, this.bulk - start) - 5;
      let offset = pos - start;
      if (offset < 5) {
        const header = [23, 3, 3, length >>> 8, length & 0xff];
        for (; offset < 5 && pos < end; offset++, pos++) b[at++] = header[offset];
        continue;
      }
      const take = Math.min(end - pos, start + 5 + length - pos, this.block.length - this.blockAt);
      this.block.copy(b, at, this.blockAt, this.blockAt + take);
      this.blockAt = (this.blockAt + take) % this.block.length;
      pos += take;
      at += take;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The capture

/** Client i's address: 16,000 client IPs in 10.64.0.0/10, and for each a distinct port per connection (up to 28,000). */
function clientOf(i: number): { ip: number; port: number } {
  const host = i % 16000;
  const round = Math.floor(i / 16000);
  return { ip: ((10 << 24) | (64 << 16)) + Math.floor(host / 250) * 256 + 1 + (host % 250), port: 32768 + ((round * 2039 + host * 13) % 28000) };
}

export function generateConnections(options: ConnectionsOptions): ConnectionsResult {
  if (options.size === undefined && options.connections === undefined) throw new Error('generateConnections: give a size, a number of connections, or both');
  const seed = options.seed ?? 1;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 100));
  const failEvery = Math.max(0, Math.floor(options.failEvery ?? 5));
  const bulkEvery = Math.max(0, Math.floor(options.bulkEvery ?? 2));
  const connections = Math.max(1, Math.floor(options.connections ?? Math.round((options.size! / GIB) * 20000)));
  const dir = options.samplesDir ?? SAMPLES_DIR;
  const all = loadRecordings(dir, [...HEALTHY, ...FAILING]);
  const healthyWeight = HEALTHY.reduce((n, h) => n + h.weight, 0);

  // The plan first (which recording, which server, whether bulk), so that the bulk data can be sized
  // against the exact bytes of everything else. Two bytes per connection.
  const plan = random(seed * 2 + 1);
  const recordingOf = new Uint8Array(connections);
  const serverOf = new Uint8Array(connections);
  let fixedBytes = 24;
  let bulkCount = 0;
  let established = 0;
  for (let i = 0; i < connections; i++) {
    let r: number;
    const u = plan();
    if (failEvery > 0 && i % failEvery === failEvery - 1) {
      r = HEALTHY.length + (Math.floor(i / failEvery) % FAILING.length);
    } else {
      let w = u % healthyWeight;
      r = 0;
      while (w >= HEALTHY[r].weight) w -= HEALTHY[r++].weight;
      if (bulkEvery > 0 && established % bulkEvery === 0 && all[r].bulkAt >= 0) {
        r |= 0x80;
        bulkCount++;
      }
      established++;
    }
    recordingOf[i] = r;
    serverOf[i] = all[r & 0x7f].recording.outcome === 'client-certificate-missing' ? MTLS_SERVER : plan() % SERVERS.length;
    fixedBytes += all[r & 0x7f].wireBytes;
  }

  const sizing = random(seed * 3 + 7);
  const schedule = random(seed * 5 + 11);
  const block = randomBlock(random(seed * 7 + 13), 4 << 20);
  mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  const fd = openSync(options.out, 'w');
  const w = new PcapWriter(fd);
  const byOutcome: Record<Outcome, number> = {
    established: 0,
    'client-certificate-missing': 0,
    'no-shared-cipher': 0,
    'protocol-version-rejected': 0,
    'certificate-expired': 0,
    'handshake-aborted': 0,
  };
  const byRecording: Record<string, number> = {};
  let bulkStarted = 0;
  let bulkWireSoFar = 0;
  let bulkBytes = 0;

  const start = (i: number): Replay => {
    const c = all[recordingOf[i] & 0x7f];
    let bulk = 0;
    if (recordingOf[i] & 0x80) {
      // Each bulk connection gets its share of what is left, between a quarter and 1.75 times the
      // mean; the last one takes the rest, so the file ends at the size asked.
      const jitter = 0.25 + 1.5 * (sizing() / 2 ** 32);
      if (options.size !== undefined) {
        const left = options.size - fixedBytes - bulkWireSoFar;
        const last = bulkStarted === bulkCount - 1;
        bulk = bulkFor(c, last ? left : (left / (bulkCount - bulkStarted)) * jitter, last);
      } else {
        bulk = bulkFor(c, bulkWire(c, Math.round((options.bulkBytes ?? 64 * 1024) * jitter)), false);
      }
      bulkStarted++;
      bulkWireSoFar += bulkWire(c, bulk);
      bulkBytes += bulk;
    }
    byOutcome[c.recording.outcome]++;
    const key = `${c.recording.sample}#${c.recording.stream}`;
    byRecording[key] = (byRecording[key] ?? 0) + 1;
    const client = clientOf(i);
    return new Replay(c, client.ip, client.port, options.distinctServers ? distinctServer(i) : SERVER_ENDPOINTS[serverOf[i]], bulk, schedule, block);
  };

  // The recordings' own day: their certificates are only valid from then on.
  const first = Math.floor(Math.min(...all.map((c) => c.recordedAt)) / 1e6) * 1e6;
  let micros = first;
  // Some 50,000 packets a second (about 500 Mbit/s with the bulk data): a busy server's capture.
  const clock = () => (micros += 1 + (schedule() % 40));
  const live: Replay[] = [];
  let started = 0;
  let maxOpen = 0;
  while (started < connections || live.length > 0) {
    while (live.length < concurrency && started < connections) live.push(start(started++));
    if (live.length > maxOpen) maxOpen = live.length;
    const k = schedule() % live.length;
    const r = live[k];
    r.emit(w, clock);
    if (r.done) {
      live[k] = live[live.length - 1];
      live.pop();
    }
  }
  w.flush();
  closeSync(fd);
  return {
    out: options.out,
    bytes: w.bytes,
    packets: w.packets,
    connections,
    failed: connections - byOutcome.established,
    byOutcome,
    byRecording,
    bulkConnections: bulkCount,
    bulkBytes,
    maxOpen,
    captureSeconds: (micros - first) / 1e6,
  };
}

/** Two lines on what a capture holds, for people. */
export function describeConnections(r: ConnectionsResult): string {
  const kinds = (Object.entries(r.byOutcome) as [Outcome, number][])
    .filter(([k, n]) => k !== 'established' && n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return (
    `${r.out}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.packets} packets, ${r.connections} TLS connections over ${r.captureSeconds.toFixed(1)} s (up to ${r.maxOpen} open at once)\n` +
    `  ${r.byOutcome.established} established (${r.bulkConnections} with ${(r.bulkBytes / 1e6).toFixed(1)} MB of application data), ${r.failed} failing: ${kinds || 'none'}\n`
  );
}

function cli(argv: string[]): void {
  let size: number | undefined;
  let sizeText = '1G';
  let out: string | undefined;
  let connections: number | undefined;
  let concurrency: number | undefined;
  let seed = 1;
  let failEvery: number | undefined;
  let bulkEvery: number | undefined;
  let distinctServers = false;
  const number = (flag: string, text: string | undefined): number => {
    const n = Number(text);
    if (text === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} wants a whole number, not ${text}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size') size = parseSize((sizeText = argv[++i]));
    else if (a === '--out') out = argv[++i];
    else if (a === '--connections') connections = number(a, argv[++i]);
    else if (a === '--concurrency') concurrency = number(a, argv[++i]);
    else if (a === '--seed') seed = number(a, argv[++i]);
    else if (a === '--fail-every') failEvery = number(a, argv[++i]);
    else if (a === '--bulk-every') bulkEvery = number(a, argv[++i]);
    else if (a === '--distinct-servers') distinctServers = true;
    else throw new Error(`unknown argument ${a} (use --size, --out, --connections, --concurrency, --seed, --fail-every, --bulk-every, --distinct-servers)`);
  }
  if (size === undefined && connections === undefined) size = parseSize(sizeText);
  out ??= path.join(BENCH_DIR, `connections-${size === undefined ? `${connections}c` : sizeText}${distinctServers ? '-distinct' : ''}-seed${seed}.pcap`);
  const started = process.hrtime.bigint();
  const r = generateConnections({ out, size, connections, concurrency, seed, failEvery, bulkEvery, distinctServers });
  process.stdout.write(describeConnections(r));
  process.stdout.write(`  written in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    cli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`gen-connections: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}
