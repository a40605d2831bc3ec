/**
 * `--format tsv`: one line per connection, tab-separated, under one header line, in the spirit of
 * Zeek's ssl.log: greppable, `cut -f`-able, and importable in a spreadsheet. Streams like ndjson:
 * each line is written when its connection's turn in tcp.stream order comes.
 *
 * Columns (docs/tsv-output.md): capture, time, stream, client, server, sni, offered_versions,
 * version, cipher, cipher_hex, resumption, status, failing_frame, failing_step, rules, ja4 (the
 * first ClientHello's JA4, last so that scripts cutting the earlier columns keep working). An empty value
 * is `-` (Zeek's unset field); a list is comma-separated. Tabs, line breaks and backslashes in a value
 * are written `\t`, `\n`, `\r`, `\\`, so a line is always one record of the same number of fields.
 *
 * A capture that cannot be read gets one line: its name, status `unreadable` and the reason in
 * failing_step.
 *
 * A line is written for each connection in which TLS was seen or about which a rule found something
 * (a plaintext reply to AUTH TLS); TCP conversations with neither are left out, as Zeek's ssl.log
 * leaves them out.
 */
import { versionName } from '../../decoders/tls/registry/versions.js';
import type { CaptureHeader, ConnectionDocument } from './document.js';
import { eventLabel, failingStep } from './ladder.js';
import { cipherHex } from './describe.js';

export const TSV_COLUMNS = [
  'capture',
  'time',
  'stream',
  'client',
  'server',
  'sni',
  'offered_versions',
  'version',
  'cipher',
  'cipher_hex',
  'resumption',
  'status',
  'failing_frame',
  'failing_step',
  'rules',
  'ja4',
] as const;

/** The header line, written once at the start of the run. */
export function tsvHeader(): string {
  return TSV_COLUMNS.join('\t') + '\n';
}

/** One field: `-` when empty; tab, CR, LF and backslash escaped; other control characters as \xNN, bidi controls as \uNNNN. */
export function tsvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/[\\\t\n\r\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    switch (ch) {
      case '\\':
        return '\\\\';
      case '\t':
        return '\\t';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default: {
        const code = ch.charCodeAt(0);
        return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
      }
    }
  });
}

function resumption(c: ConnectionDocument): string | null {
  const r = c.tls?.resumption;
  if (!r) return null;
  if (r.accepted === true) return `resumed via ${r.via ?? 'unknown'}`;
  const offered = r.offered.length > 0 ? ` (offered ${r.offered.join(', ')})` : '';
  if (r.accepted === false) return `full handshake${offered}`;
  return r.offered.length > 0 ? `unknown${offered}` : null;
}

/** A connection's line; '' for a conversation with neither TLS nor a finding. */
export function tsvConnection(file: string, c: ConnectionDocument): string {
  const tls = c.tls;
  if (tls === null && c.findings.length === 0) return '';
  const k = failingStep(c.events, tls);
  const step = k >= 0 ? c.events[k] : null;
  const fields = [
    file,
    c.firstTime,
    c.stream,
    c.client,
    c.server,
    tls?.sni ?? null,
    tls ? tls.offeredVersions.map(versionName).join(',') : null,
    tls?.negotiatedVersion != null ? versionName(tls.negotiatedVersion) : null,
    tls?.cipherSuite?.name ?? null,
    tls?.cipherSuite ? cipherHex(tls.cipherSuite.code) : null,
    resumption(c),
    c.status,
    step?.frame ?? null,
    step ? `${step.from} ${eventLabel(step)}` : null,
    c.findings.join(','),
    tls?.fingerprints.client?.ja4 ?? null,
  ];
  return fields.map(tsvField).join('\t') + '\n';
}

/** A capture that could not be read: one line with status `unreadable` and the reason as its failing step. */
export function tsvCaptureError(cap: CaptureHeader): string {
  if (cap.error === null) return '';
  const fields: (string | number | null)[] = TSV_COLUMNS.map(() => null);
  fields[0] = cap.file;
  fields[TSV_COLUMNS.indexOf('status')] = 'unreadable';
  fields[TSV_COLUMNS.indexOf('failing_step')] = cap.error.message;
  return fields.map(tsvField).join('\t') + '\n';
}
