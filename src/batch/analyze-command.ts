/**
 * `tlsdiag analyze`: plan the inputs, run the batch, print the report as the captures finish (in
 * input order), the summary at the end, and one line on standard error for every input that is
 * skipped or cannot be read. Returns what the exit status is made of.
 */
import { printable } from '../report/printable.js';
import { createWriteStream, promises as fsp, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { fsMessage } from '../analyze.js';
import type { Detail } from '../report/document.js';
import type { ReportFilters } from '../report/filter.js';
import { runHead, runSeparator, runTail, type RunSettings } from '../report/run-format.js';
import { TempFiles, removeUnlessDone } from '../report/temp.js';
import type { FormatName } from '../report/writer.js';
import type { Severity } from '../findings/types.js';
import { planInputs } from './inputs.js';
import type { ExpansionLimits } from '../input/expansion.js';
import { ProgressBar } from './progress.js';
import { runBatch, type BatchEvent } from './run.js';
import { SummaryBuilder } from '../report/run-summary.js';
import { wantsSummary } from '../report/summary-text.js';
import type { JobSettings, KeyLogText } from './types.js';
import { reportedName } from './job.js';

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
  /** compact or full (json, ndjson). */
  readonly detail: Detail;
  /** Every connection in full (text, markdown, html). */
  readonly all: boolean;
  /** Conversations idle this long (capture time, seconds) are closed; null for the default. */
  readonly idleTimeoutSeconds: number | null;
  /** `--hex`: each TLS record's first bytes on its event (0: none). */
  readonly recordHeadBytes?: number;
  readonly output: string | null;
  readonly filters: ReportFilters;
  readonly redact: boolean;
  /** trace: the time zone of absolute times (null: UTC). */
  readonly tz?: string | null;
  /** trace: every connection of a capture in one time-ordered list. */
  readonly mergeStreams?: boolean;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly jobs: number;
  readonly rules: readonly string[] | null;
  readonly limits: ExpansionLimits;
  /** Draw the progress line (standard error is a terminal and --quiet is off). */
  readonly progress: boolean;
  /** --keylog files, read (NSS key log text). */
  readonly keyLogs?: readonly KeyLogText[];
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
  /** A --stream index that no capture has (a usage error, said on standard error). */
  readonly missingStreams?: readonly number[];
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

  /**
   * Writes bytes the caller will overwrite afterwards: resolves only once the stream is done with
   * them (its write callback), so one buffer can carry a whole part file.
   */
  async writeBorrowed(chunk: Uint8Array): Promise<void> {
    if (this.broken || chunk.length === 0) return;
    await new Promise<void>((resolve) => {
      this.stream.write(chunk, () => resolve());
    });
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
  const nothing = plan.captures === 0 && plan.streams === 0 && !plan.items.some((i) => i.type === 'error');
  const noCaptures = `tlsdiag: no capture files found in ${printable(req.inputs.join(', '))}\n`;
  if (nothing && plan.items.length === 0) {
    process.stderr.write(noCaptures);
    return { captures: 0, unreadable: 0, internal: 0, worst: null, nothing: true };
  }
  // Nothing to analyze but something to say (a corrupt zip's members skipped, and why): the run goes
  // on, so that each reason gets its line and --format json still prints a document.
  // One capture: no worker threads to start. --redact: one redactor sees every capture, so that a
  // name has the same pseudonym throughout the report.
  const jobs = (plan.streams === 0 && plan.captures <= 1) || req.redact ? 1 : req.jobs;

  const temp = new TempFiles();
  const command = req.redact ? redactedCommand(req.command, req.inputs) : req.command;
  const run: RunSettings = { format: req.format, detail: req.detail, command, redacted: req.redact, color: req.color };
  const settings: JobSettings = {
    rules: req.rules,
    limits: req.limits,
    render: { format: req.format, detail: req.detail, color: req.color, all: req.all, filters: req.filters, redact: req.redact, tz: req.tz ?? null, mergeStreams: req.mergeStreams ?? false },
    tempDir: temp.dir,
    idleTimeoutSeconds: req.idleTimeoutSeconds,
    ...(req.keyLogs !== undefined && req.keyLogs.length > 0 ? { keyLogs: req.keyLogs } : {}),
    recordHeadBytes: req.recordHeadBytes ?? 0,
  };

  if (req.output !== null) {
    const clash = await outputClash(req.output, req.inputs);
    if (clash !== null) {
      process.stderr.write(`tlsdiag: ${printable(clash)}\n`);
      temp.dispose();
      return { captures: 0, unreadable: 1, internal: 0, worst: null, nothing: false };
    }
  }
  // The report is written under a temporary name beside its destination and renamed when complete,
  // so that a run that fails or is stopped leaves no empty or partial report over an older one.
  const partial = req.output !== null ? partialName(req.output) : null;
  const done = partial !== null ? removeUnlessDone(partial) : null;
  const out = new Out(partial !== null ? createWriteStream(partial) : process.stdout);
  if (req.output !== null) {
    // A report that cannot be written is known before hours of analysis, not after.
    await new Promise<void>((resolve) => {
      out.stream.once('ready', resolve);
      out.stream.once('error', () => resolve());
    });
    if (out.failure !== null) {
      process.stderr.write(`tlsdiag: cannot write ${printable(req.output)}: ${fsMessage(out.failure)}\n`);
      temp.dispose();
      if (partial !== null) rmSync(partial, { force: true });
      done?.();
      return { captures: 0, unreadable: 1, internal: 0, worst: null, nothing: false };
    }
  }
  const progress = req.progress ? new ProgressBar(process.stderr, { captures: plan.captures, open: plan.streams > 0, bytes: plan.diskBytes }) : null;
  const stdoutIsTerminal = req.output === null && process.stdout.isTTY === true;
  const say = (line: string) => {
    progress?.clear();
    // A file or member name may hold ESC or BEL sequences, or bidi controls: shown as escapes.
    process.stderr.write(printable(line) + '\n');
  };
  const print = async (text: string | Uint8Array) => {
    if (stdoutIsTerminal) progress?.clear();
    await out.write(text);
  };

  const summary = new SummaryBuilder();
  let parts = 0;
  let unreadable = 0;
  const streamsFound = new Set<number>();
  const udpStreamsFound = new Set<number>();
  let internal = 0;

  await print(runHead(run));

  const onEvent = async (e: BatchEvent): Promise<void> => {
    switch (e.type) {
      case 'capture': {
        const d = e.result.digest;
        if (d.error !== null) say(`${d.file}: ${d.error}`);
        for (const message of d.readErrors) say(`${d.file}: ${message}`);
        if (d.error !== null || d.readErrors.length > 0) unreadable++;
        if (!req.quiet) for (const note of e.job.notes) say(`${d.file}: warning: ${note.message}`);
        summary.addCapture(d);
        for (const n of e.result.streams) streamsFound.add(n);
        for (const n of e.result.udpStreams ?? []) udpStreamsFound.add(n);
        for (const note of e.job.notes) summary.addWarning(d.file, note.message);
        const part = e.result.part;
        if (part.bytes > 0) {
          await print(runSeparator(run, parts++));
          await copyPart(part.path, () => { if (stdoutIsTerminal) progress?.clear(); }, out);
        }
        rmSync(part.path, { force: true });
        break;
      }
      case 'skipped':
        summary.addSkipped(reportedName(settings, e.name), e.reason);
        if (!req.quiet && !OBVIOUSLY_NOT_A_CAPTURE.test(e.name)) say(`${e.name}: skipped (${e.reason})`);
        break;
      case 'error':
        summary.addError(reportedName(settings, e.name), e.message);
        unreadable++;
        say(`${e.name}: ${e.message}`);
        break;
      case 'note':
        summary.addWarning(reportedName(settings, e.name), e.message);
        if (!req.quiet) say(`${e.name}: warning: ${e.message}`);
        break;
      case 'internal': {
        internal++;
        const first = e.message.split('\n')[0];
        summary.addError(reportedName(settings, e.name), `internal error: ${first}`);
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
  // JSON always carries the summary; the formats people read show it when it says something.
  const shown = run.format === 'json' || wantsSummary(built) ? built : null;
  await print(runTail(run, parts, shown));
  await out.end();
  temp.dispose();
  if (partial !== null && req.output !== null) {
    if (out.failure === null) {
      try {
        renameSync(partial, req.output);
      } catch (err) {
        out.failure = err as Error;
      }
    }
    rmSync(partial, { force: true });
    done?.();
  }
  if (out.failure !== null) {
    process.stderr.write(`tlsdiag: cannot write ${printable(req.output ?? 'the report')}: ${fsMessage(out.failure)}\n`);
    unreadable++;
  }
  // A --stream that names no connection of any capture is a mistake (a typo, the wrong capture),
  // not an empty report: said after the analysis, since only reading the captures can tell.
  const asked = req.filters.streams ?? [];
  const missingStreams = [...new Set(asked.filter((n) => !streamsFound.has(n)))];
  if (missingStreams.length > 0 && built.captures > 0) {
    const which = missingStreams.length === 1 ? `tcp.stream ${missingStreams[0]}` : `tcp.streams ${missingStreams.join(', ')}`;
    process.stderr.write(`tlsdiag: --stream: no ${which} in ${built.captures === 1 ? 'the capture' : 'any capture'} (Wireshark's tcp.stream numbers, from 0)\n`);
  }
  const missingUdp = [...new Set((req.filters.udpStreams ?? []).filter((n) => !udpStreamsFound.has(n)))];
  if (missingUdp.length > 0 && built.captures > 0) {
    const which = missingUdp.length === 1 ? `DTLS or QUIC connection at udp.stream ${missingUdp[0]}` : `DTLS or QUIC connections at udp.streams ${missingUdp.join(', ')}`;
    process.stderr.write(`tlsdiag: --udp-stream: no ${which} in ${built.captures === 1 ? 'the capture' : 'any capture'} (Wireshark's udp.stream numbers, from 0)\n`);
    missingStreams.push(...missingUdp.filter((n) => !missingStreams.includes(n)));
  }
  if (nothing) process.stderr.write(noCaptures);
  return { captures: built.captures, unreadable, internal, worst: summary.worst, nothing, ...(missingStreams.length > 0 ? { missingStreams } : {}) };
}

/** The temporary name a report is written under: hidden, beside its destination, unique to this process. */
function partialName(output: string): string {
  return path.join(path.dirname(output), `.${path.basename(output)}.${process.pid}.partial`);
}

/** The real path of a file that may not exist yet: its directory's real path and its name. */
async function realPathOf(file: string): Promise<string> {
  try {
    return await fsp.realpath(file);
  } catch {
    try {
      return path.join(await fsp.realpath(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}

/**
 * Why the report must not be written where asked: it is one of the inputs (after links are
 * resolved), or it lies inside an input directory that is being read. Null when it may.
 */
export async function outputClash(output: string, inputs: readonly string[]): Promise<string | null> {
  const target = await realPathOf(output);
  for (const input of inputs) {
    let real: string;
    let directory: boolean;
    try {
      real = await fsp.realpath(input);
      directory = (await fsp.stat(real)).isDirectory();
    } catch {
      continue;
    }
    if (target === real) return `the report ${output} would overwrite the input ${input}: write it elsewhere (nothing was written)`;
    if (directory && target.startsWith(real.endsWith(path.sep) ? real : real + path.sep)) {
      return `the report ${output} would be written inside ${input}, an input directory being read: write it elsewhere (nothing was written)`;
    }
  }
  return null;
}

/** Options whose value names a host or a customer: a redacted command line hides the value. */
const NAMING_OPTIONS = new Set(['--host', '--sni', '--keylog']);

/**
 * The command line of a redacted report: input paths become `input-1`, `input-2` (a path names hosts
 * and customers as often as a file name does), and so does the --output path; the values of
 * --host and --sni become `(redacted)`; other options stay.
 */
export function redactedCommand(command: readonly string[], inputs: readonly string[]): string[] {
  const names = new Map<string, string>();
  inputs.forEach((input) => {
    if (input !== '-' && !names.has(input)) names.set(input, `input-${names.size + 1}`);
  });
  return command.map((arg, i) => {
    const input = names.get(arg);
    if (input !== undefined) return input;
    const before = i > 0 ? command[i - 1] : '';
    if (before === '-o' || before === '--output') return 'report';
    if (NAMING_OPTIONS.has(before)) return '(redacted)';
    const eq = /^(--output|--host|--sni|--keylog)=(.*)$/.exec(arg);
    return eq ? `${eq[1]}=${eq[1] === '--output' ? 'report' : '(redacted)'}` : arg;
  });
}

/**
 * Copies a part file to the report through one reused buffer, each chunk written before the next is
 * read. A new buffer per chunk would leave up to the 64 MB of V8's external-memory slack waiting for
 * a garbage collection that the copy, which allocates almost nothing else, never triggers: that was
 * the peak of a JSON run's memory.
 */
async function copyPart(path: string, before: () => void, out: Out): Promise<void> {
  const file = await fsp.open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      before();
      await out.writeBorrowed(buf.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
}
