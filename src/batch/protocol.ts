/**
 * Messages between the main thread and a worker. A worker runs one job at a time. The bytes of a
 * streamed member travel as transferred chunks, with credit: the main thread keeps at most
 * STREAM_WINDOW bytes unconsumed per job, so a member is never buffered whole.
 */
import type { CaptureJob, JobResult } from './types.js';

/** Bytes of a streamed member in flight to a worker and not yet read by it. */
export const STREAM_WINDOW = 8 * 1024 * 1024;

/** Disk bytes a worker accumulates before it reports progress. */
export const PROGRESS_STEP = 1 << 20;

export type ToWorker =
  | { readonly type: 'job'; readonly id: number; readonly job: CaptureJob }
  | { readonly type: 'chunk'; readonly id: number; readonly data: Uint8Array }
  | { readonly type: 'end'; readonly id: number }
  /** The member's bytes stopped (the archive is cut or corrupt, or a bound was hit). */
  | { readonly type: 'abort'; readonly id: number; readonly message: string; readonly limit: boolean };

export type FromWorker =
  | { readonly type: 'progress'; readonly id: number; readonly bytes: number }
  /** Bytes of the streamed member read so far: credit for more. */
  | { readonly type: 'consumed'; readonly id: number; readonly bytes: number }
  | { readonly type: 'result'; readonly id: number; readonly result: JobResult }
  /** The job threw: a bug, reported as an internal error. */
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
