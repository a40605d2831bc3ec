/**
 * The batch summary in the text report: what the run covered, the findings per rule, the failing
 * servers ranked, then one line per capture. Rendered from the document's `summary` object only.
 */
import { table, getBorderCharacters } from 'table';
import type { BatchSummary } from './run-summary.js';
import { plural } from './describe.js';

/** Failing servers listed in the text; the JSON has them all. */
const SERVERS_SHOWN = 20;

/** Data shown in a table cell: control characters would break the table (and drive the terminal). */
function clean(t: string): string {
  return t.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function columns(rows: string[][], alignRight: readonly number[]): string {
  return table(rows, {
    border: getBorderCharacters('void'),
    columnDefault: { paddingLeft: 0, paddingRight: 2 },
    columns: Object.fromEntries(alignRight.map((i) => [i, { alignment: 'right' as const }])),
    drawHorizontalLine: () => false,
  })
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l.trimEnd()}`)
    .join('\n');
}

/** True when a run is worth a summary: more than one capture, or anything skipped or unreadable. */
export function wantsSummary(s: BatchSummary): boolean {
  return s.captures > 1 || s.skipped.length > 0 || s.errors.length > 0;
}

export function renderSummaryText(s: BatchSummary, color: boolean): string {
  const bold = (t: string) => (color ? `\x1b[1m${t}\x1b[22m` : t);
  const red = (t: string) => (color ? `\x1b[31m${t}\x1b[39m` : t);
  const out: string[] = [bold('Summary')];
  const covered = [plural(s.captures, 'capture') + (s.unreadable ? ` (${s.unreadable} unreadable)` : '')];
  if (s.skipped.length) covered.push(`${s.skipped.length} skipped (not captures)`);
  if (s.errors.length) covered.push(`${plural(s.errors.length, 'input')} that could not be read`);
  out.push(`  ${covered.join(', ')}`);
  const handshakes = [`${s.established} established`];
  if (s.failed) handshakes.push(red(`${s.failed} failed`));
  if (s.incomplete) handshakes.push(`${s.incomplete} incomplete`);
  out.push(`  ${plural(s.connections, 'TCP connection')}, ${plural(s.tlsConnections, 'TLS handshake')}: ${handshakes.join(', ')}`);

  if (s.rules.length > 0) {
    out.push('', bold('  Findings per rule:'));
    out.push(columns(s.rules.map((r) => [String(r.findings), r.severity, clean(r.rule), clean(r.title), `in ${plural(r.captures, 'capture')}`]), [0]));
  }
  if (s.failingServers.length > 0) {
    out.push('', bold('  Failing servers (failed handshakes or error findings):'));
    const shown = s.failingServers.slice(0, SERVERS_SHOWN);
    out.push(
      columns(
        shown.map((v) => [String(v.failed), clean(v.server + (v.sni.length ? ` (${v.sni.join(', ')})` : '')), `in ${plural(v.captures, 'capture')}`, clean(v.rules.join(', '))]),
        [0],
      ),
    );
    if (s.failingServers.length > shown.length) out.push(`    … and ${s.failingServers.length - shown.length} more (all in --format json)`);
  }
  if (s.perCapture.length > 1) {
    out.push('', bold('  Per capture:'));
    const rows = [['capture', 'connections', 'TLS', 'failed', 'findings']];
    for (const c of s.perCapture) {
      const file = clean(c.file);
      if (c.error !== null && c.connections === 0) rows.push([file, '', '', '', red(`cannot be read: ${clean(c.error)}`)]);
      else rows.push([file, String(c.connections), String(c.tlsConnections), c.failed ? red(String(c.failed)) : '0', clean(c.topRules.join(', ')) + (c.error ? red(` (${clean(c.error)})`) : '')]);
    }
    out.push(columns(rows, [1, 2, 3]));
  }
  if (s.errors.length > 0) {
    out.push('', bold('  Could not be read:'));
    for (const e of s.errors) out.push(`    ${clean(e.name)}: ${clean(e.message)}`);
  }
  return out.join('\n') + '\n';
}
