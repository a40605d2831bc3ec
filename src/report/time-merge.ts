/**
 * Lines of many connections put into time order in bounded memory: an external merge sort. Lines
 * are held in memory up to a budget, sorted and written to a run file; at the end the runs are
 * merged, each read through a small buffer. A line's key is fixed-width text (time, then arrival
 * order), so plain string comparison orders them, and lines of one time keep the order they came in.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { TempFiles } from './temp.js';

/** Bytes of lines held in memory before a run is written. */
const MEMORY_BUDGET = 2 * 1024 * 1024;
/** Read buffer per run while merging. */
const READ_BUFFER = 64 * 1024;

/**
 * Epoch seconds in microseconds, 17 digits (good until the year 5138), then the tie-breaker (the
 * tcp.stream: lines of one instant in stream order, whatever order the connections finished in),
 * then the arrival number.
 */
function keyOf(time: number, tie: number, sequence: number): string {
  return `${String(Math.max(0, Math.round(time * 1e6))).padStart(17, '0')}${String(tie).padStart(16, '0')}${String(sequence).padStart(12, '0')}`;
}

const KEY_LENGTH = 45;

/** Reads one run file line by line. */
class RunReader {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER);
  private pending = '';
  private lines: string[] = [];
  private at = 0;
  private ended = false;
  current: string | null = null;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.advance();
  }

  advance(): void {
    while (this.at >= this.lines.length && !this.ended) {
      const n = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      if (n === 0) {
        this.ended = true;
        this.lines = this.pending.length > 0 ? [this.pending] : [];
        this.pending = '';
      } else {
        const text = this.pending + this.buffer.toString('utf8', 0, n);
        const cut = text.lastIndexOf('\n');
        this.lines = cut < 0 ? [] : text.slice(0, cut).split('\n');
        this.pending = cut < 0 ? text : text.slice(cut + 1);
      }
      this.at = 0;
    }
    this.current = this.at < this.lines.length ? this.lines[this.at++] : null;
    if (this.current === null) closeSync(this.fd);
  }
}

export class TimeMerge {
  private held: string[] = [];
  private heldBytes = 0;
  private sequence = 0;
  private readonly runs: string[] = [];

  constructor(
    private readonly temp: TempFiles,
    private readonly budget = MEMORY_BUDGET,
  ) {}

  /** One line (without its newline; it must not contain one) at a time in epoch seconds; `tie` orders lines of one instant. */
  add(time: number, tie: number, line: string): void {
    const entry = keyOf(time, tie, this.sequence++) + line;
    this.held.push(entry);
    this.heldBytes += entry.length;
    if (this.heldBytes >= this.budget) this.spill();
  }

  /** Every line in time order, to `write`; the run files are removed. */
  finish(write: (line: string) => void): void {
    if (this.runs.length === 0) {
      this.held.sort();
      for (const entry of this.held) write(entry.slice(KEY_LENGTH));
      this.held = [];
      return;
    }
    this.spill();
    const readers = this.runs.map((p) => new RunReader(p));
    try {
      for (;;) {
        let best: RunReader | null = null;
        for (const r of readers) if (r.current !== null && (best === null || r.current < best.current!)) best = r;
        if (best === null) break;
        write(best.current!.slice(KEY_LENGTH));
        best.advance();
      }
    } finally {
      for (const p of this.runs) rmSync(p, { force: true });
      this.runs.length = 0;
    }
  }

  private spill(): void {
    if (this.held.length === 0) return;
    this.held.sort();
    const path = this.temp.create('merge');
    const fd = openSync(path, 'w');
    try {
      const bytes = Buffer.from(this.held.join('\n') + '\n', 'utf8');
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
    this.runs.push(path);
    this.held = [];
    this.heldBytes = 0;
  }
}
