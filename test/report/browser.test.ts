/**
 * The HTML report opened in a real browser: Debian's chromium, driven headless by playwright-core.
 * The verdict and the sequence diagram are visible, the page asks the network for nothing (only its
 * own file:// URL is requested), a hostile banner stays text, print layout opens the details, and
 * the grouped page of 10,000 connections opens at once.
 *
 * Needs /usr/bin/chromium (.ci/run installs it with apt-get); where it is missing the tests are
 * skipped, and the reason is printed.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { render } from '../../src/report/render.js';
import type { CaptureReport, ReportDocument } from '../../src/report/document.js';
import { htmlCapture, htmlRunHead, htmlRunTail } from '../../src/report/html.js';
import { CORPUS, SAMPLES } from '../support/paths.js';
import { documentOf, documentOfResults, hostileCapture } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface Opened {
  readonly page: Page;
  readonly url: string;
  readonly requests: string[];
  readonly errors: string[];
  readonly dialogs: string[];
}

describe('report: html in a browser (chromium)', function () {
  let browser: Browser | null = null;
  let dir = '';

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)`);
      this.skip();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = mkdtempSync(path.join(os.tmpdir(), 'tlsdiag-html-'));
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(doc: ReportDocument | string, name: string, all = false): Promise<Opened> {
    const file = path.join(dir, name);
    writeFileSync(file, typeof doc === 'string' ? doc : render('html', doc, { color: false, redact: false, all }));
    const url = pathToFileURL(file).href;
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const opened: Opened = { page, url, requests: [], errors: [], dialogs: [] };
    page.on('request', (r) => opened.requests.push(r.url()));
    page.on('pageerror', (e) => opened.errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && opened.errors.push(m.text()));
    page.on('dialog', (d) => {
      opened.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    return opened;
  }

  function onlyItself(o: Opened): void {
    expect(o.requests.filter((u) => u !== o.url && !u.startsWith('data:')), 'requests besides the page itself').to.deep.equal([]);
    expect(o.requests).to.include(o.url);
    expect(o.errors).to.deep.equal([]);
  }

  it('shows the verdict and the sequence diagram, and requests nothing but itself', async () => {
    const doc = await documentOf([path.join(SAMPLES, 'vsftpd-zos-auth-tls-empty-ca-list.pcap')]);
    const o = await open(doc, 'failing.html');
    try {
      const verdict = o.page.locator('.verdict').first();
      expect(await verdict.isVisible()).to.equal(true);
      expect(await verdict.innerText()).to.include('empty-ca-list-rejected');
      const svg = o.page.locator('figure.diagram svg').first();
      expect(await svg.isVisible()).to.equal(true);
      const box = (await svg.boundingBox())!;
      expect(box.width).to.be.greaterThan(500);
      expect(box.height).to.be.greaterThan(200);
      // The verdict is the first thing read: it sits above the fold, above the diagram.
      const v = (await verdict.boundingBox())!;
      expect(v.y).to.be.lessThan(300);
      expect(box.y).to.be.greaterThan(v.y);
      expect(await o.page.locator('figure.diagram svg text', { hasText: 'alert fatal illegal_parameter(47)' }).count()).to.equal(1);
      onlyItself(o);
    } finally {
      await o.page.close();
    }
  });

  it('keeps a hostile banner as text: nothing runs, nothing loads', async () => {
    const o = await open(documentOfResults([await hostileCapture()]), 'hostile.html');
    try {
      expect(await o.page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).to.equal(undefined);
      expect(await o.page.locator('script, img').count()).to.equal(0);
      expect(await o.page.locator('table.ladder').first().innerText()).to.include('<script>window.__pwned=1</script>');
      expect(o.dialogs).to.deep.equal([]);
      onlyItself(o);
    } finally {
      await o.page.close();
    }
  });

  it('with --all collapses every connection on screen, keeps the example transcript open, and print shows the details', async () => {
    const doc = await documentOf([path.join(CORPUS, 'tls13draft16-chrome55.0.2879.0-canary.pcap')]);
    const o = await open(doc, 'mixed.html', true);
    try {
      const healthyLadder = o.page.locator('details.healthy table.ladder').first();
      const failingLadder = o.page.locator('details.conn:not(.healthy) table.ladder').first();
      const products = o.page.locator('details.products table').first();
      expect(await healthyLadder.isVisible()).to.equal(false);
      expect(await failingLadder.isVisible()).to.equal(false);
      expect(await products.isVisible()).to.equal(false);
      expect(await o.page.locator('.example details.transcript table.ladder').first().isVisible()).to.equal(true);
      await o.page.emulateMedia({ media: 'print' });
      // Chromium applies the print style to a closed <details>' content after a style pass that may not
      // have run yet when emulateMedia returns (a larger page, later): wait for it, up to 5 s.
      const shown = (l: typeof products) => l.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
      expect(await shown(products), 'product messages print').to.equal(true);
      expect(await shown(failingLadder), 'a failing connection prints in full').to.equal(true);
      expect(await healthyLadder.isVisible(), 'a healthy one prints as its summary line').to.equal(false);
      const pdf = await o.page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
      onlyItself(o);
    } finally {
      await o.page.close();
    }
  });

  it('opens the grouped page of 10,000 connections at once, with its group and its healthy table', async () => {
    const cap = (await documentOf([path.join(SAMPLES, 'vsftpd-zos-auth-tls-empty-ca-list.pcap')])).captures[0];
    const g = cap.groups.groups[0];
    const streams = Array.from({ length: 50 }, (_, k) => k * 7);
    // No capture in the repository has 10,000 connections; the page is made from such a report.
    const big: CaptureReport = {
      ...cap,
      groups: {
        ...cap.groups,
        groups: [{ ...g, count: 2000, streams, last: { ...g.last, frame: 170_000 } }],
        healthy: [{ server: '10.0.0.1:443', sni: ['a.example'], version: 'TLS 1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', resumption: null, upgradedFrom: null, count: 8000, handshakeMs: { min: 1, median: 9.4, max: 36 }, streams }],
      },
    };
    const page = htmlRunHead({ name: 'tlsdiag', version: '0' }, ['big.pcap'], false) + htmlCapture(big, false) + htmlRunTail(null);
    expect(page.length).to.be.lessThan(200_000);
    const started = Date.now();
    const o = await open(page, 'big.html');
    try {
      expect(Date.now() - started, 'milliseconds to load').to.be.lessThan(5000);
      expect(await o.page.locator('.verdict').first().isVisible()).to.equal(true);
      expect(await o.page.locator('p.more', { hasText: 'The same in 1,999 more connections' }).isVisible()).to.equal(true);
      expect(await o.page.locator('table.established td', { hasText: '8,000' }).isVisible()).to.equal(true);
      expect(await o.page.locator('figure.diagram svg').count()).to.equal(1);
      onlyItself(o);
    } finally {
      await o.page.close();
    }
  });
});
