/**
 * Mutations of real captures for the fuzz test (CI) and `npm run fuzz`: each takes the original bytes
 * and a random source and returns new bytes and a label that says what was changed. They know the
 * structure they aim at (pcap and pcapng records, Ethernet/IPv4/TCP headers, TLS records and
 * handshakes, certificate DER, gzip/zip/tar headers), so that most mutants get past the first check.
 */
import { gzipSync } from 'node:zlib';
import { tar, zip } from '../batch/builders.js';

export type Random = () => number;

export interface Mutant {
  readonly bytes: Buffer;
  /** What was done, for the failure message and the saved file's name. */
  readonly label: string;
  /** The file name extension the bytes should carry (archives and gzip are recognised by bytes anyway). */
  readonly ext: string;
}

/** A small deterministic generator (mulberry32), so a mutant is replayed from its seed. */
export function rng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const HOSTILE_U16 = [0, 1, 0x3fff, 0x4000, 0x4001, 0x7fff, 0xffff];
const HOSTILE_U32 = [0, 1, 0x7fffffff, 0xffffffff, 0x00ffffff, 0x10000000];

interface Frame {
  /** Where the record header starts, and the frame data. */
  readonly header: number;
  readonly data: number;
  readonly length: number;
}

/** The records of a little-endian classic pcap (the corpus and samples are all of that kind). */
function pcapFrames(b: Buffer): Frame[] | null {
  if (b.length < 24 || b.readUInt32LE(0) !== 0xa1b2c3d4) return null;
  const out: Frame[] = [];
  for (let at = 24; at + 16 <= b.length; ) {
    const len = b.readUInt32LE(at + 8);
    if (at + 16 + len > b.length) break;
    out.push({ header: at, data: at + 16, length: len });
    at += 16 + len;
  }
  return out;
}

/** Ethernet + IPv4 + TCP offsets of a frame: [tcp header, payload, payload length] or null. */
function tcpOf(b: Buffer, f: Frame): [number, number, number] | null {
  if (f.length < 54 || b.readUInt16BE(f.data + 12) !== 0x0800) return null;
  const ip = f.data + 14;
  if (b[ip] >> 4 !== 4 || b[ip + 9] !== 6) return null;
  const tcp = ip + (b[ip] & 15) * 4;
  const payload = tcp + (b[tcp + 12] >> 4) * 4;
  const end = Math.min(f.data + f.length, ip + b.readUInt16BE(ip + 2));
  return payload <= end ? [tcp, payload, end - payload] : null;
}

function flipBits(b: Buffer, r: Random, from: number): string {
  const n = 1 + Math.floor(r() * 16);
  for (let i = 0; i < n; i++) b[from + Math.floor(r() * (b.length - from))] ^= 1 << Math.floor(r() * 8);
  return `${n} bit flips`;
}

type CaptureMutation = (b: Buffer, r: Random) => string | null;

const CAPTURE_MUTATIONS: Record<string, CaptureMutation> = {
  bitflips: (b, r) => flipBits(b, r, 24),
  header: (b, r) => flipBits(b.subarray(0, 24), r, 0),
  recordLength: (b, r) => {
    const frames = pcapFrames(b);
    if (!frames?.length) return null;
    const f = pick(r, frames);
    const v = pick(r, HOSTILE_U32);
    b.writeUInt32LE(v, f.header + (r() < 0.5 ? 8 : 12));
    return `record length of the frame at byte ${f.header} set to ${v}`;
  },
  tcpSeq: (b, r) => {
    const frames = (pcapFrames(b) ?? []).filter((f) => tcpOf(b, f) !== null);
    if (frames.length === 0) return null;
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      const [tcp] = tcpOf(b, pick(r, frames))!;
      const field = r() < 0.7 ? 4 : 8;
      b.writeUInt32BE(r() < 0.5 ? (b.readUInt32BE(tcp + field) + Math.floor((r() - 0.5) * 4000)) >>> 0 : Math.floor(r() * 2 ** 32), tcp + field);
    }
    return `${n} TCP sequence/acknowledgment numbers changed`;
  },
  tlsLength: (b, r) => {
    const spots: number[] = [];
    for (const f of pcapFrames(b) ?? []) {
      const t = tcpOf(b, f);
      if (!t) continue;
      const [, p, n] = t;
      for (let i = p; i + 9 <= p + n; i++) if (b[i] >= 20 && b[i] <= 24 && b[i + 1] === 3 && b[i + 2] <= 4) spots.push(i);
    }
    if (spots.length === 0) return null;
    const at = pick(r, spots);
    if (r() < 0.5) {
      b.writeUInt16BE(pick(r, HOSTILE_U16), at + 3);
      return `TLS record length at byte ${at}`;
    }
    // the handshake length after the record header (24 bits)
    const v = pick(r, [0, 1, 0xffffff, 0x010000, 0x004000]);
    b[at + 6] = v >> 16;
    b.writeUInt16BE(v & 0xffff, at + 7);
    return `TLS handshake length at byte ${at + 6} set to ${v}`;
  },
  certificateDer: (b, r) => {
    const spots: number[] = [];
    for (let i = 24; i + 4 < b.length; i++) if (b[i] === 0x30 && b[i + 1] === 0x82) spots.push(i);
    if (spots.length === 0) return null;
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      const at = pick(r, spots);
      const what = r();
      if (what < 0.4) b.writeUInt16BE(pick(r, HOSTILE_U16), at + 2);
      else if (what < 0.7) b[at + 1] = pick(r, [0x80, 0x84, 0x88, 0xff, 0x00]);
      else b[at] = pick(r, [0x00, 0x31, 0x05, 0xa0]);
    }
    return `${n} DER lengths or tags changed`;
  },
  truncate: (b, r) => {
    const cut = 24 + Math.floor(r() * (b.length - 24));
    b.fill(0, cut);
    return `cut at byte ${cut}`;
  },
};

const CONTAINERS = ['none', 'gzip', 'zip', 'tar', 'tgz'] as const;
type Container = (typeof CONTAINERS)[number];

function wrap(container: Container, name: string, bytes: Buffer, extra: Buffer): Buffer {
  switch (container) {
    case 'none': return bytes;
    case 'gzip': return gzipSync(bytes);
    case 'zip': return zip([{ name, data: bytes }, { name: 'other.pcap', data: extra }]);
    case 'tar': return tar([{ name, data: bytes }, { name: 'other.pcap', data: extra }]);
    case 'tgz': return gzipSync(tar([{ name, data: bytes }, { name: 'other.pcap', data: extra }]));
  }
}

const EXT: Record<Container, string> = { none: 'pcap', gzip: 'pcap.gz', zip: 'zip', tar: 'tar', tgz: 'tgz' };

/**
 * One mutant of `original` (a classic pcap): a mutation of the capture, then perhaps a container
 * around it (gzip, zip, tar, tar.gz) whose own header bytes may be flipped or cut as well. `extra` is
 * a second, intact capture put in archives beside it: it must still be analyzed.
 */
export function mutate(original: Buffer, name: string, extra: Buffer, r: Random, containers: readonly Container[] = CONTAINERS): Mutant {
  const b = Buffer.from(original);
  const names = Object.keys(CAPTURE_MUTATIONS);
  let label: string | null = null;
  for (let tries = 0; label === null && tries < 5; tries++) {
    const m = pick(r, names);
    const done = CAPTURE_MUTATIONS[m](b, r);
    if (done !== null) label = `${m}: ${done}`;
  }
  const container = pick(r, containers);
  let bytes = wrap(container, name, b, extra);
  if (container !== 'none' && r() < 0.5) {
    // The container's own structure: its first header, or a cut inside it.
    if (r() < 0.6) {
      const span = Math.min(bytes.length, container === 'tar' ? 512 : 64);
      bytes = Buffer.from(bytes);
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) bytes[Math.floor(r() * span)] ^= 1 << Math.floor(r() * 8);
      label += `; ${container} header bits flipped`;
    } else {
      bytes = bytes.subarray(0, Math.floor(r() * bytes.length));
      label += `; ${container} cut at byte ${bytes.length}`;
    }
  }
  return { bytes, label: `${container}: ${label ?? 'unchanged'}`, ext: EXT[container] };
}
