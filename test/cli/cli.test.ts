// The command line as a user runs it (node bin/tlsdiag.js): exit statuses, one line per bad input
// and never a stack trace, the same output whatever --jobs, and a JSON report that keeps its schema.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import { CORPUS, ROOT } from '../support/paths.js';
import { capture, tar, zip } from '../batch/builders.js';

const BIN = path.join(ROOT, 'bin', 'tlsdiag.js');
const TLS12 = path.join(CORPUS, 'tls1.2.pcap');
const FAILURE = path.join(CORPUS, 'tls-1.2-handshake-failure.pcap');

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function tlsdiag(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const status = err ? ((err as { code?: number }).code ?? -1) : 0;
      resolve({ status: typeof status === 'number' ? status : -1, stdout, stderr });
    });
  });
}

/** What a stack trace looks like on stderr. */
const STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$|Error: .*\n\s+at /m;

describe('cli: tlsdiag analyze', function () {
  this.timeout(60_000);
  let dir: string;
  let bad: string;
  /** Where reports and captures of the output tests go: never one of the inputs above. */
  let outside: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-cli-'));
    outside = mkdtempSync(path.join(tmpdir(), 'tlsdiag-cli-out-'));
    bad = path.join(dir, 'bad');
    mkdirSync(bad);
    const tls = capture('tls1.2.pcap');
    const failing = capture('tls-1.2-handshake-failure.pcap');
    writeFileSync(path.join(bad, 'a.pcap'), tls);
    writeFileSync(path.join(bad, 'cut-header.pcap'), tls.subarray(0, 20));
    writeFileSync(path.join(bad, 'empty.pcap'), Buffer.alloc(0));
    writeFileSync(path.join(bad, 'notes.txt'), 'not a capture');
    writeFileSync(
      path.join(bad, 'b.zip'),
      zip([
        { name: '../../escape.pcap', data: failing },
        { name: 'bomb.pcap', data: Buffer.concat([tls.subarray(0, 24), Buffer.alloc(4 << 20)]) },
        { name: 'secret.pcap', data: tls, encrypted: true },
        { name: 'broken.pcap', data: tls, compressed: Buffer.from('this is not deflate data at all, not at all') },
        { name: 'ok.pcap', data: failing },
      ]),
    );
    const tgz = gzipSync(tar([{ name: 'c.pcap', data: failing }, { name: 'd.pcap', data: tls }]));
    writeFileSync(path.join(bad, 'cut.tgz'), tgz.subarray(0, tgz.length - 3000));
    writeFileSync(path.join(dir, 'c.tar'), tar([{ name: 'x.pcap', data: failing }, { name: 'y.pcap', data: tls }]));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('exits 0 when every input is analyzed, and says nothing on stderr', async () => {
    const r = await tlsdiag(TLS12);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/Verdict: 1 TLS handshake \(1 established\)/);
    expect(r.stderr).to.equal('');
  });

  it('exits 1 for a finding at or above --fail-on, 0 below it', async () => {
    expect((await tlsdiag(FAILURE, '--fail-on', 'error')).status).to.equal(1);
    expect((await tlsdiag(TLS12, '--fail-on', 'error')).status).to.equal(0);
  });

  it('exits 2 for a file that is no capture, with one line and no stack trace', async () => {
    const notes = path.join(bad, 'notes.txt');
    const r = await tlsdiag(notes, TLS12);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal(`${notes}: not a capture file (unknown magic 0x6e6f7420 at byte 0)\n`);
    expect(r.stdout).to.match(/tls1\.2\.pcap/);
  });

  it('exits 2 for a usage error, with a hint and no stack trace', async () => {
    for (const args of [['--no-such-option', TLS12], ['--jobs', '0', TLS12], ['--max-decompressed', 'lots', TLS12], ['--format', 'xml', TLS12], []]) {
      const r = await tlsdiag(...args);
      expect(r.status, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(/^tlsdiag: [^]+\nRun 'tlsdiag --help' for usage\.\n$/);
      expect(r.stderr).not.to.match(STACK);
    }
  });

  it('goes on past every unreadable input: one line each on stderr, exit 2, never a stack trace', async () => {
    const r = await tlsdiag(bad, '--jobs', '2');
    expect(r.status).to.equal(2);
    expect(r.stderr).not.to.match(STACK);
    const lines = r.stderr.trimEnd().split('\n').map((l) => l.replace(bad + path.sep, ''));
    expect(lines).to.have.length(9);
    const expected: (string | RegExp)[] = [
      'b.zip!escape.pcap: warning: member name "../../escape.pcap" has ".." segments: shown as "escape.pcap", never used as a path',
      'b.zip!bomb.pcap: decompression stopped: 1.1 MiB out of 1.1 KiB compressed is more than 200:1 (--max-ratio); this looks like a decompression bomb',
      'b.zip!secret.pcap: it is encrypted (not supported: extract it with its password)',
      /^b\.zip!broken\.pcap: corrupt deflate data at its start \(.+\)$/,
      'cut-header.pcap: truncated pcap file header (24 bytes needed, 20 present)',
      /^cut\.tgz!d\.pcap: read error: gzip data ends early \(unexpected end of file\) after frame \d+, at byte \d+$/,
      'cut.tgz: gzip data ends early (unexpected end of file): the rest of the archive is not read',
      'empty.pcap: skipped (empty file)',
      'notes.txt: skipped (not a capture)',
    ];
    expected.forEach((e, i) => (typeof e === 'string' ? expect(lines[i]).to.equal(e) : expect(lines[i]).to.match(e)));
    // The good captures are all in the report, with the summary.
    expect(r.stdout).to.match(/b\.zip!escape\.pcap\n/);
    expect(r.stdout).to.match(/b\.zip!ok\.pcap\n/);
    expect(r.stdout).to.match(/cut\.tgz!c\.pcap\n/);
    expect(r.stdout).to.match(/\nSummary\n/);
    expect(r.stdout).to.match(/Failing servers/);
  });

  it('keeps errors but drops skipped files and warnings with --quiet', async () => {
    const r = await tlsdiag(bad, '--quiet');
    expect(r.status).to.equal(2);
    expect(r.stderr).not.to.match(/skipped|warning/);
    expect(r.stderr).to.match(/cut-header\.pcap: truncated pcap file header/);
  });

  it('prints the same report in the same order whatever --jobs', async () => {
    for (const format of ['text', 'json', 'ndjson', 'trace']) {
      const one = await tlsdiag(dir, '--jobs', '1', '--format', format, '--quiet');
      const three = await tlsdiag(dir, '--jobs', '3', '--format', format, '--quiet');
      const strip = (s: string) => s.replace(/"--jobs",\s*"[13]"|--jobs [13]/g, '--jobs N');
      expect(strip(three.stdout), format).to.equal(strip(one.stdout));
      expect(three.stderr, format).to.equal(one.stderr);
      expect(one.stdout.length).to.be.greaterThan(1000);
    }
  });

  it('writes a JSON report with its summary that validates against the schema', async () => {
    // Not inside the input directory: a report inside a directory being read is refused.
    const out = path.join(outside, 'report.json');
    const r = await tlsdiag(dir, '--jobs', '2', '-o', out, '--quiet');
    expect(r.status).to.equal(2);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'report.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).to.equal(true);
    expect(doc.summary.captures).to.equal(doc.captures.length);
    expect(doc.summary.failingServers[0]).to.deep.include({ server: '74.125.239.37:443' });
    expect(doc.summary.skipped.map((s: { name: string }) => path.basename(s.name))).to.deep.equal(['empty.pcap', 'notes.txt']);
  });

  it('exits 2 at once when the report cannot be written', async () => {
    const r = await tlsdiag(TLS12, '-o', path.join(dir, 'no-such-dir', 'r.txt'));
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/^tlsdiag: cannot write .*r\.txt: no such file\n$/);
  });

  it('refuses to write the report over an input or inside an input directory, and writes nothing', async () => {
    const victim = path.join(outside, 'victim.pcap');
    writeFileSync(victim, capture('tls1.2.pcap'));
    const before = readFileSync(victim);
    const r = await tlsdiag(victim, '-o', victim);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/^tlsdiag: the report .*victim\.pcap would overwrite the input .*victim\.pcap: write it elsewhere \(nothing was written\)\n$/);
    expect(readFileSync(victim).equals(before)).to.equal(true);
    // The same file through a link is the same file.
    const link = path.join(outside, 'link.pcap');
    symlinkSync(victim, link);
    expect((await tlsdiag(victim, '-o', link)).status).to.equal(2);
    expect(readFileSync(victim).equals(before)).to.equal(true);
    const inside = path.join(bad, 'report.txt');
    const r2 = await tlsdiag(bad, '-o', inside);
    expect(r2.status).to.equal(2);
    expect(r2.stderr).to.match(/would be written inside .*bad, an input directory being read/);
    expect(existsSync(inside)).to.equal(false);
  });

  it('writes the report under a temporary name and renames it when complete', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-out-'));
    try {
      const out = path.join(outDir, 'report.txt');
      writeFileSync(out, 'an older report');
      const r = await tlsdiag(TLS12, '-o', out);
      expect(r.status).to.equal(0);
      expect(readFileSync(out, 'utf8')).to.match(/^.*tls1\.2\.pcap\n {2}Verdict: /);
      expect(readdirSync(outDir)).to.deep.equal(['report.txt']);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('exits 2 when there is nothing to analyze', async () => {
    const empty = path.join(dir, 'nothing');
    mkdirSync(empty, { recursive: true });
    writeFileSync(path.join(empty, 'readme.txt'), 'no captures here');
    const r = await tlsdiag(empty);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/no capture files found/);
  });
});
