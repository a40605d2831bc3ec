/**
 * The vocabulary of a batch run: where one capture's bytes come from, the job a worker runs for it,
 * and what it sends back. Everything here crosses a worker_threads boundary, so it is plain data.
 */
import type { CaptureProblem } from '../input/frame.js';
import type { CaptureDocument } from '../report/document.js';
import type { ReportFilters } from '../report/filter.js';
import type { Severity } from '../findings/types.js';
import type { ExpansionLimits } from '../input/expansion.js';

/** Where a capture's bytes are. Archive members on disk are read by the worker itself, by range. */
export type CaptureSource =
  /** A file on disk (plain or gzip'd). */
  | { readonly kind: 'file'; readonly path: string }
  /** A member of a zip or tar file on disk: `length` bytes from `start`, stored or raw deflate. */
  | {
      readonly kind: 'range';
      readonly path: string;
      readonly start: number;
      readonly length: number;
      readonly method: 'stored' | 'deflated';
      /** CRC-32 of the member's bytes as stored (zip), checked at its end; null when none (tar). */
      readonly crc32: number | null;
    }
  /** Bytes handed over as they stream out of an archive that cannot be read at random (a .tar.gz). */
  | { readonly kind: 'stream' };

export interface CaptureJob {
  /** The name shown everywhere: `dir/a.pcap`, `archive.zip!dir/a.pcap`. */
  readonly name: string;
  /** Bytes of the capture as stored (an archive member's uncompressed size), when known. */
  readonly size: number | null;
  readonly source: CaptureSource;
  /** Bytes on disk this job reads (for progress); 0 for a stream, whose archive is counted instead. */
  readonly diskBytes: number;
  /** Problems known before reading: an unsafe member name. */
  readonly notes: readonly CaptureProblem[];
}

/** Set once per run and sent to every worker. */
export interface JobSettings {
  readonly rules: readonly string[] | null;
  readonly limits: ExpansionLimits;
  /** Render each capture's part of the report in the worker, or send the document back (null). */
  readonly render: PartRender | null;
}

/** The report formats whose output is a concatenation of independent per-capture parts. */
export type StreamedFormat = 'text' | 'json' | 'trace' | 'ndjson';

export interface PartRender {
  readonly format: StreamedFormat;
  readonly color: boolean;
  readonly filters: ReportFilters;
}

/** What the batch summary and the exit status need of one capture. */
export interface CaptureDigest {
  readonly file: string;
  /** Set when nothing could be read. */
  readonly error: string | null;
  /** Problems that ended the reading early (severity error): each is an error line and exit status 2. */
  readonly readErrors: readonly string[];
  readonly packets: number;
  readonly connections: number;
  readonly tlsConnections: number;
  readonly established: number;
  readonly failed: number;
  readonly incomplete: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  /** Findings per rule in this capture, most first. */
  readonly rules: readonly DigestRule[];
  /** Servers of failed handshakes or of connections with an error finding. */
  readonly failingServers: readonly DigestServer[];
  readonly worst: Severity | null;
}

export interface DigestRule {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly count: number;
}

export interface DigestServer {
  readonly server: string;
  readonly sni: string | null;
  readonly failed: number;
  readonly rules: readonly string[];
}

export interface JobResult {
  readonly digest: CaptureDigest;
  /**
   * This capture's part of the report, UTF-8 (when the worker renders): bytes, so that a worker
   * hands it over without a copy and the main thread writes it without encoding it.
   */
  readonly part: Uint8Array | null;
  /** The capture's document (when the main thread renders the whole report). */
  readonly document: CaptureDocument | null;
}
