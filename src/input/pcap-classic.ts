// Microsecond classic pcap through pcap-parser, the dependency chosen for it, with its faults
// guarded (docs/capture-input.md has the evidence):
//  - it copies its whole pending buffer into a new one for every chunk it receives, so a record
//    spread over many chunks costs quadratic time: chunks are withheld here until the record
//    they belong to is complete, and a record header with an unbelievable length ends the
//    reading before pcap-parser starts waiting for it;
//  - it says nothing when the file ends inside a record: the bytes it consumed are counted here
//    against the bytes it was given;
//  - its version check accepts nearly anything: the file header is checked here first.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { parse } from 'pcap-parser';
import type { Packet, PacketHeader, Parser } from 'pcap-parser';
import type { CaptureReader } from './capture-reader.js';
import { CaptureError } from './frame.js';
import { PCAP_FILE_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH, parsePcapFileHeader } from './pcap-header.js';
import { PcapRecordWalker } from './pcap-records.js';
import type { ReadState } from './read-state.js';

// types/pcap-parser.d.ts leaves out the event that announces a record header before its body.
declare module 'pcap-parser' {
  interface Parser {
    on(event: 'packetHeader', listener: (header: PacketHeader) => void): this;
  }
}

/**
 * The input pcap-parser is given. It calls only pause(), resume() and on('data'|'end'|'error')
 * on its input (lib/pcap-parser.js, Parser), so this is enough, and emitting 'data' here runs
 * pcap-parser synchronously: after each chunk, the walker knows exactly where pcap-parser stands.
 */
class ParserFeed extends EventEmitter {
  pause(): this {
    return this;
  }

  resume(): this {
    return this;
  }
}

function asParserInput(feed: ParserFeed): Readable {
  return feed as unknown as Readable;
}

export class ClassicPcapReader implements CaptureReader {
  private readonly state: ReadState;
  private readonly feed = new ParserFeed();
  private walker: PcapRecordWalker | null = null;
  /** Bytes handed to pcap-parser. */
  private fed = 0;
  /** Bytes received but not yet handed over (the file header, or part of an unfinished record). */
  private withheld: Buffer[] = [];
  private withheldBytes = 0;

  constructor(state: ReadState) {
    this.state = state;
  }

  push(chunk: Buffer): void {
    if (this.state.stopped || chunk.length === 0) return;
    this.withheld.push(chunk);
    this.withheldBytes += chunk.length;
    if (this.walker === null) {
      if (this.withheldBytes < PCAP_FILE_HEADER_LENGTH) return;
      const firstBytes = this.joinWithheld();
      this.withheld = [firstBytes];
      if (!this.start(firstBytes)) return;
    }
    const walker = this.walker as PcapRecordWalker;
    const recordEnd = walker.pendingCaptured < 0
      ? 0
      : walker.recordStart + PCAP_RECORD_HEADER_LENGTH + walker.pendingCaptured;
    if (this.fed + this.withheldBytes < recordEnd) return;
    const data = this.joinWithheld();
    this.withheld = [];
    this.withheldBytes = 0;
    this.fed += data.length;
    this.feed.emit('data', data);
  }

  end(): void {
    if (this.state.stopped) return;
    if (this.walker === null) {
      const header = parsePcapFileHeader(this.joinWithheld());
      if (header instanceof CaptureError) this.state.fail(header);
      return;
    }
    this.walker.end(this.fed + this.withheldBytes);
  }

  private joinWithheld(): Buffer {
    return this.withheld.length === 1 ? this.withheld[0] : Buffer.concat(this.withheld, this.withheldBytes);
  }

  /** Checks the file header and sets pcap-parser going; false when the header is unreadable. */
  private start(firstBytes: Buffer): boolean {
    const header = parsePcapFileHeader(firstBytes);
    if (header instanceof CaptureError) {
      this.state.fail(header);
      return false;
    }
    const walker = new PcapRecordWalker(this.state, header);
    this.walker = walker;
    this.state.headerRead = true;
    const state = this.state;
    const parser: Parser = parse(asParserInput(this.feed));
    // After a stop, pcap-parser may still be looping over the rest of the chunk it was given;
    // whatever it finds there is ignored.
    parser.on('packetHeader', (h: PacketHeader) => {
      if (!state.stopped) walker.recordHeader(h.capturedLength, h.originalLength);
    });
    parser.on('packet', (p: Packet) => {
      if (!state.stopped) walker.recordBody(p.header.timestampSeconds, p.header.timestampMicroseconds, p.data);
    });
    // The header was checked before pcap-parser saw it, so it has nothing left to refuse; but an
    // 'error' event without a listener would throw out of the emitter.
    parser.on('error', (err: Error) => {
      state.stop({ severity: 'error', code: 'parser-error', message: `pcap-parser: ${err.message}`, offset: walker.recordStart });
    });
    return true;
  }
}
