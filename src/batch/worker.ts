/**
 * A worker thread of a batch: runs the jobs the main thread sends, one at a time, and sends back
 * each capture's digest and its part of the report (or its document).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { FeedStream } from './feed-stream.js';
import { runJob } from './job.js';
import { ExpansionLimitError } from '../input/expansion.js';
import { PROGRESS_STEP, type FromWorker, type ToWorker } from './protocol.js';
import type { JobSettings } from './types.js';

/** A streamed member's bytes as they arrive from the main thread; reading them returns credit. */
class IncomingStream extends FeedStream {
  private pushed = 0;
  private reported = 0;

  constructor(private readonly id: number) {
    super(() => this.credit());
  }

  add(chunk: Uint8Array): void {
    this.pushed += chunk.length;
    this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  private credit(): void {
    const consumed = this.pushed - this.readableLength;
    if (consumed > this.reported) {
      this.reported = consumed;
      send({ type: 'consumed', id: this.id, bytes: consumed });
    }
  }
}

function parent(): MessagePort {
  if (parentPort === null) throw new Error('src/batch/worker.js runs as a worker thread');
  return parentPort;
}

const port = parent();
const settings = workerData as JobSettings;
let incoming: IncomingStream | null = null;

function send(message: FromWorker): void {
  port.postMessage(message);
}

async function run(id: number, job: Extract<ToWorker, { type: 'job' }>['job']): Promise<void> {
  let pending = 0;
  const onDisk = (n: number) => {
    pending += n;
    if (pending >= PROGRESS_STEP) {
      send({ type: 'progress', id, bytes: pending });
      pending = 0;
    }
  };
  try {
    const result = await runJob(job, settings, job.source.kind === 'stream' ? incoming : null, onDisk);
    if (pending > 0) send({ type: 'progress', id, bytes: pending });
    port.postMessage({ type: 'result', id, result } satisfies FromWorker);
  } catch (err) {
    send({ type: 'failed', id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  } finally {
    incoming = null;
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'job':
      incoming = message.job.source.kind === 'stream' ? new IncomingStream(message.id) : null;
      void run(message.id, message.job);
      break;
    case 'chunk':
      incoming?.add(message.data);
      break;
    case 'end':
      incoming?.push(null);
      break;
    case 'abort':
      incoming?.fail(message.limit ? new ExpansionLimitError(message.message) : new Error(message.message));
      break;
  }
});
