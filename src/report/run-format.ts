/**
 * What a format prints around the captures of a run: the JSON document's head and tail, the
 * Markdown title, the HTML page, the batch summary and the closing line of the text report. Each
 * capture's part comes from a CaptureWriter (src/report/writer.ts); this file joins them.
 */
import type { Detail } from './document.js';
import { SCHEMA_VERSION } from './document.js';
import { htmlRunHead, htmlRunTail } from './html.js';
import { markdownRunHead, markdownRunTail } from './markdown.js';
import type { BatchSummary } from './run-summary.js';
import { textRunTail } from './text.js';
import { tsvHeader } from './tsv.js';
import type { FormatName } from './writer.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export interface RunSettings {
  readonly format: FormatName;
  readonly detail: Detail;
  readonly command: readonly string[];
  readonly redacted: boolean;
  readonly color: boolean;
}

const TOOL = { name: TOOL_NAME, version: TOOL_VERSION };

/** Before the first capture. */
export function runHead(s: RunSettings): string {
  switch (s.format) {
    case 'json': {
      const head = JSON.stringify({ schemaVersion: SCHEMA_VERSION, tool: TOOL, command: s.command, detail: s.detail, ...(s.redacted ? { redacted: true } : {}) }, null, 2);
      return head.slice(0, -2) + ',\n  "captures": [';
    }
    case 'markdown':
      return markdownRunHead(TOOL, s.command, s.redacted);
    case 'html':
      return htmlRunHead(TOOL, s.command, s.redacted);
    case 'tsv':
      return tsvHeader();
    default:
      return '';
  }
}

/** Before the part of capture number `index` (0-based) whose part is not empty. */
export function runSeparator(s: RunSettings, index: number): string {
  switch (s.format) {
    case 'json':
      return index === 0 ? '\n' : ',\n';
    case 'text':
      return index === 0 ? '' : '\n';
    default:
      return '';
  }
}

/** After the last capture: the summary (null: none for this run) and the format's close. */
export function runTail(s: RunSettings, captures: number, summary: BatchSummary | null): string {
  switch (s.format) {
    case 'json': {
      let out = captures > 0 ? '\n  ]' : ']';
      if (summary !== null) out += `,\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}`;
      return out + '\n}\n';
    }
    case 'text':
      return (captures > 0 ? '\n' : '') + textRunTail(summary, TOOL, s.command, s.redacted, s.color);
    case 'markdown':
      return markdownRunTail(summary);
    case 'html':
      return htmlRunTail(summary);
    default:
      return '';
  }
}
