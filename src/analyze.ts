/**
 * The whole pipeline for one capture: bytes → frames → TCP conversations → transcripts → findings.
 * Reads the capture once, front to back; the SHA-256 is computed on the same pass.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { readCapture } from './input/read.js';
import { CaptureError, type CaptureInfo, type CaptureProblem } from './input/frame.js';
import { TcpTracker } from './flow/tracker.js';
import type { Conversation } from './flow/types.js';
import { ConnectionSession } from './session/connection.js';
import type { Transcript } from './session/transcript.js';
import { linkFtpSessions, type FtpInfo } from './session/ftp.js';
import { runRules } from './findings/engine.js';
import type { CaptureView, ConnectionView, Finding } from './findings/types.js';

export interface AnalyzedConnection {
  readonly conversation: Conversation;
  readonly transcript: Transcript;
  /** FTP control or data connection, when it is one. */
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
}

/** Analyzes one capture from a path. Never rejects for a bad capture: the result carries the error. */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}, displayName: string = path): Promise<CaptureResult> {
  let size: number | null = null;
  try {
    const st = await fsp.stat(path);
    if (st.isDirectory()) return failed(displayName, null, 'is a directory', null);
    size = st.size;
  } catch (err) {
    return failed(displayName, null, fsMessage(err), null);
  }
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  return analyzeStream(input, displayName, options, size);
}

/** Analyzes one capture from a stream of its raw (possibly gzip'd) bytes. */
export async function analyzeStream(input: Readable, displayName: string, options: AnalyzeOptions = {}, size: number | null = null): Promise<CaptureResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  input.on('error', (err) => hashing.destroy(err));
  input.pipe(hashing);

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
    const session = new ConnectionSession(conversation);
    sessions.push({ conversation, session });
    byStream.set(conversation.stream, session);
    return session;
  });

  let info: CaptureInfo;
  try {
    info = await readCapture(hashing, (frame) => tracker.push(frame), options.signal ? { signal: options.signal } : {});
  } catch (err) {
    input.destroy();
    if (err instanceof CaptureError) return failed(displayName, size, err.message, err.offset ?? null);
    return failed(displayName, size, fsMessage(err), null);
  }
  tracker.finish();
  // Drain what the reader left unread (e.g. after a truncation) so the digest covers the whole file.
  await drain(hashing);

  const transcripts = sessions.map(({ conversation, session }) => ({ conversation, transcript: session.transcript() }));
  const ftp = linkFtpSessions(transcripts);
  const connections: AnalyzedConnection[] = transcripts.map((c) => {
    const f = ftp.get(c.conversation.stream);
    return f ? { ...c, ftp: f } : c;
  });
  const problems: CaptureProblem[] = [...info.problems, ...tracker.notes()];
  const view: CaptureView = {
    file: displayName,
    firstTime: info.firstTime,
    lastTime: info.lastTime,
    connections: connections as readonly ConnectionView[],
  };
  const findings = runRules(view, options.rules);
  return {
    file: displayName,
    size: size ?? bytes,
    sha256: hash.digest('hex'),
    info,
    connections,
    findings,
    problems,
    error: null,
  };
}

function failed(file: string, size: number | null, message: string, offset: number | null): CaptureResult {
  return { file, size, sha256: null, info: null, connections: [], findings: [], problems: [], error: { message, offset } };
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
