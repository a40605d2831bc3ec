/**
 * The fuzz test of issue #14, in CI: fast-check draws (seeded) mutants of real captures (bit flips,
 * cuts, pcap record lengths, TCP sequence numbers, TLS record and handshake lengths, certificate DER)
 * inside gzip, zip, tar and tar.gz containers whose headers are mutated too, and asserts the contract:
 * no exception out of the analysis, an exit status of 0, 1 or 2 with no stack trace, bounded time,
 * and bounded memory (the command runs with a 256 MB heap: running out is exit 134, a failure).
 * `npm run fuzz` runs the same mutations for longer and saves what fails.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import fc from 'fast-check';
import { analyzeStream } from '../../src/analyze.js';
import { runLimited } from '../support/cli.js';
import { CORPUS, SAMPLES } from '../support/paths.js';
import { mutate, rng } from './mutators.js';

const FILES = [
  path.join(CORPUS, 'tls1.2.pcap'),
  path.join(CORPUS, 'client-certificate.pcap'),
  path.join(CORPUS, 'smtp-starttls.pcap'),
  path.join(CORPUS, 'hrr.pcap'),
  path.join(SAMPLES, 'vsftpd-zos-auth-tls-empty-ca-list.pcap'),
  path.join(SAMPLES, 'ftps-session-reused.pcap'),
];
const STACK = /^\s+at .+:\d+:\d+\)?$|ERR_[A-Z_]+|internal error/m;

describe('fuzz: mutated real captures keep the contract (issue #14)', function () {
  this.timeout(600_000);
  const originals = FILES.map((f) => readFileSync(f));
  const extra = readFileSync(path.join(CORPUS, 'tls-1.2-handshake-failure.pcap'));
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-fuzz-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('in the library: 150 mutants (plain and gzip) resolve, in bounded time, with every event on a real frame', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: FILES.length - 1 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (i, seed) => {
        const m = mutate(originals[i], path.basename(FILES[i]), extra, rng(seed), ['none', 'gzip']);
        const t0 = Date.now();
        const r = await analyzeStream(Readable.from([m.bytes]), `${path.basename(FILES[i])}#${seed}`);
        expect(Date.now() - t0, m.label).to.be.below(10_000);
        if (r.error !== null) expect(r.error.message, m.label).to.match(/\S/);
        for (const c of r.connections) for (const e of c.transcript.events) expect(e.frame, m.label).to.be.within(1, r.info!.packets);
      }),
      { seed: 20261204, numRuns: 150 },
    );
  });

  it('through the command line: 12 mutants in every container exit 0, 1 or 2, one line per problem, no stack, in a 256 MB heap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: FILES.length - 1 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom('1', '2'), async (i, seed, jobs) => {
        const m = mutate(originals[i], path.basename(FILES[i]), extra, rng(seed));
        const file = path.join(dir, `mutant-${seed}.${m.ext}`);
        writeFileSync(file, m.bytes);
        const good = path.join(dir, 'good.pcap');
        writeFileSync(good, extra);
        const r = await runLimited(['--jobs', jobs, '--format', 'json', '-o', path.join(dir, 'out.json'), file, good], 60_000);
        const what = `${m.label} (seed ${seed}, --jobs ${jobs}): ${r.stderr}`;
        expect(r.signal, what).to.equal(null);
        expect([0, 1, 2], what).to.include(r.status);
        expect(r.stderr, what).not.to.match(STACK);
        const doc = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')) as { captures: { file: string; error: unknown }[] };
        expect(doc.captures.find((c) => c.file.endsWith('good.pcap'))?.error, what).to.equal(null);
      }),
      { seed: 14, numRuns: 12 },
    );
  });
});
