/**
 * The unit every capture reader produces: one captured packet, numbered as Wireshark numbers it
 * (1-based, in file order across all sections/interfaces of the capture).
 */
/**
 * One captured frame, as the reader hands it to its sink. The object and its `data` are the
 * reader's, valid only during the call: the reader fills the same object for the next frame.
 */
export interface Frame {
  /** 1-based frame number, `frame.number` in Wireshark. */
  readonly number: number;
  /** Capture timestamp: whole seconds since the epoch. */
  readonly seconds: number;
  /** Capture timestamp: nanoseconds within the second (0..999_999_999). */
  readonly nanos: number;
  /** Link-layer type (LINKTYPE_* number) of the interface that captured it. */
  readonly linkType: number;
  /** The captured bytes (length = capturedLength). A view: do not keep it beyond the callback. */
  readonly data: Uint8Array;
  /** Bytes present in the capture. */
  readonly capturedLength: number;
  /** Bytes on the wire; greater than capturedLength when the snap length cut the packet. */
  readonly originalLength: number;
}

export type CaptureFormat = 'pcap' | 'pcap-ns' | 'pcapng';

/** Something wrong with the capture file itself, located by byte offset and/or frame. */
export interface CaptureProblem {
  readonly severity: 'error' | 'warning' | 'note';
  /** Stable machine-readable code, e.g. `truncated`, `snaplen-cut`, `unknown-linktype`, `bad-block`. */
  readonly code: string;
  readonly message: string;
  readonly offset?: number;
  readonly frame?: number;
}

/**
 * The codes of the problems the capture readers report; docs/capture-input.md has their messages.
 * Severity 'error' (the reading ended there): truncated, absurd-length, corrupt-record, bad-block,
 * gzip-truncated, gzip-corrupt, read-error, parser-error. Severity 'note': snaplen-cut,
 * non-packet-records.
 */
export type CaptureProblemCode =
  | 'truncated' | 'absurd-length' | 'corrupt-record' | 'bad-block'
  | 'gzip-truncated' | 'gzip-corrupt' | 'read-error' | 'parser-error'
  | 'snaplen-cut' | 'non-packet-records' | 'time-out-of-range';

/** What a reader knows about the capture once it has read it (or given up). */
export interface CaptureInfo {
  readonly format: CaptureFormat;
  /** true when the container was gzip-compressed (detected by magic bytes). */
  readonly compressed: boolean;
  /** Distinct link types seen, in order of first appearance. */
  readonly linkTypes: readonly number[];
  readonly packets: number;
  /** Frame time of the first/last frame as epoch seconds with fraction, or null when no frame. */
  readonly firstTime: number | null;
  readonly lastTime: number | null;
  /** Uncompressed bytes of capture data read. */
  readonly bytesRead: number;
  readonly problems: readonly CaptureProblem[];
}

/**
 * A capture that cannot be read at all (not a capture, bad magic, a corrupt header). Thrown by the
 * readers, caught by the CLI, printed as one line: `FILE: MESSAGE (at byte N)`.
 */
export class CaptureError extends Error {
  readonly offset: number | undefined;
  readonly frame: number | undefined;
  constructor(message: string, offset?: number, frame?: number) {
    super(message);
    this.name = 'CaptureError';
    this.offset = offset;
    this.frame = frame;
  }
}

/** Receives frames in file order, synchronously. */
export type FrameSink = (frame: Frame) => void;
