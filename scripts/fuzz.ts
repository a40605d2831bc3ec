/**
 * `npm run fuzz -- [--seed N] [--runs N] [--out DIR] [--timeout SECONDS]`: the mutation fuzzing of
 * issue #14, longer than the CI test. Each run mutates a capture of the corpus or samples/ (the same
 * mutators as test/robustness/fuzz.test.ts), runs tlsdiag on it beside an intact capture, with a
 * 256 MB heap and a time limit, and checks the contract: exit 0, 1 or 2, no stack trace or internal
 * error on standard error, the intact capture analyzed. A failing input is saved in DIR (default
 * fuzz-failures/) with the command that reproduces it; the run is reproducible from its seed.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mutate, rng } from '../test/robustness/mutators.js';
import { runLimited } from '../test/support/cli.js';
import { CORPUS, ROOT, SAMPLES } from '../test/support/paths.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const seed = Number(option('--seed', String(Date.now() % 2 ** 31)));
const runs = Number(option('--runs', '200'));
const out = path.resolve(option('--out', path.join(ROOT, 'fuzz-failures')));
const timeoutMs = Number(option('--timeout', '60')) * 1000;
const STACK = /^\s+at .+:\d+:\d+\)?$|ERR_[A-Z_]+|internal error/m;

const files = [
  ...readdirSync(CORPUS).filter((f) => f.endsWith('.pcap')).map((f) => path.join(CORPUS, f)),
  ...readdirSync(SAMPLES).filter((f) => f.endsWith('.pcap')).map((f) => path.join(SAMPLES, f)),
].filter((f) => readFileSync(f).readUInt32LE(0) === 0xa1b2c3d4);
const intact = readFileSync(path.join(CORPUS, 'tls-1.2-handshake-failure.pcap'));
const work = mkdtempSync(path.join(tmpdir(), 'tlsdiag-fuzz-'));
const good = path.join(work, 'good.pcap');
writeFileSync(good, intact);

console.log(`tlsdiag fuzz: seed ${seed}, ${runs} runs over ${files.length} captures; failures go to ${out}`);
const pickFile = rng(seed);
let failures = 0;
for (let n = 0; n < runs; n++) {
  const file = files[Math.floor(pickFile() * files.length)];
  const runSeed = (seed + n * 7919) >>> 0;
  const m = mutate(readFileSync(file), path.basename(file), intact, rng(runSeed));
  const input = path.join(work, `mutant.${m.ext}`);
  writeFileSync(input, m.bytes);
  const jobs = n % 2 === 0 ? '1' : '2';
  const format = ['text', 'json', 'markdown', 'html', 'ndjson', 'trace'][n % 6];
  const report = path.join(work, 'report.out');
  const r = await runLimited(['--jobs', jobs, '--format', format, '-o', report, input, good], timeoutMs);
  const problems: string[] = [];
  if (r.signal !== null) problems.push(`killed by ${r.signal} after ${r.ms} ms (time limit ${timeoutMs} ms)`);
  else if (r.status === null || ![0, 1, 2].includes(r.status)) problems.push(`exit status ${r.status}${r.status === 134 ? ' (out of memory)' : ''}`);
  if (STACK.test(r.stderr)) problems.push('a stack trace or internal error on standard error');
  if (format === 'json' && r.status !== null && r.status <= 2 && r.signal === null) {
    try {
      const doc = JSON.parse(readFileSync(report, 'utf8')) as { captures: { file: string; error: unknown }[] };
      if (doc.captures.find((c) => c.file.endsWith('good.pcap'))?.error !== null) problems.push('the intact capture beside it was not analyzed');
    } catch (e) {
      problems.push(`the JSON report does not parse: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) {
    failures++;
    mkdirSync(out, { recursive: true });
    const saved = path.join(out, `${runSeed}-${path.basename(file, '.pcap')}.${m.ext}`);
    writeFileSync(saved, m.bytes);
    writeFileSync(path.join(out, 'good.pcap'), intact);
    console.log(`FAIL run ${n} (${m.label}): ${problems.join('; ')}`);
    console.log(`  reproduce: node ${path.relative(process.cwd(), path.join(ROOT, 'bin', 'tlsdiag.js'))} --jobs ${jobs} --format ${format} ${saved} ${path.join(out, 'good.pcap')}`);
    console.log(`  stderr: ${r.stderr.trim().split('\n').slice(0, 6).join('\n          ')}`);
  } else if ((n + 1) % 25 === 0) {
    console.log(`${n + 1} runs, ${failures} failing`);
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`done: ${runs} runs, ${failures} failing (seed ${seed})`);
process.exitCode = failures > 0 ? 1 : 0;
