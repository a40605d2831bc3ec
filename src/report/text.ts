/**
 * The default report, for a terminal or a ticket: per capture the verdict first, then each finding
 * with its evidence, what the products log and what to change; then the failing connections with a
 * ladder of their steps; then one line per healthy connection.
 */
import { table, getBorderCharacters } from 'table';
import type { CaptureDocument, ConnectionDocument, ReportDocument } from './document.js';
import type { Finding } from '../findings/types.js';
import { ladder } from './ladder.js';
import { versionName } from '../../decoders/tls/registry/versions.js';

export interface TextOptions {
  readonly color: boolean;
}

interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

function paint(color: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

export function renderText(doc: ReportDocument, options: TextOptions): string {
  const p = paint(options.color);
  const out: string[] = [];
  for (const cap of doc.captures) out.push(renderCapture(cap, p));
  if (doc.captures.length > 1) out.push(batchSummary(doc, p));
  return out.join('\n');
}

function renderCapture(cap: CaptureDocument, p: Paint): string {
  const lines: string[] = [];
  lines.push(p.bold(cap.file));
  if (cap.error) {
    lines.push(`  ${p.red('cannot be read')}: ${cap.error.message}`);
    return lines.join('\n') + '\n';
  }
  const span = cap.firstTime && cap.lastTime ? `${cap.firstTime.replace('T', ' ').replace('Z', '')} → ${cap.lastTime.slice(11).replace('Z', '')} UTC` : 'no frames';
  lines.push(
    p.dim(`  ${cap.format}${cap.compressed ? ' (gzip)' : ''}, ${cap.linkTypes.map((l) => l.name).join('+') || 'no link type'}, ${cap.packets} frames, ${span}, sha256 ${cap.sha256?.slice(0, 16)}…`),
  );
  for (const pr of cap.problems) lines.push(`  ${pr.severity === 'error' ? p.red('capture problem') : p.dim('note')}: ${pr.message}`);
  const v = cap.verdict;
  const verdictColor = v.findings.error > 0 || v.failed > 0 ? p.red : v.findings.warning > 0 ? p.yellow : p.green;
  lines.push(`  ${p.bold('Verdict:')} ${verdictColor(v.text)}`);
  lines.push('');

  for (const f of cap.findings) lines.push(renderFinding(f, p));

  const tlsConns = cap.connections.filter((c) => c.tls !== null);
  const detailed = tlsConns.filter((c) => c.status !== 'established' || c.findings.length > 0);
  const healthy = tlsConns.filter((c) => !detailed.includes(c));
  for (const c of detailed) lines.push(renderConnection(c, p));
  if (healthy.length > 0) {
    lines.push(p.bold('  Established TLS connections:'));
    for (const c of healthy) lines.push(`    ${oneLine(c)}`);
    lines.push('');
  }
  const other = cap.connections.length - tlsConns.length;
  if (other > 0) lines.push(p.dim(`  ${other} other TCP connection${other === 1 ? '' : 's'} without TLS.`), '');
  return lines.join('\n');
}

function severityTag(s: Finding['severity'], p: Paint): string {
  return s === 'error' ? p.red('ERROR') : s === 'warning' ? p.yellow('WARNING') : p.dim('INFO');
}

function renderFinding(f: Finding, p: Paint): string {
  const l: string[] = [];
  l.push(`  ${severityTag(f.severity, p)} ${p.bold(f.title)}  [${f.rule}, stream ${f.stream}]`);
  l.push(indent(f.message, 4));
  if (f.evidence.length) {
    l.push('    Evidence:');
    for (const e of f.evidence) l.push(`      ${e.text}`);
  }
  if (f.products.length) {
    l.push('    What the products log:');
    for (const m of f.products) l.push(`      ${m.product}: ${m.text}`);
  }
  if (f.remedies.length) {
    l.push('    What to change:');
    for (const r of f.remedies) l.push(`      - ${r.where}: ${r.action}${r.caveat ? ` (${r.caveat})` : ''}`);
  }
  if (f.wiresharkFilter) l.push(`    Wireshark: ${f.wiresharkFilter}`);
  l.push('');
  return l.join('\n');
}

function oneLine(c: ConnectionDocument): string {
  const t = c.tls!;
  const parts = [`stream ${c.stream}`, `${c.client} → ${c.server}`];
  parts.push(t.negotiatedVersion !== null ? versionName(t.negotiatedVersion) : 'version not agreed');
  if (t.cipherSuite) parts.push(t.cipherSuite.name);
  if (t.sni) parts.push(`SNI ${t.sni}`);
  if (t.resumption.accepted) parts.push(`resumed (${t.resumption.via})`);
  if (t.upgradedFrom) parts.push(`after ${t.upgradedFrom.toUpperCase()} STARTTLS`);
  if (t.handshakeSeconds !== null) parts.push(`handshake ${(t.handshakeSeconds * 1000).toFixed(1)} ms`);
  return parts.join(', ');
}

function statusText(c: ConnectionDocument): string {
  const t = c.tls!;
  if (c.status === 'established') return 'established';
  if (c.status === 'incomplete') return 'incomplete (the capture ends mid-handshake)';
  if (t.alert && t.ended.how === 'alert') return `FAILED: ${t.alert.from} sent ${t.alert.level} ${t.alert.description}${t.alert.code >= 0 ? `(${t.alert.code})` : ''} in frame ${t.alert.frame}`;
  if (t.ended.how === 'fin' || t.ended.how === 'rst') return `FAILED: ${t.ended.by} closed the connection (${t.ended.how.toUpperCase()}) in frame ${t.ended.frame}`;
  return 'FAILED';
}

function renderConnection(c: ConnectionDocument, p: Paint): string {
  const t = c.tls!;
  const l: string[] = [];
  const status = statusText(c);
  l.push(`  ${p.bold(`stream ${c.stream}`)}  ${c.client} → ${c.server}  ${c.status === 'established' ? p.green(status) : p.red(status)}`);
  const facts: string[] = [];
  if (t.upgradedFrom) facts.push(`TLS after ${t.upgradedFrom.toUpperCase()} upgrade (frame ${t.startFrame})`);
  facts.push(`client offered ${t.offeredVersions.map((v) => versionName(v)).join(', ') || 'unknown'} with ${t.offeredCipherSuites} cipher suites`);
  if (t.negotiatedVersion !== null) facts.push(`server chose ${versionName(t.negotiatedVersion)}${t.cipherSuite ? `, ${t.cipherSuite.name}` : ''}`);
  if (t.sni) facts.push(`SNI ${t.sni}`);
  if (t.clientCertificate.requested)
    facts.push(`client certificate requested (CA list length ${t.clientCertificate.authoritiesLength ?? '?'}), ${t.clientCertificate.sent === null ? 'not seen whether sent' : t.clientCertificate.sent ? 'sent' : 'none sent'}`);
  if (t.serverCertificates.length) facts.push(`server certificate: ${t.serverCertificates[0].subject} (issuer ${t.serverCertificates[0].issuer}, valid to ${t.serverCertificates[0].validTo.slice(0, 10)})`);
  for (const f of facts) l.push(`    ${f}`);
  const rows = ladder(c.events, t.established);
  const data = [['frame', '+time', '', 'record', 'message']];
  for (const r of rows) {
    const arrow = r.from === 'client' ? 'C → S' : 'C ← S';
    const what = truncate(r.what, 90);
    data.push([String(r.frame), r.offset.toFixed(3), arrow, r.record, r.failure ? p.red(what) : what]);
  }
  l.push(
    indent(
      table(data, {
        border: getBorderCharacters('void'),
        columnDefault: { paddingLeft: 0, paddingRight: 2 },
        drawHorizontalLine: () => false,
      }).trimEnd(),
      4,
    ),
  );
  for (const pr of c.problems) l.push(`    ${p.yellow('problem')}: frame ${pr.frame ?? '?'}: ${pr.message}${pr.rule ? ` (${pr.rule})` : ''}`);
  for (const e of c.events) for (const pr of e.problems ?? []) l.push(`    ${p.yellow('problem')}: frame ${e.frame}: ${pr.message}${pr.rule ? ` (${pr.rule})` : ''}`);
  l.push('');
  return l.join('\n');
}

function batchSummary(doc: ReportDocument, p: Paint): string {
  const l: string[] = [p.bold('Summary')];
  let failed = 0;
  let tls = 0;
  const perRule = new Map<string, number>();
  for (const c of doc.captures) {
    failed += c.verdict.failed;
    tls += c.verdict.tlsConnections;
    for (const f of c.findings) perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
  }
  const unreadable = doc.captures.filter((c) => c.error).length;
  l.push(`  ${doc.captures.length} captures${unreadable ? ` (${unreadable} unreadable)` : ''}, ${tls} TLS handshakes, ${failed} failed`);
  for (const [rule, n] of [...perRule].sort((a, b) => b[1] - a[1])) l.push(`  ${String(n).padStart(5)}  ${rule}`);
  return l.join('\n') + '\n';
}

function indent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s
    .split('\n')
    .map((x) => (x.length ? pad + x : x))
    .join('\n');
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
