/**
 * The progress line on standard error, for a terminal only: captures done out of the total, bytes
 * read out of the bytes on disk, throughput and time left. Redrawn at most ten times a second; any
 * other output to the terminal clears it first (clear()) and it comes back at the next tick.
 */
import { sizeText } from '../input/expansion.js';

const REDRAW_MS = 100;
const BAR_WIDTH = 16;

export interface ProgressTotals {
  captures: number;
  /** More captures may be found (archives still to stream). */
  open: boolean;
  bytes: number;
}

export class ProgressBar {
  private captures = 0;
  private bytes = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private shown = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly totals: ProgressTotals,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    this.timer.unref();
  }

  addBytes(n: number): void {
    this.bytes += n;
  }

  captureDone(): void {
    this.captures++;
  }

  /** A capture found while an archive streams. */
  captureFound(): void {
    this.totals.captures++;
  }

  /** No more captures will be found. */
  close(): void {
    this.totals.open = false;
  }

  /** Takes the line away (before other output, and at the end). */
  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }

  /** The line as it would be drawn now (exposed for tests). */
  line(now = Date.now()): string {
    const t = this.totals;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.bytes / seconds;
    const fraction = t.bytes > 0 ? Math.min(1, this.bytes / t.bytes) : t.captures > 0 ? this.captures / t.captures : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    const left = rate > 0 && t.bytes > this.bytes ? (t.bytes - this.bytes) / rate : 0;
    return [
      bar,
      `${this.captures}/${t.captures}${t.open ? '+' : ''} captures`,
      `${sizeText(this.bytes)}/${sizeText(t.bytes)}`,
      `${(rate / 1e6).toFixed(1)} MB/s`,
      `ETA ${clock(left)}`,
    ].join('  ');
  }

  private draw(): void {
    const width = this.out.columns || 80;
    this.out.write(`\r${this.line().slice(0, width - 1)}\x1b[K`);
    this.shown = true;
  }
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
