// Analyses shared by the test files: each capture is analyzed once per test run.
import path from 'node:path';
import { analyzeFile, type CaptureResult } from '../../src/analyze.js';
import { CORPUS, SAMPLES } from './paths.js';

const cache = new Map<string, Promise<CaptureResult>>();

export function analyzed(file: string): Promise<CaptureResult> {
  let p = cache.get(file);
  if (!p) {
    p = analyzeFile(file, {}, path.basename(file));
    cache.set(file, p);
  }
  return p;
}

export const sample = (name: string): Promise<CaptureResult> => analyzed(path.join(SAMPLES, name));
export const corpus = (name: string): Promise<CaptureResult> => analyzed(path.join(CORPUS, name));

/** Rule ids found in a capture (optionally of one stream). */
export function rulesIn(r: CaptureResult, stream?: number): string[] {
  return [...new Set(r.findings.filter((f) => stream === undefined || f.stream === stream).map((f) => f.rule))].sort();
}
