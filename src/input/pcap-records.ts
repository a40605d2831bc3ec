// Walking the records of a classic pcap file, shared by both classic readers: pcap-parser reads
// the microsecond files and reports each record header and body; the nanosecond reader reads its
// own. Whoever reads the bytes, this decides whether a record is believable, numbers and delivers
// it, and tells a clean end from a truncated one.
import { ABSURD_LENGTH, libpcapMaxSnaplen, maxCapturedLength } from './limits.js';
import { PCAP_FILE_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH } from './pcap-header.js';
import type { PcapFileHeader } from './pcap-header.js';
import { afterFrame, truncationProblem } from './read-state.js';
import type { ReadState } from './read-state.js';

export class PcapRecordWalker {
  /** Byte offset of the record being read; after the last record, of the end of the data. */
  recordStart = PCAP_FILE_HEADER_LENGTH;
  /** Captured length from the header just accepted, or -1 while the next header is awaited. */
  pendingCaptured = -1;
  private pendingOriginal = 0;
  private readonly state: ReadState;
  private readonly header: PcapFileHeader;
  private readonly maxCaptured: number;

  constructor(state: ReadState, header: PcapFileHeader) {
    this.state = state;
    this.header = header;
    this.maxCaptured = maxCapturedLength(header.snaplen, header.linkType);
    state.declareLinkType(header.linkType);
  }

  /** Checks the record header at `recordStart`. False when it ended the reading. */
  recordHeader(capturedLength: number, originalLength: number): boolean {
    const where = `at byte ${this.recordStart} ${afterFrame(this.state.lastFrame)}`;
    if (capturedLength > ABSURD_LENGTH) {
      this.state.stop({
        severity: 'error',
        code: 'absurd-length',
        message: `absurd record length ${where}: captured length ${capturedLength} exceeds 256 MiB`,
        offset: this.recordStart,
      });
      return false;
    }
    if (capturedLength > this.maxCaptured) {
      this.state.stop({
        severity: 'error',
        code: 'corrupt-record',
        message: `corrupt record header ${where}: captured length ${capturedLength} exceeds `
          + `${this.maxCaptured} bytes (the larger of the snapshot length ${this.header.snaplen} `
          + `and libpcap's maximum ${libpcapMaxSnaplen(this.header.linkType)})`,
        offset: this.recordStart,
      });
      return false;
    }
    this.pendingCaptured = capturedLength;
    this.pendingOriginal = originalLength;
    return true;
  }

  /** Delivers the record whose header was accepted; `data` is exactly its captured bytes. */
  recordBody(seconds: number, subsecond: number, data: Uint8Array): void {
    this.state.frame(this.header.linkType, seconds, subsecond * this.header.nanosPerTick, data, this.pendingOriginal);
    this.recordStart += PCAP_RECORD_HEADER_LENGTH + this.pendingCaptured;
    this.pendingCaptured = -1;
  }

  /** The input ended after `totalBytes`: anything past the last whole record is a truncated record. */
  end(totalBytes: number): void {
    if (this.state.stopped) return;
    const left = totalBytes - this.recordStart;
    if (this.pendingCaptured >= 0) {
      this.state.stop(truncationProblem(this.recordStart, this.state.lastFrame, 'record', this.pendingCaptured,
        left - PCAP_RECORD_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH));
    } else if (left > 0) {
      this.state.stop(truncationProblem(this.recordStart, this.state.lastFrame, 'record', null,
        left, PCAP_RECORD_HEADER_LENGTH));
    }
  }
}
