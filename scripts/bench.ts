/**
 * `npm run bench`: throughput and peak memory of each stage of the pipeline on one large generated
 * capture, the same capture through tshark and ssldump when they are installed, and a batch of small
 * captures with one and two jobs. It prints figures; it asserts nothing.
 *
 *   node dist/scripts/bench.js [--size 1G] [--batch 200] [--batch-size 2M] [--no-tools] [--no-batch]
 *
 * Generated captures are kept in os.tmpdir()/tlsdiag-bench/ between runs (delete it to regenerate).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, generateCapture } from './gen-capture.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const STAGE_SCRIPT = path.join(HERE, 'bench-stage.js');
const CLI = path.join(ROOT, 'bin', 'tlsdiag.js');
const STAGES = ['read', 'decode', 'reassembly', 'tls', 'whole'] as const;

interface Figures {
  readonly name: string;
  readonly seconds: number;
  /** Peak RSS in bytes, when known. */
  readonly peakRss: number | null;
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)$/i.exec(text);
  if (!m) throw new Error(`not a size: ${text} (e.g. 1G, 300M)`);
  return Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' '));
}

function which(tool: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/sbin', '/sbin'])) {
    const p = path.join(dir, tool);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Runs a command with its output discarded; wall time, and peak RSS through GNU time when it is there. */
function timed(name: string, command: string, args: readonly string[]): Figures {
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const started = process.hrtime.bigint();
  const r = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
    : spawnSync(command, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.error) throw r.error;
  const kb = gnuTime ? Number(/(\d+)\s*$/.exec(r.stderr?.toString() ?? '')?.[1]) : NaN;
  return { name, seconds, peakRss: Number.isFinite(kb) ? kb * 1024 : null };
}

function stage(name: string, file: string): Figures & { packets: number } {
  const r = spawnSync(process.execPath, [STAGE_SCRIPT, name, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`stage ${name} failed: ${r.stderr}`);
  const f = JSON.parse(r.stdout) as { seconds: number; packets: number; peakRss: number };
  return { name, seconds: f.seconds, packets: f.packets, peakRss: f.peakRss };
}

const mb = (bytes: number) => bytes / 1e6;

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

function ensureCapture(file: string, size: number): void {
  if (existsSync(file) && statSync(file).size >= size) return;
  process.stdout.write(`generating ${file} …\n`);
  const r = generateCapture({ size, out: file });
  process.stdout.write(`  ${mb(r.bytes).toFixed(0)} MB, ${r.packets} packets, ${r.conversations} conversations (${r.failed} failing)\n`);
}

function largeCapture(size: number, tools: boolean): void {
  const file = path.join(BENCH_DIR, `large-${size}.pcap`);
  ensureCapture(file, size);
  const bytes = statSync(file).size;
  process.stdout.write(`\nOne capture: ${file} (${mb(bytes).toFixed(0)} MB)\n`);
  const results: (Figures & { packets: number })[] = [];
  for (const s of STAGES) results.push(stage(s, file));
  const packets = results[0].packets;
  const widths = [34, 9, 9, 12, 14];
  process.stdout.write(row(['stage', 'seconds', 'MB/s', 'packets/s', 'peak RSS MB'], widths) + '\n');
  for (const r of results) {
    process.stdout.write(
      row([r.name, r.seconds.toFixed(2), mb(bytes / r.seconds).toFixed(1), (packets / r.seconds).toFixed(0), r.peakRss === null ? '?' : mb(r.peakRss).toFixed(0)], widths) + '\n',
    );
  }
  if (!tools) return;
  const whole = results[results.length - 1];
  const others: Figures[] = [];
  const tshark = which('tshark');
  if (tshark) others.push(timed('tshark -Y tls.handshake -T fields', tshark, ['-r', file, '-Y', 'tls.handshake', '-T', 'fields', '-e', 'frame.number', '-e', 'tls.handshake.type']));
  const ssldump = which('ssldump');
  if (ssldump) others.push(timed('ssldump -n -r', ssldump, ['-n', '-r', file]));
  if (others.length === 0) {
    process.stdout.write('(tshark and ssldump are not installed: no comparison)\n');
    return;
  }
  process.stdout.write('\nThe same capture through other tools (whole analysis = tlsdiag, last stage above)\n');
  process.stdout.write(row(['tool', 'seconds', 'MB/s', 'tlsdiag is', 'peak RSS MB'], widths) + '\n');
  for (const o of others) {
    const ratio = o.seconds / whole.seconds;
    process.stdout.write(
      row([o.name, o.seconds.toFixed(2), mb(bytes / o.seconds).toFixed(1), `${ratio >= 1 ? ratio.toFixed(2) + 'x faster' : (1 / ratio).toFixed(2) + 'x slower'}`, o.peakRss === null ? '?' : mb(o.peakRss).toFixed(0)], widths) + '\n',
    );
  }
}

function batch(count: number, size: number): void {
  const dir = path.join(BENCH_DIR, `batch-${count}x${size}`);
  mkdirSync(dir, { recursive: true });
  const have = new Set(readdirSync(dir));
  let made = 0;
  for (let i = 0; i < count; i++) {
    const name = `capture-${String(i).padStart(4, '0')}.pcap`;
    if (have.has(name)) continue;
    generateCapture({ size, out: path.join(dir, name), seed: i + 1, concurrency: 8, bytesPerConversation: Math.max(64 * 1024, Math.floor(size / 16)) });
    made++;
  }
  if (made > 0) process.stdout.write(`generated ${made} captures in ${dir}\n`);
  const bytes = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
  process.stdout.write(`\nA batch: ${count} captures of about ${mb(size).toFixed(1)} MB (${mb(bytes).toFixed(0)} MB), ${availableParallelism()} CPUs\n`);
  const widths = [34, 9, 9, 12, 14];
  process.stdout.write(row(['run', 'seconds', 'MB/s', 'speed-up', 'peak RSS MB'], widths) + '\n');
  let base: number | null = null;
  for (const jobs of [1, 2]) {
    const f = timed(`tlsdiag --jobs ${jobs}`, process.execPath, [CLI, dir, '--quiet', '--jobs', String(jobs), '--format', 'ndjson', '--output', '/dev/null']);
    base ??= f.seconds;
    process.stdout.write(row([f.name, f.seconds.toFixed(2), mb(bytes / f.seconds).toFixed(1), `${(base / f.seconds).toFixed(2)}x`, f.peakRss === null ? '?' : mb(f.peakRss).toFixed(0)], widths) + '\n');
  }
}

function cli(argv: string[]): void {
  let size = 1024 ** 3;
  let batchCount = 200;
  let batchSize = 2 * 1024 * 1024;
  let tools = true;
  let batches = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size') size = parseSize(argv[++i]);
    else if (a === '--batch') batchCount = Number(argv[++i]);
    else if (a === '--batch-size') batchSize = parseSize(argv[++i]);
    else if (a === '--no-tools') tools = false;
    else if (a === '--no-batch') batches = false;
    else throw new Error(`unknown argument ${a}`);
  }
  largeCapture(size, tools);
  if (batches) batch(batchCount, batchSize);
}

cli(process.argv.slice(2));
