// Classic pcap (draft-ietf-opsawg-pcap §4): microsecond and nanosecond timestamps, either byte
// order, one reader. It is the project's own since issue #10: reading classic pcap is the first
// ceiling of the whole pipeline, and pcap-parser, which read microsecond files before, was slower
// on its own than readCapture is now with this reader, and needed guards for its faults
// (docs/capture-input.md has the figures). pcap-parser is kept as the reference the tests compare
// this reader with (test/input/pcap-reference.test.ts).
import { ByteQueue } from './byte-queue.js';
import type { CaptureReader } from './capture-reader.js';
import { CaptureError } from './frame.js';
import { maxCapturedLength } from './limits.js';
import { PCAP_FILE_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH, parsePcapFileHeader } from './pcap-header.js';
import type { PcapFileHeader } from './pcap-header.js';
import { recordHeaderProblem, recordTruncation } from './pcap-records.js';
import type { ReadState } from './read-state.js';

export class PcapReader implements CaptureReader {
  private readonly state: ReadState;
  private readonly queue = new ByteQueue();
  private header: PcapFileHeader | null = null;
  private littleEndian = true;
  private linkType = 0;
  private nanosPerTick = 1000;
  private maxCaptured = 0;
  /**
   * Captured length of the record whose header was accepted while its body has not all arrived,
   * or -1: kept so that a file ending there says how long the cut record claimed to be.
   */
  private pendingCaptured = -1;

  constructor(state: ReadState) {
    this.state = state;
  }

  push(chunk: Buffer): void {
    if (this.state.stopped) return;
    this.queue.push(chunk);
    if (this.header === null && !this.readFileHeader()) return;
    this.walkRecords();
  }

  end(): void {
    if (this.state.stopped) return;
    const q = this.queue;
    if (this.header === null) {
      // Fewer than 24 bytes, perhaps in several chunks: joined, so that the message counts them all.
      q.ensure(q.available);
      const header = parsePcapFileHeader(q.buf.subarray(q.pos));
      if (header instanceof CaptureError) this.state.fail(header);
      return;
    }
    const problem = recordTruncation(q.offset, this.state.lastFrame, this.pendingCaptured, q.available);
    if (problem !== null) this.state.stop(problem);
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
    this.header = header;
    this.littleEndian = header.littleEndian;
    this.linkType = header.linkType;
    this.nanosPerTick = header.nanosPerTick;
    this.maxCaptured = maxCapturedLength(header.snaplen, header.linkType);
    this.state.declareLinkType(header.linkType);
    this.state.headerRead = true;
    return true;
  }

  /**
   * Delivers every whole record held. Records inside the current chunk are read straight from it
   * with a local cursor (the queue is told how far at the end, or before anything that may look at
   * it); only a record that straddles chunks goes through ByteQueue.ensure, which joins it once.
   */
  private walkRecords(): void {
    const q = this.queue;
    const state = this.state;
    const le = this.littleEndian;
    const linkType = this.linkType;
    const nanosPerTick = this.nanosPerTick;
    const maxCaptured = this.maxCaptured;
    for (;;) {
      if (!q.ensure(this.pendingCaptured < 0 ? PCAP_RECORD_HEADER_LENGTH : PCAP_RECORD_HEADER_LENGTH + this.pendingCaptured)) {
        return;
      }
      const buf = q.buf;
      const bytes = buf.buffer;
      const base = buf.byteOffset;
      const limit = buf.length;
      // DataView takes the byte order as an argument, so both orders share one compiled loop; it
      // measured faster here than Buffer#readUInt32LE/BE chosen per field.
      const view = new DataView(bytes, base, limit);
      const from = q.pos;
      let at = from;
      while (limit - at >= PCAP_RECORD_HEADER_LENGTH) {
        const captured = view.getUint32(at + 8, le);
        if (captured > maxCaptured) {
          q.skip(at - from);
          state.stop(recordHeaderProblem(q.offset, state.lastFrame, captured, this.header as PcapFileHeader, maxCaptured));
          return;
        }
        const size = PCAP_RECORD_HEADER_LENGTH + captured;
        if (limit - at < size) {
          // The body is in a later chunk: ensure() joins it on the next turn of the outer loop.
          this.pendingCaptured = captured;
          break;
        }
        this.pendingCaptured = -1;
        const seconds = view.getUint32(at, le);
        const subsecond = view.getUint32(at + 4, le);
        const original = view.getUint32(at + 12, le);
        // A plain Uint8Array view: Frame.data promises no more, and Buffer#subarray costs a
        // species lookup and a FastBuffer construction per record.
        const data = new Uint8Array(bytes, base + at + PCAP_RECORD_HEADER_LENGTH, captured);
        at += size;
        state.frame(linkType, seconds, subsecond * nanosPerTick, data, original);
        if (state.stopped) {
          q.skip(at - from);
          return;
        }
      }
      q.skip(at - from);
    }
  }
}
