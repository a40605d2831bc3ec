/**
 * The machine formats' default detail (`compact`): what the report and the rules use, without the
 * full decode of every hello and certificate. Each certificate is written once per capture, keyed by
 * its SHA-256 fingerprint, and referred to by that fingerprint; each event keeps its type, frame,
 * time, direction, record version and length, with a one-line `detail` instead of its decoded body;
 * findings keep their diagnosis and evidence, and leave the rule's remedies, product messages and
 * references to the group's example (and to `tlsdiag explain`). `--detail full` writes everything.
 */
import type { CertificateSummary } from '../../decoders/tls/types.js';
import type { Finding } from '../findings/types.js';
import type { TlsSummary, TranscriptEvent } from '../session/transcript.js';
import type { ConnectionDocument, Detail } from './document.js';
import type { SoftwareGuess } from '../findings/software.js';
import { eventDetail } from './describe.js';
import type { CaptureGroups } from './groups.js';

/** The certificates of one capture, each once. */
export class CertificateTable {
  private readonly byFingerprint = new Map<string, CertificateSummary>();

  /** Its fingerprint, remembering the certificate the first time. */
  ref(cert: CertificateSummary): string {
    const key = cert.fingerprintSha256 || `unparsed:${cert.length}:${cert.error ?? ''}`;
    if (!this.byFingerprint.has(key)) this.byFingerprint.set(key, cert);
    return key;
  }

  get size(): number {
    return this.byFingerprint.size;
  }

  /** Every certificate, in the order first seen. */
  entries(): [string, CertificateSummary][] {
    return [...this.byFingerprint];
  }
}

export type CompactFinding = Omit<Finding, 'products' | 'remedies' | 'references'>;

export function compactFinding(f: Finding): CompactFinding {
  const { products: _p, remedies: _r, references: _s, ...rest } = f;
  return rest;
}

type CompactTls = Omit<TlsSummary, 'serverCertificates' | 'clientCertificates'> & {
  readonly serverCertificates: readonly string[];
  readonly clientCertificates: readonly string[];
};

function compactTls(t: TlsSummary, certs: CertificateTable): CompactTls {
  return { ...t, serverCertificates: t.serverCertificates.map((c) => certs.ref(c)), clientCertificates: t.clientCertificates.map((c) => certs.ref(c)) };
}

function compactEvent(e: TranscriptEvent, certs: CertificateTable): unknown {
  if (e.type !== 'handshake' || e.body === undefined) return e;
  const { body, fingerprint, ...rest } = e;
  const detail = eventDetail(e);
  const certificates = body.kind === 'Certificate' ? { certificates: body.certificates.map((c) => certs.ref(c)) } : {};
  // The hashed forms on each hello; the raw strings (JA4_r, JA4_ro, the JA3 strings) are in the
  // summary's (the first ClientHello's) and, for every hello, in --detail full.
  const fp = fingerprint === undefined ? {} : { fingerprint: 'ja4' in fingerprint ? { ja4: fingerprint.ja4, ja4_o: fingerprint.ja4_o, ja3: fingerprint.ja3 } : { ja3s: fingerprint.ja3s } };
  return { ...rest, ...fp, ...(detail ? { detail } : {}), ...certificates };
}

/** A connection as the machine formats write it, at the detail asked for (key order as in the document). */
export function connectionForOutput(c: ConnectionDocument, detail: Detail, certs: CertificateTable, withEvents: boolean): unknown {
  const { tls, events, problems, findings, ftp, software, ...rest } = c;
  // Compact: each clue of the software guess by its signature id, cue and frame; the sentences and
  // sources are in the knowledge base (docs/knowledge-base.md) and in --detail full.
  const head = software === undefined ? rest : { ...rest, software: detail === 'full' ? software : { client: compactGuess(software.client), server: compactGuess(software.server) } };
  const t = tls === null || detail === 'full' ? tls : compactTls(tls, certs);
  const ev = !withEvents ? {} : { events: detail === 'full' ? events : events.map((e) => compactEvent(e, certs)) };
  return { ...head, tls: t, ...ev, problems, findings, ...(ftp ? { ftp } : {}) };
}

function compactGuess(g: SoftwareGuess): unknown {
  const { basis, sources: _s, ...rest } = g;
  return { ...rest, basis: basis.map(({ text: _t, ...b }) => b) };
}

export function findingForOutput(f: Finding, detail: Detail): Finding | CompactFinding {
  return detail === 'full' ? f : compactFinding(f);
}

/** The groups as the machine formats write them: each example by its stream (the connection is in the list). */
export function groupsForOutput(g: CaptureGroups): unknown {
  return {
    ...g,
    groups: g.groups.map(({ example, ...rest }) => ({ ...rest, example: { stream: example.connection.stream, finding: example.finding } })),
    statusGroups: g.statusGroups.map(({ example, ...rest }) => ({ ...rest, example: { stream: example.stream } })),
  };
}
