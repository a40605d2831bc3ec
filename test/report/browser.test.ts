/**
 * The HTML report opened in a real browser: Debian's chromium, driven headless by playwright-core.
 * The verdict and the sequence diagram are visible, the page asks the network for nothing (only its
 * own file:// URL is requested), a hostile banner stays text, and print layout opens the details.
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
import type { ReportDocument } from '../../src/report/document.js';
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

  async function open(doc: ReportDocument, name: string): Promise<Opened> {
    const file = path.join(dir, name);
    writeFileSync(file, render('html', doc, { color: false, redact: false }));
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
      expect(await verdict.innerText()).to.include('Client rejected a CertificateRequest with an empty CA list');
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

  it('collapses healthy connections on screen and opens every failing one, and print shows the details', async () => {
    const doc = await documentOf([path.join(CORPUS, 'tls13draft16-chrome55.0.2879.0-canary.pcap')]);
    const o = await open(doc, 'mixed.html');
    try {
      const healthyLadder = o.page.locator('details.healthy table.ladder').first();
      const products = o.page.locator('details.products table').first();
      expect(await healthyLadder.isVisible()).to.equal(false);
      expect(await products.isVisible()).to.equal(false);
      expect(await o.page.locator('details.transcript table.ladder').first().isVisible()).to.equal(true);
      await o.page.emulateMedia({ media: 'print' });
      expect(await products.isVisible(), 'product messages print').to.equal(true);
      const pdf = await o.page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
      onlyItself(o);
    } finally {
      await o.page.close();
    }
  });
});
