/**
 * The pipeline for one capture, in one place. Every stage keeps bounded state; a connection's
 * memory is let go as soon as its record is final.
 *
 *   bytes ─▶ frames            src/input     readCapture(): one pass, SHA-256 on the same bytes;
 *                                             gzip unwrapped here, bounded (src/input/expansion.ts)
 *   frames ─▶ conversations    src/flow      TcpTracker: tcp.stream numbering, reassembly; a
 *                                             conversation ends on FIN+FIN / RST, idleness, or the end
 *   conversations ─▶ transcripts src/session  ConnectionSession, one per open conversation
 *   on close ─▶ per-connection rules          src/findings  runConnectionRules()
 *   cross-connection indexes                   src/session/ftp.ts FtpIndex (by host pair): FTP data
 *                                             connections tied to their control connection, which
 *                                             waits for the data connections opened during it;
 *                                             certificates decoded once (memo by SHA-256)
 *   ─▶ onConnection(finished)                  a sink: the report writers (src/report/writers.ts)
 *
 * Connections reach the sink as they become final, which is not tcp.stream order (a long connection
 * finishes after shorter ones that began later). Sinks that print in stream order put them back in
 * order themselves (src/report/ordered-spool.ts). analyzeFile/analyzeStream collect every connection
 * for the callers that want the whole capture at once (tests, small captures, the library API).
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { readCapture } from './input/read.js';
import { hashFileInWorker } from './input/hash-file.js';
import { captureFormatOf, unknownMagicMessage } from './input/magic.js';
import { CaptureError, type CaptureInfo, type CaptureProblem, type Frame } from './input/frame.js';
import { DEFAULT_LIMITS, checkExpansion, type ExpansionLimits } from './input/expansion.js';
import { Stage, peekHead } from './input/stage.js';
import { TcpTracker } from './flow/tracker.js';
import type { Conversation, Direction, StreamHandler } from './flow/types.js';
import { ConnectionSession } from './session/connection.js';
import { FtpIndex, type FtpInfo, type FtpSettled } from './session/ftp.js';
import type { Transcript } from './session/transcript.js';
import { byEvidence, runConnectionRules, selectRules } from './findings/engine.js';
import type { CaptureView, ConnectionView, Finding, Rule } from './findings/types.js';
import { UdpPipeline } from './analyze-udp.js';
import { KeyLog } from './tls-keys/keylog.js';

export interface AnalyzedConnection {
  readonly conversation: Conversation;
  readonly transcript: Transcript;
  /** Its place in an FTP session (control or data connection), when it has one. */
  readonly ftp?: FtpInfo;
}

/** A connection whose record is final: its transcript, its FTP role and the findings about it. */
export interface FinishedConnection extends AnalyzedConnection {
  /** Findings whose stream is this connection's, in evidence order. */
  readonly findings: readonly Finding[];
  /** Rule ids of findings on other connections that name this one (an FTPS control connection). */
  readonly related: readonly string[];
  /**
   * Set when Wireshark's tcp.stream went on after this stream's record had been made final (a
   * 4-tuple back after an idle close, or a SYN repeating a closed conversation's initial sequence
   * number): the later part is a record of its own under the same stream index.
   */
  readonly continuation?: true;
}

/** What is known of a capture once it has been read; the connections went to the sink. */
export interface CaptureOutcome {
  /** The name shown everywhere: the path as given, or `archive.zip!member.pcap`. */
  readonly file: string;
  readonly size: number | null;
  readonly sha256: string | null;
  /** null when the capture could not be read at all (see error). */
  readonly info: CaptureInfo | null;
  readonly problems: readonly CaptureProblem[];
  /** Set when nothing could be read: `not a capture file (...)`, with the byte offset. */
  readonly error: { readonly message: string; readonly offset: number | null } | null;
  /** Connections given to the sink. */
  readonly connections: number;
}

/** The whole capture at once (analyzeFile, analyzeStream). */
export interface CaptureResult extends Omit<CaptureOutcome, 'connections'> {
  /** In tcp.stream order, then the UDP ones (DTLS, QUIC: `conversation.transport`) in udp.stream order. */
  readonly connections: readonly FinishedConnection[];
  /** Every finding, in evidence order. */
  readonly findings: readonly Finding[];
}

export interface AnalyzeOptions {
  /** Rules to run (ids); all when absent. */
  readonly rules?: readonly string[] | null;
  readonly signal?: AbortSignal;
  /** Bounds on gzip decompression; DEFAULT_LIMITS when absent. */
  readonly limits?: ExpansionLimits;
  /** Called with each chunk's length as the bytes as stored are read (progress). */
  readonly onStoredBytes?: (length: number) => void;
  /** Problems known before the reading (an unsafe archive member name), listed first. */
  readonly notes?: readonly CaptureProblem[];
  /** A conversation without a packet for this long (capture time, seconds) is closed. Default 600. */
  readonly idleTimeoutSeconds?: number;
  /** Keep the first this many bytes of each TLS record on its event (`recordHead`, for `--hex`). Default 0. */
  readonly recordHeadBytes?: number;
  /**
   * The input is this file on disk: its SHA-256 is computed on another thread (src/input/hash-file.ts)
   * instead of on the bytes as they pass.
   */
  readonly hashFile?: string;
  /**
   * Secrets from `--keylog` files (NSS key log format), shared by every capture of a run; a
   * capture's own pcapng Decryption Secrets Blocks are added over them for that capture only.
   */
  readonly keyLog?: KeyLog;
}

/** Receives each connection once its record is final (not in stream order). */
export type ConnectionSink = (connection: FinishedConnection) => void;

/** gzip output chunks: see src/input/source.ts for why 64 KiB (speed against data lost at a corruption). */
const GUNZIP_CHUNK_SIZE = 64 * 1024;

/** Analyzes one capture from a path, collecting every connection. Never rejects for a bad capture. */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}, displayName: string = path): Promise<CaptureResult> {
  const opened = await openCaptureFile(path);
  if ('error' in opened) return failedResult(displayName, opened.size, opened.error, null, options.notes);
  return analyzeStream(opened.stream, displayName, { ...options, hashFile: path }, opened.size);
}

/** A capture file's bytes, or why it cannot be read. */
export async function openCaptureFile(path: string): Promise<{ stream: Readable; size: number } | { error: string; size: number | null }> {
  try {
    const st = await fsp.stat(path);
    if (st.isDirectory()) return { error: 'is a directory', size: null };
    return { stream: createReadStream(path, { highWaterMark: 1 << 20 }), size: st.size };
  } catch (err) {
    return { error: fsMessage(err), size: null };
  }
}

/** Analyzes one capture from a stream of its raw (possibly gzip'd) bytes, collecting every connection. */
export async function analyzeStream(input: Readable, displayName: string, options: AnalyzeOptions = {}, size: number | null = null): Promise<CaptureResult> {
  const connections: FinishedConnection[] = [];
  const outcome = await analyzeCapture(input, displayName, options, size, (c) => connections.push(c));
  // A capture that fails as a whole (a gzip bound, a corrupt gzip stream) reports its error alone.
  if (outcome.error !== null) connections.length = 0;
  // TCP connections in tcp.stream order, then UDP ones (DTLS, QUIC) in udp.stream order.
  const udpLast = (c: FinishedConnection) => (c.conversation.transport === 'udp' ? 1 : 0);
  connections.sort((a, b) => udpLast(a) - udpLast(b) || a.conversation.stream - b.conversation.stream || (a.continuation ? 1 : 0) - (b.continuation ? 1 : 0));
  const findings = connections.flatMap((c) => c.findings).sort(byEvidence);
  const { connections: _count, ...rest } = outcome;
  return { ...rest, connections, findings };
}

/**
 * Analyzes one capture from a stream of its raw (possibly gzip'd) bytes, handing each connection to
 * `sink` as soon as its record is final. Never rejects for a bad capture: the outcome carries the error.
 */
export async function analyzeCapture(input: Readable, displayName: string, options: AnalyzeOptions, size: number | null, sink: ConnectionSink): Promise<CaptureOutcome> {
  const hashed = options.hashFile !== undefined ? hashFileInWorker(options.hashFile) : null;
  const hash = hashed === null ? createHash('sha256') : null;
  let storedBytes = 0;
  const onStored = options.onStoredBytes;
  const stored = new Stage([input], {
    inspect(chunk) {
      hash?.update(chunk);
      storedBytes += chunk.length;
      if (onStored !== undefined) onStored(chunk.length);
      return null;
    },
  });
  let delivered = 0;
  let inflater: Stage | null = null;
  const fail = (message: string, offset: number | null): CaptureOutcome => {
    // The inflater first: destroyed after the stream under it, it would see a premature close and
    // raise it as an 'error' event nobody listens to any more.
    inflater?.destroy();
    stored.destroy();
    const { connections: _none, findings: _nothing, ...failed } = failedResult(displayName, size, message, offset, options.notes);
    return { ...failed, connections: delivered };
  };

  let head: Buffer;
  let bytes: Readable;
  try {
    ({ head, stream: bytes } = await peekHead(stored, 2));
  } catch (err) {
    return fail(fsMessage(err), null);
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const limits = options.limits ?? DEFAULT_LIMITS;
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_SIZE });
    let inflated = 0;
    inflater = new Stage([bytes, gunzip], {
      inspect(chunk) {
        inflated += chunk.length;
        return checkExpansion(inflated, gunzip.bytesWritten, limits);
      },
    });
    // The reader would inflate gzip inside gzip again, unbounded: refuse it, as the reader's own message does.
    let inner: Buffer;
    try {
      ({ head: inner, stream: bytes } = await peekHead(inflater, 4));
    } catch (err) {
      if (inflater.failure !== null) return fail(inflater.failure.message, null);
      return fail(streamMessage(err), 0);
    }
    if (inner.length === 0) return fail('empty file (the gzip data inflates to nothing)', 0);
    if (inner.length >= 4 && captureFormatOf(inner) === null) return fail(unknownMagicMessage(inner, true), 0);
  }

  // This capture's secrets: the run's key logs, and the Decryption Secrets Blocks read on the way.
  const keys = new KeyLog(options.keyLog ?? null);
  const secretNotes: CaptureProblem[] = [];
  const pipeline = new ConnectionPipeline(displayName, selectRules(options.rules), options.recordHeadBytes ?? 0, keys, (c) => {
    delivered++;
    // The record is final: the tracker's tombstone may let the conversation's record go.
    c.conversation.final = true;
    sink(c);
  });
  const tracker = new TcpTracker((conversation) => pipeline.open(conversation), options.idleTimeoutSeconds !== undefined ? { idleTimeoutSeconds: options.idleTimeoutSeconds } : {});
  // UDP datagrams (DTLS, QUIC: udp.stream numbering) go to their own pipeline, src/analyze-udp.ts.
  const udp = new UdpPipeline(displayName, pipeline.rules, (c) => {
    delivered++;
    sink(c);
  }, options.idleTimeoutSeconds, keys);
  tracker.udp = (view, frame, time) => udp.push(view, frame, time);
  const push = (frame: Frame) => {
    pipeline.clock(frame.seconds);
    tracker.push(frame);
    pipeline.tick();
  };

  let info: CaptureInfo;
  try {
    const onSecrets = (text: string, offset: number) => {
      for (const n of keys.addText(text, `the Decryption Secrets Block at byte ${offset}`)) secretNotes.push(n);
    };
    info = await readCapture(bytes, push, options.signal ? { signal: options.signal, onSecrets } : { onSecrets });
  } catch (err) {
    if (inflater?.failure) return fail(inflater.failure.message, null);
    if (err instanceof CaptureError) return fail(err.message, err.offset ?? null);
    return fail(fsMessage(err), null);
  }
  // Drain what the reader left unread (e.g. after a truncation) so the digest covers the whole file.
  await drain(bytes);
  if (inflater?.failure) return fail(inflater.failure.message, null);
  tracker.finish();
  pipeline.finish();
  udp.finish();
  if (inflater !== null) info = { ...info, compressed: true };
  const problems: CaptureProblem[] = [...(options.notes ?? []), ...secretNotes, ...info.problems, ...tracker.notes(), ...pipeline.notes, ...udp.notes()];
  let sha256: string | null;
  if (hashed !== null) {
    const h = await hashed;
    // The file changed under the reading (a capture still being written): say so rather than give a digest of other bytes.
    if ('error' in h || h.bytes !== storedBytes) {
      sha256 = null;
      problems.push({ severity: 'warning', code: 'hash-unavailable', message: 'error' in h ? `the SHA-256 could not be computed: ${h.error}` : `the file changed while it was read (${storedBytes} bytes read, ${h.bytes} hashed): no SHA-256` });
    } else sha256 = h.sha256;
  } else sha256 = hash!.digest('hex');
  return {
    file: displayName,
    size: size ?? storedBytes,
    sha256,
    info,
    problems,
    error: null,
    connections: delivered,
  };
}

/** A connection that has closed and been judged, held until the FTP index lets its record go. */
interface Held {
  readonly conversation: Conversation;
  readonly transcript: Transcript;
  readonly ftp: FtpInfo | undefined;
  readonly findings: readonly Finding[];
  readonly continuation: boolean;
}

/**
 * How long (capture time, seconds) a closed connection's record waits before it goes out, so that
 * the segments that still follow a close (the last ACK, a retransmitted FIN) count in its frames and
 * statistics, as they do when the whole capture is read first.
 */
const SETTLE_SECONDS = 5;
/** Records waiting to settle, at most: past it the oldest goes out early (a burst of closes). */
const MAX_SETTLING = 500;

/** An emptied slot of the settling queue. */
const RELEASED = { record: null as unknown as FinishedConnection, at: 0 };

interface Live {
  readonly conversation: Conversation;
  readonly session: ConnectionSession;
  readonly continuation: boolean;
}

/**
 * Conversations to finished connections: a session per open conversation, the rules when it closes,
 * the FTP index across connections. Holds open conversations, and closed FTP control connections
 * until their data connections have closed; nothing else.
 */
class ConnectionPipeline {
  /** Certificates repeat across the connections of a capture: each is decoded once. */
  private readonly memo: ConstructorParameters<typeof ConnectionSession>[1] = new Map();
  private readonly live = new Map<number, Live>();
  private readonly held = new Map<number, Held>();
  private readonly ftp = new FtpIndex();
  private readonly view: CaptureView;
  /** Stream indices whose record has gone to the sink: every index below `settledBelow`, and those in `settledAbove`. */
  private settledBelow = 0;
  private readonly settledAbove = new Set<number>();
  private continued = 0;
  /** Records waiting for SETTLE_SECONDS after their close, oldest first. */
  private settling: { readonly record: FinishedConnection; readonly at: number }[] = [];
  private settlingHead = 0;
  /** Capture time of the latest frame (whole seconds are enough for SETTLE_SECONDS). */
  private now = -Infinity;
  readonly notes: CaptureProblem[] = [];

  /** TLS connections by how their decryption went (only counted when a key log was given). */
  private readonly decryption = { tls: 0, noKey: 0, firstNoKey: 0, unsupported: 0, firstUnsupported: 0 };

  constructor(
    file: string,
    readonly rules: readonly Rule[],
    private readonly recordHeadBytes: number,
    private readonly keys: KeyLog,
    private readonly sink: ConnectionSink,
  ) {
    this.view = { file, connection: (stream) => this.lookup(stream) };
  }

  open(conversation: Conversation): StreamHandler {
    const stream = conversation.stream;
    const continuation = this.isSettled(stream) || this.held.has(stream);
    if (continuation && this.continued++ === 0) {
      this.notes.push({
        severity: 'note',
        code: 'stream-continued',
        message: `tcp.stream ${stream} went on after its record was made final (the same addresses and ports after an idle close, or a SYN repeating its initial sequence number); the later packets are reported as a record of their own under the same stream index`,
        frame: conversation.firstFrame,
      });
    }
    const session = new ConnectionSession(conversation, this.memo, this.recordHeadBytes, this.keys);
    const key = continuation ? -1 - stream : stream;
    this.live.set(key, { conversation, session, continuation });
    if (!continuation) {
      this.ftp.opened({ conversation, hints: () => session.hints(), transcript: () => session.transcript() });
    }
    return new ClosingHandler(session, () => this.closed(key), continuation ? null : () => this.ftp.spoke(stream));
  }

  /** The capture's clock, before a frame is tracked (a close it causes is stamped with its time). */
  clock(seconds: number): void {
    if (seconds > this.now) this.now = seconds;
  }

  /** Records that have settled go out. */
  tick(): void {
    const q = this.settling;
    while (this.settlingHead < q.length && (this.now - q[this.settlingHead].at > SETTLE_SECONDS || q.length - this.settlingHead > MAX_SETTLING)) {
      const { record } = q[this.settlingHead];
      // The slot lets go of the record at once: emptied slots are compacted away only now and then.
      q[this.settlingHead++] = RELEASED;
      this.sink(record);
    }
    if (this.settlingHead === q.length) {
      this.settling = [];
      this.settlingHead = 0;
    } else if (this.settlingHead > 1024 && this.settlingHead * 2 > q.length) {
      this.settling = q.slice(this.settlingHead);
      this.settlingHead = 0;
    }
  }

  /** End of the capture (after the tracker closed every conversation): every held record goes out. */
  finish(): void {
    const d = this.decryption;
    if (d.noKey > 0) {
      this.notes.push({
        severity: 'note',
        code: 'no-key',
        message: `no key for ${d.noKey} of ${d.tls} TLS connection${d.tls === 1 ? '' : 's'} in the key logs given (first: tcp.stream ${d.firstNoKey}); those are shown encrypted`,
      });
    }
    if (d.unsupported > 0) {
      this.notes.push({
        severity: 'note',
        code: 'decryption-unsupported',
        message: `${d.unsupported} of ${d.tls} TLS connection${d.tls === 1 ? '' : 's'} have a key but a protocol version or cipher suite tlsdiag does not decrypt (SSL 3.0, RC4, NULL, export; first: tcp.stream ${d.firstUnsupported}); those are shown encrypted`,
      });
    }
    for (const settled of this.ftp.finish()) this.release(settled);
    for (const key of [...this.held.keys()].sort((a, b) => a - b)) this.release({ stream: key, ftp: undefined, related: [] });
    for (let i = this.settlingHead; i < this.settling.length; i++) this.sink(this.settling[i].record);
    this.settling = [];
    this.settlingHead = 0;
  }

  /** A final record goes out once the segments that follow its close have been counted. */
  private settle(record: FinishedConnection): void {
    this.settling.push({ record, at: this.now });
    // Closes without frames between them (the end of the capture closing everything still open)
    // must not pile up: past the bound the oldest goes out now, as tick() would do.
    if (this.settling.length - this.settlingHead > MAX_SETTLING) this.tick();
  }

  private closed(key: number): void {
    const live = this.live.get(key)!;
    this.live.delete(key);
    const { conversation, session, continuation } = live;
    const transcript = session.transcript();
    const decryption = session.decryption();
    if (decryption !== null) {
      this.decryption.tls++;
      if (decryption === 'no-key' && (this.decryption.noKey++ === 0 || conversation.stream < this.decryption.firstNoKey)) this.decryption.firstNoKey = conversation.stream;
      if (decryption === 'unsupported' && (this.decryption.unsupported++ === 0 || conversation.stream < this.decryption.firstUnsupported)) this.decryption.firstUnsupported = conversation.stream;
    }
    if (continuation) {
      const findings = runConnectionRules({ conversation, transcript }, this.view, this.rules);
      this.settle({ conversation, transcript, findings, related: [], continuation: true });
      return;
    }
    const stream = conversation.stream;
    const data = this.ftp.linkData(stream);
    const findings = runConnectionRules(data ? { conversation, transcript, ftp: data } : { conversation, transcript }, this.view, this.rules);
    for (const f of findings) for (const other of f.relatedStreams ?? []) this.ftp.relate(other, f.rule);
    this.held.set(stream, { conversation, transcript, ftp: data, findings, continuation: false });
    for (const settled of this.ftp.closed(stream)) this.release(settled);
  }

  private release(settled: FtpSettled): void {
    const h = this.held.get(settled.stream);
    if (h === undefined) return;
    this.held.delete(settled.stream);
    this.markSettled(settled.stream);
    const ftp = h.ftp ?? settled.ftp;
    this.settle({
      conversation: h.conversation,
      transcript: h.transcript,
      ...(ftp ? { ftp } : {}),
      findings: h.findings,
      related: settled.related,
    });
  }

  private lookup(stream: number): ConnectionView | undefined {
    const held = this.held.get(stream);
    if (held) return { conversation: held.conversation, transcript: held.transcript };
    const c = this.ftp.candidate(stream);
    return c ? { conversation: c.conversation, transcript: c.transcript() } : undefined;
  }

  private isSettled(stream: number): boolean {
    return stream < this.settledBelow || this.settledAbove.has(stream);
  }

  private markSettled(stream: number): void {
    if (stream !== this.settledBelow) {
      this.settledAbove.add(stream);
      return;
    }
    this.settledBelow++;
    while (this.settledAbove.delete(this.settledBelow)) this.settledBelow++;
  }
}

/** Passes a conversation's bytes to its session, and says when it has closed. */
class ClosingHandler implements StreamHandler {
  constructor(
    private readonly session: ConnectionSession,
    private readonly onClosed: () => void,
    /** Told once, at the first payload (the FTP index looks for control connections among those). */
    private onFirstData: (() => void) | null,
  ) {}

  onData(dir: Direction, data: Uint8Array, frame: number, time: number): void {
    if (this.onFirstData !== null) {
      this.onFirstData();
      this.onFirstData = null;
    }
    this.session.onData(dir, data, frame, time);
  }

  onGap(dir: Direction, bytes: number, frame: number, time: number): void {
    this.session.onGap(dir, bytes, frame, time);
  }

  onFin(dir: Direction, frame: number, time: number): void {
    this.session.onFin(dir, frame, time);
  }

  onRst(dir: Direction, frame: number, time: number): void {
    this.session.onRst(dir, frame, time);
  }

  onClose(): void {
    this.session.onClose();
    this.onClosed();
  }
}

/** The result for a capture that could not be read at all. */
export function failedResult(
  file: string,
  size: number | null,
  message: string,
  offset: number | null,
  notes: readonly CaptureProblem[] = [],
): CaptureResult {
  return { file, size, sha256: null, info: null, connections: [], findings: [], problems: [...notes], error: { message, offset } };
}

function drain(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.readableEnded || stream.destroyed) return resolve();
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
    stream.resume();
  });
}

/** A zlib error in the reader's words (RFC 1952 data that ends early or does not inflate). */
function streamMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'Z_BUF_ERROR') return `gzip data ends early (${message})`;
  if (code.startsWith('Z_')) return `corrupt gzip data (${message})`;
  return fsMessage(err);
}

/** A file-system error as a plain sentence (no stack, no errno noise). */
export function fsMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e?.message ? String(e.message) : String(err);
  }
}
