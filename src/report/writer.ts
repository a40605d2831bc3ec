/**
 * Renderers as sinks. A CaptureWriter takes one capture's connections as the pipeline finishes them
 * (any order) and writes that capture's part of the report, in bounded memory:
 *
 * - every connection goes through the filters (--stream, --only failing), --redact and, for the
 *   formats people read, the removal of control characters, then into the group index;
 * - what a format prints per connection (a JSON object, an NDJSON line, a trace block, a block of
 *   `--all`) is put back into tcp.stream order by an OrderedSpool;
 * - formats that print their summary first (text, markdown, html, json) have those records spooled
 *   to a temporary file and copied after the summary when the capture ends; ndjson and trace write
 *   them straight through.
 *
 * The run around the captures (the JSON document's head and tail, the HTML page, the batch summary)
 * is the RunFormat's, in src/report/run-format.ts.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { FinishedConnection } from '../analyze.js';
import type { Finding } from '../findings/types.js';
import { CertificateTable, connectionForOutput, findingForOutput, groupsForOutput } from './compact.js';
import {
  type CaptureDocument,
  type CaptureHeader,
  type CaptureReport,
  type ConnectionDocument,
  type Detail,
  captureReport,
  finishedConnectionDocument,
} from './document.js';
import { describeFilters, isFiltered, keepsConnection, type ReportFilters } from './filter.js';
import type { Redactor } from './redact.js';
import { GroupIndex } from './groups.js';
import { htmlCapture, htmlConnection } from './html.js';
import { markdownCapture, markdownConnection } from './markdown.js';
import { ndjsonCaptureLine, ndjsonCertificateLine, ndjsonConnectionLine, ndjsonVerdictLine, type NdjsonContext } from './ndjson.js';
import { OrderedSpool, type SpoolRecord } from './ordered-spool.js';
import { printableValue } from './printable.js';
import { groupDigits } from './describe.js';
import type { TempFiles } from './temp.js';
import { textCapture, textConnection } from './text.js';
import { MergedTraceWriter, traceCaptureError, traceConnection, traceMergeLines } from './trace.js';
import { traceClock } from './trace-time.js';
import { TimeMerge } from './time-merge.js';
import { tsvCaptureError, tsvConnection } from './tsv.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export const FORMATS = ['text', 'json', 'ndjson', 'markdown', 'html', 'trace', 'tsv'] as const;
export type FormatName = (typeof FORMATS)[number];

/** Redacts one capture document (src/report/redact.ts captureRedactor: pseudonyms stable across calls). */
export type { Redactor };

export interface WriterSettings {
  readonly format: FormatName;
  /** compact or full (json, ndjson). */
  readonly detail: Detail;
  readonly filters: ReportFilters;
  readonly color: boolean;
  /** Every connection in full after the summary (text, markdown, html). */
  readonly all: boolean;
  readonly redactor: Redactor | null;
  /** trace: the time zone of absolute times (`--tz`; null or absent: UTC). */
  readonly tz?: string | null;
  /** trace: every connection of a capture in one time-ordered list (`--merge-streams`). */
  readonly mergeStreams?: boolean;
}

/** A file written with synchronous, buffered writes (a worker or the main thread, never both). */
export class PartFile {
  private readonly fd: number;
  private buffer = '';
  private written = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    if (text.length === 0) return;
    this.buffer += text;
    if (this.buffer.length >= 1 << 16) this.flush();
  }

  /** Appends another file's bytes (a spooled body). */
  append(path: string): void {
    this.flush();
    const fd = openSync(path, 'r');
    try {
      const chunk = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        this.written += writeSync(this.fd, chunk, 0, n);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Bytes written so far. */
  get bytes(): number {
    this.flush();
    return this.written;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const bytes = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    let at = 0;
    while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at);
    this.written += bytes.length;
  }
}

/** What a format prints for one capture. */
interface CaptureFormat {
  /** Summary (and the head of the capture) before the connection records: they are spooled. */
  readonly summaryFirst: boolean;
  /** Output channels of a connection record (JSON writes connections and findings apart). */
  readonly channels: number;
  /** Whether connection() prints anything (text without --all prints groups only). */
  readonly printsConnections: boolean;
  /** Written before the first record of each channel but the first record's. */
  readonly separator: string;
  start(file: string, size: number | null): string;
  connection(file: string, c: ConnectionDocument, findings: readonly Finding[]): SpoolRecord | null;
  /** Before the records (summaryFirst) or after them. */
  summary(report: CaptureReport): string;
  /** Between channel i and channel i + 1 (JSON: `], "findings": [`). */
  between(channel: number, report: CaptureReport, any: boolean): string;
  end(report: CaptureReport): string;
  /** Written when the capture has been read, before the summary (the merged trace). */
  flush?(out: PartFile, file: string): void;
}

/**
 * A connection or a finding on one line, at its place in the indented document: the document's
 * frame reads as indented JSON, and its thousands of records stay one line each (grep, head, and a
 * third of the size of indenting every field).
 */
function indented(value: unknown, level: number): string {
  return '  '.repeat(level) + JSON.stringify(value);
}

function jsonFormat(detail: Detail): CaptureFormat {
  const certs = new CertificateTable();
  return {
    summaryFirst: true,
    printsConnections: true,
    channels: 2,
    separator: ',\n',
    start: () => '',
    connection: (_file, c, findings) => [
      indented(connectionForOutput(c, detail, certs, true), 4),
      findings.map((f) => indented(findingForOutput(f, detail), 4)).join(',\n'),
    ],
    summary(report) {
      const { groups, ...header } = report;
      const head = JSON.stringify({ ...header, groups: groupsForOutput(groups) }, null, 2);
      return indentLines(head.slice(0, -2), 2) + ',\n      "connections": [\n';
    },
    between: (_channel, _report, any) => `${any ? '\n' : ''}      ],\n      "findings": [\n`,
    end(_report) {
      const certificates = detail === 'compact' ? `,\n      "certificates": ${indentLines(JSON.stringify(Object.fromEntries(certs.entries()), null, 2), 3).trimStart()}` : '';
      return `\n      ]${certificates}\n    }`;
    },
  };
}

function indentLines(text: string, level: number): string {
  const pad = '  '.repeat(level);
  return pad + text.replace(/\n/g, '\n' + pad);
}

function ndjsonFormat(ctx: NdjsonContext): CaptureFormat {
  const certs = new CertificateTable();
  return {
    summaryFirst: false,
    printsConnections: true,
    channels: 1,
    separator: '',
    start: (file, size) => ndjsonCaptureLine(file, size, ctx),
    connection: (file, c, findings) => [ndjsonConnectionLine(file, c, findings, certs, ctx)],
    summary(report) {
      return certs.entries().map(([fp, cert]) => ndjsonCertificateLine(report.file, fp, cert, ctx)).join('') + ndjsonVerdictLine(report, ctx);
    },
    between: () => '',
    end: () => '',
  };
}

function humanFormat(
  capture: (report: CaptureReport) => string,
  connection: ((c: ConnectionDocument, findings: readonly Finding[]) => string) | null,
  separator = '',
): CaptureFormat {
  return {
    summaryFirst: true,
    printsConnections: connection !== null,
    channels: 1,
    separator,
    start: () => '',
    connection: connection === null ? () => null : (_file, c, findings) => [connection(c, findings)],
    summary: capture,
    between: () => '',
    end: () => '',
  };
}

function traceFormat(s: WriterSettings, temp: TempFiles): CaptureFormat {
  const clock = traceClock(s.tz);
  if (clock === null) throw new Error(`unknown time zone ${s.tz}`);
  if (s.mergeStreams === true) {
    const merge = new TimeMerge(temp);
    let any = false;
    return {
      summaryFirst: false,
      printsConnections: true,
      channels: 1,
      separator: '',
      start: () => '',
      connection: (_file, c) => {
        for (const { time, line } of traceMergeLines(c)) {
          merge.add(time, c.stream, line);
          any = true;
        }
        return null;
      },
      flush(out, file) {
        const writer = new MergedTraceWriter(clock);
        if (any) out.write(writer.header(file));
        merge.finish((line) => out.write(writer.line(line)));
        if (any) out.write('\n');
      },
      summary: (report) => traceCaptureError(report),
      between: () => '',
      end: () => '',
    };
  }
  return {
    summaryFirst: false,
    printsConnections: true,
    channels: 1,
    separator: '',
    start: () => '',
    connection: (file, c) => [traceConnection(file, c, clock)],
    summary: (report) => traceCaptureError(report),
    between: () => '',
    end: () => '',
  };
}

/** One line per connection, straight through (the header is the run's: src/report/run-format.ts). */
function tsvFormat(): CaptureFormat {
  return {
    summaryFirst: false,
    printsConnections: true,
    channels: 1,
    separator: '',
    start: () => '',
    connection: (file, c) => [tsvConnection(file, c)],
    summary: (report) => tsvCaptureError(report),
    between: () => '',
    end: () => '',
  };
}

function formatFor(s: WriterSettings, temp: TempFiles): CaptureFormat {
  const all = s.all;
  switch (s.format) {
    case 'json':
      return jsonFormat(s.detail);
    case 'ndjson':
      return ndjsonFormat({ tool: { name: TOOL_NAME, version: TOOL_VERSION }, redacted: s.redactor !== null, detail: s.detail });
    case 'trace':
      return traceFormat(s, temp);
    case 'tsv':
      return tsvFormat();
    case 'text':
      return humanFormat((r) => textCapture(r, { color: s.color, all }), all ? (c, f) => textConnection(c, f, { color: s.color }) : null, '\n');
    case 'markdown':
      return humanFormat((r) => markdownCapture(r, all), all ? markdownConnection : null);
    case 'html':
      return humanFormat((r) => htmlCapture(r, all), all ? htmlConnection : null);
  }
}

const HUMAN: ReadonlySet<FormatName> = new Set(['text', 'markdown', 'html', 'trace']);

/** A header for redacting connections on their own: only the connection's strings matter. */
const NO_HEADER: CaptureHeader = {
  file: '',
  size: null,
  sha256: null,
  format: null,
  compressed: false,
  linkTypes: [],
  packets: 0,
  firstTime: null,
  lastTime: null,
  error: null,
  problems: [],
};

/** One capture's part of the report, written to `out` as its connections arrive. */
export class CaptureWriter {
  private readonly format: CaptureFormat;
  private readonly index = new GroupIndex();
  private readonly spool: OrderedSpool;
  private readonly bodies: PartFile[] = [];
  private readonly counts: number[];
  private readonly human: boolean;
  private readonly filtered: boolean;
  /** Connections the filters kept. */
  private shown = 0;
  /** The --stream indexes asked for that this capture has (a stream that none has is a usage error). */
  private readonly streamsFound = new Set<number>();
  private readonly udpStreamsFound = new Set<number>();
  private file = '';

  constructor(
    private readonly settings: WriterSettings,
    private readonly out: PartFile,
    private readonly temp: TempFiles,
  ) {
    this.format = formatFor(settings, temp);
    this.human = HUMAN.has(settings.format);
    this.filtered = isFiltered(settings.filters);
    this.counts = new Array<number>(this.format.channels).fill(0);
    if (this.format.summaryFirst) for (let i = 0; i < this.format.channels; i++) this.bodies.push(new PartFile(temp.create('body')));
    this.spool = new OrderedSpool((record) => this.emit(record), temp);
  }

  begin(file: string, size: number | null): void {
    this.file = this.settings.redactor !== null ? this.settings.redactor.fileName(file) : file;
    this.out.write(this.format.start(this.human ? printableValue(this.file) : this.file, size));
  }

  /** A connection from the pipeline. */
  add(c: FinishedConnection): void {
    this.addDocument(finishedConnectionDocument(c), c.findings);
  }

  /** A connection's document and the findings whose stream is its own. */
  addDocument(doc: ConnectionDocument, findings: readonly Finding[]): void {
    const wanted = doc.transport === undefined ? this.settings.filters.streams : this.settings.filters.udpStreams;
    if (wanted !== undefined && wanted.includes(doc.stream)) (doc.transport === undefined ? this.streamsFound : this.udpStreamsFound).add(doc.stream);
    if (!keepsConnection(doc, this.settings.filters)) {
      this.index.count(doc, findings);
      this.spool.add(orderKey(doc), []);
      return;
    }
    let c = doc;
    let fs = findings;
    if (this.settings.redactor !== null) {
      const r = this.settings.redactor({ ...NO_HEADER, verdict: EMPTY_VERDICT, groups: EMPTY_GROUPS, findings, connections: [doc] } as CaptureDocument);
      c = r.connections[0];
      fs = r.findings;
    }
    this.index.add(c, fs);
    this.shown++;
    // What people read is cleaned of control characters where it is printed: here for a
    // connection's own output, in end() for the groups (their examples and rows).
    const record = !this.format.printsConnections ? null : this.human ? this.format.connection(this.file, printableValue(c), printableValue(fs)) : this.format.connection(this.file, c, fs);
    this.spool.add(orderKey(c), record ?? []);
  }

  /** The capture has been read: the rest of its part. Returns its report (for the run's summary). */
  end(header: CaptureHeader): CaptureReport {
    this.spool.finish();
    const h = this.settings.redactor !== null ? { ...this.redactHeader(header), file: this.file } : header;
    const grouped = this.withFilterNote(captureReport(h, this.index.result()));
    const report = this.human ? printableValue(grouped) : grouped;
    const fmt = this.format;
    fmt.flush?.(this.out, this.human ? printableValue(this.file) : this.file);
    // Straight-through formats have written their records already and have no bodies to copy.
    this.out.write(fmt.summary(report));
    this.bodies.forEach((body, i) => {
      body.close();
      this.out.append(body.path);
      rmSync(body.path, { force: true });
      if (i + 1 < this.bodies.length) this.out.write(fmt.between(i, report, this.counts[i] > 0));
    });
    this.out.write(fmt.end(report));
    return report;
  }

  /** The --stream indexes asked for that this capture has. */
  get foundStreams(): number[] {
    return [...this.streamsFound].sort((a, b) => a - b);
  }

  /** The --udp-stream indexes asked for that this capture has. */
  get foundUdpStreams(): number[] {
    return [...this.udpStreamsFound].sort((a, b) => a - b);
  }

  /**
   * A filtered report says so in its verdict (which still counts every connection, so that the
   * reader knows what was left out): how many connections the filters kept, and which filters.
   */
  private withFilterNote(report: CaptureReport): CaptureReport {
    if (!this.filtered) return report;
    const v = report.verdict;
    const note = `; report filtered (${describeFilters(this.settings.filters, this.settings.redactor !== null)}): ${groupDigits(this.shown)} of ${groupDigits(v.connections)} TCP conversation${v.connections === 1 ? '' : 's'} shown`;
    return { ...report, verdict: { ...v, shown: this.shown, text: v.text + note } };
  }

  /** Records in stream order: each channel to its body (or straight out), with the format's separators. */
  private emit(record: SpoolRecord): void {
    for (let i = 0; i < record.length; i++) {
      const text = record[i];
      if (text.length === 0) continue;
      const target = this.format.summaryFirst ? this.bodies[i] : this.out;
      if (this.counts[i]++ > 0) target.write(this.format.separator);
      target.write(text);
    }
  }

  private redactHeader(header: CaptureHeader): CaptureHeader {
    const r = this.settings.redactor!({ ...header, verdict: EMPTY_VERDICT, groups: EMPTY_GROUPS, findings: [], connections: [] } as CaptureDocument);
    const { verdict: _v, groups: _g, findings: _f, connections: _c, ...rest } = r;
    return rest;
  }
}

/**
 * UDP connections (DTLS, QUIC) have udp.stream indices of their own: they are put after every TCP
 * connection, in udp.stream order (the spool holds them, bounded, until the end of the capture).
 */
const UDP_ORDER_BASE = 2 ** 40;
function orderKey(doc: ConnectionDocument): number {
  return doc.transport !== undefined ? UDP_ORDER_BASE + doc.stream : doc.stream;
}

const EMPTY_VERDICT = { connections: 0, tlsConnections: 0, established: 0, failed: 0, incomplete: 0, findings: { error: 0, warning: 0, info: 0 }, text: '' };
const EMPTY_GROUPS = new GroupIndex().result();

