/**
 * Puts connection records back into tcp.stream order. Connections finish in any order (a long one
 * after many short ones that began later), but every report lists them by stream. A record whose
 * turn has come is written at once; one that must wait is held in memory up to a budget, and beyond
 * it appended to a temporary file from which it is read back when its turn comes. Memory therefore
 * stays bounded however long a connection blocks the order: what grows is the temporary file, and a
 * map of (offset, length) per waiting record.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { TempFiles } from './temp.js';

/** Bytes of waiting records held in memory before they go to the temporary file. */
const MEMORY_BUDGET = 2 * 1024 * 1024;

/** A record: one piece of text per output channel (JSON writes connections and findings apart). */
export type SpoolRecord = readonly string[];

interface OnDisk {
  readonly offsets: readonly number[];
  readonly lengths: readonly number[];
}

export class OrderedSpool {
  private next = 0;
  private readonly waiting = new Map<number, SpoolRecord | OnDisk>();
  private held = 0;
  private fd: number | null = null;
  private path: string | null = null;
  private fileEnd = 0;

  /**
   * @param write receives each record, in stream order, channel by channel.
   * @param temp where the overflow file goes.
   */
  constructor(
    private readonly write: (record: SpoolRecord) => void,
    private readonly temp: TempFiles,
    private readonly budget = MEMORY_BUDGET,
  ) {}

  /**
   * The record of `stream`. Every stream index from 0 up must be given once (an empty record for a
   * connection that prints nothing); a stream given again (a continuation) is written at its turn
   * after the first, or at once when its turn has passed.
   */
  add(stream: number, record: SpoolRecord): void {
    if (stream < this.next) {
      this.write(record);
      return;
    }
    if (stream === this.next) {
      this.write(record);
      this.next++;
      this.drain();
      return;
    }
    const already = this.waiting.get(stream);
    if (already !== undefined) {
      // A continuation of a stream still waiting: one record, the first part then the second.
      const first = this.load(already);
      this.waiting.delete(stream);
      record = first.map((text, i) => text + (record[i] ?? ''));
    }
    const size = record.reduce((n, t) => n + t.length, 0);
    if (this.held + size <= this.budget) {
      this.waiting.set(stream, record);
      this.held += size;
    } else {
      this.waiting.set(stream, this.spill(record));
    }
  }

  /** Every record left, in stream order (streams never given are skipped). Closes the overflow file. */
  finish(): void {
    const rest = [...this.waiting.keys()].sort((a, b) => a - b);
    for (const stream of rest) this.emit(this.waiting.get(stream)!);
    this.waiting.clear();
    this.held = 0;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
      rmSync(this.path!, { force: true });
    }
  }

  /** Records waiting for an earlier stream (for tests and the bench). */
  get pending(): number {
    return this.waiting.size;
  }

  /** Bytes of waiting records on disk. */
  get spilled(): number {
    return this.fileEnd;
  }

  private drain(): void {
    for (;;) {
      const r = this.waiting.get(this.next);
      if (r === undefined) return;
      this.waiting.delete(this.next);
      this.next++;
      this.emit(r);
    }
  }

  private emit(r: SpoolRecord | OnDisk): void {
    if (isOnDisk(r)) this.write(this.load(r));
    else {
      this.held -= r.reduce((n, t) => n + t.length, 0);
      this.write(r);
    }
  }

  private spill(record: SpoolRecord): OnDisk {
    if (this.fd === null) {
      this.path = this.temp.create('order');
      this.fd = openSync(this.path, 'w+');
    }
    const offsets: number[] = [];
    const lengths: number[] = [];
    for (const text of record) {
      const bytes = Buffer.from(text, 'utf8');
      writeSync(this.fd, bytes, 0, bytes.length, this.fileEnd);
      offsets.push(this.fileEnd);
      lengths.push(bytes.length);
      this.fileEnd += bytes.length;
    }
    return { offsets, lengths };
  }

  private load(r: SpoolRecord | OnDisk): SpoolRecord {
    if (!isOnDisk(r)) {
      this.held -= r.reduce((n, t) => n + t.length, 0);
      return r;
    }
    return r.offsets.map((offset, i) => {
      const buf = Buffer.allocUnsafe(r.lengths[i]);
      let got = 0;
      while (got < buf.length) got += readSync(this.fd!, buf, got, buf.length - got, offset + got);
      return buf.toString('utf8');
    });
  }
}

function isOnDisk(r: SpoolRecord | OnDisk): r is OnDisk {
  return !Array.isArray(r);
}
