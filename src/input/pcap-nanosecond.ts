// Nanosecond-resolution classic pcap (magic a1b23c4d), which pcap-parser rejects as an unknown
// magic. The byte walking is this file's; what a record means is PcapRecordWalker's, shared with
// the pcap-parser reader.
import { ByteQueue } from './byte-queue.js';
import { readU32 } from './bytes.js';
import type { CaptureReader } from './capture-reader.js';
import { CaptureError } from './frame.js';
import { PCAP_FILE_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH, parsePcapFileHeader } from './pcap-header.js';
import { PcapRecordWalker } from './pcap-records.js';
import type { ReadState } from './read-state.js';

export class NanosecondPcapReader implements CaptureReader {
  private readonly state: ReadState;
  private readonly queue = new ByteQueue();
  private walker: PcapRecordWalker | null = null;
  private littleEndian = true;

  constructor(state: ReadState) {
    this.state = state;
  }

  push(chunk: Buffer): void {
    if (this.state.stopped) return;
    this.queue.push(chunk);
    if (this.walker === null && !this.readFileHeader()) return;
    this.walkRecords(this.walker as PcapRecordWalker);
  }

  end(): void {
    if (this.state.stopped) return;
    const q = this.queue;
    if (this.walker === null) {
      const header = parsePcapFileHeader(q.buf.subarray(q.pos));
      if (header instanceof CaptureError) this.state.fail(header);
      return;
    }
    this.walker.end(q.offset + q.available);
  }

  private readFileHeader(): boolean {
    const q = this.queue;
    if (!q.ensure(PCAP_FILE_HEADER_LENGTH)) return false;
    const header = parsePcapFileHeader(q.buf.subarray(q.pos, q.pos + PCAP_FILE_HEADER_LENGTH));
    if (header instanceof CaptureError) {
      this.state.fail(header);
      return false;
    }
    q.skip(PCAP_FILE_HEADER_LENGTH);
    this.littleEndian = header.littleEndian;
    this.walker = new PcapRecordWalker(this.state, header);
    this.state.headerRead = true;
    return true;
  }

  private walkRecords(walker: PcapRecordWalker): void {
    const q = this.queue;
    const le = this.littleEndian;
    while (!this.state.stopped) {
      if (walker.pendingCaptured < 0) {
        if (!q.ensure(PCAP_RECORD_HEADER_LENGTH)) return;
        if (!walker.recordHeader(readU32(q.buf, q.pos + 8, le), readU32(q.buf, q.pos + 12, le))) return;
      }
      const size = PCAP_RECORD_HEADER_LENGTH + walker.pendingCaptured;
      if (!q.ensure(size)) return;
      const buf = q.buf;
      const at = q.pos;
      walker.recordBody(readU32(buf, at, le), readU32(buf, at + 4, le), buf.subarray(at + PCAP_RECORD_HEADER_LENGTH, at + size));
      q.skip(size);
    }
  }
}
