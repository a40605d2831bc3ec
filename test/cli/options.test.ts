// The command line's inputs and options (#14): standard input and named pipes (never sought),
// usage errors for bad option values, the report filters, and --format tsv. Expected stream lists,
// times, SNIs and cipher codes were read with tshark from the same captures (recorded here).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { CORPUS, ROOT } from '../support/paths.js';

const BIN = path.join(ROOT, 'bin', 'tlsdiag.js');
const FAILURE = path.join(CORPUS, 'tls-1.2-handshake-failure.pcap');
/** 8 connections to 142.250.179.196:443; streams 4-7 send SNI www.google.com; cipher 0xcca8 (tshark). */
const GOOGLE = path.join(CORPUS, 'google-cert-repeat.pcap');
const RESUMED = path.join(ROOT, 'samples', 'clean-resumed-tls12.pcap');

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** tlsdiag with `stdin` fed to its standard input (a pipe), or a file opened as its standard input. */
function tlsdiag(args: readonly string[], stdin: Buffer | { file: string } | null = null): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: [stdin !== null && 'file' in stdin ? 'pipe' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => {});
    if (stdin === null) child.stdin.end();
    else if (Buffer.isBuffer(stdin)) child.stdin.end(stdin);
    else createReadStream(stdin.file).pipe(child.stdin);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** The shell's `< file` redirection: standard input is the file itself (seekable, but read as a stream). */
function tlsdiagRedirected(args: readonly string[], file: string): Promise<Run> {
  return new Promise((resolve) => {
    const quoted = [BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    execFile('/bin/sh', ['-c', `'${process.execPath}' ${quoted} < '${file}'`], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ status: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** The tcp.stream column of a TSV report. */
function streamsOf(tsv: string): number[] {
  return tsv.trim().split('\n').slice(1).map((line) => Number(line.split('\t')[2]));
}

const STACK = /^\s+at .+:\d+:\d+\)?$/m;

describe('cli: standard input and named pipes', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-stdin-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a capture piped to - exactly as the file, named (standard input)', async () => {
    const fromFile = await tlsdiag([FAILURE, '--format', 'ndjson']);
    const piped = await tlsdiag(['-', '--format', 'ndjson'], readFileSync(FAILURE));
    expect(piped.status).to.equal(0);
    expect(piped.stderr).to.equal('');
    const strip = (s: string) => s.split('\n').filter(Boolean).map((l) => {
      const o = JSON.parse(l);
      delete o.capture;
      delete o.file;
      return JSON.stringify(o);
    });
    expect(strip(piped.stdout)).to.deep.equal(strip(fromFile.stdout));
    expect(piped.stdout).to.include('"(standard input)"');
    // tshark: the handshake_failure alert is frame 6 of tcp.stream 0.
    expect(piped.stdout).to.match(/no-shared-cipher/);
  });

  it('inflates gzip by its magic bytes on a pipe and on a redirected file, with and without --jobs', async () => {
    const gz = path.join(dir, 'capture.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(FAILURE)));
    for (const jobs of ['1', '3']) {
      const piped = await tlsdiag(['-', FAILURE, '--jobs', jobs, '-f', 'tsv'], readFileSync(gz));
      expect(piped.status, `jobs ${jobs}`).to.equal(0);
      const lines = piped.stdout.trim().split('\n');
      expect(lines).to.have.length(3);
      expect(lines[1].split('\t').slice(1)).to.deep.equal(lines[2].split('\t').slice(1));
      expect(lines[1].split('\t')[0]).to.equal('(standard input)');
    }
    const redirected = await tlsdiagRedirected(['-'], gz);
    expect(redirected.status).to.equal(0);
    expect(redirected.stdout).to.match(/pcap \(gzip-compressed\)/);
    const devStdin = await tlsdiagRedirected(['/dev/stdin', '-f', 'tsv'], gz);
    expect(devStdin.status).to.equal(0);
    expect(devStdin.stdout.trim().split('\n')[1]).to.match(/^\/dev\/stdin\t.*\tno-shared-cipher\tt1[0-3][di]\d{4}\w\w_[0-9a-f]{12}_[0-9a-f]{12}$/);
  });

  it('reads a named pipe, which cannot be sought, and /dev/stdin when it is a pipe', async () => {
    const fifo = path.join(dir, 'fifo');
    await new Promise<void>((resolve, reject) => execFile('mkfifo', [fifo], (err) => (err ? reject(err) : resolve())));
    const writer = new Promise<void>((resolve) => {
      const child = spawn('/bin/sh', ['-c', `cat '${GOOGLE}' > '${fifo}'`]);
      child.on('close', () => resolve());
    });
    const r = await tlsdiag([fifo, '-f', 'tsv', '--jobs', '2']);
    await writer;
    expect(r.status).to.equal(0);
    expect(streamsOf(r.stdout)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    const p = await tlsdiag(['/dev/stdin', '-f', 'tsv'], readFileSync(GOOGLE));
    expect(p.status).to.equal(0);
    expect(streamsOf(p.stdout)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('says in one line what is wrong with standard input: empty, not a capture, cut short', async () => {
    const empty = await tlsdiag(['-'], Buffer.alloc(0));
    expect(empty.status).to.equal(2);
    expect(empty.stderr).to.equal('(standard input): empty file\n');
    const text = await tlsdiag(['-'], Buffer.from('hello, this is not a capture\n'));
    expect(text.status).to.equal(2);
    expect(text.stderr.trim().split('\n')).to.have.length(1);
    // A capture cut after 100 bytes: the error names the byte offset, and the other input is analyzed.
    const cut = await tlsdiag(['-', FAILURE, '-f', 'tsv', '--jobs', '2'], readFileSync(FAILURE).subarray(0, 100));
    expect(cut.stderr).to.match(/^\(standard input\): .*byte 24/);
    expect(cut.stdout.trim().split('\n')).to.have.length(2);
    expect(cut.stderr).to.not.match(STACK);
    const twice = await tlsdiag(['-', '-'], readFileSync(FAILURE));
    expect(twice.status).to.equal(2);
    expect(twice.stderr).to.match(/more than once/);
  });
});

describe('cli: bad option values are usage errors', function () {
  this.timeout(60_000);

  const cases: [string[], RegExp][] = [
    [['--stream', 'abc'], /^tlsdiag: --stream wants a whole number from 0 to \d+, not "abc"$/],
    [['--stream', '-1'], /^tlsdiag: --stream wants a whole number/],
    [['--port', '70000'], /^tlsdiag: --port wants a whole number from 0 to 65535, not "70000"$/],
    [['--rules', 'no-such-rule'], /^tlsdiag: --rules: no rule "no-such-rule" \(tlsdiag rules lists them\)$/],
    [['--rules', 'no-shared-cipher,no-shared-ciphers'], /^tlsdiag: --rules: no rule "no-shared-ciphers"/],
    [['-o', path.join(tmpdir(), 'report.pdf')], /^tlsdiag: --output .*report\.pdf: tlsdiag cannot write \.pdf files/],
    [['--since', 'yesterday'], /^tlsdiag: --since wants an ISO 8601 time/],
    [['--until', '2021-02-30'], /^tlsdiag: --until wants an ISO 8601 time/],
    [['--since', '2021-06-29T10:00', '--until', '2021-06-29T09:00'], /^tlsdiag: --since \(.*\) is after --until/],
    [['--host', ''], /^tlsdiag: --host wants a value/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')}: exit 2 with one line saying why, nothing written`, async () => {
      const r = await tlsdiag([FAILURE, ...args]);
      expect(r.status).to.equal(2);
      expect(r.stdout).to.equal('');
      expect(r.stderr.split('\n')[0]).to.match(message);
      expect(r.stderr).to.not.match(STACK);
    });
  }

  it('a --stream that is in no capture is said after the analysis, exit 2', async () => {
    const r = await tlsdiag([GOOGLE, '--stream', '4,9', '-f', 'tsv']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal("tlsdiag: --stream: no tcp.stream 9 in the capture (Wireshark's tcp.stream numbers, from 0)\n");
    expect(streamsOf(r.stdout)).to.deep.equal([4]);
    // Present in one capture of two: no error.
    const two = await tlsdiag([GOOGLE, FAILURE, '--stream', '7', '-f', 'tsv']);
    expect(two.status).to.equal(0);
  });

  it('a --rules list that exists still runs and --fail-on follows it', async () => {
    expect((await tlsdiag([FAILURE, '--rules', 'no-shared-cipher', '--fail-on', 'error'])).status).to.equal(1);
    expect((await tlsdiag([FAILURE, '--rules', 'certificate-expired', '--fail-on', 'error'])).status).to.equal(0);
  });
});

describe('cli: report filters', function () {
  this.timeout(60_000);

  // From tshark (conv,tcp and the ClientHellos): stream 2 lasts 1624959855.823063-1624959857.073;
  // stream 3 starts at 1624959858.038425, 4 at 1624959860.095023, 5 at 1624959860.974896,
  // 6 at 1624959862.693030; streams 4-7 carry SNI www.google.com; stream 1 is client port 37682.
  const cases: [string, string[], number[]][] = [
    ['--sni', ['--sni', 'www.google.com'], [4, 5, 6, 7]],
    ['--sni with a wildcard', ['--sni', '*.GOOGLE.com'], [4, 5, 6, 7]],
    ['--host as an address', ['--host', '142.250.179.196'], [0, 1, 2, 3, 4, 5, 6, 7]],
    ['--host as the SNI', ['--host', 'www.google.com'], [4, 5, 6, 7]],
    ['--port', ['--port', '37682'], [1]],
    ['--port, repeated', ['--port', '37682', '--port', '37694'], [1, 7]],
    ['--since/--until in epoch seconds', ['--since', '1624959857.5', '--until', '1624959861'], [3, 4, 5]],
    ['--since/--until in ISO 8601 UTC', ['--since', '2021-06-29T09:44:17.5', '--until', '2021-06-29T09:44:21Z'], [3, 4, 5]],
    ['--since/--until with a zone offset', ['--since', '2021-06-29T11:44:17.5+02:00', '--until', '2021-06-29T05:44:21-04:00'], [3, 4, 5]],
    ['a time window with --sni and --stream', ['--since', '1624959857.5', '--sni', 'www.google.com', '--stream', '4,5,6'], [4, 5, 6]],
  ];
  for (const [name, args, streams] of cases) {
    it(`${name} chooses the connections reported`, async () => {
      const r = await tlsdiag([GOOGLE, '-f', 'tsv', ...args]);
      expect(r.status, r.stderr).to.equal(0);
      expect(streamsOf(r.stdout)).to.deep.equal(streams);
    });
  }

  it('combine with --only failing, and the verdict says the report is filtered while counting everything', async () => {
    const r = await tlsdiag([GOOGLE, FAILURE, '--port', '443', '--only', 'failing']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/Verdict: 8 TLS handshakes \(8 established\); no problems found; report filtered \(--port 443 --only failing\): 0 of 8 TCP conversations shown/);
    expect(r.stdout).to.match(/Verdict: 1 of 1 TLS handshake failed .*; report filtered \(--port 443 --only failing\): 1 of 1 TCP conversation shown/);
    const json = JSON.parse((await tlsdiag([GOOGLE, '--sni', 'www.google.com', '-f', 'json'])).stdout);
    expect(json.captures[0].verdict.connections).to.equal(8);
    expect(json.captures[0].verdict.shown).to.equal(4);
    expect(json.captures[0].connections.map((c: { stream: number }) => c.stream)).to.deep.equal([4, 5, 6, 7]);
  });

  it('a redacted report hides the host and SNI a filter named, in the verdict and the command line', async () => {
    const r = await tlsdiag([GOOGLE, '--sni', 'www.google.com', '--host=142.250.179.196', '--redact', '-f', 'json']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.not.include('google');
    expect(r.stdout).to.not.include('142.250.179.196');
    const doc = JSON.parse(r.stdout);
    expect(doc.command).to.deep.equal(['input-1', '--sni', '(redacted)', '--host=(redacted)', '--redact', '-f', 'json']);
    expect(doc.captures[0].verdict.text).to.include('report filtered (--host (redacted) --sni (redacted)): 4 of 8');
  });
});

describe('cli: --format tsv', function () {
  this.timeout(60_000);

  it('has one header and one line per TLS connection, every line with the same fields', async () => {
    const r = await tlsdiag([GOOGLE, FAILURE, RESUMED, '-f', 'tsv', '--jobs', '2']);
    expect(r.status).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(lines[0]).to.deep.equal([
      'capture', 'time', 'stream', 'client', 'server', 'sni', 'offered_versions', 'version', 'cipher', 'cipher_hex',
      'resumption', 'status', 'failing_frame', 'failing_step', 'rules', 'ja4',
    ]);
    expect(lines).to.have.length(1 + 8 + 1 + 2);
    for (const l of lines) expect(l).to.have.length(16);
    const google = lines.filter((l) => l[0] === GOOGLE);
    // tshark: ServerHello cipher 0xcca8 on streams 0-3, 0xcca9 on 4-7, the first SYN of stream 0 at 1624959854.007188.
    expect(google.map((l) => l[9])).to.deep.equal([...Array(4).fill('0xCCA8'), ...Array(4).fill('0xCCA9')]);
    expect(google[0][8]).to.equal('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
    expect(google[0][1]).to.equal('2021-06-29T09:44:14.007188Z');
    expect(google.map((l) => l[5])).to.deep.equal(['-', '-', '-', '-', 'www.google.com', 'www.google.com', 'www.google.com', 'www.google.com']);
    // tshark: frame 6 is the server's fatal handshake_failure (40); no ServerHello.
    const failed = lines.find((l) => l[0] === FAILURE)!;
    expect(failed.slice(7, 15)).to.deep.equal(['-', '-', '-', '-', 'failed', '6', 'server alert fatal handshake_failure(40)', 'no-shared-cipher']);
    // tshark: stream 1 of the resumed sample offers stream 0's session id and the server echoes it.
    const resumed = lines.filter((l) => l[0] === RESUMED).map((l) => l[10]);
    expect(resumed).to.deep.equal(['full handshake', 'resumed via session_id']);
    // ja4: the first ClientHello of each stream, as computed from tshark's fields (test/golden/fingerprints.json).
    const golden = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'fingerprints.json'), 'utf8')) as { captures: Record<string, { stream: number; message: string; ja4?: string }[]> };
    const firstJa4 = (name: string, stream: number) => golden.captures[name].find((h) => h.stream === stream && h.message === 'ClientHello')?.ja4;
    expect(google.map((l, k) => [l[2], l[15]])).to.deep.equal(google.map((_, k) => [String(k), firstJa4('corpus/google-cert-repeat.pcap', k)]));
    expect(failed[15]).to.equal(firstJa4('corpus/tls-1.2-handshake-failure.pcap', 0));
    expect(lines.filter((l) => l[0] === RESUMED).map((l) => l[15])).to.deep.equal([0, 1].map((k) => firstJa4('samples/clean-resumed-tls12.pcap', k)));
  });

  it('is picked from -o NAME.tsv, and --redact pseudonymises the capture name and every address', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'tlsdiag-tsv-'));
    try {
      const file = path.join(out, 'r.tsv');
      const r = await tlsdiag([GOOGLE, '--redact', '-o', file]);
      expect(r.status).to.equal(0);
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0].startsWith('capture\ttime')).to.equal(true);
      expect(text).to.not.include('google');
      expect(text).to.not.include('142.250');
      expect(text).to.not.include('167.71');
      expect(text.split('\n')[1].split('\t')[0]).to.equal('capture-1.pcap');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('cli: --redact covers the capture path, its file name and the command line in every format', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    // A customer's name in the directory, a host name in the file names, one file that is no capture
    // (the batch summary names it) and one capture cut short (the summary names its error).
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-acmecorp-'));
    const bytes = readFileSync(path.join(ROOT, 'samples', 'vsftpd-zos-auth-tls-empty-ca-list.pcap'));
    writeFileSync(path.join(dir, 'db1-prod.pcap'), bytes);
    writeFileSync(path.join(dir, 'db1-prod-cut.pcap'), bytes.subarray(0, 100));
    writeFileSync(path.join(dir, 'db1-prod-notes.bin'), 'acmecorp db1-prod');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['text', 'json', 'ndjson', 'markdown', 'html', 'trace', 'tsv']) {
    it(format, async () => {
      const out = path.join(tmpdir(), `tlsdiag-redacted-acmecorp-${process.pid}.${format}`);
      try {
        const r = await tlsdiag([dir, '--redact', '--all', '-f', format, '-o', out, '--jobs', '2']);
        expect(r.status).to.equal(2);
        const report = readFileSync(out, 'utf8');
        expect(report.length).to.be.greaterThan(100);
        for (const secret of ['acmecorp', 'db1', tmpdir(), 'redacted-acmecorp']) expect(report, secret).to.not.include(secret);
        expect(r.stderr).to.match(/^capture-\d\.pcap: capture truncated at byte 24/m);
      } finally {
        rmSync(out, { force: true });
      }
    });
  }
});

describe('cli: advice for inputs that are no capture', function () {
  this.timeout(60_000);
  const FIXTURES = path.join(ROOT, 'test', 'cli', 'fixtures');
  const exports: [string, string][] = [
    ['tshark-list.txt', 'a packet list printed by tshark'],
    ['tshark-details.txt', 'packet details printed by tshark -V or exported by Wireshark as text'],
    ['tshark-hex.txt', 'a hex dump printed by tshark -x or exported by Wireshark'],
    ['tshark.json', 'JSON printed by tshark -T json'],
    ['tshark.pdml', 'PDML printed by tshark -T pdml'],
  ];
  for (const [file, what] of exports) {
    it(`${file}: says it is text printed by tshark and asks for the capture itself`, async () => {
      const r = await tlsdiag([path.join(FIXTURES, file), '-q']);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.equal(
        `${path.join(FIXTURES, file)}: not a capture file: this is text, ${what} (at byte 0); send the .pcapng or .pcap itself (Wireshark: File > Save As; tcpdump or tshark: -w FILE)\n`,
      );
    });
  }

  it('gzip\'d text on standard input gets the same advice', async () => {
    const r = await tlsdiag(['-'], gzipSync(readFileSync(path.join(FIXTURES, 'tshark-list.txt'))));
    expect(r.stderr).to.match(/^\(standard input\): not a capture file: this is text, a packet list printed by tshark \(at byte 0 of the decompressed data\)/);
  });

  it('a link type tlsdiag cannot decode is named in the verdict, and UDP is not blamed', async () => {
    // capinfos: Encapsulation "IEEE 802.11 Wireless LAN" (LINKTYPE 105), 11 packets.
    const r = await tlsdiag([path.join(FIXTURES, 'linktype-105.pcap'), '-f', 'json']);
    const verdict = JSON.parse(r.stdout).captures[0].verdict.text;
    expect(verdict).to.equal(
      '0 TLS handshakes (no TCP conversations: frames of link type IEEE802_11 (105) cannot be decoded; tlsdiag reads Ethernet, Linux cooked (SLL, SLL2), raw IP and loopback (NULL, LOOP) captures)',
    );
    expect(verdict).to.not.include('UDP');
  });
});

describe('cli: tlsdiag rules and the reports agree; internal labels stay out of the text', function () {
  this.timeout(120_000);

  it('every finding of the samples has a severity `tlsdiag rules` lists for its rule', async () => {
    const rules = await tlsdiag(['rules']);
    const listed = new Map(rules.stdout.trim().split('\n').filter((l) => /^[a-z0-9-]+\s{2,}/.test(l)).map((l) => {
      const [id, severity] = l.split(/\s{2,}/);
      return [id, severity.split('/')] as const;
    }));
    expect(listed.get('certificate-expired')).to.deep.equal(['warning', 'error']);
    const r = await tlsdiag([path.join(ROOT, 'samples'), '-f', 'ndjson', '-q', '--jobs', '2']);
    let seen = 0;
    for (const line of r.stdout.trim().split('\n')) {
      const o = JSON.parse(line);
      if (o.kind !== 'connection') continue;
      for (const f of o.findings as { rule: string; severity: string }[]) {
        expect(listed.get(f.rule), `${f.rule} ${f.severity}`).to.include(f.severity);
        seen++;
      }
    }
    expect(seen).to.be.greaterThan(10);
  });

  it('text, markdown and html say "not reused", "an encrypted alert", "client or server"', async () => {
    for (const format of ['text', 'markdown', 'html']) {
      const r = await tlsdiag([path.join(ROOT, 'samples'), '--all', '-f', format, '-q', '--jobs', '2']);
      for (const label of ['reuse: not-reused', 'unknown (encrypted)', 'sent encrypted ', '>either<', '| either |']) expect(r.stdout, `${format}: ${label}`).to.not.include(label);
      expect(r.stdout, format).to.include('TLS session reuse: not reused.');
      if (format !== 'text') expect(r.stdout, format).to.include('client or server');
    }
  });
});
