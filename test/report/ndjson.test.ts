// NDJSON for log pipelines: per capture a `capture` line, a `connection` line per conversation in
// tcp.stream order (findings inline), a `certificate` line per distinct certificate, and a closing
// `verdict` line with the capture's identity, verdict and groups.
import { expect } from 'chai';
import path from 'node:path';
import { render } from '../../src/report/render.js';
import { CORPUS, ROOT, SAMPLES } from '../support/paths.js';
import { documentOf } from './support.js';
import { reportDocument } from '../../src/report/document.js';
import { analyzeBytes } from '../support/conversation.js';
import { udpPcap } from '../support/udp.js';

interface Line {
  kind: string;
  time: string | null;
  tool: { name: string; version: string };
  redacted?: boolean;
  capture: Record<string, unknown> & { file: string };
  connection?: Record<string, unknown> & { stream: number; status: string; tls: { serverCertificates: unknown[] } | null };
  steps?: string[];
  findings?: { stream: number; evidence: unknown[]; remedies?: unknown }[];
  fingerprint?: string;
  certificate?: { fingerprintSha256: string };
  groups?: { groups: unknown[] };
}

const lines = (text: string): Line[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);

describe('report: ndjson', () => {
  it('a capture line, a line per connection in stream order, certificates once, and the verdict last', async () => {
    const doc = await documentOf([path.join(CORPUS, 'tls13draft16-chrome55.0.2879.0-canary.pcap')]);
    const cap = doc.captures[0];
    const values = lines(render('ndjson', doc, { color: false, redact: false }));
    expect(values[0].kind).to.equal('capture');
    expect(values[0].capture).to.deep.equal({ file: cap.file, size: cap.size });
    const connections = values.filter((v) => v.kind === 'connection');
    expect(connections.map((v) => v.connection!.stream)).to.deep.equal(cap.connections.map((c) => c.stream));
    expect(connections.length).to.be.greaterThan(1);
    for (const [k, v] of connections.entries()) {
      expect(v.capture).to.deep.equal({ file: cap.file });
      expect(v.time).to.equal(cap.connections[k].firstTime);
      expect(v.connection).to.not.have.property('events');
      expect(v.steps!.length).to.equal(cap.connections[k].events.length);
      expect(v.findings!.every((f) => f.stream === v.connection!.stream)).to.equal(true);
      // compact detail: the rule's remedies live in the group's example, not on every line.
      for (const f of v.findings!) expect(f).to.not.have.property('remedies');
    }
    const failed = connections.find((v) => v.connection!.status === 'failed')!;
    expect(failed.findings!.length).to.be.greaterThan(0);
    expect(failed.steps!.filter((s) => s.endsWith('[failure]'))).to.have.length(1);
    const last = values[values.length - 1];
    expect(last.kind).to.equal('verdict');
    expect(last.capture.sha256).to.equal(cap.sha256);
    expect(last.capture.packets).to.equal(cap.packets);
    expect((last.capture.verdict as { text: string }).text).to.equal(cap.verdict.text);
    expect(last.groups!.groups.length).to.be.greaterThan(0);
  });

  it('certificates: one line each, referred to by fingerprint', async () => {
    const doc = await documentOf([path.join(SAMPLES, 'clean-resumed-tls12.pcap')]);
    const values = lines(render('ndjson', doc, { color: false, redact: false }));
    const certs = values.filter((v) => v.kind === 'certificate');
    expect(certs.length).to.be.greaterThan(0);
    expect(new Set(certs.map((c) => c.fingerprint)).size).to.equal(certs.length);
    for (const c of certs) expect(c.certificate!.fingerprintSha256).to.equal(c.fingerprint);
    const referred = values.filter((v) => v.kind === 'connection').flatMap((v) => v.connection!.tls?.serverCertificates ?? []);
    expect(referred.length).to.be.greaterThan(0);
    for (const r of referred) expect(certs.map((c) => c.fingerprint)).to.include(r);
    // full detail: the certificates inline, no certificate lines.
    const full = lines(render('ndjson', doc, { color: false, redact: false, detail: 'full' }));
    expect(full.filter((v) => v.kind === 'certificate')).to.deep.equal([]);
    const inline = full.find((v) => v.kind === 'connection' && (v.connection!.tls?.serverCertificates.length ?? 0) > 0)!;
    expect(inline.connection!.tls!.serverCertificates[0]).to.have.property('subject');
  });

  it('a capture that cannot be read gets its capture and verdict lines, with the error', async () => {
    const doc = await documentOf([path.join(ROOT, 'package.json')]);
    const values = lines(render('ndjson', doc, { color: false, redact: false }));
    expect(values.map((v) => v.kind)).to.deep.equal(['capture', 'verdict']);
    expect((values[1].capture.error as { message: string }).message).to.match(/not a capture file/);
  });

  it('a capture without a TCP conversation (nor DTLS or QUIC) gets its capture and verdict lines', async () => {
    // Two DNS-like datagrams: UDP, but neither DTLS nor QUIC.
    const dns = (from: string, to: string, sport: number, dport: number, time: number) => ({ src: from, dst: to, sport, dport, time, payload: Uint8Array.of(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0) });
    const result = await analyzeBytes(udpPcap([dns('10.0.0.1', '10.0.0.53', 5353, 53, 1_700_000_000), dns('10.0.0.53', '10.0.0.1', 53, 5353, 1_700_000_000.01)]), 'dns.pcap');
    const doc = reportDocument([result], ['tlsdiag-test']);
    expect(doc.captures[0].connections).to.have.length(0);
    const values = lines(render('ndjson', doc, { color: false, redact: false }));
    expect(values.map((v) => v.kind)).to.deep.equal(['capture', 'verdict']);
    expect(values[1].capture.packets).to.be.greaterThan(0);
    expect(values[1].time).to.equal(doc.captures[0].firstTime);
  });

  it('a DTLS connection is a connection line with its transport and its udp.stream', async () => {
    const doc = await documentOf([path.join(CORPUS, 'dtls1_2.pcap')]);
    const values = lines(render('ndjson', doc, { color: false, redact: false }));
    expect(values.map((v) => v.kind)).to.deep.equal(['capture', 'connection', 'certificate', 'verdict']);
    expect(values[1].connection).to.include({ stream: 0, transport: 'dtls', status: 'established' });
  });

  it('renders a whole run as lines ending in newlines, in input order, marked when redacted', async () => {
    const files = ['zos-empty-ca-list-tls10.pcap', 'no-shared-cipher.pcap'].map((f) => path.join(SAMPLES, f));
    const doc = await documentOf(files);
    const out = render('ndjson', doc, { color: false, redact: false });
    expect(out.endsWith('\n')).to.equal(true);
    const values = lines(out);
    expect(values.filter((v) => v.kind === 'capture').map((v) => path.basename(v.capture.file))).to.deep.equal(['zos-empty-ca-list-tls10.pcap', 'no-shared-cipher.pcap']);
    expect(values.every((v) => v.redacted === undefined)).to.equal(true);
    const redacted = lines(render('ndjson', doc, { color: false, redact: true }));
    expect(redacted.every((v) => v.redacted === true)).to.equal(true);
    expect(Object.keys(values[0]).slice(0, 2)).to.deep.equal(['kind', 'time']);
  });
});
