/**
 * A report printed capture by capture. For the formats whose whole-run output is the captures'
 * outputs put together (text, trace, ndjson, json), each capture's part is rendered on its own (in
 * the worker that analyzed it) and the parts are joined in input order as the renderer joins them
 * for a whole document, so that a batch never holds the whole report in memory.
 *
 * The renderers are not asked to cooperate: a part is what the renderer prints for a document of
 * one capture, less the frame it prints for a document of none (the text report's closing line
 * with the tool and the command). canStream() checks that this holds before a run relies on it.
 */
import { failedResult } from '../analyze.js';
import type { CaptureDocument, ReportDocument } from '../report/document.js';
import { SCHEMA_VERSION, captureDocument } from '../report/document.js';
import { applyFilters } from '../report/filter.js';
import { render } from '../report/render.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { PartRender, StreamedFormat } from './types.js';

const STREAMED: ReadonlySet<string> = new Set<StreamedFormat>(['text', 'json', 'trace', 'ndjson']);

function documentOf(captures: readonly CaptureDocument[], command: readonly string[], redacted: boolean): ReportDocument {
  const doc: ReportDocument = { schemaVersion: SCHEMA_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, command, captures };
  return redacted ? ({ ...doc, redacted: true } as ReportDocument) : doc;
}

function renderDoc(doc: ReportDocument, spec: PartRender): string {
  return render(spec.format, doc, { ...spec.filters, color: spec.color, redact: false });
}

/** What the renderer prints around the captures: its output for a document with none. */
export function frameOf(spec: PartRender, command: readonly string[], redacted: boolean): string {
  return spec.format === 'json' ? '' : renderDoc(documentOf([], command, redacted), spec);
}

/** One capture's part of the report; null when the renderer's output is not frame after part. */
export function renderPart(capture: CaptureDocument, spec: PartRender, redacted = false): string | null {
  const doc = documentOf([capture], [], redacted);
  if (spec.format === 'json') {
    // Indented as JSON.stringify(document, null, 2) indents an element of `captures`.
    return JSON.stringify(applyFilters(doc, spec.filters).captures[0], null, 2).replace(/^/gm, '    ');
  }
  const full = renderDoc(doc, spec);
  const frame = frameOf(spec, [], redacted);
  if (frame === '') return full;
  if (!full.endsWith('\n' + frame)) return null;
  return full.slice(0, full.length - frame.length - 1);
}

/** Whether a format can be printed capture by capture with these options. */
export function canStream(spec: PartRender): boolean {
  if (!STREAMED.has(spec.format)) return false;
  const probe = captureDocument(failedResult('probe.pcap', 0, 'not a capture file', 0));
  return renderPart(probe, spec) !== null && renderPart(probe, spec, true) !== null;
}

export function isStreamedFormat(format: string): format is StreamedFormat {
  return STREAMED.has(format);
}

/**
 * Joins parts as the whole-document renderers would: text and trace put a newline between the
 * captures that print anything, ndjson is line after line, json is the `captures` array of a
 * document whose head and tail come from jsonHead() and jsonTail().
 */
export class PartJoiner {
  private count = 0;

  constructor(private readonly format: StreamedFormat) {}

  /** What to write before the next part (of `length` bytes); null: write neither (an empty part). */
  before(length: number): string | null {
    if (this.format === 'ndjson') return '';
    if (this.format === 'json') return this.count++ === 0 ? '\n' : ',\n';
    if (length === 0) return null;
    return this.count++ === 0 ? '' : '\n';
  }

  /** The text to write for the next part. */
  next(part: string): string {
    const before = this.before(part.length);
    return before === null ? '' : before + part;
  }

  /** The text after the last part: `between` (the summary, when there is one), then the frame. */
  end(between: string, frame: string): string {
    const tail = [between, frame].filter((s) => s.length > 0).join('\n');
    return tail.length === 0 ? '' : (this.count > 0 ? '\n' : '') + tail;
  }

  /** Whether any part has been written. */
  get empty(): boolean {
    return this.count === 0;
  }
}

/**
 * The JSON document around the streamed captures: `{ "schemaVersion": 1, …, "captures": [` and,
 * after them, `]` and the remaining top-level fields (the summary), byte for byte what
 * JSON.stringify(document, null, 2) prints.
 */
export function jsonHead(command: readonly string[]): string {
  const head = JSON.stringify({ schemaVersion: SCHEMA_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, command }, null, 2);
  return head.slice(0, -2) + ',\n  "captures": [';
}

export function jsonTail(anyCapture: boolean, rest: Readonly<Record<string, unknown>>): string {
  let out = anyCapture ? '\n  ]' : ']';
  for (const [key, value] of Object.entries(rest)) {
    out += `,\n  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`;
  }
  return out + '\n}\n';
}
