// Production-size behaviour, at a size CI can afford: 20,000 short interleaved connections (real
// handshake recordings, re-addressed) analyzed under a heap cap in ndjson, json and text; the streamed
// output equal to what the whole-capture pipeline printed; groups and capped lists; tcp.stream order.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateConnections, type ConnectionsResult } from '../../scripts/gen-connections.js';
import { analyzeFile } from '../../src/analyze.js';
import { runJob } from '../../src/batch/job.js';
import type { JobSettings } from '../../src/batch/types.js';
import { DEFAULT_LIMITS } from '../../src/input/expansion.js';
import { OrderedSpool } from '../../src/report/ordered-spool.js';
import { TempFiles } from '../../src/report/temp.js';
import { CORPUS, ROOT, SAMPLES } from '../support/paths.js';

const CLI = path.join(ROOT, 'bin', 'tlsdiag.js');
/**
 * Old space the analysis may use: far below what 20,000 connections kept in memory would need (the
 * whole-capture pipeline took about 1 GB for 10,000), with room for what is bounded but not small:
 * 20,000 tombstones of closed conversations (about 8 MB once their records are final), up to 500
 * records settling, up to 500 groups of each kind with an example each, the order spool's 2 MiB per
 * channel, code and caches. The live set measures about 21 MB at the end of the 1 GB bench capture,
 * 35 MB on a capture of 20,000 servers.
 */
const HEAP_CAP_MB = 96;

function tlsdiag(args: readonly string[], heapMb?: number): { status: number | null; stdout: string; stderr: string } {
  const node = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`];
  const r = spawnSync(process.execPath, [...node, CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scale: 20,000 short connections, streamed', function () {
  this.timeout(600_000);
  let dir: string;
  let capture: string;
  let generated: ConnectionsResult;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-scale-'));
    capture = path.join(dir, 'many.pcap');
    generated = generateConnections({ out: capture, connections: 20_000, concurrency: 100, bulkEvery: 8, bulkBytes: 4096, seed: 7 });
    expect(generated.connections).to.equal(20_000);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`ndjson: every connection once, in tcp.stream order, under a ${HEAP_CAP_MB} MB heap`, () => {
    const r = tlsdiag([capture, '--format', 'ndjson'], HEAP_CAP_MB);
    expect(r.status, r.stderr).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; connection?: { stream: number; status: string } });
    expect(lines[0].kind).to.equal('capture');
    expect(lines[lines.length - 1].kind).to.equal('verdict');
    const streams = lines.filter((l) => l.kind === 'connection').map((l) => l.connection!.stream);
    expect(streams.length).to.equal(20_000);
    for (let i = 0; i < streams.length; i++) if (streams[i] !== i) expect.fail(`line ${i} is stream ${streams[i]}`);
    const failed = lines.filter((l) => l.kind === 'connection' && l.connection!.status === 'failed').length;
    expect(failed).to.equal(generated.failed);
  });

  it(`json: one document with every connection and the groups, under a ${HEAP_CAP_MB} MB heap`, () => {
    const r = tlsdiag([capture, '--format', 'json'], HEAP_CAP_MB);
    expect(r.status, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout) as {
      captures: { connections: { stream: number }[]; findings: { stream: number }[]; verdict: { failed: number; text: string }; groups: { groups: { count: number; streams: number[] }[] } }[];
    };
    const cap = doc.captures[0];
    expect(cap.connections.map((c) => c.stream)).to.deep.equal([...Array(20_000).keys()]);
    expect(cap.verdict.failed).to.equal(generated.failed);
    const findingStreams = cap.findings.map((f) => f.stream);
    expect(findingStreams).to.deep.equal([...findingStreams].sort((a, b) => a - b));
    // Each group counts its connections; the lists are capped, the counts are not.
    const grouped = cap.groups.groups.reduce((n, g) => n + g.count, 0);
    expect(grouped).to.equal(cap.findings.length);
    for (const g of cap.groups.groups) expect(g.streams.length).to.equal(Math.min(g.count, 50));
    // The verdict names groups, never thousands of streams.
    expect(cap.verdict.text.length).to.be.lessThan(600);
  });

  it(`text: a report a person reads, whatever the number of connections, under a ${HEAP_CAP_MB} MB heap`, () => {
    const r = tlsdiag([capture], HEAP_CAP_MB);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.length).to.be.lessThan(100_000);
    const lines = r.stdout.split('\n');
    expect(lines[1]).to.match(new RegExp(`^ {2}Verdict: ${generated.failed.toLocaleString('en-US')} of 20,000 TLS handshakes failed`));
    // At most about 200 characters a line, except quoted evidence and product messages.
    const long = lines.filter((l) => l.length > 200 && !/^ {6}(frame \d+:|[A-Za-z].*: )/.test(l));
    expect(long, long.join('\n')).to.deep.equal([]);
    // Stream lists are capped: no line names more than 50 stream numbers.
    for (const l of lines.filter((x) => /streams? \d/.test(x))) expect((l.match(/\b\d+\b/g) ?? []).length, l).to.be.at.most(60);
    expect(r.stdout).to.match(/The same in [\d,]+ more connections: streams [\d,\s]+, … \(first \d+ listed\)\./);
    expect(r.stdout).to.include('Established TLS connections:');
  });

  it(`a client-side capture (every connection to a server of its own) stays under the same heap in text and json`, () => {
    const many = path.join(dir, 'many-servers.pcap');
    const g = generateConnections({ out: many, connections: 8_000, concurrency: 100, failEvery: 2, bulkEvery: 0, seed: 3, distinctServers: true });
    expect(g.failed).to.equal(4_000);
    const text = tlsdiag([many], HEAP_CAP_MB);
    expect(text.status, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/Many servers: [\d,]+ findings, [\d,]+ healthy connections of servers past the first 500 groups are/);
    expect(text.stdout.length).to.be.lessThan(400_000);
    const json = tlsdiag([many, '--format', 'json'], HEAP_CAP_MB);
    expect(json.status, json.stderr).to.equal(0);
    const doc = JSON.parse(json.stdout) as { captures: { connections: unknown[]; groups: { groups: { server: string; count: number }[]; capped: { groups: number } | null } }[] };
    const cap = doc.captures[0];
    expect(cap.connections).to.have.length(8_000);
    expect(cap.groups.groups.length).to.be.at.most(601);
    const folded = cap.groups.groups.filter((x) => x.server === 'other servers').reduce((n, x) => n + x.count, 0);
    expect(cap.groups.capped?.groups).to.equal(folded);
  });
});

describe('scale: streamed output equals the whole-capture output it replaced', function () {
  this.timeout(300_000);
  const expected = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'before-streaming.json'), 'utf8')) as {
    captures: Record<string, { connections: number; connectionsSha256: string; findings: number; findingsSha256: string }>;
  };
  const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');
  const captures = [
    ...readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f)).map((f) => path.join(CORPUS, f)),
    ...readdirSync(SAMPLES).filter((f) => f.endsWith('.pcap')).map((f) => path.join(SAMPLES, f)),
  ];

  it('covers the corpus and the samples', () => {
    expect(captures.length).to.be.greaterThan(90);
    for (const file of captures) expect(expected.captures, path.basename(file)).to.have.property(path.basename(file));
  });

  it('--detail full: the same connections and findings, byte for byte, on every corpus capture and sample', async () => {
    // The command line's own path for one capture (runJob: the streaming analysis into a writer), in this process.
    const temp = new TempFiles();
    const settings: JobSettings = {
      rules: null,
      limits: DEFAULT_LIMITS,
      render: { format: 'json', detail: 'full', color: false, all: false, filters: {}, redact: false },
      tempDir: temp.dir,
      idleTimeoutSeconds: null,
    };
    const differ: string[] = [];
    try {
      for (const file of captures) {
        const want = expected.captures[path.basename(file)];
        const job = { name: file, size: statSync(file).size, source: { kind: 'file', path: file } as const, diskBytes: 0, notes: [] };
        const { part } = await runJob(job, settings, null, () => {});
        const cap = JSON.parse(readFileSync(part.path, 'utf8')) as { connections: { transport?: string }[]; findings: { transport?: string }[] };
        // The whole-capture pipeline read TCP only: UDP connections (DTLS, QUIC) came later.
        const tcp = <T extends { transport?: string }>(xs: T[]) => xs.filter((x) => x.transport === undefined);
        if (sha(tcp(cap.connections)) !== want.connectionsSha256 || sha(tcp(cap.findings)) !== want.findingsSha256) differ.push(path.basename(file));
      }
    } finally {
      temp.dispose();
    }
    expect(differ).to.deep.equal([]);
  });
});

describe('scale: the order spool', () => {
  it('puts records back in stream order, holding some in a temporary file past its memory budget', () => {
    const temp = new TempFiles();
    try {
      const out: string[] = [];
      const spool = new OrderedSpool((r) => out.push(r[0]), temp, 64);
      // Stream 0 is the long connection that finishes last.
      const order = [...Array(200).keys()].slice(1).reverse();
      for (const s of order) spool.add(s, [`record ${s} ${'x'.repeat(s % 7)}`]);
      expect(out).to.deep.equal([]);
      expect(spool.pending).to.equal(199);
      expect(spool.spilled).to.be.greaterThan(0);
      spool.add(0, ['record 0 ']);
      expect(out.map((r) => Number(r.split(' ')[1]))).to.deep.equal([...Array(200).keys()]);
      expect(out[13]).to.equal(`record 13 ${'x'.repeat(13 % 7)}`);
      spool.finish();
      // A continuation of a stream whose turn has passed is written at once.
      spool.add(5, ['late']);
      expect(out[out.length - 1]).to.equal('late');
      expect(readdirSync(temp.dir)).to.deep.equal([]);
    } finally {
      temp.dispose();
    }
  });

  it('removes the run\'s temporary directory when it is done', () => {
    const temp = new TempFiles();
    const dir = temp.dir;
    expect(statSync(dir).isDirectory()).to.equal(true);
    temp.dispose();
    expect(() => statSync(dir)).to.throw();
  });
});

describe('scale: a tcp.stream that goes on after its record was made final', () => {
  it('becomes a continuation record under the same stream index, with a note', async () => {
    // A 10 ms idle timeout closes the FTP control connection between its commands: each later
    // packet continues tcp.stream 0, as Wireshark numbers it.
    const r = await analyzeFile(path.join(SAMPLES, 'ftps-session-not-reused-522.pcap'), { idleTimeoutSeconds: 0.01 });
    const continued = r.connections.filter((c) => c.continuation === true);
    expect(continued.length).to.be.greaterThan(0);
    const first = new Set(r.connections.filter((c) => !c.continuation).map((c) => c.conversation.stream));
    for (const c of continued) expect(first.has(c.conversation.stream), `stream ${c.conversation.stream}`).to.equal(true);
    expect(r.problems.map((p) => p.code)).to.include('stream-continued');
    // With the default idle timeout the same capture has two records, streams 0 and 1.
    const plain = await analyzeFile(path.join(SAMPLES, 'ftps-session-not-reused-522.pcap'));
    expect(plain.connections.map((c) => [c.conversation.stream, c.continuation ?? false])).to.deep.equal([
      [0, false],
      [1, false],
    ]);
  });
});
