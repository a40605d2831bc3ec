// tlsdiag as a user runs it (node bin/tlsdiag.js), for the tests of the command line's behaviour.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths.js';

export const BIN = path.join(ROOT, 'bin', 'tlsdiag.js');

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function tlsdiag(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const status = err ? ((err as { code?: number }).code ?? -1) : 0;
      resolve({ status: typeof status === 'number' ? status : -1, stdout, stderr });
    });
  });
}

/**
 * tlsdiag with a 256 MB heap (running out is exit 134) and a time limit (then `signal` is set):
 * for the fuzzing, where a mutant must fail neither bound.
 */
export function runLimited(args: readonly string[], timeoutMs: number): Promise<{ status: number | null; signal: string | null; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ['--max-old-space-size=256', BIN, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } }, (err, _out, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: string }) | null;
      resolve({ status: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stderr, ms: Date.now() - t0 });
    });
  });
}
