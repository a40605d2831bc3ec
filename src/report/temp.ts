/**
 * Temporary files of a run: the overflow of connection records waiting for their turn, and the
 * connections of formats that print their summary first. All live in one directory under the
 * system's temporary directory (never beside the user's captures), removed when the run ends,
 * when the process exits, and on Ctrl-C or SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const live = new Set<string>();
/** Files outside the run's directory to remove if the process ends before they are done (a report being written). */
const pending = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
  for (const file of pending) rmSync(file, { force: true });
  pending.clear();
}

/**
 * Removes `file` if the process ends (exit, Ctrl-C, SIGTERM) before the returned function is
 * called: a report written under a temporary name and renamed when complete.
 */
export function removeUnlessDone(file: string): () => void {
  pending.add(file);
  hook();
  return () => {
    pending.delete(file);
  };
}

/** Removes every run directory when the process ends, however it ends. */
function hook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', removeAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeAll();
      // The listener replaced the default action: end the way the signal would have.
      process.kill(process.pid, signal);
    });
  }
}

export class TempFiles {
  private dirPath: string | null;
  private readonly owned: boolean;

  /** @param dir a directory made by another TempFiles (a worker thread's files go in the main thread's). */
  constructor(dir: string | null = null) {
    this.dirPath = dir;
    this.owned = dir === null;
  }

  /** The directory, made on first use. */
  get dir(): string {
    if (this.dirPath === null) {
      this.dirPath = mkdtempSync(path.join(tmpdir(), 'tlsdiag-'));
      live.add(this.dirPath);
      hook();
    }
    return this.dirPath;
  }

  /** A new file name in the directory (the file is not created). */
  create(kind: string): string {
    return path.join(this.dir, `${kind}-${process.pid}-${threadTag()}-${fileCount++}`);
  }

  /** Removes the directory (only the one it made itself). */
  dispose(): void {
    if (!this.owned || this.dirPath === null) return;
    rmSync(this.dirPath, { recursive: true, force: true });
    live.delete(this.dirPath);
    this.dirPath = null;
  }
}

/** Names are unique per thread (a counter) and across threads (a random tag per thread). */
let fileCount = 0;
let tag: string | null = null;
function threadTag(): string {
  if (tag === null) tag = Math.random().toString(36).slice(2, 8);
  return tag;
}
