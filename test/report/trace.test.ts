// The z/OS-style trace (#14): absolute times (UTC or --tz) beside the delta, alert numbers, cipher
// suite codes, the CA list length, the failing step, and --merge-streams through a bounded-memory
// time merge. Expected times, codes and lengths were read with tshark -t ud from the same samples.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../support/paths.js';
import { TempFiles } from '../../src/report/temp.js';
import { TimeMerge } from '../../src/report/time-merge.js';
import { traceClock } from '../../src/report/trace-time.js';
import { readPcap } from '../flow/support.js';

const BIN = path.join(ROOT, 'bin', 'tlsdiag.js');
const EMPTY_CA = path.join(ROOT, 'samples', 'vsftpd-zos-auth-tls-empty-ca-list.pcap');
const FTPS = path.join(ROOT, 'samples', 'ftps-session-not-reused-522.pcap');

function trace(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '-f', 'trace', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ status: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const lineOf = (out: string, frame: number) => out.split('\n').find((l) => new RegExp(` frame ${frame}(  |$)`).test(l)) ?? '';

describe('report: trace', function () {
  this.timeout(60_000);

  it('gives each line its absolute UTC time beside the delta, alert numbers, suite codes, the CA list length and the failing step', async () => {
    const r = await trace(EMPTY_CA);
    expect(r.status).to.equal(0);
    const out = r.stdout;
    // tshark -t ud: frame 4 2026-11-23 04:29:54.399364, frame 9 04:29:54.402730 (7 suites),
    // frame 10 04:29:54.403217 (ServerHello 0x0035, CertificateRequest dnames_len 0),
    // frame 11 04:29:54.404137 (alert description 47).
    expect(out.split('\n')[0]).to.match(/tcp\.stream 0  127\.0\.0\.1:32868 -> 127\.0\.0\.1:2121  2026-11-23 UTC$/);
    expect(lineOf(out, 4)).to.match(/^<-  04:29:54\.399364   0\.000 /);
    // Frame 8 (the 234 reply) is at 04:29:54.401588: the delta to frame 9 is 0.001.
    expect(lineOf(out, 9)).to.match(/^ -> 04:29:54\.402730   0\.001 .*HSHK\( CLIENT_HELLO \) +frame 9  7 cipher suites offered$/);
    expect(lineOf(out, 10)).to.match(/^<-  04:29:54\.403217 +<0\.001 .*CERTIFICATE_REQUEST SERVER_HELLO_DONE \) frame 10  TLS_RSA_WITH_AES_256_CBC_SHA\(0x0035\); CA list length 0$/);
    expect(lineOf(out, 11)).to.match(/^ -> 04:29:54\.404137 .*TLS1\.2: ALERT\( FATAL: ILLEGAL_PARAMETER\(47\) \) +frame 11  <== FAILING STEP$/);
    expect(out.match(/FAILING STEP/g)).to.have.length(1);
  });

  it('--hex dumps each record\'s first bytes under its line, as the capture holds them; --redact keeps the header only', async () => {
    const file = path.join(ROOT, 'samples', 'zos-empty-ca-list-tls12.pcap');
    // The TCP payload of a frame, read here from the pcap itself (the ClientHello and the alert each
    // fill one segment, so their payload starts with the record header).
    const payload = (n: number): Buffer => {
      const f = readPcap(file)[n - 1];
      const d = Buffer.from(f.data);
      const link = f.linkType === 1 ? 14 : f.linkType === 113 ? 16 : 0;
      const ip = (d[link] & 0x0f) * 4;
      const tcp = (d[link + ip + 12] >> 4) * 4;
      return d.subarray(link + ip + tcp);
    };
    const dumped = (out: string, frame: number): string => {
      const lines = out.split('\n');
      const at = lines.findIndex((l) => new RegExp(` frame ${frame}(  |$)`).test(l));
      const hex: string[] = [];
      for (let k = at + 1; k < lines.length && /^ {4}[0-9a-f]{4}  /.test(lines[k]); k++) {
        hex.push(...lines[k].slice(10, 58).trim().split(/\s+/));
      }
      return hex.join('');
    };
    const r = await trace(file, '--hex');
    expect(r.status).to.equal(0);
    expect(dumped(r.stdout, 4)).to.equal(payload(4).subarray(0, 32).toString('hex'));
    expect(dumped(r.stdout, 8)).to.equal(payload(8).toString('hex'));
    expect(payload(8).toString('hex')).to.equal('150303000202' + '2f');
    expect(r.stdout).to.match(/\n {4}0000  16 03 01 00 51 01 00 00  4d 03 03 11 35 f7 69 68  \|\.\.\.\.Q\.\.\.M\.\.\.5\.ih\|\n/);
    const wide = await trace(file, '--hex', '--hex-bytes', '100');
    expect(dumped(wide.stdout, 4)).to.equal(payload(4).subarray(0, 86).toString('hex'));
    const redacted = await trace(file, '--hex', '--redact');
    expect(dumped(redacted.stdout, 4)).to.equal('1603010051');
    const plain = await trace(file);
    expect(plain.stdout).not.to.match(/^ {4}0000  /m);
    for (const bad of [['--hex', '--hex-bytes', '4'], ['--hex', '--hex-bytes', 'x'], ['--hex-bytes', '64']]) {
      const u = await trace(file, ...bad);
      expect(u.status, bad.join(' ')).to.equal(2);
      expect(u.stderr, bad.join(' ')).to.match(/^tlsdiag: --hex-bytes /);
    }
  });

  it('a usage error quoting what was typed escapes control characters', async () => {
    const u = await trace(EMPTY_CA, '--tz', '\x1b[2J\u202eevil');
    expect(u.status).to.equal(2);
    expect(u.stderr).to.include('not "\\x1b[2J\\u202eevil"');
    expect(u.stderr).not.to.match(/[\u001b\u202e]/);
  });

  it('--tz: an offset, an IANA zone with its daylight saving, local; a bad zone is a usage error', async () => {
    const offset = await trace(EMPTY_CA, '--tz', '-05:30');
    expect(offset.stdout.split('\n')[0]).to.match(/2026-11-22 UTC-05:30$/);
    expect(lineOf(offset.stdout, 11)).to.match(/^ -> 22:59:54\.404137 /);
    // November: New York is on EST, UTC-5.
    const ny = await trace(EMPTY_CA, '--tz', 'America/New_York');
    expect(ny.stdout.split('\n')[0]).to.match(/2026-11-22 America\/New_York$/);
    expect(lineOf(ny.stdout, 11)).to.match(/^ -> 23:29:54\.404137 /);
    const bad = await trace(EMPTY_CA, '--tz', 'Mars/Olympus');
    expect(bad.status).to.equal(2);
    expect(bad.stderr.split('\n')[0]).to.match(/^tlsdiag: --tz wants UTC, local, an offset/);
    const clock = traceClock('Europe/Berlin')!;
    // 2026-07-01T12:00:00Z is 14:00 in Berlin (CEST), 2026-01-01T12:00:00Z is 13:00 (CET).
    expect(clock.parts(Date.UTC(2026, 6, 1, 12) / 1000).time).to.equal('14:00:00.000000');
    expect(clock.parts(Date.UTC(2026, 0, 1, 12) / 1000 + 0.9999996).time).to.equal('13:00:01.000000');
  });

  it('--merge-streams interleaves an FTPS control and data connection in time order', async () => {
    const r = await trace(FTPS, '--merge-streams');
    expect(r.status).to.equal(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).to.match(/all tcp\.streams in time order \(times UTC; \[N\] is the tcp\.stream\)$/);
    // tshark: frame 26 (stream 0) 04:31:00.807581, frame 30 (stream 1) 04:31:00.808410,
    // frame 32 (stream 0) 04:31:00.808451.
    const k = lines.findIndex((l) => / frame 26$/.test(l));
    expect(lines[k]).to.match(/^\[0\] +<-  04:31:00\.807581 /);
    expect(lines[k + 1]).to.match(/^\[1\] +-> 04:31:00\.808410 +<0\.001 .*CLIENT_HELLO \) +frame 30/);
    expect(lines[k + 2]).to.match(/^\[0\] +-> 04:31:00\.808451 +<0\.001 .* frame 32$/);
    const times = lines.filter((l) => /^\[\d+\]/.test(l)).map((l) => / (\d\d:\d\d:\d\d\.\d{6}) /.exec(l)![1]);
    expect(times).to.deep.equal([...times].sort());
    expect(times.length).to.be.greaterThan(40);
  });

  it('a time merge spills sorted runs to temporary files and merges them back, removing them', () => {
    const temp = new TempFiles();
    try {
      const merge = new TimeMerge(temp, 1024);
      const expected: string[] = [];
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const items: [number, number, string][] = [];
      for (let i = 0; i < 3000; i++) items.push([1_700_000_000 + Math.floor(random() * 500) / 10, Math.floor(random() * 4), `line ${i} ∆`]);
      for (const [time, tie, line] of items) merge.add(time, tie, line);
      const order = items.map((x, i) => ({ x, i })).sort((a, b) => a.x[0] - b.x[0] || a.x[1] - b.x[1] || a.i - b.i);
      for (const { x } of order) expected.push(x[2]);
      expect(readdirSync(temp.dir).length).to.be.greaterThan(10);
      const got: string[] = [];
      merge.finish((line) => got.push(line));
      expect(got).to.deep.equal(expected);
      expect(readdirSync(temp.dir)).to.deep.equal([]);
    } finally {
      temp.dispose();
    }
  });
});
