/**
 * Generates a large synthetic capture for `npm run bench`: interleaved TLS 1.2 conversations that
 * carry bulk application data, and some failing handshakes (the server refuses the ClientHello with
 * a fatal handshake_failure alert, or resets the connection). The handshake records are real: the
 * ClientHello, ServerHello, Certificate … bytes of the corpus capture tls1.2.pcap. Application data
 * is valid TLS records of random bytes. Frames: Ethernet, IPv4 (checksummed), TCP (no checksum, as
 * with checksum offload), classic pcap, microsecond timestamps.
 *
 *   node dist/scripts/gen-capture.js [--size 1G] [--out FILE] [--seed N]
 *
 * By default the file goes to os.tmpdir()/tlsdiag-bench/, never into the repository.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TcpFlag } from '../decoders/tcp/tcp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS_SOURCE = path.resolve(ROOT, '..', 'shared', 'corpus', 'zeek', 'tls1.2.pcap');
export const BENCH_DIR = path.join(tmpdir(), 'tlsdiag-bench');

export interface GenerateOptions {
  /** Bytes to write, at least (the last conversations are completed). */
  readonly size: number;
  readonly out: string;
  readonly seed?: number;
  /** Conversations in flight at once, their packets interleaved. */
  readonly concurrency?: number;
  /** Application data bytes the server sends in an established conversation. */
  readonly bytesPerConversation?: number;
  /** One conversation in this many fails its handshake. */
  readonly failEvery?: number;
}

export interface GenerateResult {
  readonly bytes: number;
  readonly packets: number;
  readonly conversations: number;
  readonly failed: number;
}

/** The handshake flights of a real TLS 1.2 conversation, as the TCP payload each side sent. */
interface Flights {
  readonly clientHello: Buffer;
  readonly serverFlight: Buffer;
  readonly clientFinish: Buffer;
  readonly serverFinish: Buffer;
}

/** Reads the corpus capture's TCP payloads per direction (it is a clean capture: no loss, no retransmission). */
function flightsFrom(file: string): Flights {
  const pcap = readFileSync(file);
  if (pcap.readUInt32LE(0) !== 0xa1b2c3d4 || pcap.readUInt32LE(20) !== 1) throw new Error(`${file}: expected a little-endian Ethernet pcap`);
  const streams: { client: Buffer[]; server: Buffer[] } = { client: [], server: [] };
  let clientPort = -1;
  for (let at = 24; at + 16 <= pcap.length;) {
    const length = pcap.readUInt32LE(at + 8);
    const frame = pcap.subarray(at + 16, at + 16 + length);
    at += 16 + length;
    if (frame.readUInt16BE(12) !== 0x0800) continue;
    const ip = frame.subarray(14);
    const ihl = (ip[0] & 0x0f) * 4;
    if (ip[9] !== 6) continue;
    const tcp = ip.subarray(ihl, ip.readUInt16BE(2));
    const flags = tcp[13];
    const srcPort = tcp.readUInt16BE(0);
    if (flags & 0x02 && !(flags & 0x10)) clientPort = srcPort;
    const payload = tcp.subarray((tcp[12] >> 4) * 4);
    if (payload.length > 0) (srcPort === clientPort ? streams.client : streams.server).push(payload);
  }
  const split = (bytes: Buffer) => {
    const records: { type: number; bytes: Buffer }[] = [];
    for (let at = 0; at + 5 <= bytes.length;) {
      const end = at + 5 + bytes.readUInt16BE(at + 3);
      records.push({ type: bytes[at], bytes: bytes.subarray(at, end) });
      at = end;
    }
    return records;
  };
  const client = split(Buffer.concat(streams.client));
  const server = split(Buffer.concat(streams.server));
  const before = (records: typeof client, stop: (type: number) => boolean) => {
    const out: Buffer[] = [];
    for (const r of records) {
      if (stop(r.type)) break;
      out.push(r.bytes);
    }
    return out;
  };
  // Client: ClientHello | ClientKeyExchange, ChangeCipherSpec, Finished. Server: hello flight | ChangeCipherSpec, Finished.
  const clientHandshake = before(client, (t) => t === 23);
  const serverHello = before(server, (t) => t === 20);
  const serverRest = before(server.slice(serverHello.length), (t) => t === 23);
  return {
    clientHello: clientHandshake[0],
    clientFinish: Buffer.concat(clientHandshake.slice(1)),
    serverFlight: Buffer.concat(serverHello),
    serverFinish: Buffer.concat(serverRest),
  };
}

/** xorshift32: repeatable random numbers from a seed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const MSS = 1448;
const RECORD = 16384;
/** Application data records of random bytes, repeated as a block for every conversation. */
function applicationBlock(next: () => number, records: number): Buffer {
  const block = Buffer.allocUnsafe(records * (5 + RECORD));
  for (let i = 0; i < records; i++) {
    const at = i * (5 + RECORD);
    block[at] = 23;
    block.writeUInt16BE(0x0303, at + 1);
    block.writeUInt16BE(RECORD, at + 3);
    for (let j = at + 5; j < at + 5 + RECORD; j += 4) block.writeUInt32LE(next(), j);
  }
  return block;
}

type Step = { readonly from: 'client' | 'server'; readonly flags: number; readonly payload: Buffer | null; readonly appBytes?: number };

const { FIN, SYN, RST, PSH, ACK } = TcpFlag;

/** Writes pcap records into a large buffer, flushed to the file when full. */
class PcapWriter {
  private buf = Buffer.allocUnsafe(8 << 20);
  private used = 0;
  bytes = 0;
  packets = 0;
  private seconds = 1_700_000_000;
  private micros = 0;

  constructor(private readonly fd: number) {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(262144, 16);
    header.writeUInt32LE(1, 20);
    this.put(header);
  }

  private put(b: Buffer): void {
    if (this.used + b.length > this.buf.length) this.flush();
    b.copy(this.buf, this.used);
    this.used += b.length;
    this.bytes += b.length;
  }

  /** Room for one record of `frameLength` bytes; returns the offset of the frame in the buffer. */
  begin(frameLength: number): { buf: Buffer; at: number } {
    if (this.used + 16 + frameLength > this.buf.length) this.flush();
    const at = this.used;
    this.micros += 7;
    if (this.micros >= 1_000_000) {
      this.seconds++;
      this.micros -= 1_000_000;
    }
    this.buf.writeUInt32LE(this.seconds, at);
    this.buf.writeUInt32LE(this.micros, at + 4);
    this.buf.writeUInt32LE(frameLength, at + 8);
    this.buf.writeUInt32LE(frameLength, at + 12);
    this.used += 16 + frameLength;
    this.bytes += 16 + frameLength;
    this.packets++;
    return { buf: this.buf, at: at + 16 };
  }

  flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buf, done, this.used - done);
    this.used = 0;
  }
}

class Conversation {
  private clientSeq: number;
  private serverSeq: number;
  private readonly steps: Step[];
  private step = 0;
  /** Application bytes of the current bulk step already sent. */
  private sent = 0;
  private segments = 0;

  constructor(
    private readonly client: { ip: number; port: number },
    private readonly server: { ip: number; port: number },
    steps: Step[],
    next: () => number,
    private readonly block: Buffer,
  ) {
    this.clientSeq = next();
    this.serverSeq = next();
    this.steps = steps;
  }

  get done(): boolean {
    return this.step >= this.steps.length;
  }

  /** Emits the next packet(s). */
  emit(w: PcapWriter): void {
    const s = this.steps[this.step];
    if (s.appBytes !== undefined) {
      const n = Math.min(MSS, s.appBytes - this.sent);
      this.packet(w, 'server', PSH | ACK, null, this.sent, n);
      this.sent += n;
      // The client acknowledges every second segment.
      if (++this.segments % 2 === 0 || this.sent === s.appBytes) this.packet(w, 'client', ACK, null, 0, 0);
      if (this.sent === s.appBytes) {
        this.step++;
        this.sent = 0;
      }
      return;
    }
    const payload = s.payload;
    if (payload !== null && payload.length > MSS) {
      for (let at = 0; at < payload.length; at += MSS) this.packet(w, s.from, PSH | ACK, payload.subarray(at, Math.min(payload.length, at + MSS)), 0, 0);
    } else {
      this.packet(w, s.from, s.flags, payload, 0, 0);
    }
    this.step++;
  }

  private packet(w: PcapWriter, from: 'client' | 'server', flags: number, payload: Buffer | null, blockOffset: number, blockBytes: number): void {
    const length = payload !== null ? payload.length : blockBytes;
    const frameLength = 14 + 20 + 20 + length;
    const { buf, at } = w.begin(frameLength);
    const src = from === 'client' ? this.client : this.server;
    const dst = from === 'client' ? this.server : this.client;
    // Ethernet: made-up locally administered MACs, IPv4.
    buf.writeUInt32BE(from === 'client' ? 0x02000000 : 0x02000001, at);
    buf.writeUInt16BE(0x0001, at + 4);
    buf.writeUInt32BE(from === 'client' ? 0x02000001 : 0x02000000, at + 6);
    buf.writeUInt16BE(0x0002, at + 10);
    buf.writeUInt16BE(0x0800, at + 12);
    const ip = at + 14;
    buf[ip] = 0x45;
    buf[ip + 1] = 0;
    buf.writeUInt16BE(20 + 20 + length, ip + 2);
    buf.writeUInt16BE(0, ip + 4);
    buf.writeUInt16BE(0x4000, ip + 6);
    buf[ip + 8] = 64;
    buf[ip + 9] = 6;
    buf.writeUInt16BE(0, ip + 10);
    buf.writeUInt32BE(src.ip, ip + 12);
    buf.writeUInt32BE(dst.ip, ip + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += buf.readUInt16BE(ip + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    buf.writeUInt16BE(~sum & 0xffff, ip + 10);
    const tcp = ip + 20;
    buf.writeUInt16BE(src.port, tcp);
    buf.writeUInt16BE(dst.port, tcp + 2);
    const seq = from === 'client' ? this.clientSeq : this.serverSeq;
    const ack = flags & ACK ? (from === 'client' ? this.serverSeq : this.clientSeq) : 0;
    buf.writeUInt32BE(seq >>> 0, tcp + 4);
    buf.writeUInt32BE(ack >>> 0, tcp + 8);
    buf[tcp + 12] = 5 << 4;
    buf[tcp + 13] = flags;
    buf.writeUInt16BE(65535, tcp + 14);
    buf.writeUInt32BE(0, tcp + 16);
    const data = tcp + 20;
    if (payload !== null) payload.copy(buf, data);
    else {
      // Application data: the repeated block, from where this conversation is in it.
      let copied = 0;
      while (copied < blockBytes) {
        const start = (blockOffset + copied) % this.block.length;
        const n = Math.min(blockBytes - copied, this.block.length - start);
        this.block.copy(buf, data + copied, start, start + n);
        copied += n;
      }
    }
    const advance = length + (flags & (SYN | FIN) ? 1 : 0);
    if (from === 'client') this.clientSeq = (this.clientSeq + advance) >>> 0;
    else this.serverSeq = (this.serverSeq + advance) >>> 0;
  }
}

const ALERT_HANDSHAKE_FAILURE = Buffer.from([21, 3, 3, 0, 2, 2, 40]);

export function generateCapture(options: GenerateOptions): GenerateResult {
  const next = random(options.seed ?? 1);
  const flights = flightsFrom(CORPUS_SOURCE);
  const concurrency = options.concurrency ?? 64;
  const perConversation = options.bytesPerConversation ?? 2 * 1024 * 1024;
  const failEvery = options.failEvery ?? 10;
  const block = applicationBlock(next, 16);
  // Whole records per conversation, so that it ends at a record boundary.
  const appBytes = Math.max(1, Math.round(perConversation / (5 + RECORD))) * (5 + RECORD);
  mkdirSync(path.dirname(options.out), { recursive: true });
  const fd = openSync(options.out, 'w');
  const w = new PcapWriter(fd);
  const live: Conversation[] = [];
  let made = 0;
  let failed = 0;
  const handshake = (): Step[] => [
    { from: 'client', flags: SYN, payload: null },
    { from: 'server', flags: SYN | ACK, payload: null },
    { from: 'client', flags: ACK, payload: null },
    { from: 'client', flags: PSH | ACK, payload: flights.clientHello },
  ];
  const start = () => {
    const i = made++;
    const client = { ip: ((10 << 24) | (1 << 16) | (i & 0xffff)) >>> 0, port: 20000 + (i % 40000) };
    let steps: Step[];
    let server: { ip: number; port: number };
    if (i % failEvery === failEvery - 1) {
      // Failing handshakes all go to one server, so the batch summary has a common cause to show.
      failed++;
      server = { ip: ((198 << 24) | (51 << 16) | (100 << 8) | 7) >>> 0, port: 443 };
      steps =
        (i / failEvery) % 2 < 1
          ? [...handshake(), { from: 'server', flags: PSH | ACK, payload: ALERT_HANDSHAKE_FAILURE }, { from: 'server', flags: FIN | ACK, payload: null }, { from: 'client', flags: FIN | ACK, payload: null }]
          : [...handshake(), { from: 'server', flags: RST | ACK, payload: null }];
    } else {
      server = { ip: ((192 << 24) | (2 << 8) | (1 + (i % 5))) >>> 0, port: 443 };
      steps = [
        ...handshake(),
        { from: 'server', flags: PSH | ACK, payload: flights.serverFlight },
        { from: 'client', flags: PSH | ACK, payload: flights.clientFinish },
        { from: 'server', flags: PSH | ACK, payload: flights.serverFinish },
        { from: 'server', flags: PSH | ACK, payload: null, appBytes },
        { from: 'client', flags: FIN | ACK, payload: null },
        { from: 'server', flags: FIN | ACK, payload: null },
        { from: 'client', flags: ACK, payload: null },
      ];
    }
    live.push(new Conversation(client, server, steps, next, block));
  };
  // Conversations to start: the size over an established conversation's bytes on the wire (each
  // 1448-byte segment costs 70 bytes of headers, and every second one an ACK of 70 more), rounded
  // so that the file is at least the size asked (failing ones are much smaller).
  const onWire = appBytes * (1 + 95 / MSS);
  const planned = Math.max(1, Math.ceil(options.size / (onWire * (1 - 1 / failEvery))));
  while (made < planned || live.length > 0) {
    while (live.length < concurrency && made < planned) start();
    const k = next() % live.length;
    const c = live[k];
    c.emit(w);
    if (c.done) {
      live[k] = live[live.length - 1];
      live.pop();
    }
  }
  w.flush();
  closeSync(fd);
  return { bytes: w.bytes, packets: w.packets, conversations: made, failed };
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)$/i.exec(text);
  if (!m) throw new Error(`not a size: ${text} (e.g. 1G, 300M)`);
  return Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' '));
}

function cli(argv: string[]): void {
  let size = 1024 ** 3;
  let out = path.join(BENCH_DIR, 'large.pcap');
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') size = parseSize(argv[++i]);
    else if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--seed') seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --size, --out, --seed)`);
  }
  const started = Date.now();
  const r = generateCapture({ size, out, seed });
  process.stdout.write(
    `${out}: ${(r.bytes / 1e6).toFixed(0)} MB, ${r.packets} packets, ${r.conversations} TLS conversations (${r.failed} failing), in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) cli(process.argv.slice(2));
