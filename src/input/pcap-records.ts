// What goes wrong with the records of a classic pcap file, put into the located messages
// docs/capture-input.md lists. The reader (pcap-reader.ts) checks the bounds on its hot path and
// comes here only when a record fails them or the file ends inside one.
import { ABSURD_LENGTH, libpcapMaxSnaplen } from './limits.js';
import { PCAP_RECORD_HEADER_LENGTH } from './pcap-header.js';
import type { PcapFileHeader } from './pcap-header.js';
import { afterFrame, truncationProblem } from './read-state.js';
import type { CaptureProblem } from './frame.js';

/**
 * The problem for a record header at byte `offset` whose captured length exceeds `maxCaptured`
 * (maxCapturedLength of the file): absurd beyond 256 MiB, whatever the link type; otherwise corrupt.
 */
export function recordHeaderProblem(
  offset: number,
  frames: number,
  capturedLength: number,
  header: PcapFileHeader,
  maxCaptured: number,
): CaptureProblem {
  const where = `at byte ${offset} ${afterFrame(frames)}`;
  if (capturedLength > ABSURD_LENGTH) {
    return {
      severity: 'error',
      code: 'absurd-length',
      message: `absurd record length ${where}: captured length ${capturedLength} exceeds 256 MiB`,
      offset,
    };
  }
  return {
    severity: 'error',
    code: 'corrupt-record',
    message: `corrupt record header ${where}: captured length ${capturedLength} exceeds `
      + `${maxCaptured} bytes (the larger of the snapshot length ${header.snaplen} `
      + `and libpcap's maximum ${libpcapMaxSnaplen(header.linkType)})`,
    offset,
  };
}

/**
 * The problem, if any, for a file whose data ends `left` bytes after the record start at byte
 * `offset`: `pendingCaptured` is the captured length of that record when its header was read
 * whole, or -1. A clean end (nothing left) is no problem.
 */
export function recordTruncation(offset: number, frames: number, pendingCaptured: number, left: number): CaptureProblem | null {
  if (pendingCaptured >= 0) {
    return truncationProblem(offset, frames, 'record', pendingCaptured, left - PCAP_RECORD_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH);
  }
  if (left > 0) return truncationProblem(offset, frames, 'record', null, left, PCAP_RECORD_HEADER_LENGTH);
  return null;
}
