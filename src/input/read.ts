// readCapture: one capture, front to back, in bounded memory, every frame to the sink in file order.
import { addAbortSignal } from 'node:stream';
import type { Readable } from 'node:stream';
import type { CaptureReader } from './capture-reader.js';
import { CaptureError } from './frame.js';
import type { CaptureFormat, CaptureInfo, CaptureProblem, FrameSink } from './frame.js';
import { captureFormatOf, unknownMagicMessage } from './magic.js';
import { PcapReader } from './pcap-reader.js';
import { PcapngReader } from './pcapng.js';
import { ReadState, afterFrame } from './read-state.js';
import { describeStreamFailure, openSource, pumpCapture } from './source.js';

export { sniffCaptureMagic } from './magic.js';
export type { CaptureMagic } from './magic.js';

export interface ReadOptions {
  /** Aborting ends the reading: the stream is closed and readCapture rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Called with each problem as it becomes known (the snaplen note when the reading ends). The
   * same problems are in CaptureInfo.problems.
   */
  onProblem?: (p: CaptureProblem) => void;
  /**
   * Called with the secrets of each pcapng Decryption Secrets Block of a TLS key log type (NSS key
   * log text), before the frames that follow the block, with the block's byte offset.
   */
  onSecrets?: (text: string, offset: number) => void;
}

/** Bytes needed to tell the formats apart (the longest magic). */
const SNIFF_LENGTH = 4;

function createReader(format: CaptureFormat, state: ReadState): CaptureReader {
  switch (format) {
    // One reader for both resolutions: it takes the resolution from the file header.
    case 'pcap':
    case 'pcap-ns':
      return new PcapReader(state);
    case 'pcapng': return new PcapngReader(state);
  }
}

/** Recognises the format from the first bytes of capture data, then hands everything to its reader. */
class FormatDispatch {
  compressed = false;
  bytesRead = 0;
  format: CaptureFormat = 'pcap';
  /** Set when the first bytes are no capture this tool reads. */
  error: CaptureError | null = null;
  /** What the sink threw: it ends the reading and becomes the rejection, untouched. */
  sinkFailure: { readonly error: unknown } | null = null;
  private reader: CaptureReader | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;
  private readonly state: ReadState;

  constructor(state: ReadState) {
    this.state = state;
  }

  /** The next chunk of capture bytes; false once the reading has stopped. */
  push(chunk: Buffer): boolean {
    this.bytesRead += chunk.length;
    if (this.reader === null) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < SNIFF_LENGTH) return true;
      chunk = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head, this.headBytes);
      this.head = [];
      const format = captureFormatOf(chunk);
      if (format === null) {
        this.error = new CaptureError(unknownMagicMessage(chunk, this.compressed), 0);
        return false;
      }
      this.format = format;
      this.reader = createReader(format, this.state);
    }
    try {
      this.reader.push(chunk);
    } catch (error) {
      // Readers do not throw on bad bytes; only the sink can get here.
      this.sinkFailure = { error };
      return false;
    }
    return !this.state.stopped;
  }

  /** The data ended normally. */
  end(): void {
    if (this.reader !== null) {
      this.reader.end();
    } else if (this.headBytes === 0) {
      this.error = new CaptureError(this.compressed ? 'empty file (the gzip data inflates to nothing)' : 'empty file', 0);
    } else {
      this.error = new CaptureError(`not a capture file (only ${this.headBytes} bytes)`, 0);
    }
  }
}

/**
 * Reads one capture (a path, or a Readable of its raw, possibly gzip'd, bytes), calling `sink`
 * synchronously for every frame in file order. Resolves with CaptureInfo (problems included).
 * Rejects with CaptureError only when nothing can be read: the stream fails before the file
 * header is read, the file is empty, not a capture, or its file header (pcap header, first pcapng
 * section header) is corrupt or cut. Trouble after the file header (a truncated record, an absurd
 * length, a corrupt block, a read or gzip error) ends the reading with a problem of severity
 * 'error', and readCapture resolves with every frame obtained until then. A Readable passed in is
 * not destroyed when the reading stops before its end (only an abort destroys it): the caller may
 * still drain it.
 */
export async function readCapture(source: string | Readable, sink: FrameSink, options: ReadOptions = {}): Promise<CaptureInfo> {
  const { signal } = options;
  signal?.throwIfAborted();
  const raw = openSource(source);
  if (signal !== undefined) addAbortSignal(signal, raw);
  const state = new ReadState(sink, options.onProblem, signal);
  if (options.onSecrets !== undefined) state.onSecrets = options.onSecrets;
  const dispatch = new FormatDispatch(state);
  let failure: { readonly error: unknown } | null = null;
  let ended = false;
  try {
    await pumpCapture(raw, (compressed) => { dispatch.compressed = compressed; }, (chunk) => dispatch.push(chunk));
    ended = !state.stopped && dispatch.error === null && dispatch.sinkFailure === null;
  } catch (error) {
    failure = { error };
  } finally {
    // The file opened here is closed here; a caller's stream is left to the caller.
    if (typeof source === 'string') raw.destroy();
  }
  if (dispatch.sinkFailure !== null) throw dispatch.sinkFailure.error;
  signal?.throwIfAborted();
  if (failure !== null) {
    const { error } = failure;
    if (error instanceof CaptureError) throw error;
    const { code, words } = describeStreamFailure(error);
    const inflated = code === 'read-error' ? '' : ' of the decompressed data';
    if (!state.headerRead) {
      throw new CaptureError(dispatch.bytesRead === 0 ? words : `${words} after ${dispatch.bytesRead} bytes${inflated}`);
    }
    state.stop({
      severity: 'error', code, offset: dispatch.bytesRead,
      message: `${words} ${afterFrame(state.lastFrame)}, at byte ${dispatch.bytesRead}${inflated}`,
    });
  } else if (ended) {
    dispatch.end();
  }
  if (dispatch.error !== null) throw dispatch.error;
  if (state.fatal !== null) throw state.fatal;
  return state.finish(dispatch.format, dispatch.compressed, dispatch.bytesRead);
}
