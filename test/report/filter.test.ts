// --stream N and --only failing: which connections and findings a report keeps.
import { expect } from 'chai';
import path from 'node:path';
import { applyFilters } from '../../src/report/filter.js';
import { render } from '../../src/report/render.js';
import { CORPUS } from '../support/paths.js';
import { documentOf } from './support.js';

// Stream 0 fails (encrypted alert in the handshake), stream 1 is established without findings.
const ONE_FAILED = path.join(CORPUS, 'tls13draft16-chrome55.0.2879.0-canary.pcap');
// Malformed ServerHellos in streams 0 (failed) and 1 (established, with a warning).
const TWO_FINDINGS = path.join(CORPUS, 'tls13draft16-ff52.a01.pcap');

describe('report: filters', () => {
  it('without filters the document is unchanged', async () => {
    const doc = await documentOf([ONE_FAILED]);
    expect(applyFilters(doc, {})).to.equal(doc);
  });

  it('--only failing keeps failed connections and connections with findings, and their findings', async () => {
    const doc = await documentOf([ONE_FAILED, TWO_FINDINGS]);
    expect(doc.captures[0].connections.map((c) => c.status)).to.have.members(['failed', 'established']);
    const kept = applyFilters(doc, { onlyFailing: true });
    expect(kept.captures[0].connections.map((c) => c.stream)).to.deep.equal([0]);
    expect([...new Set(kept.captures[0].findings.map((f) => f.stream))]).to.deep.equal([0]);
    // An established connection with a finding stays.
    expect(kept.captures[1].connections.map((c) => c.stream)).to.deep.equal([0, 1]);
    const text = render('text', doc, { color: false, redact: false, onlyFailing: true });
    expect(text).to.not.include('Established TLS connections:');
  });

  it('--stream N is a tcp.stream: a DTLS connection with the same udp.stream index, and its findings, go', async () => {
    // webrtc-stun.pcap: DTLS 1.0 at udp.stream 0 with an empty-ca-list finding; put in one capture
    // with ONE_FAILED's tcp.stream 0 and 1.
    const doc = await documentOf([ONE_FAILED, path.join(CORPUS, 'webrtc-stun.pcap')]);
    const [tcp, udp] = doc.captures;
    expect(udp.connections.map((c) => [c.stream, c.transport])).to.deep.equal([[0, 'dtls']]);
    expect(udp.findings.map((f) => [f.stream, f.transport, f.rule])).to.deep.equal([[0, 'dtls', 'empty-ca-list']]);
    const both = { ...doc, captures: [{ ...tcp, connections: [...tcp.connections, ...udp.connections], findings: [...tcp.findings, ...udp.findings] }] };
    const kept = applyFilters(both, { streams: [0] });
    expect(kept.captures[0].connections.map((c) => [c.stream, c.transport ?? 'tcp'])).to.deep.equal([[0, 'tcp']]);
    expect(kept.captures[0].findings.length).to.be.greaterThan(0);
    expect(kept.captures[0].findings.filter((f) => f.transport !== undefined)).to.deep.equal([]);
    // --only failing keeps the DTLS connection's finding with it, not with tcp.stream 0.
    const failing = applyFilters(both, { onlyFailing: true });
    expect(failing.captures[0].findings.filter((f) => f.transport === 'dtls').map((f) => f.rule)).to.deep.equal(['empty-ca-list']);
  });

  it('--stream N keeps only that tcp.stream and its findings, in every capture', async () => {
    const doc = await documentOf([TWO_FINDINGS]);
    expect([...new Set(doc.captures[0].findings.map((f) => f.stream))]).to.have.members([0, 1]);
    const kept = applyFilters(doc, { streams: [1] });
    expect(kept.captures[0].connections.map((c) => c.stream)).to.deep.equal([1]);
    expect([...new Set(kept.captures[0].findings.map((f) => f.stream))]).to.deep.equal([1]);
    const md = render('markdown', doc, { color: false, redact: false, streams: [1] });
    expect(md).to.match(/[Ss]tream 1:/);
    expect(md).to.not.match(/[Ss]tream 0[:,]/);
  });

  it('--stream is repeatable, and combines with --only failing', async () => {
    const doc = await documentOf([ONE_FAILED]);
    expect(applyFilters(doc, { streams: [0, 1] }).captures[0].connections).to.have.length(2);
    expect(applyFilters(doc, { streams: [1], onlyFailing: true }).captures[0].connections).to.have.length(0);
    expect(applyFilters(doc, { streams: [7] }).captures[0].connections).to.have.length(0);
  });
});

describe('report: the link types the verdict calls decodable are those decoders/link decodes', () => {
  it('for every link type 0-300', async () => {
    const { decodeLink } = await import('../../decoders/link/link.js');
    const { isDecodedLinkType } = await import('../../src/report/linktypes.js');
    const data = new Uint8Array(64);
    for (let code = 0; code <= 300; code++) {
      const out = {} as Parameters<typeof decodeLink>[3];
      const decoded = decodeLink(code, data, data.length, out) !== 'unknown-linktype';
      if (decoded !== isDecodedLinkType(code)) throw new Error(`link type ${code}: decoders/link ${decoded ? 'decodes' : 'does not decode'} it`);
    }
  });
});
