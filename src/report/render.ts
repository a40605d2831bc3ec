/**
 * Format dispatch: every report is rendered from the one ReportDocument (after the filters and, when
 * asked, redaction have been applied to it). The formats people read get a copy without control
 * or bidi-override characters (printable.ts); the machine formats get the data as decoded.
 */
import type { ReportDocument } from './document.js';
import { applyFilters, type ReportFilters } from './filter.js';
import { redactDocument } from './redact.js';
import { renderText } from './text.js';
import { renderTrace } from './trace.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { renderNdjson } from './ndjson.js';
import { printableDocument } from './printable.js';

export const FORMATS = ['text', 'json', 'ndjson', 'markdown', 'html', 'trace'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface RenderOptions extends ReportFilters {
  readonly color: boolean;
  readonly redact: boolean;
}

const EXTENSIONS: Record<string, FormatName> = {
  '.txt': 'text',
  '.json': 'json',
  '.trace': 'trace',
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
  let d = applyFilters(doc, options);
  if (options.redact) d = redactDocument(d);
  switch (format) {
    case 'json':
      return JSON.stringify(d, null, 2) + '\n';
    case 'ndjson':
      return renderNdjson(d);
    case 'markdown':
      return renderMarkdown(printableDocument(d));
    case 'html':
      return renderHtml(printableDocument(d));
    case 'trace':
      return renderTrace(printableDocument(d));
    case 'text':
      return renderText(printableDocument(d), { color: options.color });
  }
}
