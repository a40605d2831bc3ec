// TLS through proxies: samples/tls-through-proxies.pcap (scripts/record/record-proxy.sh: curl via
// SOCKS5 and SOCKS4 on port 1080 and HTTP CONNECT on port 3128, both legs captured). tshark 4.0.17
// numbers its conversations 0 1 3 4 6 7: its SOCKS dissector takes a tcp.stream index of its own
// for each SOCKS connection at the first payload after the proxy's grant (checked by inserting an
// unrelated SYN before and after that frame: the SYN gets the index before it, or the one after).
import { expect } from 'chai';
import { Readable } from 'node:stream';
import path from 'node:path';
import { analyzeFile, analyzeStream, type CaptureResult } from '../../src/analyze.js';
import { captureDocument } from '../../src/report/document.js';
import { corpusRecords, pcapFile } from '../input/builders.js';
import { SAMPLES } from '../support/paths.js';

const FILE = path.join(SAMPLES, 'tls-through-proxies.pcap');

/** The sample with frame 1 of samples/no-shared-cipher.pcap (a SYN to 4435) inserted after frame `after`. */
async function withSynAfter(after: number): Promise<CaptureResult> {
  const { records, linkType } = corpusRecords(FILE);
  const syn = corpusRecords(path.join(SAMPLES, 'no-shared-cipher.pcap')).records[0];
  const at = records[after - 1];
  const list = [...records.slice(0, after), { ...syn, seconds: at.seconds, subsecond: at.subsecond }, ...records.slice(after)];
  return analyzeStream(Readable.from([pcapFile(list, { linkType })]), 'inserted.pcap');
}

describe('TLS through SOCKS and HTTP CONNECT proxies', () => {
  let r: CaptureResult;
  before(async () => {
    r = await analyzeFile(FILE);
  });

  it('numbers the conversations as tshark does: each SOCKS connection on 1080 uses up one more index', () => {
    expect(r.connections.map((c) => [c.conversation.stream, c.conversation.server.port])).to.deep.equal([
      [0, 1080],
      [1, 4456],
      [3, 1080],
      [4, 4457],
      [6, 3128],
      [7, 4458],
    ]);
  });

  it('the index is taken at the first payload after the grant, as tshark takes it', async () => {
    // SOCKS5 grant in frame 12, the ClientHello through the proxy in frame 13. tshark: a SYN inserted
    // after frame 12 is stream 2 (the SOCKS index comes after it, 3); after frame 13 it is stream 3.
    const before = await withSynAfter(12);
    expect(before.connections.map((c) => c.conversation.stream)).to.deep.equal([0, 1, 2, 4, 5, 7, 8]);
    expect(before.connections[2].conversation.server.port).to.equal(4435);
    const after = await withSynAfter(13);
    expect(after.connections.map((c) => c.conversation.stream)).to.deep.equal([0, 1, 3, 4, 5, 7, 8]);
    expect(after.connections[2].conversation.server.port).to.equal(4435);
  });

  it('names the proxy dialogue the TLS ran inside', () => {
    const upgrades = r.connections.map((c) => c.transcript.tls!.upgradedFrom);
    expect(upgrades).to.deep.equal(['socks5', null, 'socks4', null, 'http-connect', null]);
    const doc = captureDocument(r);
    expect(r.connections[0].transcript.events.filter((e) => e.type === 'plaintext').map((e) => e.type === 'plaintext' && e.protocol)).to.deep.equal(['socks5', 'socks5', 'socks5', 'socks5']);
    expect(doc.groups.healthy.map((h) => h.upgradedFrom)).to.include.members(['socks5', 'http-connect']);
  });

  it('points the Wireshark filters of the failure at tshark\'s streams, on both legs', () => {
    expect(r.findings.map((f) => [f.rule, f.stream, f.wiresharkFilter])).to.deep.equal([
      ['no-shared-cipher', 3, 'tcp.stream eq 3 && frame.number in {55, 61}'],
      ['no-shared-cipher', 4, 'tcp.stream eq 4 && frame.number in {56, 58}'],
    ]);
  });
});
