/**
 * Where jobs run: a pool of worker threads, or the main thread itself when one job at a time is
 * asked for (no thread to start, nothing to copy). Both run the same runJob.
 */
import { Worker } from 'node:worker_threads';
import { finished } from 'node:stream';
import type { Readable } from 'node:stream';
import { runJob } from './job.js';
import { ExpansionLimitError } from '../input/expansion.js';
import { STREAM_WINDOW, type FromWorker, type ToWorker } from './protocol.js';
import type { CaptureJob, JobResult, JobSettings } from './types.js';

/** A job under way: `fed` settles once a streamed member's bytes have all been handed over. */
export interface Started {
  readonly fed: Promise<void>;
  readonly result: Promise<JobResult>;
}

export interface Slot {
  start(job: CaptureJob, data: Readable | null, onDisk: (n: number) => void): Started;
}

/** A job failed for a reason that is a bug of tlsdiag, not a property of the capture. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}

function whenRead(data: Readable | null): Promise<void> {
  return data === null ? Promise.resolve() : new Promise((resolve) => finished(data, () => resolve()));
}

class LocalSlot implements Slot {
  constructor(private readonly settings: JobSettings) {}

  start(job: CaptureJob, data: Readable | null, onDisk: (n: number) => void): Started {
    const result = runJob(job, this.settings, data, onDisk).catch((err: unknown) => {
      // Let go of a streamed member, so that the archive's walk goes on.
      data?.destroy();
      throw new InternalError(err instanceof Error ? (err.stack ?? err.message) : String(err));
    });
    return { fed: whenRead(data), result };
  }
}

class WorkerSlot implements Slot {
  private worker: Worker | null = null;
  private nextId = 0;
  private current: {
    id: number;
    onDisk: (n: number) => void;
    resolve: (r: JobResult) => void;
    reject: (e: Error) => void;
    consumed: number;
    credit: (() => void) | null;
    done: boolean;
  } | null = null;

  constructor(private readonly settings: JobSettings) {}

  private spawn(): Worker {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: this.settings });
    worker.on('message', (m: FromWorker) => this.receive(m));
    // 'error' is followed by 'exit': only the first concerns the job; a worker already replaced concerns nothing.
    worker.on('error', (err) => this.lost(worker, `the worker thread failed: ${err.message}`));
    worker.on('exit', (code) => this.lost(worker, `the worker thread exited (status ${code})`));
    return worker;
  }

  private receive(m: FromWorker): void {
    const job = this.current;
    if (job === null || m.id !== job.id) return;
    switch (m.type) {
      case 'progress':
        job.onDisk(m.bytes);
        break;
      case 'consumed':
        job.consumed = m.bytes;
        this.wake();
        break;
      case 'result':
        this.finish().resolve(m.result);
        break;
      case 'failed':
        this.finish().reject(new InternalError(m.message));
        break;
    }
  }

  private finish() {
    const job = this.current!;
    job.done = true;
    this.current = null;
    this.wake(job);
    return job;
  }

  private wake(job = this.current): void {
    const credit = job?.credit ?? null;
    if (job) job.credit = null;
    credit?.();
  }

  private lost(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    void worker.terminate();
    if (this.current !== null) this.finish().reject(new InternalError(message));
  }

  start(job: CaptureJob, data: Readable | null, onDisk: (n: number) => void): Started {
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    const result = new Promise<JobResult>((resolve, reject) => {
      this.current = { id, onDisk, resolve, reject, consumed: 0, credit: null, done: false };
    });
    const state = this.current!;
    worker.postMessage({ type: 'job', id, job } satisfies ToWorker);
    const fed = data === null ? Promise.resolve() : this.feed(worker, state, data);
    return { fed, result };
  }

  /** Hands the member's chunks over, never more than STREAM_WINDOW ahead of the worker's reading. */
  private async feed(worker: Worker, state: NonNullable<WorkerSlot['current']>, data: Readable): Promise<void> {
    let sent = 0;
    try {
      for await (const chunk of data as AsyncIterable<Buffer>) {
        if (state.done) break;
        const copy = new Uint8Array(chunk.length);
        copy.set(chunk);
        worker.postMessage({ type: 'chunk', id: state.id, data: copy } satisfies ToWorker, [copy.buffer]);
        sent += chunk.length;
        while (!state.done && sent - state.consumed > STREAM_WINDOW) await new Promise<void>((resolve) => (state.credit = resolve));
      }
      if (!state.done) worker.postMessage({ type: 'end', id: state.id } satisfies ToWorker);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!state.done) worker.postMessage({ type: 'abort', id: state.id, message, limit: err instanceof ExpansionLimitError } satisfies ToWorker);
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
}

export class Pool {
  private readonly free: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private readonly all: Slot[] = [];

  /** `threads` 0: jobs run in the main thread, one at a time. */
  constructor(threads: number, settings: JobSettings) {
    const n = Math.max(1, threads);
    for (let i = 0; i < n; i++) this.all.push(threads === 0 ? new LocalSlot(settings) : new WorkerSlot(settings));
    this.free.push(...this.all);
  }

  async acquire(): Promise<Slot> {
    const slot = this.free.shift();
    if (slot !== undefined) return slot;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(slot);
    else this.free.push(slot);
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((s) => (s instanceof WorkerSlot ? s.close() : undefined)));
  }
}
