/**
 * One direction's TLS record stream: cuts the reassembled bytes into records without copying bulk
 * data, and hands complete plaintext record bodies (handshake, alert, change_cipher_spec, heartbeat)
 * to its owner. Application data and encrypted records are skipped by length: only their header is
 * read, their body is counted.
 */
import { MAX_RECORD_LENGTH, RECORD_HEADER_LENGTH } from '../../decoders/tls/record.js';

/** What the owner decides to do with a record's body, given its header. */
export const enum BodyMode {
  /** Collect the body and call onRecord with it. */
  Collect,
  /** Skip the body; call onRecord with an empty body when it is complete. */
  Skip,
  /**
   * Skip the body but keep its last 64 bytes, which onRecord gets as the body (TLS 1.0 CBC: the
   * next record's IV is the last cipher block of this one, RFC 2246 §6.2.3.2; with encrypt_then_mac
   * that block comes before the MAC).
   */
  Tail,
}

/** Bytes BodyMode.Tail keeps: an AES block and the longest MAC (HMAC-SHA384). */
const TAIL = 64;

export interface RecordSink {
  /** Called once per record header; returns whether to collect or skip the body. */
  headerSeen(contentType: number, version: number, length: number): BodyMode;
  /**
   * Called when a record is complete, with the frame that completed it. `body` is empty when skipped.
   * `head`: the record's first bytes (header included) when the stream was asked to keep them.
   */
  record(contentType: number, version: number, length: number, body: Uint8Array, frame: number, time: number, head: Uint8Array | null): void;
  /** The bytes at a record boundary are not a TLS record: `data[offset..]` is the rest of the chunk. */
  notTls(data: Uint8Array, offset: number, length: number, frame: number, time: number): void;
}

/** Records longer than this cannot be TLS (RFC 5246 §6.2.3 bounds the ciphertext at 2^14 + 2048). */
const MAX_LENGTH = MAX_RECORD_LENGTH;

export class RecordStream {
  private readonly header = new Uint8Array(RECORD_HEADER_LENGTH);
  private headerFill = 0;
  private contentType = 0;
  private version = 0;
  private length = 0;
  /** Body bytes still expected for the current record; -1 when between records. */
  private remaining = -1;
  private mode: BodyMode = BodyMode.Skip;
  private body: Uint8Array = new Uint8Array(0);
  private bodyFill = 0;
  private readonly tail = new Uint8Array(TAIL);
  /** Set after notTls(): the stream is out of step until resync() is called. */
  private lost = false;

  /** The current record's first bytes (header, then body), when `headBytes` > 0. */
  private readonly head: Uint8Array | null;
  private headFill = 0;

  /** `headBytes`: how many of each record's first bytes (its header included) to pass on; 0: none. */
  constructor(
    private readonly sink: RecordSink,
    headBytes = 0,
  ) {
    this.head = headBytes > 0 ? new Uint8Array(Math.max(headBytes, RECORD_HEADER_LENGTH)) : null;
  }

  /** True between records (a clean boundary). */
  get atBoundary(): boolean {
    return this.remaining < 0 && this.headerFill === 0;
  }

  get outOfStep(): boolean {
    return this.lost;
  }

  /** Forget any partial record (after a gap) and start afresh at the next call's first byte. */
  resync(): void {
    this.headerFill = 0;
    this.remaining = -1;
    this.bodyFill = 0;
    this.body = new Uint8Array(0);
    this.lost = false;
  }

  push(data: Uint8Array, frame: number, time: number): void {
    if (this.lost) return;
    let pos = 0;
    const end = data.length;
    while (pos < end) {
      if (this.remaining < 0) {
        // Header: up to 5 bytes, possibly split across segments.
        const need = RECORD_HEADER_LENGTH - this.headerFill;
        const take = Math.min(need, end - pos);
        // At most 5 bytes: copied one by one rather than through a subarray view made per record.
        for (let i = 0; i < take; i++) this.header[this.headerFill + i] = data[pos + i];
        this.headerFill += take;
        pos += take;
        if (this.headerFill < RECORD_HEADER_LENGTH) return;
        const h = this.header;
        const ct = h[0];
        const len = (h[3] << 8) | h[4];
        if (ct < 20 || ct > 63 || h[1] !== 3 || h[2] > 4 || len > MAX_LENGTH) {
          // Not a record header: hand the bytes from the header's start on to the owner.
          this.lost = true;
          const back = Math.min(pos, RECORD_HEADER_LENGTH);
          if (pos >= RECORD_HEADER_LENGTH) {
            this.sink.notTls(data, pos - back, end - (pos - back), frame, time);
          } else {
            // The header began in an earlier segment: show what we have of it plus this chunk.
            const joined = new Uint8Array(RECORD_HEADER_LENGTH + (end - pos));
            joined.set(h, 0);
            joined.set(data.subarray(pos), RECORD_HEADER_LENGTH);
            this.sink.notTls(joined, 0, joined.length, frame, time);
          }
          this.headerFill = 0;
          return;
        }
        this.contentType = ct;
        this.version = (h[1] << 8) | h[2];
        this.length = len;
        this.remaining = len;
        this.headerFill = 0;
        if (this.head !== null) {
          this.head.set(h, 0);
          this.headFill = RECORD_HEADER_LENGTH;
        }
        this.mode = this.sink.headerSeen(ct, this.version, len);
        if (this.mode === BodyMode.Collect) {
          this.body = new Uint8Array(len);
        }
        this.bodyFill = 0;
      }
      const take = Math.min(this.remaining, end - pos);
      const head = this.head;
      if (head !== null && this.headFill < head.length && take > 0) {
        const n = Math.min(take, head.length - this.headFill);
        head.set(data.subarray(pos, pos + n), this.headFill);
        this.headFill += n;
      }
      if (this.mode === BodyMode.Collect && take > 0) {
        this.body.set(data.subarray(pos, pos + take), this.bodyFill);
        this.bodyFill += take;
      } else if (this.mode === BodyMode.Tail && take > 0) {
        // Body offsets [bodyFill, bodyFill + take) against the tail window [length - TAIL, length).
        const from = Math.max(this.bodyFill, this.length - TAIL);
        for (let i = from; i < this.bodyFill + take; i++) this.tail[i - (this.length - TAIL)] = data[pos + (i - this.bodyFill)];
        this.bodyFill += take;
      }
      pos += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        const body = this.mode === BodyMode.Collect ? this.body : this.mode === BodyMode.Tail ? this.tail.subarray(Math.max(0, TAIL - this.length)) : EMPTY;
        this.remaining = -1;
        this.body = EMPTY;
        this.sink.record(this.contentType, this.version, this.length, body, frame, time, this.head === null ? null : this.head.slice(0, this.headFill));
        if (this.lost) return;
      }
    }
  }
}

const EMPTY = new Uint8Array(0);
