/**
 * Golden files: the markdown and text reports of a few samples, byte for byte, in test/golden/.
 * The output is stable by construction: no wall-clock time, the capture named by its base name, and
 * the command line in the document is the one this test passes.
 *
 * When a report changes on purpose (a new fact, a rule's sharper wording), regenerate and review:
 *
 *     npx tsc -p . && UPDATE_GOLDEN=1 npx mocha dist/test/report/golden.test.js
 *     git diff test/golden/
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { render } from '../../src/report/render.js';
import { ROOT, SAMPLES } from '../support/paths.js';
import { documentOf } from './support.js';

const GOLDEN_DIR = path.join(ROOT, 'test', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Failures the project was built for, a warning on an established handshake, and TLS 1.3. */
const CASES = [
  'zos-empty-ca-list-tls10.pcap',
  'vsftpd-zos-auth-tls-empty-ca-list.pcap',
  'ftp-plaintext-reply.pcap',
  'client-certificate-missing-tls13.pcap',
  'empty-ca-list-accepted.pcap',
];

function check(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to create it`).to.equal(true);
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected) {
    // Name the first differing line: a whole-report diff is unreadable in mocha's output.
    const a = actual.split('\n');
    const e = expected.split('\n');
    const k = a.findIndex((line, i) => line !== e[i]);
    expect(a[k], `${name} line ${k + 1} differs (UPDATE_GOLDEN=1 regenerates after a deliberate change)`).to.equal(e[k]);
    expect(actual).to.equal(expected);
  }
}

describe('report: golden markdown and text', () => {
  for (const sample of CASES) {
    const base = sample.replace(/\.pcap$/, '');
    it(`markdown of ${sample}`, async () => {
      const doc = await documentOf([path.join(SAMPLES, sample)], ['--format', 'markdown', sample]);
      check(`${base}.md`, render('markdown', doc, { color: false, redact: false }));
    });
    it(`text of ${sample}`, async () => {
      const doc = await documentOf([path.join(SAMPLES, sample)], [sample]);
      check(`${base}.txt`, render('text', doc, { color: false, redact: false }));
    });
  }

  it('text of several captures, with the batch summary', async () => {
    const doc = await documentOf(
      CASES.slice(0, 3).map((s) => path.join(SAMPLES, s)),
      CASES.slice(0, 3),
    );
    check('batch.txt', render('text', doc, { color: false, redact: false }));
  });

  it('redacted markdown', async () => {
    const sample = 'vsftpd-zos-auth-tls-empty-ca-list.pcap';
    const doc = await documentOf([path.join(SAMPLES, sample)], ['--redact', '-o', 'report.md', sample]);
    check('vsftpd-zos-auth-tls-empty-ca-list.redacted.md', render('markdown', doc, { color: false, redact: true }));
  });
});
