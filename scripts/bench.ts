/**
 * `npm run bench`: how fast, and in how much memory, tlsdiag analyzes the captures users bring: many
 * short TLS connections, a hundred open at once, a fifth failing (scripts/gen-connections.ts). It
 * prints figures; it asserts nothing.
 *
 *   node dist/scripts/bench.js [--size 1G] [--connections N] [--concurrency 100] [--seed 1]
 *       [--formats text,json,ndjson,markdown,html,trace] [--scale 300M,1G[,4G]] [--timeout 300]
 *       [--no-tools] [--no-scale] [--no-servers] [--no-batch] [--batch 200] [--batch-size 2M] [--long]
 *
 * 1. One capture of --size: each pipeline stage (bench-stage.ts, a process each, so that its peak
 *    RSS is its own), then the whole analysis through the CLI, once per report format.
 * 2. The same capture through tshark and ssldump, when they are installed.
 * 3. Scaling: the whole analysis (NDJSON) on captures of each --scale size, with connections in
 *    proportion (20,000 per GiB): time per MB and peak RSS should stay flat.
 * 4. A client-side capture: 20,000 connections, each to a server of its own, half failing (the
 *    report's groups are per server, so memory must follow their caps, not the servers).
 * 5. A batch of small captures with --jobs 1 and 2; with --long, also the older capture of few long
 *    connections (scripts/gen-capture.ts, from the shared corpus).
 *
 * Every subprocess has a time limit (--timeout seconds, killed with its children) and a crash is a
 * figure too: the run goes on. Peak RSS comes from GNU time (/usr/bin/time) when it is installed,
 * else from polling /proc (marked ~), else it is unknown.
 *
 * Generated captures are kept in os.tmpdir()/tlsdiag-bench/ between runs (delete it to regenerate).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, CORPUS_SOURCE, generateCapture } from './gen-capture.js';
import { GENERATOR_VERSION, describeConnections, generateConnections, parseSize, type ConnectionsResult } from './gen-connections.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const STAGE_SCRIPT = path.join(HERE, 'bench-stage.js');
const CLI = path.join(ROOT, 'bin', 'tlsdiag.js');
const STAGES = ['read', 'decode', 'reassembly', 'tls'] as const;
const FORMATS = ['text', 'json', 'ndjson', 'markdown', 'html', 'trace'] as const;
const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/time' : null;

interface Options {
  size: number;
  connections: number | undefined;
  concurrency: number;
  seed: number;
  formats: string[];
  scale: number[];
  timeout: number;
  tools: boolean;
  batch: boolean;
  servers: boolean;
  batchCount: number;
  batchSize: number;
  long: boolean;
}

/** How one subprocess went. */
interface Run {
  readonly seconds: number;
  /** Peak RSS in bytes, null when unknown. */
  readonly peakRss: number | null;
  /** True when the peak RSS was sampled from /proc rather than reported by the kernel at exit. */
  readonly sampled: boolean;
  readonly ok: boolean;
  /** 'ok', 'exit 2', 'killed (SIGABRT)', 'timed out after 300 s', with the first telling line of standard error. */
  readonly status: string;
  readonly stdout: string;
}

const mb = (bytes: number) => bytes / 1e6;

function which(tool: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/sbin', '/sbin'])) {
    const p = path.join(dir, tool);
    if (existsSync(p)) return p;
  }
  return null;
}

/** VmHWM of a live process (Linux), in bytes. */
function highWaterMark(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The end of a file: a crash or a flood of warnings can write far more than anyone reads. */
function tail(file: string, bytes: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, bytes));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The line of standard error that says why a run failed (a crash prints a lot). */
function tellingLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !/^(Command (exited|terminated)|\d+$)/.test(l));
  const fatal = lines.find((l) => /FATAL ERROR|out of memory|heap|RangeError|Error:/i.test(l));
  return (fatal ?? lines[0] ?? '').slice(0, 160);
}

/**
 * Runs a command in a process group of its own with a time limit (the whole group is killed at
 * the limit, so nothing it started lingers), standard output discarded unless `capture`.
 */
function run(command: string, args: readonly string[], timeoutSeconds: number, capture = false): Promise<Run> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const stderrFile = path.join(BENCH_DIR, `.stderr-${process.pid}`);
  const rssFile = path.join(BENCH_DIR, `.rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const err = openSync(stderrFile, 'w');
  const argv = GNU_TIME ? ['-f', '%M', '-o', rssFile, command, ...args] : [...args];
  const started = process.hrtime.bigint();
  const child = spawn(GNU_TIME ?? command, argv, { stdio: ['ignore', capture ? 'pipe' : 'ignore', err], detached: true });
  closeSync(err);
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  let timedOut = false;
  let sampled: number | null = null;
  const poll = GNU_TIME
    ? null
    : setInterval(() => {
        const hwm = child.pid === undefined ? null : highWaterMark(child.pid);
        if (hwm !== null) sampled = Math.max(sampled ?? 0, hwm);
      }, 50);
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, timeoutSeconds * 1000);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ seconds: 0, peakRss: null, sampled: false, ok: false, status: `could not start: ${e.message}`, stdout: '' });
    });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const stderr = tail(stderrFile, 64 * 1024);
      rmSync(stderrFile, { force: true });
      let peakRss: number | null = sampled;
      // GNU time reports the child's fate itself; its own exit status only mirrors it.
      let fate = code === 0 ? 'ok' : signal ? `killed (${signal})` : `exit ${code}`;
      if (GNU_TIME && existsSync(rssFile)) {
        const text = readFileSync(rssFile, 'utf8');
        rmSync(rssFile, { force: true });
        const kb = Number(/(\d+)\s*$/.exec(text)?.[1]);
        peakRss = Number.isFinite(kb) ? kb * 1024 : null;
        const sig = /terminated by signal (\d+)/.exec(text);
        const exit = /non-zero status (\d+)/.exec(text);
        if (sig) fate = `killed (signal ${sig[1]}${Number(sig[1]) === 6 ? ', SIGABRT' : Number(sig[1]) === 9 ? ', SIGKILL' : ''})`;
        else if (exit) fate = `exit ${exit[1]}`;
      }
      if (timedOut) fate = `timed out after ${timeoutSeconds} s`;
      // Without --fail-on tlsdiag exits 0 whenever it finished; 1 is then Node's own (a module that failed to load).
      const ok = !timedOut && code === 0;
      const why = ok || timedOut ? '' : tellingLine(stderr);
      resolve({ seconds, peakRss, sampled: !GNU_TIME && peakRss !== null, ok, status: why ? `${fate}: ${why}` : fate, stdout });
    });
  });
}

/** A table row: the first column left-aligned, numbers right-aligned, a last cell without a width (the status) as it is. */
function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i >= widths.length ? c : i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
}

function rss(r: Run): string {
  if (r.peakRss === null) return '?';
  return `${r.sampled ? '~' : ''}${mb(r.peakRss).toFixed(0)}`;
}

function rate(n: number, seconds: number, digits = 0): string {
  return seconds > 0 ? (n / seconds).toFixed(digits) : '-';
}

function sizeName(bytes: number): string {
  for (const [unit, factor] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/** A capture of many connections, kept between runs with what the generator said about it. */
function manyConnections(size: number, o: Options, connections = o.connections): { file: string; info: ConnectionsResult } {
  mkdirSync(BENCH_DIR, { recursive: true });
  const name = `connections-${sizeName(size)}-${connections ?? 'auto'}c-${o.concurrency}open-seed${o.seed}-v${GENERATOR_VERSION}`;
  const file = path.join(BENCH_DIR, `${name}.pcap`);
  const sidecar = path.join(BENCH_DIR, `${name}.json`);
  if (existsSync(file) && existsSync(sidecar)) {
    const info = JSON.parse(readFileSync(sidecar, 'utf8')) as ConnectionsResult;
    if (info.bytes === statSync(file).size) return { file, info };
  }
  process.stdout.write(`generating ${file} …\n`);
  const started = process.hrtime.bigint();
  const info = generateConnections({ out: file, size, connections, concurrency: o.concurrency, seed: o.seed });
  writeFileSync(sidecar, JSON.stringify(info, null, 2) + '\n');
  process.stdout.write(describeConnections(info) + `  generated in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`);
  return { file, info };
}

async function stage(name: string, file: string, o: Options): Promise<Run & { packets: number | null; connections: number | null }> {
  const r = await run(process.execPath, [STAGE_SCRIPT, name, file], o.timeout, true);
  if (!r.ok) return { ...r, packets: null, connections: null };
  const f = JSON.parse(r.stdout) as { seconds: number; packets: number; connections: number | null; peakRss: number };
  // The stage's own clock leaves out Node's start-up; its own maxRSS is exact whatever time does.
  return { ...r, seconds: f.seconds, peakRss: f.peakRss, sampled: false, packets: f.packets, connections: f.connections };
}

function cliRun(file: string, format: string, o: Options): Promise<Run> {
  return run(process.execPath, [CLI, file, '--format', format], o.timeout);
}

const STAGE_TITLES: Record<string, string> = {
  read: 'read (frames only)',
  decode: '+ link/IP/TCP decode',
  reassembly: '+ TCP reassembly',
  tls: '+ TLS records, transcripts',
};

async function mainCapture(o: Options): Promise<Map<string, Run>> {
  const { file, info } = manyConnections(o.size, o);
  const bytes = info.bytes;
  process.stdout.write(
    `\n== Many connections: ${path.basename(file)}\n` +
      `   ${mb(bytes).toFixed(0)} MB, ${info.packets} packets, ${info.connections} TLS connections (${info.failed} failing), up to ${info.maxOpen} open at once\n\n`,
  );
  const widths = [32, 8, 8, 10, 10, 11];
  process.stdout.write(row(['stage', 'seconds', 'MB/s', 'packets/s', 'conns/s', 'peak RSS MB', 'status'], widths) + '\n');
  const line = (name: string, r: Run) =>
    process.stdout.write(
      row(
        [name, r.seconds.toFixed(2), r.ok ? rate(mb(bytes), r.seconds, 1) : '-', r.ok ? rate(info.packets, r.seconds) : '-', r.ok ? rate(info.connections, r.seconds) : '-', rss(r), r.status],
        widths,
      ) + '\n',
    );
  for (const s of STAGES) {
    const r = await stage(s, file, o);
    line(STAGE_TITLES[s], r);
    if (r.ok && r.packets !== info.packets) process.stdout.write(`   (the stage saw ${r.packets} packets, the generator wrote ${info.packets})\n`);
  }
  const whole = new Map<string, Run>();
  for (const f of o.formats) {
    const r = await cliRun(file, f, o);
    whole.set(f, r);
    line(`whole: tlsdiag --format ${f}`, r);
  }
  if (o.tools) await tools(file, bytes, whole, o);
  return whole;
}

async function tools(file: string, bytes: number, whole: Map<string, Run>, o: Options): Promise<void> {
  const others: { name: string; run: Run }[] = [];
  const tshark = which('tshark');
  if (tshark) others.push({ name: 'tshark -Y tls.handshake -T fields', run: await run(tshark, ['-r', file, '-Y', 'tls.handshake', '-T', 'fields', '-e', 'frame.number', '-e', 'tls.handshake.type'], o.timeout) });
  const ssldump = which('ssldump');
  if (ssldump) others.push({ name: 'ssldump -n -r', run: await run(ssldump, ['-n', '-r', file], o.timeout) });
  if (others.length === 0) {
    process.stdout.write('\n(neither tshark nor ssldump is installed: no comparison)\n');
    return;
  }
  const base = [...whole.entries()].find(([f, r]) => f === 'ndjson' && r.ok) ?? [...whole.entries()].find(([, r]) => r.ok);
  process.stdout.write(`\n== The same capture through other tools${base ? ` (ratio: tlsdiag --format ${base[0]}, ${base[1].seconds.toFixed(2)} s)` : ''}\n\n`);
  const widths = [34, 8, 8, 18, 11];
  process.stdout.write(row(['tool', 'seconds', 'MB/s', 'tlsdiag is', 'peak RSS MB', 'status'], widths) + '\n');
  for (const { name, run: r } of others) {
    let ratio = '-';
    if (base && r.ok) {
      const x = r.seconds / base[1].seconds;
      ratio = x >= 1 ? `${x.toFixed(2)}x faster` : `${(1 / x).toFixed(2)}x slower`;
    }
    process.stdout.write(row([name, r.seconds.toFixed(2), r.ok ? rate(mb(bytes), r.seconds, 1) : '-', ratio, rss(r), r.status], widths) + '\n');
  }
}

async function scaling(o: Options, fromMain: Map<string, Run>): Promise<void> {
  // Connections always follow the size here (--connections only shapes the main capture).
  const captures = o.scale.map((size) => ({ size, ...manyConnections(size, o, undefined) }));
  process.stdout.write('\n== Scaling: whole analysis, tlsdiag --format ndjson, 20,000 connections per GiB\n\n');
  const widths = [6, 9, 11, 9, 9, 8, 11];
  process.stdout.write(row(['size', 'MB', 'connections', 'seconds', 'ms/MB', 'MB/s', 'peak RSS MB', 'status'], widths) + '\n');
  for (const { size, file, info } of captures) {
    const reuse = size === o.size && o.connections === undefined ? fromMain.get('ndjson') : undefined;
    const r = reuse ?? (await cliRun(file, 'ndjson', o));
    const megabytes = mb(info.bytes);
    process.stdout.write(
      row(
        [sizeName(size), megabytes.toFixed(0), String(info.connections), r.seconds.toFixed(2), r.ok ? ((r.seconds * 1000) / megabytes).toFixed(2) : '-', r.ok ? rate(megabytes, r.seconds, 1) : '-', rss(r), r.status + (reuse ? ' (the run above)' : '')],
        widths,
      ) + '\n',
    );
  }
}

/** Many servers: a capture taken at a client, an egress point or a scanner. */
async function manyServers(o: Options): Promise<void> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const connections = 20_000;
  const file = path.join(BENCH_DIR, `servers-${connections}-seed${o.seed}-v${GENERATOR_VERSION}.pcap`);
  const sidecar = file.replace(/\.pcap$/, '.json');
  let info: ConnectionsResult;
  if (existsSync(file) && existsSync(sidecar) && (JSON.parse(readFileSync(sidecar, 'utf8')) as ConnectionsResult).bytes === statSync(file).size) {
    info = JSON.parse(readFileSync(sidecar, 'utf8')) as ConnectionsResult;
  } else {
    info = generateConnections({ out: file, connections, concurrency: o.concurrency, seed: o.seed, failEvery: 2, bulkEvery: 0, distinctServers: true });
    writeFileSync(sidecar, JSON.stringify(info, null, 2) + '\n');
  }
  process.stdout.write(`\n== Many servers: ${connections.toLocaleString('en-US')} connections, each to a server of its own, ${info.failed.toLocaleString('en-US')} failing (${mb(info.bytes).toFixed(0)} MB)\n\n`);
  const widths = [10, 8, 11, 11];
  process.stdout.write(row(['format', 'seconds', 'conns/s', 'peak RSS MB', 'status'], widths) + '\n');
  for (const format of ['text', 'json']) {
    const r = await cliRun(file, format, o);
    process.stdout.write(row([format, r.seconds.toFixed(2), r.ok ? rate(connections, r.seconds) : '-', rss(r), r.status], widths) + '\n');
  }
}

async function batch(o: Options): Promise<void> {
  const dir = path.join(BENCH_DIR, `batch-${o.batchCount}x${sizeName(o.batchSize)}-v${GENERATOR_VERSION}`);
  mkdirSync(dir, { recursive: true });
  const have = new Set(readdirSync(dir));
  let made = 0;
  for (let i = 0; i < o.batchCount; i++) {
    const name = `capture-${String(i).padStart(4, '0')}.pcap`;
    if (have.has(name)) continue;
    generateConnections({ size: o.batchSize, out: path.join(dir, name), seed: i + 1 });
    made++;
  }
  if (made > 0) process.stdout.write(`\ngenerated ${made} captures in ${dir}\n`);
  const bytes = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
  process.stdout.write(`\n== A batch: ${o.batchCount} captures of about ${mb(o.batchSize).toFixed(1)} MB (${mb(bytes).toFixed(0)} MB), ${availableParallelism()} CPUs\n\n`);
  const widths = [24, 8, 8, 9, 11];
  process.stdout.write(row(['run', 'seconds', 'MB/s', 'speed-up', 'peak RSS MB', 'status'], widths) + '\n');
  let base: number | null = null;
  for (const jobs of [1, 2]) {
    const r = await run(process.execPath, [CLI, dir, '--quiet', '--jobs', String(jobs), '--format', 'ndjson'], o.timeout);
    if (r.ok) base ??= r.seconds;
    process.stdout.write(row([`tlsdiag --jobs ${jobs}`, r.seconds.toFixed(2), r.ok ? rate(mb(bytes), r.seconds, 1) : '-', r.ok && base ? `${(base / r.seconds).toFixed(2)}x` : '-', rss(r), r.status], widths) + '\n');
  }
}

/** The older capture: few long TLS 1.2 connections, bulk data dominating. */
async function longConnections(o: Options): Promise<void> {
  if (!existsSync(CORPUS_SOURCE)) {
    process.stdout.write(`\n(--long: ${CORPUS_SOURCE} is not there: skipped)\n`);
    return;
  }
  const file = path.join(BENCH_DIR, `large-${o.size}.pcap`);
  if (!(existsSync(file) && statSync(file).size >= o.size)) {
    process.stdout.write(`generating ${file} …\n`);
    generateCapture({ size: o.size, out: file });
  }
  const bytes = statSync(file).size;
  process.stdout.write(`\n== Few long connections (the older capture): ${path.basename(file)}, ${mb(bytes).toFixed(0)} MB\n\n`);
  const widths = [32, 8, 8, 11];
  process.stdout.write(row(['stage', 'seconds', 'MB/s', 'peak RSS MB', 'status'], widths) + '\n');
  const read = await stage('read', file, o);
  process.stdout.write(row([STAGE_TITLES.read, read.seconds.toFixed(2), read.ok ? rate(mb(bytes), read.seconds, 1) : '-', rss(read), read.status], widths) + '\n');
  const whole = await cliRun(file, 'ndjson', o);
  process.stdout.write(row(['whole: tlsdiag --format ndjson', whole.seconds.toFixed(2), whole.ok ? rate(mb(bytes), whole.seconds, 1) : '-', rss(whole), whole.status], widths) + '\n');
}

function toolVersion(tool: string, args: string[]): string | null {
  const p = which(tool);
  if (!p) return null;
  const r = spawnSync(p, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n').find((l) => l.trim())?.trim() ?? tool;
}

function parse(argv: string[]): Options {
  const o: Options = {
    size: 1024 ** 3,
    connections: undefined,
    concurrency: 100,
    seed: 1,
    formats: [...FORMATS],
    scale: [300 * 1024 ** 2, 1024 ** 3],
    timeout: 300,
    tools: true,
    batch: true,
    servers: true,
    batchCount: 200,
    batchSize: 2 * 1024 * 1024,
    long: false,
  };
  const value = (i: number) => {
    if (argv[i] === undefined) throw new Error(`${argv[i - 1]} wants a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size') o.size = parseSize(value(++i));
    else if (a === '--connections') o.connections = Number(value(++i));
    else if (a === '--concurrency') o.concurrency = Number(value(++i));
    else if (a === '--seed') o.seed = Number(value(++i));
    else if (a === '--formats') o.formats = value(++i).split(',').filter(Boolean);
    else if (a === '--scale') o.scale = value(++i).split(',').filter(Boolean).map(parseSize);
    else if (a === '--no-scale') o.scale = [];
    else if (a === '--timeout') o.timeout = Number(value(++i));
    else if (a === '--no-tools') o.tools = false;
    else if (a === '--no-batch') o.batch = false;
    else if (a === '--no-servers') o.servers = false;
    else if (a === '--batch') o.batchCount = Number(value(++i));
    else if (a === '--batch-size') o.batchSize = parseSize(value(++i));
    else if (a === '--long') o.long = true;
    else throw new Error(`unknown argument ${a} (see the top of scripts/bench.ts)`);
  }
  for (const f of o.formats) if (!(FORMATS as readonly string[]).includes(f)) throw new Error(`--formats: no format ${f} (${FORMATS.join(', ')})`);
  return o;
}

async function cli(argv: string[]): Promise<void> {
  const o = parse(argv);
  const versions = [`node ${process.version}`, toolVersion('tshark', ['--version']), toolVersion('ssldump', ['-v'])].filter((v): v is string => v !== null);
  process.stdout.write(
    `tlsdiag bench: ${availableParallelism()} CPUs, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB of memory; ${versions.join('; ')}\n` +
      `peak RSS: ${GNU_TIME ? 'GNU time (%M)' : 'sampled from /proc (~), GNU time is not installed'}; time limit ${o.timeout} s per run\n`,
  );
  const whole = await mainCapture(o);
  if (o.scale.length > 0) await scaling(o, whole);
  if (o.servers) await manyServers(o);
  if (o.batch) await batch(o);
  if (o.long) await longConnections(o);
}

try {
  await cli(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
