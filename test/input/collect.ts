// Reading a capture into plain values the tests can compare.
import type { Readable } from 'node:stream';
import type { CaptureInfo, CaptureProblem } from '../../src/input/frame.js';
import { readCapture } from '../../src/input/read.js';

export interface CollectedFrame {
  readonly number: number;
  readonly seconds: number;
  readonly nanos: number;
  readonly linkType: number;
  readonly hex: string;
  readonly capturedLength: number;
  readonly originalLength: number;
}

export interface Collected {
  readonly frames: CollectedFrame[];
  readonly info: CaptureInfo;
  /** What onProblem was called with, in order. */
  readonly reported: CaptureProblem[];
}

export async function collect(source: string | Readable): Promise<Collected> {
  const frames: CollectedFrame[] = [];
  const reported: CaptureProblem[] = [];
  const info = await readCapture(source, (f) => {
    frames.push({
      number: f.number, seconds: f.seconds, nanos: f.nanos, linkType: f.linkType,
      hex: Buffer.from(f.data).toString('hex'), capturedLength: f.capturedLength, originalLength: f.originalLength,
    });
  }, { onProblem: (p) => reported.push(p) });
  return { frames, info, reported };
}

/** The rejection of a reading that must fail. */
export async function rejection(source: string | Readable): Promise<Error & { offset?: number }> {
  try {
    await readCapture(source, () => undefined);
  } catch (err) {
    return err as Error & { offset?: number };
  }
  throw new Error('expected readCapture to reject, and it resolved');
}
