/**
 * Capture problems noticed while decoding frames, one entry per code: the first frame it happened
 * in and how many frames it affected. A capture with a million cut frames yields one note, not a
 * million.
 */
import type { CaptureProblem } from '../input/frame.js';

interface Entry {
  readonly severity: CaptureProblem['severity'];
  readonly code: string;
  readonly message: string;
  readonly frame: number;
  count: number;
}

export class NoteBook {
  private readonly entries = new Map<string, Entry>();

  /** Whether `key` was noted already (lets a caller skip building a message it would not use). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** `key` separates notes that share a code but not a message (one per unknown link type). */
  add(severity: CaptureProblem['severity'], code: string, message: string, frame: number, key: string = code): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.count++;
    else this.entries.set(key, { severity, code, message, frame, count: 1 });
  }

  list(): CaptureProblem[] {
    const out: CaptureProblem[] = [];
    for (const e of this.entries.values()) {
      const message = e.count > 1 ? `${e.message} (first in frame ${e.frame}; ${e.count} frames)` : `${e.message} (frame ${e.frame})`;
      out.push({ severity: e.severity, code: e.code, message, frame: e.frame });
    }
    return out;
  }
}
