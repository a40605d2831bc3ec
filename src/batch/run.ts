/**
 * A batch run: every item of the plan, captures analyzed side by side on a pool, events delivered
 * in input order. tar.gz archives are streamed when the run reaches them, their capture members
 * handed to the pool as they come out of the decompressor.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fsMessage } from '../analyze.js';
import { CHUNK_SIZE } from '../input/limits.js';
import type { PlanItem, Plan } from './inputs.js';
import { checkExpansion } from '../input/expansion.js';
import { InOrder } from './ordered.js';
import { InternalError, Pool } from './pool.js';
import type { ProgressBar } from './progress.js';
import { Stage } from '../input/stage.js';
import { CompressionMarks, walkTarStream, type StreamedEntry } from './tar-stream.js';
import type { CaptureJob, JobResult, JobSettings } from './types.js';

export type BatchEvent =
  | { readonly type: 'capture'; readonly job: CaptureJob; readonly result: JobResult }
  | { readonly type: 'skipped'; readonly name: string; readonly reason: string }
  | { readonly type: 'error'; readonly name: string; readonly message: string }
  | { readonly type: 'note'; readonly name: string; readonly message: string }
  /** A bug: the job threw, or its worker died. */
  | { readonly type: 'internal'; readonly name: string; readonly message: string };

export interface BatchOptions {
  /** Worker threads; 1 runs every job in the main thread. */
  readonly jobs: number;
  readonly settings: JobSettings;
  readonly progress?: ProgressBar | null;
}

/** Finished results held for their turn, per worker: enough to keep every worker busy. */
const WINDOW_PER_JOB = 4;

/** gzip output chunks of a streamed archive (src/input/source.ts measured the trade-off). */
const GUNZIP_CHUNK_SIZE = 64 * 1024;

export async function runBatch(plan: Plan, options: BatchOptions, onEvent: (e: BatchEvent) => Promise<void>): Promise<void> {
  const pool = new Pool(options.jobs <= 1 ? 0 : options.jobs, options.settings);
  const progress = options.progress ?? null;
  const order = new InOrder<BatchEvent>(onEvent, Math.max(2, options.jobs) * WINDOW_PER_JOB);
  let streamsLeft = plan.streams;
  if (streamsLeft === 0) progress?.close();

  const startJob = async (job: CaptureJob, data: Readable | null, owned = false): Promise<void> => {
    await order.room();
    const ticket = order.take();
    const slot = await pool.acquire();
    const started = slot.start(job, data, (n) => progress?.addBytes(n));
    // A stream this run opened (standard input, a pipe) is let go when its job is done, read to
    // its end or not (a capture that stops early leaves bytes unread, and `fed` waits for its end).
    if (owned && data !== null) void started.result.then(() => data.destroy(), () => data.destroy());
    started.result.then(
      (result) => {
        pool.release(slot);
        progress?.captureDone();
        order.complete(ticket, { type: 'capture', job, result });
      },
      (err: unknown) => {
        pool.release(slot);
        progress?.captureDone();
        const message = err instanceof InternalError ? err.message : String(err);
        order.complete(ticket, { type: 'internal', name: job.name, message });
      },
    );
    await started.fed;
  };

  const now = async (e: BatchEvent): Promise<void> => {
    await order.room();
    order.complete(order.take(), e);
  };

  try {
    for (const item of plan.items) {
      if (item.type === 'capture') await startJob(item.job, null);
      else if (item.type === 'piped') await startJob(item.job, openPiped(item.path), true);
      else if (item.type === 'tar-stream') {
        await streamArchive(item, options, progress, startJob, now);
        if (--streamsLeft === 0) progress?.close();
      } else await now(item);
    }
    await order.drained();
  } finally {
    await pool.close();
  }
}

/** Standard input or a named pipe, read front to back in large chunks (never sought). */
function openPiped(p: string | null): Readable {
  return p === null ? process.stdin : createReadStream(p, { highWaterMark: CHUNK_SIZE });
}

/** A tar.gz: decompressed (bounded) and walked as it streams. */
async function streamArchive(
  item: Extract<PlanItem, { type: 'tar-stream' }>,
  options: BatchOptions,
  progress: ProgressBar | null,
  startJob: (job: CaptureJob, data: Readable | null) => Promise<void>,
  now: (e: BatchEvent) => Promise<void>,
): Promise<void> {
  const limits = options.settings.limits;
  const counted = new Stage([createReadStream(item.path, { highWaterMark: CHUNK_SIZE })], {
    inspect(chunk) {
      progress?.addBytes(chunk.length);
      return null;
    },
  });
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_SIZE });
  const marks = new CompressionMarks();
  let inflated = 0;
  // The whole archive is held to the ratio (each member to both bounds, in walkTarStream).
  const archiveLimits = { maxBytes: Number.MAX_SAFE_INTEGER, maxRatio: limits.maxRatio };
  const tar = new Stage([counted, gunzip], {
    inspect(chunk) {
      inflated += chunk.length;
      marks.note(chunk.length, gunzip.bytesWritten);
      return checkExpansion(inflated, gunzip.bytesWritten, archiveLimits);
    },
    describe(err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'Z_BUF_ERROR') return new Error(`gzip data ends early (${err.message})`);
      if (code.startsWith('Z_')) return new Error(`corrupt gzip data (${err.message})`);
      return new Error(fsMessage(err));
    },
  });
  const onEntry = async (entry: StreamedEntry): Promise<void> => {
    if (entry.type === 'stream') {
      progress?.captureFound();
      await startJob(entry.job, entry.data);
    } else {
      await now(entry);
    }
  };
  try {
    const walked = await walkTarStream(tar, item.name, { limits, compressedAt: (offset) => marks.at(offset) }, onEntry);
    for (const message of walked.notes) await now({ type: 'note', name: item.name, message });
    if (walked.error !== null) await now({ type: 'error', name: item.name, message: walked.error });
  } catch (err) {
    // The archive's own stream failed (corrupt or cut gzip, a bound): `describe` worded it.
    await now({ type: 'error', name: item.name, message: `${err instanceof Error ? err.message : String(err)}: the rest of the archive is not read` });
  } finally {
    tar.destroy();
  }
}
