/**
 * The whole pipeline for one capture: bytes → frames → TCP conversations → transcripts → findings.
 * Reads the capture once, front to back; the SHA-256 is computed on the same pass. gzip is
 * unwrapped here rather than by the reader so that the decompression is bounded (src/batch/limits.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { readCapture } from './input/read.js';
import { captureFormatOf, unknownMagicMessage } from './input/magic.js';
import { CaptureError, type CaptureInfo, type CaptureProblem } from './input/frame.js';
import { TcpTracker } from './flow/tracker.js';
import type { Conversation } from './flow/types.js';
import { ConnectionSession } from './session/connection.js';
import { linkFtpSessions, type FtpInfo } from './session/ftp.js';
import type { Transcript } from './session/transcript.js';
import { runRules } from './findings/engine.js';
import type { CaptureView, ConnectionView, Finding } from './findings/types.js';
import { DEFAULT_LIMITS, checkExpansion, type ExpansionLimits } from './batch/limits.js';
import { Stage, peekHead } from './batch/stage.js';

export interface AnalyzedConnection {
  readonly conversation: Conversation;
  readonly transcript: Transcript;
  /** Its place in an FTP session (control or data connection), when it has one. */
  readonly ftp?: FtpInfo;
}

export interface CaptureResult {
  /** The name shown everywhere: the path as given, or `archive.zip!member.pcap`. */
  readonly file: string;
  readonly size: number | null;
  readonly sha256: string | null;
  /** null when the capture could not be read at all (see error). */
  readonly info: CaptureInfo | null;
  readonly connections: readonly AnalyzedConnection[];
  readonly findings: readonly Finding[];
  readonly problems: readonly CaptureProblem[];
  /** Set when nothing could be read: `not a capture file (...)`, with the byte offset. */
  readonly error: { readonly message: string; readonly offset: number | null } | null;
}

export interface AnalyzeOptions {
  /** Rules to run (ids); all when absent. */
  readonly rules?: readonly string[];
  readonly signal?: AbortSignal;
  /** Bounds on gzip decompression; DEFAULT_LIMITS when absent. */
  readonly limits?: ExpansionLimits;
  /** Called with each chunk's length as the bytes as stored are read (progress). */
  readonly onStoredBytes?: (length: number) => void;
  /** Problems known before the reading (an unsafe archive member name), listed first. */
  readonly notes?: readonly CaptureProblem[];
}

/** gzip output chunks: see src/input/source.ts for why 64 KiB (speed against data lost at a corruption). */
const GUNZIP_CHUNK_SIZE = 64 * 1024;

/** Analyzes one capture from a path. Never rejects for a bad capture: the result carries the error. */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}, displayName: string = path): Promise<CaptureResult> {
  let size: number | null = null;
  try {
    const st = await fsp.stat(path);
    if (st.isDirectory()) return failedResult(displayName, null, 'is a directory', null);
    size = st.size;
  } catch (err) {
    return failedResult(displayName, null, fsMessage(err), null);
  }
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  return analyzeStream(input, displayName, options, size);
}

/** Analyzes one capture from a stream of its raw (possibly gzip'd) bytes. */
export async function analyzeStream(input: Readable, displayName: string, options: AnalyzeOptions = {}, size: number | null = null): Promise<CaptureResult> {
  const hash = createHash('sha256');
  let storedBytes = 0;
  const onStored = options.onStoredBytes;
  const stored = new Stage([input], {
    inspect(chunk) {
      hash.update(chunk);
      storedBytes += chunk.length;
      if (onStored !== undefined) onStored(chunk.length);
      return null;
    },
  });
  const fail = (message: string, offset: number | null): CaptureResult => {
    stored.destroy();
    return failedResult(displayName, size, message, offset, options.notes);
  };

  let head: Buffer;
  let bytes: Readable;
  try {
    ({ head, stream: bytes } = await peekHead(stored, 2));
  } catch (err) {
    return fail(fsMessage(err), null);
  }
  let inflater: Stage | null = null;
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

  // Certificates repeat across the connections of a capture: each is decoded once.
  const memo: ConstructorParameters<typeof ConnectionSession>[1] = new Map();
  const sessions: { conversation: Conversation; session: ConnectionSession }[] = [];
  const byStream = new Map<number, ConnectionSession>();
  const tracker = new TcpTracker((conversation) => {
    // tshark keeps the stream index when a 4-tuple comes back with the same initial sequence number
    // (or after an idle close): the tracker then opens a second Conversation with that index. It is
    // the same tcp.stream to the user, so its bytes continue the same transcript.
    const known = byStream.get(conversation.stream);
    if (known) {
      known.reopen();
      return known;
    }
    const session = new ConnectionSession(conversation, memo);
    sessions.push({ conversation, session });
    byStream.set(conversation.stream, session);
    return session;
  });

  let info: CaptureInfo;
  try {
    info = await readCapture(bytes, (frame) => tracker.push(frame), options.signal ? { signal: options.signal } : {});
  } catch (err) {
    if (inflater?.failure) return fail(inflater.failure.message, null);
    if (err instanceof CaptureError) return fail(err.message, err.offset ?? null);
    return fail(fsMessage(err), null);
  }
  // Drain what the reader left unread (e.g. after a truncation) so the digest covers the whole file.
  await drain(bytes);
  if (inflater?.failure) return fail(inflater.failure.message, null);
  tracker.finish();
  if (inflater !== null) info = { ...info, compressed: true };

  const transcribed = sessions.map(({ conversation, session }) => ({ conversation, transcript: session.transcript() }));
  const ftp = linkFtpSessions(transcribed);
  const connections: AnalyzedConnection[] = transcribed.map((c) => {
    const role = ftp.get(c.conversation.stream);
    return role === undefined ? c : { ...c, ftp: role };
  });
  const problems: CaptureProblem[] = [...(options.notes ?? []), ...info.problems, ...tracker.notes()];
  const view: CaptureView = {
    file: displayName,
    firstTime: info.firstTime,
    lastTime: info.lastTime,
    connections: connections as readonly ConnectionView[],
  };
  const findings = runRules(view, options.rules);
  return {
    file: displayName,
    size: size ?? storedBytes,
    sha256: hash.digest('hex'),
    info,
    connections,
    findings,
    problems,
    error: null,
  };
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
