/**
 * What a person can read at 10,000 connections: findings grouped by rule, server endpoint and the
 * fact that tells one cause from another (the alert, the certificate, the version and suite chosen),
 * each group with its count, first and last frame, its streams (capped) and one connection kept in
 * full as its example; healthy connections folded into rows of server, version, suite and resumption.
 *
 * Built incrementally as connections finish, in any order, in memory that grows with the number of
 * groups and rows, never with the number of connections. The result is the same whatever order the
 * connections arrive in: examples are the group's lowest stream, lists keep the lowest streams.
 *
 * Groups and rows are per server, and a client-side, egress or scanner capture has as many servers
 * as connections: past GROUP_CAP groups (or rows, or failing servers) a new server's connections are
 * folded into an `other servers` group of the same rule and fact, and past GROUP_CAP + FOLD_CAP the
 * fact is dropped too. Which servers keep their own group then depends on the order connections
 * finished in (the same on every run of the capture); `capped` says how many were folded.
 */
import type { Finding, Severity } from '../findings/types.js';
import type { ConnectionDocument, CaptureVerdict } from './document.js';
import { alertWords, cipherText, isoSeconds } from './describe.js';
import { isoTime } from './document.js';
import { versionName } from '../../decoders/tls/registry/versions.js';

/** Streams listed per group or row; the rest are counted. */
export const STREAM_LIST_CAP = 50;
/** Finding groups, status groups and healthy rows kept per server, each; each group holds an example connection. */
export const GROUP_CAP = 500;
/** Groups of `other servers` kept per fact beyond GROUP_CAP, before the fact is dropped too. */
const FOLD_CAP = 100;
/** Failing servers counted one by one (a few hundred bytes each). */
export const SERVER_CAP = 5_000;
/** The server of a group that folds the servers past the caps. */
export const OTHER_SERVERS = 'other servers';
/** The fact of a group that folds facts past the caps. */
const VARIOUS = 'various causes';

/** Where a group begins or ends. */
export interface GroupPoint {
  readonly stream: number;
  readonly frame: number;
  /** ISO 8601, as in the rest of the document. */
  readonly time: string;
}

export interface FindingGroup {
  /** `rule|server|fact`: stable, for linking and tests. */
  readonly key: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  /** `ip:port` of the server side. */
  readonly server: string;
  /** Server names the clients asked for (SNI), at most a few. */
  readonly sni: readonly string[];
  /** What sets this group apart from others of the same rule and server, in words. */
  readonly fact: string;
  /** Connections in the group. */
  readonly count: number;
  readonly first: GroupPoint;
  readonly last: GroupPoint;
  /** The lowest streams, ascending, at most STREAM_LIST_CAP. */
  readonly streams: readonly number[];
  /** The group's lowest stream: its finding and its connection in full. */
  readonly example: { readonly finding: Finding; readonly connection: ConnectionDocument };
}

/** Connections that are neither established nor explained by a finding (the capture ended mid-handshake). */
export interface StatusGroup {
  readonly key: string;
  readonly status: 'incomplete' | 'failed';
  readonly server: string;
  readonly count: number;
  readonly first: GroupPoint;
  readonly last: GroupPoint;
  readonly streams: readonly number[];
  readonly example: ConnectionDocument;
}

/** Established TLS connections without findings, folded by what they agreed. */
export interface HealthyRow {
  readonly server: string;
  readonly sni: readonly string[];
  /** `TLS 1.3`, or `version not agreed`. */
  readonly version: string;
  readonly cipherSuite: string | null;
  /** The cipher suite's code (0xC02F is 49199), or null. */
  readonly cipherSuiteCode?: number | null;
  /** `resumed (session_id)`, or null for full handshakes. */
  readonly resumption: string | null;
  /** STARTTLS-style upgrade (`ftp`, `smtp`...), or null. */
  readonly upgradedFrom: string | null;
  readonly count: number;
  /** Handshake times, milliseconds: fastest, median of the kept sample, slowest. */
  readonly handshakeMs: { readonly min: number; readonly median: number; readonly max: number } | null;
  /** `dtls` or `quic`: the streams are udp.stream indices. Absent for TLS over TCP. */
  readonly transport?: 'dtls' | 'quic';
  readonly streams: readonly number[];
}

/** Per rule and per server, for the capture's summary (the same shape a batch's summary has). */
export interface RuleCount {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly findings: number;
}

export interface ServerCount {
  readonly server: string;
  readonly sni: readonly string[];
  /** Failed handshakes and connections with an error finding. */
  readonly failed: number;
  readonly rules: readonly string[];
}

/** The grouped view of one capture. */
export interface CaptureGroups {
  readonly groups: readonly FindingGroup[];
  readonly statusGroups: readonly StatusGroup[];
  readonly healthy: readonly HealthyRow[];
  readonly rules: readonly RuleCount[];
  readonly servers: readonly ServerCount[];
  /** TCP conversations in which no TLS was seen and nothing was found. */
  readonly other: { readonly count: number; readonly streams: readonly number[] };
  readonly counts: Omit<CaptureVerdict, 'text'>;
  /**
   * Connections folded into `other servers` because the groups, rows or failing servers reached
   * their cap (findings for `groups`, connections for the others); null when nothing was folded.
   */
  readonly capped: { readonly groups: number; readonly statusGroups: number; readonly healthy: number; readonly servers: number } | null;
}

/** Keeps the `cap` lowest numbers, ascending. */
class LowestStreams {
  readonly list: number[] = [];
  constructor(private readonly cap = STREAM_LIST_CAP) {}

  add(n: number): void {
    const l = this.list;
    if (l.length >= this.cap && n >= l[l.length - 1]) return;
    let i = l.length;
    while (i > 0 && l[i - 1] > n) i--;
    if (l[i - 1] === n) return;
    l.splice(i, 0, n);
    if (l.length > this.cap) l.pop();
  }
}

interface MutableGroup {
  key: string;
  rule: string;
  severity: Severity;
  title: string;
  server: string;
  sni: Set<string>;
  fact: string;
  count: number;
  first: GroupPoint;
  last: GroupPoint;
  streams: LowestStreams;
  exampleStream: number;
  example: { finding: Finding; connection: ConnectionDocument };
}

interface MutableStatus {
  key: string;
  status: 'incomplete' | 'failed';
  server: string;
  count: number;
  first: GroupPoint;
  last: GroupPoint;
  streams: LowestStreams;
  example: ConnectionDocument;
}

interface MutableRow {
  server: string;
  sni: Set<string>;
  version: string;
  cipherSuite: string | null;
  cipherSuiteCode: number | null;
  resumption: string | null;
  upgradedFrom: string | null;
  transport: 'dtls' | 'quic' | undefined;
  count: number;
  ms: number[];
  min: number;
  max: number;
  streams: LowestStreams;
}

/** Handshake times kept per healthy row for the median: enough for a stable figure. */
const MEDIAN_SAMPLE = 257;
/** Server names listed per group or server. */
const SNI_CAP = 5;

const RANK: Readonly<Record<Severity, number>> = { error: 2, warning: 1, info: 0 };

/** Rules whose cause is a certificate: one group per certificate. */
const CERTIFICATE_RULES = new Set(['certificate-expired', 'server-certificate-rejected', 'client-certificate-rejected']);

/** The fact that sets a failure apart: what ended it, and for certificate rules which certificate. */
export function distinguishingFact(f: Finding, c: ConnectionDocument): string {
  const t = c.tls;
  const parts: string[] = [];
  if (CERTIFICATE_RULES.has(f.rule) && t) {
    const cert = (f.rule === 'client-certificate-rejected' ? t.clientCertificates[0] : t.serverCertificates[0]) ?? null;
    if (cert) parts.push(`certificate ${cert.subject || '(empty subject)'} (SHA-256 ${cert.fingerprintSha256.replace(/:/g, '').slice(0, 16)}…)`);
  }
  if (t?.alert && t.alert.code < 0) {
    parts.push(`${t.alert.from} sent an encrypted alert`);
  } else if (t?.alert) {
    parts.push(`${t.alert.from} sent ${alertWords(t.alert)}`);
  } else if (c.status === 'failed' && t && (t.ended.how === 'fin' || t.ended.how === 'rst') && t.ended.by) {
    parts.push(`${t.ended.by} closed (${t.ended.how.toUpperCase()}) after ${t.lastMessage.server ? `server's ${t.lastMessage.server}` : t.lastMessage.client ? `client's ${t.lastMessage.client}` : 'no TLS message'}`);
  } else if (t && t.negotiatedVersion !== null) {
    parts.push(`${versionName(t.negotiatedVersion)}${t.cipherSuite ? `, ${cipherText(t.cipherSuite)}` : ''}`);
  } else if (!t) {
    parts.push('no TLS');
  }
  return parts.join('; ');
}

function point(c: ConnectionDocument, frame: number): GroupPoint {
  const e = c.events.find((x) => x.frame === frame);
  return { stream: c.stream, frame, time: e ? (isoTime(e.time) ?? c.firstTime) : c.firstTime };
}

/** Earlier by time, then frame: the order Wireshark lists them in. */
function before(a: GroupPoint, b: GroupPoint): boolean {
  return a.frame < b.frame;
}

/** Builds the grouped view from connections as they finish (any order). */
export class GroupIndex {
  private readonly groups = new Map<string, MutableGroup>();
  private readonly status = new Map<string, MutableStatus>();
  private readonly rows = new Map<string, MutableRow>();
  private readonly ruleCounts = new Map<string, { severity: Severity; title: string; findings: number }>();
  private readonly servers = new Map<string, { sni: Set<string>; failed: number; rules: Set<string> }>();
  private readonly other = new LowestStreams();
  private otherCount = 0;
  private readonly folded = { groups: 0, statusGroups: 0, healthy: 0, servers: 0 };
  private connections = 0;
  private tlsConnections = 0;
  private established = 0;
  private failed = 0;
  private incomplete = 0;
  /** TLS connections picked up after their handshake: counted apart, never a failed or incomplete handshake. */
  private midConnection = 0;
  /** Of tlsConnections, those over DTLS and QUIC (the verdict names the handshakes by them). */
  private dtls = 0;
  private quic = 0;
  private readonly severities = { error: 0, warning: 0, info: 0 };

  /** A connection that counts in the verdict but is not shown (a filter left it out). */
  count(c: ConnectionDocument, findings: readonly Finding[]): void {
    this.connections++;
    if (c.status === 'mid-connection') this.midConnection++;
    else if (c.tls !== null) {
      this.tlsConnections++;
      if (c.transport === 'dtls') this.dtls++;
      else if (c.transport === 'quic') this.quic++;
      if (c.status === 'established') this.established++;
      else if (c.status === 'failed') this.failed++;
      else if (c.status === 'incomplete') this.incomplete++;
    }
    for (const f of findings) this.severities[f.severity]++;
  }

  /** One connection (its document and the findings whose stream is its own). */
  add(c: ConnectionDocument, findings: readonly Finding[]): void {
    this.count(c, findings);
    for (const f of findings) this.addFinding(f, c);
    const hasError = findings.some((f) => f.severity === 'error');
    if (c.status === 'failed' || hasError) this.addFailingServer(c, findings);
    // A connection named only by another one's finding (an FTPS control connection) is shown by its own state.
    if (findings.length === 0) {
      if (c.tls === null) {
        this.otherCount++;
        this.other.add(c.stream);
      } else if (c.status === 'established') this.addHealthy(c);
      else if (c.status !== 'mid-connection') this.addStatus(c);
    }
  }

  result(): CaptureGroups {
    const groups: FindingGroup[] = [...this.groups.values()]
      .map((g) => ({
        key: g.key,
        rule: g.rule,
        severity: g.severity,
        title: g.title,
        server: g.server,
        sni: [...g.sni],
        fact: g.fact,
        count: g.count,
        first: g.first,
        last: g.last,
        streams: g.streams.list,
        example: g.example,
      }))
      .sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.count - a.count || a.first.frame - b.first.frame);
    const statusGroups: StatusGroup[] = [...this.status.values()]
      .map((g) => ({ key: g.key, status: g.status, server: g.server, count: g.count, first: g.first, last: g.last, streams: g.streams.list, example: g.example }))
      .sort((a, b) => b.count - a.count || a.first.frame - b.first.frame);
    const healthy: HealthyRow[] = [...this.rows.values()]
      .map((r) => ({
        server: r.server,
        sni: [...r.sni],
        version: r.version,
        cipherSuite: r.cipherSuite,
        cipherSuiteCode: r.cipherSuiteCode,
        resumption: r.resumption,
        upgradedFrom: r.upgradedFrom,
        count: r.count,
        handshakeMs: r.ms.length ? { min: r.min, median: median(r.ms), max: r.max } : null,
        ...(r.transport !== undefined ? { transport: r.transport } : {}),
        streams: r.streams.list,
      }))
      .sort((a, b) => b.count - a.count || a.streams[0] - b.streams[0]);
    const rules: RuleCount[] = [...this.ruleCounts]
      .map(([rule, r]) => ({ rule, severity: r.severity, title: r.title, findings: r.findings }))
      .sort((a, b) => b.findings - a.findings || RANK[b.severity] - RANK[a.severity] || (a.rule < b.rule ? -1 : 1));
    const servers: ServerCount[] = [...this.servers]
      .map(([server, s]) => ({ server, sni: [...s.sni], failed: s.failed, rules: [...s.rules].sort() }))
      .sort((a, b) => b.failed - a.failed || (a.server < b.server ? -1 : 1));
    const counts = {
      connections: this.connections,
      tlsConnections: this.tlsConnections,
      established: this.established,
      failed: this.failed,
      incomplete: this.incomplete,
      ...(this.midConnection > 0 ? { midConnection: this.midConnection } : {}),
      ...(this.dtls > 0 ? { dtls: this.dtls } : {}),
      ...(this.quic > 0 ? { quic: this.quic } : {}),
      findings: { ...this.severities },
    };
    const f = this.folded;
    const capped = f.groups + f.statusGroups + f.healthy + f.servers > 0 ? { ...f } : null;
    return { groups, statusGroups, healthy, rules, servers, other: { count: this.otherCount, streams: this.other.list }, counts, capped };
  }

  private addFinding(f: Finding, c: ConnectionDocument): void {
    const rc = this.ruleCounts.get(f.rule);
    if (rc) rc.findings++;
    else this.ruleCounts.set(f.rule, { severity: f.severity, title: f.title, findings: 1 });
    let fact = distinguishingFact(f, c);
    let server = c.server;
    let key = `${f.rule}|${serverKey(c)}|${fact}`;
    if (this.groups.size >= GROUP_CAP && !this.groups.has(key)) {
      this.folded.groups++;
      server = OTHER_SERVERS;
      key = `${f.rule}|${server}|${fact}`;
      if (this.groups.size >= GROUP_CAP + FOLD_CAP && !this.groups.has(key)) {
        fact = VARIOUS;
        key = `${f.rule}|${server}|${fact}`;
      }
    }
    const at = point(c, f.frames[0] ?? c.firstFrame);
    const g = this.groups.get(key);
    if (g === undefined) {
      const sni = new Set<string>();
      if (c.tls?.sni) sni.add(c.tls.sni);
      this.groups.set(key, {
        key,
        rule: f.rule,
        severity: f.severity,
        title: f.title,
        server,
        sni,
        fact,
        count: 1,
        first: at,
        last: at,
        streams: withFirst(c.stream),
        exampleStream: c.stream,
        example: { finding: f, connection: c },
      });
      return;
    }
    g.count++;
    if (RANK[f.severity] > RANK[g.severity]) g.severity = f.severity;
    if (c.tls?.sni && g.sni.size < SNI_CAP) g.sni.add(c.tls.sni);
    if (before(at, g.first)) g.first = at;
    if (before(g.last, at)) g.last = at;
    g.streams.add(c.stream);
    if (c.stream < g.exampleStream) {
      g.exampleStream = c.stream;
      g.example = { finding: f, connection: c };
    }
  }

  private addFailingServer(c: ConnectionDocument, findings: readonly Finding[]): void {
    let server = c.server;
    if (this.servers.size >= SERVER_CAP && !this.servers.has(server)) {
      this.folded.servers++;
      server = OTHER_SERVERS;
    }
    let s = this.servers.get(server);
    if (s === undefined) this.servers.set(server, (s = { sni: new Set(), failed: 0, rules: new Set() }));
    s.failed++;
    if (c.tls?.sni && s.sni.size < SNI_CAP) s.sni.add(c.tls.sni);
    for (const f of findings) s.rules.add(f.rule);
  }

  private addStatus(c: ConnectionDocument): void {
    const status = c.status === 'failed' ? 'failed' : 'incomplete';
    let server = c.server;
    let key = `${status}|${serverKey(c)}`;
    if (this.status.size >= GROUP_CAP && !this.status.has(key)) {
      this.folded.statusGroups++;
      server = OTHER_SERVERS;
      key = `${status}|${server}`;
    }
    const at = point(c, c.firstFrame);
    const g = this.status.get(key);
    if (g === undefined) {
      this.status.set(key, { key, status, server, count: 1, first: at, last: at, streams: withFirst(c.stream), example: c });
      return;
    }
    g.count++;
    if (before(at, g.first)) g.first = at;
    if (before(g.last, at)) g.last = at;
    g.streams.add(c.stream);
    if (c.stream < g.example.stream) g.example = c;
  }

  private addHealthy(c: ConnectionDocument): void {
    const t = c.tls!;
    const version = t.negotiatedVersion !== null ? versionName(t.negotiatedVersion) : 'version not agreed';
    const cipherSuite = t.cipherSuite?.name ?? null;
    const resumption = t.resumption.accepted ? `resumed (${t.resumption.via})` : null;
    let server = c.server;
    let key = `${serverKey(c)}|${version}|${cipherSuite}|${resumption}|${t.upgradedFrom}`;
    if (this.rows.size >= GROUP_CAP && !this.rows.has(key)) {
      this.folded.healthy++;
      server = OTHER_SERVERS;
      key = `${server}|${version}|${cipherSuite}|${resumption}|${t.upgradedFrom}`;
      // Versions and suites are few, but a hostile capture can name every code point: bound them too.
      if (this.rows.size >= GROUP_CAP + FOLD_CAP && !this.rows.has(key)) key = `${server}|${VARIOUS}`;
    }
    let r = this.rows.get(key);
    if (r === undefined) {
      const various = key === `${server}|${VARIOUS}`;
      r = { server, sni: new Set(), version: various ? VARIOUS : version, cipherSuite: various ? null : cipherSuite, cipherSuiteCode: various ? null : (t.cipherSuite?.code ?? null), resumption: various ? null : resumption, upgradedFrom: various ? null : t.upgradedFrom, transport: c.transport, count: 0, ms: [], min: Infinity, max: -Infinity, streams: new LowestStreams() };
      this.rows.set(key, r);
    }
    r.count++;
    r.streams.add(c.stream);
    if (t.sni && r.sni.size < SNI_CAP) r.sni.add(t.sni);
    if (t.handshakeSeconds !== null) {
      const ms = t.handshakeSeconds * 1000;
      if (ms < r.min) r.min = ms;
      if (ms > r.max) r.max = ms;
      // A deterministic sample: every connection until it is full, then every k-th.
      if (r.ms.length < MEDIAN_SAMPLE) r.ms.push(ms);
      else if (r.count % Math.ceil(r.count / MEDIAN_SAMPLE) === 0) r.ms[r.count % MEDIAN_SAMPLE] = ms;
    }
  }
}

/** The server as a group key: its endpoint, and for DTLS or QUIC the transport (their streams are udp.stream indices). */
function serverKey(c: ConnectionDocument): string {
  return c.transport !== undefined ? `${c.server}/${c.transport}` : c.server;
}

function withFirst(stream: number): LowestStreams {
  const l = new LowestStreams();
  l.add(stream);
  return l;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seconds between two group points. */
export function spanSeconds(a: GroupPoint, b: GroupPoint): number {
  return Math.max(0, isoSeconds(b.time) - isoSeconds(a.time));
}
