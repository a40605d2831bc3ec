/**
 * One capture of a batch, from its source to its digest and its part of the report. Runs in a
 * worker thread, or in the main thread when the run has one job at a time.
 */
import { createReadStream } from 'node:fs';
import { Readable, type Duplex } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { analyzeCapture, type CaptureOutcome, type FinishedConnection } from '../analyze.js';
import { captureHeader } from '../report/document.js';
import { captureRedactor } from '../report/redact.js';
import { TempFiles } from '../report/temp.js';
import { CaptureWriter, PartFile, type Redactor } from '../report/writer.js';
import { CHUNK_SIZE } from '../input/limits.js';
import { ExpansionLimitError, checkExpansion } from '../input/expansion.js';
import { Stage } from '../input/stage.js';
import { digestOf } from '../report/run-summary.js';
import type { CaptureJob, CaptureSource, JobResult, JobSettings } from './types.js';
import type { CaptureProblem } from '../input/frame.js';
import { KeyLog } from '../tls-keys/keylog.js';

/** Inflated chunk size for zip members (as for gzip: src/input/source.ts explains the trade-off). */
const INFLATE_CHUNK_SIZE = 64 * 1024;

/** The bytes of an archive member as stored, checked against what the archive says of it. */
interface MemberBytes {
  readonly stream: Readable;
  /** The bound or checksum that failed, once known. */
  failure(): Error | null;
}

/** A stored member's bytes, or a deflated member's inflated bytes, with their length and CRC checked. */
function memberBytes(source: Extract<CaptureSource, { kind: 'range' }>, size: number | null, settings: JobSettings, onDisk: (n: number) => void): MemberBytes {
  const raw =
    source.length === 0
      ? Readable.from([])
      : createReadStream(source.path, { start: source.start, end: source.start + source.length - 1, highWaterMark: CHUNK_SIZE });
  const streams: [Readable, ...Duplex[]] = [raw];
  const inflate = source.method === 'deflated' ? createInflateRaw({ chunkSize: INFLATE_CHUNK_SIZE }) : null;
  if (inflate !== null) streams.push(inflate);
  let length = 0;
  let crc = 0;
  let onDiskSoFar = 0;
  const expected = source.method === 'stored' ? source.length : size;
  const stage = new Stage(streams, {
    inspect(chunk) {
      length += chunk.length;
      if (source.crc32 !== null) crc = crc32(chunk, crc);
      const disk = inflate === null ? length : inflate.bytesWritten;
      onDisk(disk - onDiskSoFar);
      onDiskSoFar = disk;
      return inflate === null ? null : checkExpansion(length, inflate.bytesWritten, settings.limits);
    },
    finish() {
      if (source.method === 'stored' && length < source.length) return new Error(`the archive ends inside this member (${length} of ${source.length} bytes)`);
      if (expected !== null && length !== expected) return new Error(`the member inflates to ${length} bytes where the archive says ${expected}`);
      if (source.crc32 !== null && crc !== source.crc32) {
        return new Error(`its CRC-32 is ${hex(crc)} where the archive says ${hex(source.crc32)}: the member is corrupt`);
      }
      return null;
    },
    describe(err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'Z_BUF_ERROR') return new Error('the member\'s deflate data ends early (the archive may be cut short)');
      if (code.startsWith('Z_')) return new Error(`corrupt deflate data in the member (${err.message})`);
      return err;
    },
  });
  return { stream: stage, failure: () => stage.failure };
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** The main thread's redactors, one per run (settings object): pseudonyms stay stable across its captures. */
const redactors = new WeakMap<JobSettings, Redactor>();

function redactorFor(settings: JobSettings): Redactor | null {
  if (!settings.render.redact) return null;
  let r = redactors.get(settings);
  if (r === undefined) redactors.set(settings, (r = captureRedactor()));
  return r;
}

const keyLogs = new WeakMap<JobSettings, { readonly log: KeyLog; readonly notes: readonly CaptureProblem[] }>();

/**
 * The run's --keylog files, parsed once per thread (a batch's captures share them: each connection
 * finds its secrets by client random). Their notes (malformed lines) go with every capture.
 */
function keyLogFor(settings: JobSettings): { readonly log: KeyLog; readonly notes: readonly CaptureProblem[] } | null {
  if (settings.keyLogs === undefined || settings.keyLogs.length === 0) return null;
  let k = keyLogs.get(settings);
  if (k === undefined) {
    const log = new KeyLog();
    const notes: CaptureProblem[] = [];
    // Redacted, a key log is named by its place on the command line, as inputs are: its path may name a person or host.
    settings.keyLogs.forEach(({ name, text }, i) => {
      const shown = settings.render.redact ? `--keylog ${i + 1}` : name;
      for (const n of log.addText(text, shown)) notes.push({ severity: n.severity, code: n.code, message: n.message });
    });
    keyLogs.set(settings, (k = { log, notes }));
  }
  return k;
}

/**
 * The name a redacted report gives a file or member that is no capture (skipped, unreadable): the
 * same pseudonym its captures get, from the run's one redactor. The name itself when not redacting.
 */
export function reportedName(settings: JobSettings, name: string): string {
  const r = redactorFor(settings);
  return r === null ? name : r.fileName(name);
}

/**
 * Analyzes one capture, writing its part of the report to a file of the run's temporary directory as
 * its connections finish. `data` carries the bytes of a `stream` source; `onDisk` hears of bytes read
 * from disk (progress). Never rejects for a bad capture: the digest carries the error.
 */
export async function runJob(job: CaptureJob, settings: JobSettings, data: Readable | null, onDisk: (n: number) => void): Promise<JobResult> {
  const keys = keyLogFor(settings);
  const options = {
    ...(settings.rules ? { rules: settings.rules } : {}),
    limits: settings.limits,
    notes: keys === null ? job.notes : [...keys.notes, ...job.notes],
    ...(keys !== null ? { keyLog: keys.log } : {}),
    ...(settings.idleTimeoutSeconds !== null ? { idleTimeoutSeconds: settings.idleTimeoutSeconds } : {}),
    ...(settings.recordHeadBytes !== undefined && settings.recordHeadBytes > 0 ? { recordHeadBytes: settings.recordHeadBytes } : {}),
  };
  const temp = new TempFiles(settings.tempDir);
  const part = new PartFile(temp.create('part'));
  const r = settings.render;
  const writer = new CaptureWriter({ format: r.format, detail: r.detail, filters: r.filters, color: r.color, all: r.all, redactor: redactorFor(settings), tz: r.tz ?? null, mergeStreams: r.mergeStreams ?? false }, part, temp);
  writer.begin(job.name, job.size);
  const sink = (c: FinishedConnection) => writer.add(c);
  let outcome: CaptureOutcome;
  const source = job.source;
  if (source.kind === 'file') {
    outcome = await analyzeCapture(createReadStream(source.path, { highWaterMark: CHUNK_SIZE }), job.name, { ...options, onStoredBytes: onDisk, hashFile: source.path }, job.size, sink);
  } else if (source.kind === 'range') {
    const member = memberBytes(source, job.size, settings, onDisk);
    outcome = await analyzeCapture(member.stream, job.name, options, job.size, sink);
    // A length or checksum failure reached the reader as a read error; a bound makes the member an error.
    const failure = member.failure();
    if (failure instanceof ExpansionLimitError) outcome = failedOutcome(outcome, job, failure.message);
  } else {
    if (data === null) throw new Error(`job ${job.name}: a stream source needs its data`);
    outcome = await analyzeCapture(data, job.name, options, job.size, sink);
    // A bound hit while the archive streamed makes the member an error of its own.
    if (data.errored instanceof ExpansionLimitError) outcome = failedOutcome(outcome, job, data.errored.message);
  }
  const report = writer.end(captureHeader(outcome));
  part.close();
  return { digest: digestOf(report), part: { path: part.path, bytes: part.bytes }, streams: writer.foundStreams, udpStreams: writer.foundUdpStreams };
}

function failedOutcome(outcome: CaptureOutcome, job: CaptureJob, message: string): CaptureOutcome {
  return { ...outcome, sha256: null, info: null, problems: [...job.notes], error: { message, offset: null } };
}
