/**
 * Format dispatch: every report is rendered from the one ReportDocument (after the filters and, when
 * asked, redaction have been applied to it).
 */
import type { ReportDocument } from './document.js';
import { applyFilters, type ReportFilters } from './filter.js';
import { redactDocument } from './redact.js';
import { renderText } from './text.js';
import { renderTrace } from './trace.js';

export const FORMATS = ['text', 'json', 'trace'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface RenderOptions extends ReportFilters {
  readonly color: boolean;
  readonly redact: boolean;
}

const EXTENSIONS: Record<string, FormatName> = {
  '.txt': 'text',
  '.json': 'json',
  '.trace': 'trace',
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
    case 'trace':
      return renderTrace(d);
    case 'text':
      return renderText(d, { color: options.color });
  }
}
