/**
 * The vocabulary of a batch run: where one capture's bytes come from, the job a worker runs for it,
 * and what it sends back. Everything here crosses a worker_threads boundary, so it is plain data.
 */
import type { CaptureProblem } from '../input/frame.js';
import type { Detail } from '../report/document.js';
import type { FormatName } from '../report/writer.js';
import type { CaptureDigest } from '../report/run-summary.js';
import type { ReportFilters } from '../report/filter.js';
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
  /** How each capture's part of the report is written (the redactor is the main thread's: --redact runs one job at a time). */
  readonly render: PartRender;
  /** The run's temporary directory (src/report/temp.ts): parts and spools go there. */
  readonly tempDir: string;
  /** A conversation idle this long (capture time, seconds) is closed; null for the default. */
  readonly idleTimeoutSeconds: number | null;
  /**
   * `--keylog` files' text (NSS key log format), read once by the main thread: every capture's
   * connections look their client random up in them. Secrets: never written anywhere.
   */
  readonly keyLogs?: readonly KeyLogText[];
  /** `--hex`: each TLS record's first bytes on its event (0 or absent: none). */
  readonly recordHeadBytes?: number;
}

/** One --keylog file: the name its notes use, and its text. */
export interface KeyLogText {
  readonly name: string;
  readonly text: string;
}

export interface PartRender {
  readonly format: FormatName;
  readonly detail: Detail;
  readonly color: boolean;
  readonly all: boolean;
  readonly filters: ReportFilters;
  readonly redact: boolean;
  /** trace: --tz (null: UTC) and --merge-streams. */
  readonly tz?: string | null;
  readonly mergeStreams?: boolean;
}

export interface JobResult {
  readonly digest: CaptureDigest;
  /** This capture's part of the report: a file in the run's temporary directory, for the main thread to copy and remove. */
  readonly part: { readonly path: string; readonly bytes: number };
  /** The --stream indexes asked for that this capture has. */
  readonly streams: readonly number[];
  /** The --udp-stream indexes asked for that this capture has. */
  readonly udpStreams: readonly number[];
}
