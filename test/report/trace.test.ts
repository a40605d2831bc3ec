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
    expect(lineOf(out, 9)).to.match(/^ -> 04:29:54\.402730   0\.001 .*HSHK\( CLIENT_HELLO \) +frame 9  6 cipher suites \(and TLS_EMPTY_RENEGOTIATION_INFO_SCSV\) offered$/);
    expect(lineOf(out, 10)).to.match(/^<-  04:29:54\.403217 +<0\.001 .*CERTIFICATE_REQUEST SERVER_HELLO_DONE \) frame 10  TLS_RSA_WITH_AES_256_CBC_SHA\(0x0035\); CA list length 0$/);
    expect(lineOf(out, 11)).to.match(/^ -> 04:29:54\.404137 .*TLS1\.2: ALERT\( FATAL: ILLEGAL_PARAMETER\(47\) \) +frame 11  <== FAILING STEP$/);
    expect(out.match(/FAILING STEP/g)).to.have.length(1);
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
