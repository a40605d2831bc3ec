// NDJSON for log pipelines: one self-contained line per connection, one line for a capture that
// could not be read or holds no connection.
import { expect } from 'chai';
import path from 'node:path';
import { ndjsonLines, type NdjsonLine } from '../../src/report/ndjson.js';
import { render } from '../../src/report/render.js';
import { CORPUS, ROOT, SAMPLES } from '../support/paths.js';
import { documentOf } from './support.js';

const TOOL = { name: 'tlsdiag', version: '9.9.9' };
const parse = (lines: readonly string[]) => lines.map((l) => JSON.parse(l) as NdjsonLine);

describe('report: ndjson', () => {
  it('one line per connection, each with the capture\'s identity and its findings inline', async () => {
    // Two connections: stream 0 failed with a finding, stream 1 established.
    const doc = await documentOf([path.join(CORPUS, 'tls13draft16-chrome55.0.2879.0-canary.pcap')]);
    const cap = doc.captures[0];
    const lines = ndjsonLines(cap, TOOL);
    expect(lines).to.have.length(cap.connections.length).and.to.have.length.greaterThan(1);
    for (const l of lines) expect(l).to.not.include('\n');
    const values = parse(lines);
    for (const [k, v] of values.entries()) {
      expect(v.kind).to.equal('connection');
      expect(v.tool).to.deep.equal(TOOL);
      expect(v.capture.file).to.equal(cap.file);
      expect(v.capture.sha256).to.equal(cap.sha256);
      expect(v.capture.packets).to.equal(cap.packets);
      expect(v.capture.format).to.equal('pcap');
      expect(v.connection!.stream).to.equal(cap.connections[k].stream);
      expect(v.time).to.equal(cap.connections[k].firstTime);
      expect(v.connection).to.not.have.property('events');
      expect(v.steps!.length).to.equal(cap.connections[k].events.length);
      expect(v.findings.map((f) => f.stream)).to.satisfy((s: number[]) => s.every((x) => x === v.connection!.stream));
    }
    const failed = values.find((v) => v.connection!.status === 'failed')!;
    expect(failed.findings.length).to.be.greaterThan(0);
    expect(failed.findings[0].evidence.length).to.be.greaterThan(0);
    expect(failed.steps!.filter((s) => s.endsWith('[failure]'))).to.have.length(1);
    const established = values.find((v) => v.connection!.status === 'established')!;
    expect(established.findings).to.deep.equal([]);
    expect(established.steps!.some((s) => s.endsWith('[failure]'))).to.equal(false);
  });

  it('a capture that cannot be read gets one line, with its error', async () => {
    const doc = await documentOf([path.join(ROOT, 'package.json')]);
    const [line, ...rest] = parse(ndjsonLines(doc.captures[0], TOOL));
    expect(rest).to.deep.equal([]);
    expect(line.kind).to.equal('capture');
    expect(line.capture.error!.message).to.match(/not a capture file/);
    expect(line).to.not.have.property('connection');
  });

  it('a capture without a TCP conversation gets one line', async () => {
    const doc = await documentOf([path.join(CORPUS, 'dtls1_2.pcap')]);
    expect(doc.captures[0].connections).to.have.length(0);
    const lines = parse(ndjsonLines(doc.captures[0], TOOL));
    expect(lines).to.have.length(1);
    expect(lines[0].kind).to.equal('capture');
    expect(lines[0].capture.packets).to.be.greaterThan(0);
    expect(lines[0].time).to.equal(doc.captures[0].firstTime);
  });

  it('renders a whole run as lines ending in newlines, in input order, marked when redacted', async () => {
    const files = ['zos-empty-ca-list-tls10.pcap', 'no-shared-cipher.pcap'].map((f) => path.join(SAMPLES, f));
    const doc = await documentOf(files);
    const out = render('ndjson', doc, { color: false, redact: false });
    expect(out.endsWith('\n')).to.equal(true);
    const values = parse(out.trimEnd().split('\n'));
    expect(values.map((v) => path.basename(v.capture.file))).to.deep.equal(['zos-empty-ca-list-tls10.pcap', 'no-shared-cipher.pcap']);
    expect(values.every((v) => v.redacted === undefined)).to.equal(true);
    const redacted = parse(render('ndjson', doc, { color: false, redact: true }).trimEnd().split('\n'));
    expect(redacted.every((v) => v.redacted === true)).to.equal(true);
    expect(Object.keys(values[0]).slice(0, 2)).to.deep.equal(['kind', 'time']);
  });
});
