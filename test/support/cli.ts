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
