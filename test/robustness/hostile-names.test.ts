// File names that hold terminal escape sequences (ESC, BEL) or bidi controls (U+202E) never reach
// the terminal raw: not on standard error, not in any human-readable format, not in the command line
// the reports echo (which stays runnable: bash's $'…' quoting).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { capture } from '../batch/builders.js';
import { tlsdiag } from '../support/cli.js';

const RAW = /[\u0007\u001b\u202e]/;

describe('hostile file names (issue #14)', function () {
  this.timeout(120_000);
  let dir: string;
  const evil = `ev\u001b[31mil\u202egpj.pcap`;
  const bell = `bad\u0007\u202e.pcap`;
  const title = `bad2\u001b]0;pwn\u0007.pcap`;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tlsdiag-names-'));
    mkdirSync(path.join(dir, 'in'));
    writeFileSync(path.join(dir, 'in', evil), capture('tls1.2.pcap'));
    writeFileSync(path.join(dir, 'in', bell), 'x');
    writeFileSync(path.join(dir, 'in', title), 'not a capture at all');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['text', 'markdown', 'html', 'trace']) {
    it(`--format ${format}: no raw control or bidi character on stdout or stderr`, async () => {
      const r = await tlsdiag('--format', format, '--all', path.join(dir, 'in'), path.join(dir, 'in', evil));
      expect(r.stdout).not.to.match(RAW);
      expect(r.stderr).not.to.match(RAW);
      // the two unreadable files are named, escaped, one line each
      expect(r.stderr).to.contain('bad\\x07\\u202e.pcap: skipped');
      expect(r.stderr).to.contain('bad2\\x1b]0;pwn\\x07.pcap: skipped');
      expect(r.status).to.equal(0);
    });
  }

  it('the echoed command line runs again under bash and names the same file', async () => {
    const r = await tlsdiag(path.join(dir, 'in', evil));
    const line = r.stdout.trim().split('\n').pop()!;
    expect(line).to.contain(`ev\\x1b[31mil\\u202egpj.pcap'`).and.to.match(/ \$'\//);
    const words = line.replace(/^tlsdiag \S+: tlsdiag /, '');
    const echoed = execFileSync('bash', ['-c', `printf '%s' ${words}`]).toString();
    expect(echoed).to.equal(path.join(dir, 'in', evil));
  });

  it('a name given on the command line that does not exist is escaped too', async () => {
    const r = await tlsdiag(path.join(dir, `missing\u001b[2J.pcap`));
    expect(r.stderr).not.to.match(RAW);
    expect(r.stderr).to.contain('missing\\x1b[2J.pcap');
    expect(r.status).to.equal(2);
  });
});
