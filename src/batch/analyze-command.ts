/**
 * `tlsdiag analyze`: plan the inputs, run the batch, print the report as the captures finish (in
 * input order), the summary at the end, and one line on standard error for every input that is
 * skipped or cannot be read. Returns what the exit status is made of.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { fsMessage } from '../analyze.js';
import type { CaptureDocument, ReportDocument } from '../report/document.js';
import { SCHEMA_VERSION } from '../report/document.js';
import type { ReportFilters } from '../report/filter.js';
import { captureRedactor } from '../report/redact.js';
import { render, type FormatName } from '../report/render.js';
import type { Severity } from '../findings/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { planInputs } from './inputs.js';
import type { ExpansionLimits } from '../input/expansion.js';
import { PartJoiner, canStream, frameOf, isStreamedFormat, jsonHead, jsonTail, renderPart } from './parts.js';
import { ProgressBar } from './progress.js';
import { runBatch, type BatchEvent } from './run.js';
import { SummaryBuilder, digestOf } from './summary.js';
import { renderSummaryText, wantsSummary } from './summary-text.js';
import type { JobSettings, PartRender } from './types.js';

/**
 * Files that sit beside captures and are plainly something else: their READMEs and the TLS key logs
 * recorded with them. They are counted in the summary but get no stderr line each; every other file
 * that is not a capture is named.
 */
const OBVIOUSLY_NOT_A_CAPTURE = /(^|[\\/!])(README[^\\/]*|LICENSE[^\\/]*|[^\\/]+\.(md|keys))$/i;

export interface AnalyzeRequest {
  readonly inputs: readonly string[];
  /** The arguments as given, for the report's `command`. */
  readonly command: readonly string[];
  readonly format: FormatName;
  readonly output: string | null;
  readonly filters: ReportFilters;
  readonly redact: boolean;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly jobs: number;
  readonly rules: readonly string[] | null;
  readonly limits: ExpansionLimits;
  /** Draw the progress line (standard error is a terminal and --quiet is off). */
  readonly progress: boolean;
}

export interface AnalyzeOutcome {
  /** Captures analyzed or attempted. */
  readonly captures: number;
  /** Inputs (or parts of them) that could not be read. */
  readonly unreadable: number;
  /** Jobs that failed for a bug. */
  readonly internal: number;
  readonly worst: Severity | null;
  /** Nothing to analyze was found. */
  readonly nothing: boolean;
}

/** Writes with backpressure; a closed pipe (`| head`) ends the writing quietly, other errors are kept. */
class Out {
  private broken = false;
  /** Why the report could not be written (not a closed pipe). */
  failure: Error | null = null;

  constructor(readonly stream: Writable) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.broken = true;
      if (err.code !== 'EPIPE') this.failure ??= err;
    });
  }

  async write(text: string | Uint8Array): Promise<void> {
    if (this.broken || text.length === 0) return;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }

  async end(): Promise<void> {
    if (this.stream === process.stdout || this.broken) return;
    await new Promise<void>((resolve) => {
      this.stream.once('error', () => resolve());
      this.stream.end(resolve);
    });
  }
}

export async function analyzeCommand(req: AnalyzeRequest): Promise<AnalyzeOutcome> {
  const plan = await planInputs(req.inputs);
  if (plan.captures === 0 && plan.streams === 0 && !plan.items.some((i) => i.type === 'error')) {
    process.stderr.write(`tlsdiag: no capture files found in ${req.inputs.join(', ')}\n`);
    return { captures: 0, unreadable: 0, internal: 0, worst: null, nothing: true };
  }
  // One capture: no worker threads to start.
  const jobs = plan.streams === 0 && plan.captures <= 1 ? 1 : req.jobs;

  const candidate: PartRender | null = isStreamedFormat(req.format) ? { format: req.format, color: req.color, filters: req.filters } : null;
  // Redacted JSON names its command line in pseudonyms learnt from every capture: it is rendered whole.
  const spec = candidate !== null && !(req.redact && req.format === 'json') && canStream(candidate) ? candidate : null;
  const streamed = spec !== null;
  const settings: JobSettings = { rules: req.rules, limits: req.limits, render: spec !== null && !req.redact ? spec : null };
  const redactor = req.redact && streamed ? captureRedactor() : null;

  const out = new Out(req.output !== null ? createWriteStream(req.output) : process.stdout);
  if (req.output !== null) {
    // A report that cannot be written is known before hours of analysis, not after.
    await new Promise<void>((resolve) => {
      out.stream.once('ready', resolve);
      out.stream.once('error', () => resolve());
    });
    if (out.failure !== null) {
      process.stderr.write(`tlsdiag: cannot write ${req.output}: ${fsMessage(out.failure)}\n`);
      return { captures: 0, unreadable: 1, internal: 0, worst: null, nothing: false };
    }
  }
  const progress = req.progress ? new ProgressBar(process.stderr, { captures: plan.captures, open: plan.streams > 0, bytes: plan.diskBytes }) : null;
  const stdoutIsTerminal = req.output === null && process.stdout.isTTY === true;
  const say = (line: string) => {
    progress?.clear();
    process.stderr.write(line + '\n');
  };
  const print = async (text: string | Uint8Array) => {
    if (stdoutIsTerminal) progress?.clear();
    await out.write(text);
  };

  const summary = new SummaryBuilder();
  const collected: CaptureDocument[] = [];
  const joiner = spec !== null ? new PartJoiner(spec.format) : null;
  let unreadable = 0;
  let internal = 0;

  if (spec?.format === 'json') await print(jsonHead(req.command));

  const onEvent = async (e: BatchEvent): Promise<void> => {
    switch (e.type) {
      case 'capture': {
        const d = e.result.digest;
        if (d.error !== null) say(`${d.file}: ${d.error}`);
        for (const message of d.readErrors) say(`${d.file}: ${message}`);
        if (d.error !== null || d.readErrors.length > 0) unreadable++;
        if (!req.quiet) for (const note of e.job.notes) say(`${d.file}: warning: ${note.message}`);
        let part = e.result.part;
        let digest = d;
        const doc = e.result.document;
        if (part === null && doc !== null) {
          if (redactor !== null && spec !== null) {
            // The summary is built from the redacted document, so that it names what the report names.
            const redacted = redactor(doc);
            digest = digestOf(redacted);
            const text = renderPart(redacted, spec, true);
            if (text === null) throw new Error(`the ${spec.format} renderer's output for ${redacted.file} is not a part followed by its frame`);
            part = Buffer.from(text, 'utf8');
          } else {
            collected.push(doc);
          }
        }
        summary.addCapture(digest);
        for (const note of e.job.notes) summary.addWarning(digest.file, note.message);
        if (part !== null && joiner !== null) {
          const before = joiner.before(part.length);
          if (before !== null) {
            await print(before);
            await print(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
          }
        }
        break;
      }
      case 'skipped':
        summary.addSkipped(e.name, e.reason);
        if (!req.quiet && !OBVIOUSLY_NOT_A_CAPTURE.test(e.name)) say(`${e.name}: skipped (${e.reason})`);
        break;
      case 'error':
        summary.addError(e.name, e.message);
        unreadable++;
        say(`${e.name}: ${e.message}`);
        break;
      case 'note':
        summary.addWarning(e.name, e.message);
        if (!req.quiet) say(`${e.name}: warning: ${e.message}`);
        break;
      case 'internal': {
        internal++;
        const first = e.message.split('\n')[0];
        summary.addError(e.name, `internal error: ${first}`);
        say(`${e.name}: internal error (a bug in tlsdiag, please report it): ${first}`);
        break;
      }
    }
  };

  progress?.start();
  try {
    await runBatch(plan, { jobs, settings, progress }, onEvent);
  } finally {
    progress?.stop();
  }

  const built = summary.build();
  if (spec !== null && joiner !== null) {
    if (spec.format === 'json') await print(jsonTail(!joiner.empty, { summary: built }));
    else {
      const between = spec.format === 'text' && wantsSummary(built) ? renderSummaryText(built, req.color) : '';
      await print(joiner.end(between, frameOf(spec, req.command, req.redact)));
    }
  } else {
    const doc = { ...wholeDocument(req.command, collected), summary: built } as ReportDocument;
    await print(render(req.format, doc, { ...req.filters, color: req.color, redact: req.redact }));
  }
  await out.end();
  if (out.failure !== null) {
    process.stderr.write(`tlsdiag: cannot write ${req.output ?? 'the report'}: ${fsMessage(out.failure)}\n`);
    unreadable++;
  }
  return { captures: built.captures, unreadable, internal, worst: summary.worst, nothing: false };
}

function wholeDocument(command: readonly string[], captures: readonly CaptureDocument[]): ReportDocument {
  return { schemaVersion: SCHEMA_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, command, captures };
}
