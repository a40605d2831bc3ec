/**
 * A whole report in one string, from documents already in memory (the library API, the tests, the
 * rule pages' examples). It drives the same CaptureWriters the command line streams through, so a
 * report rendered here and one streamed from a 1 GB capture are made by the same code.
 */
import { readFileSync, rmSync } from 'node:fs';
import type { ReportDocument, Detail } from './document.js';
import type { ReportFilters } from './filter.js';
import { captureRedactor } from './redact.js';
import { runHead, runSeparator, runTail } from './run-format.js';
import type { BatchSummary } from './run-summary.js';
import { TempFiles } from './temp.js';
import { CaptureWriter, FORMATS, PartFile, type FormatName } from './writer.js';

export { FORMATS, type FormatName };

export interface RenderOptions extends ReportFilters {
  readonly color: boolean;
  readonly redact: boolean;
  readonly detail?: Detail;
  /** Every connection in full (text, markdown, html). */
  readonly all?: boolean;
  /** The run's summary (a batch), printed where the format prints it. */
  readonly summary?: BatchSummary | null;
}

const EXTENSIONS: Record<string, FormatName> = {
  '.txt': 'text',
  '.json': 'json',
  '.trace': 'trace',
  '.tsv': 'tsv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
};

export function formatFromFileName(file: string): FormatName | undefined {
  const m = /\.[^./\\]+$/.exec(file.toLowerCase());
  return m ? EXTENSIONS[m[0]] : undefined;
}

export function render(format: FormatName, doc: ReportDocument, options: RenderOptions): string {
  const temp = new TempFiles();
  try {
    const run = { format, detail: options.detail ?? 'compact', command: doc.command, redacted: options.redact, color: options.color } as const;
    const redactor = options.redact ? captureRedactor() : null;
    const part = new PartFile(temp.create('render'));
    part.write(runHead(run));
    doc.captures.forEach((cap, i) => {
      part.write(runSeparator(run, i));
      const writer = new CaptureWriter(
        { format, detail: run.detail, filters: options, color: options.color, all: options.all ?? false, redactor },
        part,
        temp,
      );
      writer.begin(cap.file, cap.size);
      for (const c of cap.connections) writer.addDocument(c, cap.findings.filter((f) => f.stream === c.stream));
      writer.end(cap);
    });
    part.write(runTail(run, doc.captures.length, options.summary ?? null));
    part.close();
    const text = readFileSync(part.path, 'utf8');
    rmSync(part.path, { force: true });
    return text;
  } finally {
    temp.dispose();
  }
}
