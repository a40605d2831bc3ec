// What one reading of a capture has produced so far: frames numbered as Wireshark numbers them,
// the link types declared, the problems met. Every format reader delivers through this, so that
// numbering, timing and problem reporting are the same whatever the format.
import type { CaptureError, CaptureFormat, CaptureInfo, CaptureProblem, Frame, FrameSink } from './frame.js';

const NANOS_PER_SECOND = 1_000_000_000;

/** "after frame 31", or "before the first frame": where in the capture a problem was met. */
export function afterFrame(frames: number): string {
  return frames === 0 ? 'before the first frame' : `after frame ${frames}`;
}

/** The problem for a capture that ends inside a record or block. */
export function truncationProblem(
  offset: number,
  frames: number,
  unit: 'record' | 'block',
  claimed: number | null,
  present: number,
  headerSize: number,
): CaptureProblem {
  const detail = claimed === null
    ? `${unit} header cut: ${headerSize} bytes needed, ${present} present`
    : `${unit} header says ${claimed} bytes, ${present} present`;
  return {
    severity: 'error',
    code: 'truncated',
    message: `capture truncated at byte ${offset} ${afterFrame(frames)} (${detail})`,
    offset,
  };
}

export class ReadState {
  /** Frames delivered so far. */
  packets = 0;
  /** The last frame number used: a record Wireshark numbers without it carrying a packet uses one too. */
  lastFrame = 0;
  /** Set once a problem of severity 'error' has ended the reading. */
  stopped = false;
  /** Receives TLS key log text from pcapng Decryption Secrets Blocks (ReadOptions.onSecrets). */
  onSecrets: ((text: string, offset: number) => void) | null = null;
  /** Set when the capture cannot be read at all (its file header is unreadable). */
  fatal: CaptureError | null = null;
  /** Set once the file header has been read: from then on, trouble is a problem, not a rejection. */
  headerRead = false;

  private readonly sink: FrameSink;
  private readonly current: { -readonly [K in keyof Frame]: Frame[K] } = { number: 0, seconds: 0, nanos: 0, linkType: 0, data: new Uint8Array(0), capturedLength: 0, originalLength: 0 };
  private readonly onProblem: ((p: CaptureProblem) => void) | undefined;
  private readonly problems: CaptureProblem[] = [];
  private readonly linkTypes: number[] = [];
  private firstTime: number | null = null;
  private lastSeconds = 0;
  private lastNanos = 0;
  private skippedCount = 0;
  private firstSkipped = 0;
  private firstSkippedWhat = '';
  private cutCount = 0;
  private farCount = 0;
  private firstFar = 0;
  private firstCut = 0;
  private firstCutCaptured = 0;
  private firstCutOriginal = 0;

  private readonly signal: AbortSignal | undefined;

  constructor(sink: FrameSink, onProblem: ((p: CaptureProblem) => void) | undefined, signal: AbortSignal | undefined) {
    this.sink = sink;
    this.onProblem = onProblem;
    this.signal = signal;
  }

  /** A link type declared by the file (pcap header, pcapng interface), kept in order of first appearance. */
  declareLinkType(linkType: number): void {
    if (!this.linkTypes.includes(linkType)) this.linkTypes.push(linkType);
  }

  /** Numbers the next frame and hands it to the sink. `data` is a view the sink must not keep. */
  frame(linkType: number, seconds: number, nanos: number, data: Uint8Array, originalLength: number): void {
    // A writer that put a whole second or more in the fraction field is carried over, so that
    // Frame.nanos stays within a second as its contract says.
    if (nanos >= NANOS_PER_SECOND) {
      seconds += Math.floor(nanos / NANOS_PER_SECOND);
      nanos %= NANOS_PER_SECOND;
    }
    const number = ++this.lastFrame;
    this.packets++;
    const capturedLength = data.length;
    if (capturedLength < originalLength && this.cutCount++ === 0) {
      this.firstCut = number;
      this.firstCutCaptured = capturedLength;
      this.firstCutOriginal = originalLength;
    }
    if (number === 1) this.firstTime = seconds + nanos / NANOS_PER_SECOND;
    this.lastSeconds = seconds;
    this.lastNanos = nanos;
    // One frame object per reading, filled anew for each frame: over a million frames a gigabyte,
    // an object each was a measurable share of the garbage collector's work.
    const f = this.current;
    f.number = number;
    f.seconds = seconds;
    f.nanos = nanos;
    f.linkType = linkType;
    f.data = data;
    f.capturedLength = capturedLength;
    f.originalLength = originalLength;
    this.sink(f);
    // An abort (perhaps by the sink itself) stops delivery at once, not at the end of the chunk.
    if (this.signal?.aborted === true) this.stopped = true;
  }

  /**
   * The frame about to be delivered has a timestamp no date can show (beyond ±8.64e12 s, the range
   * of an ECMAScript Date, year 275760): counted for one note, the frame is analyzed all the same.
   */
  timeBeyondDates(): void {
    if (this.farCount++ === 0) this.firstFar = this.lastFrame + 1;
  }

  /**
   * A record that Wireshark numbers as a frame but that carries no packet: its number is used, so
   * that every later frame keeps the number Wireshark gives it, and the sink is not called.
   */
  skipFrame(what: string): void {
    const number = ++this.lastFrame;
    if (this.skippedCount++ === 0) {
      this.firstSkipped = number;
      this.firstSkippedWhat = what;
    }
  }

  /** Records a problem that does not end the reading. */
  note(problem: CaptureProblem): void {
    this.problems.push(problem);
    this.onProblem?.(problem);
  }

  /** Records a problem that ends the reading; every frame delivered so far stands. */
  stop(problem: CaptureProblem): void {
    if (this.stopped) return;
    this.stopped = true;
    this.note(problem);
  }

  /** The capture cannot be read at all: readCapture rejects with this error. */
  fail(error: CaptureError): void {
    if (this.stopped) return;
    this.stopped = true;
    this.fatal = error;
  }

  /** Ends the reading: adds the notes that count (non-packet records, snaplen cuts), then describes what was read. */
  finish(format: CaptureFormat, compressed: boolean, bytesRead: number): CaptureInfo {
    if (this.skippedCount > 0) {
      const which = this.skippedCount === 1
        ? '1 record that Wireshark numbers as a frame carries no packet; no frame is delivered under its number'
        : `${this.skippedCount} records that Wireshark numbers as frames carry no packet; no frames are delivered under their numbers`;
      this.note({
        severity: 'note',
        code: 'non-packet-records',
        message: `${which} (first: frame ${this.firstSkipped}, a ${this.firstSkippedWhat})`,
        frame: this.firstSkipped,
      });
    }
    if (this.cutCount > 0) {
      const frames = this.cutCount === 1 ? '1 frame was' : `${this.cutCount} frames were`;
      this.note({
        severity: 'note',
        code: 'snaplen-cut',
        message: `${frames} cut short by the snapshot length (first: frame ${this.firstCut}, `
          + `${this.firstCutCaptured} of ${this.firstCutOriginal} bytes captured)`,
        frame: this.firstCut,
      });
    }
    if (this.farCount > 0) {
      const frames = this.farCount === 1 ? '1 frame has a timestamp' : `${this.farCount} frames have timestamps`;
      this.note({
        severity: 'note',
        code: 'time-out-of-range',
        message: `${frames} beyond the year 275760 or before -271821 (if_tsresol or if_tsoffset of the interface; ` +
          `first: frame ${this.firstFar}): the frames are analyzed, their times are not shown`,
        frame: this.firstFar,
      });
    }
    return {
      format,
      compressed,
      linkTypes: [...this.linkTypes],
      packets: this.packets,
      firstTime: this.firstTime,
      lastTime: this.packets === 0 ? null : this.lastSeconds + this.lastNanos / NANOS_PER_SECOND,
      bytesRead,
      problems: [...this.problems],
    };
  }
}
