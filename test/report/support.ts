// Report documents for the report tests: real samples and corpus captures, and one hostile capture
// built here (an FTP server whose banner is markup), analysed once per test run.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { CaptureResult } from '../../src/analyze.js';
import { reportDocument, type ReportDocument } from '../../src/report/document.js';
import { FORMATS, render, type FormatName, type RenderOptions } from '../../src/report/render.js';
import { analyzed } from '../support/analyze.js';
import { analyzeBytes, clientHello, concatBytes, conversationPcap, record } from '../support/conversation.js';
import { CORPUS, SAMPLES } from '../support/paths.js';

/** Every capture directly in samples/ and samples/pcapng/, by path. */
export function samplePaths(): string[] {
  const list = (dir: string) =>
    readdirSync(dir)
      .filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  return [...list(SAMPLES), ...list(path.join(SAMPLES, 'pcapng'))];
}

export function corpusPaths(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))
    .sort()
    .map((f) => path.join(CORPUS, f));
}

/** The report document of some captures (by path), with the command line a test chooses. */
export async function documentOf(paths: readonly string[], command: readonly string[] = ['tlsdiag-test']): Promise<ReportDocument> {
  const results: CaptureResult[] = [];
  for (const p of paths) results.push(await analyzed(p));
  return reportDocument(results, command);
}

export function documentOfResults(results: readonly CaptureResult[], command: readonly string[] = ['tlsdiag-test']): ReportDocument {
  return reportDocument(results, command);
}

/** Every format of one document. */
export function allFormats(doc: ReportDocument, options: Partial<RenderOptions> = {}): Record<FormatName, string> {
  const out = {} as Record<FormatName, string>;
  for (const f of FORMATS) out[f] = render(f, doc, { color: false, redact: false, ...options });
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/** The banner the hostile FTP server greets with: markup, markdown, a terminal escape, a host name. */
export const HOSTILE_BANNER =
  '220 <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> | a|b *bold* _u_ `tick` [x](http://evil.example/) \x1b[2J ftp.secret-corp.example.com';
export const HOSTILE_USER = 'alice.admin';
export const HOSTILE_PASSWORD = 'hunter2-Secret';

let hostile: Promise<CaptureResult> | null = null;

/**
 * An explicit FTPS session recorded nowhere: no real server here sends markup in its banner, so the
 * capture is built. The client logs in (USER/PASS in plaintext, as FTP allows before AUTH TLS),
 * asks for AUTH TLS, sends a ClientHello, and the server answers with a fatal handshake_failure.
 */
export function hostileCapture(): Promise<CaptureResult> {
  hostile ??= analyzeBytes(
    conversationPcap(
      [
        { from: 'server', data: text(`${HOSTILE_BANNER}\r\n`) },
        { from: 'client', data: text(`USER ${HOSTILE_USER}\r\n`) },
        { from: 'server', data: text('331 Please specify the password.\r\n') },
        { from: 'client', data: text(`PASS ${HOSTILE_PASSWORD}\r\n`) },
        { from: 'server', data: text('230 Login successful.\r\n') },
        { from: 'client', data: text('AUTH TLS\r\n') },
        { from: 'server', data: text('234 Proceed with negotiation.\r\n') },
        { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0x002f, 0x0035])) },
        { from: 'server', data: record(21, 0x0303, concatBytes([2, 40])) },
        { from: 'server', close: 'fin' },
        { from: 'client', close: 'fin' },
      ],
      { client: '10.9.8.7', server: '10.9.8.6', clientPort: 40021, serverPort: 21 },
    ),
    'hostile <b>ftp</b> | capture.pcap',
  );
  return hostile;
}
