// Captures that start mid-connection (a ring buffer, a capture started late): real captures with
// their first N frames cut, as `editcap -r FILE OUT N-` would. What tshark 4.0.17 shows for each cut
// (recorded once: tshark -r OUT -T fields -e frame.number -e tcp.srcport -e _ws.col.Info) is in the
// comments and the expected values: records in the frames it names, "Encrypted Alert" where it
// says so, "Continuation Data" where a segment continues a record begun before the cut.
import { expect } from 'chai';
import { Readable } from 'node:stream';
import path from 'node:path';
import { analyzeStream, type CaptureResult } from '../../src/analyze.js';
import { captureDocument } from '../../src/report/document.js';
import { corpusRecords, pcapFile } from '../input/builders.js';
import { CORPUS, SAMPLES } from '../support/paths.js';
import type { AlertEvent } from '../../src/session/transcript.js';

/** The capture without its first `cut` frames. */
async function cutCapture(file: string, cut: number): Promise<CaptureResult> {
  const { linkType, snaplen, records } = corpusRecords(file);
  const bytes = pcapFile(records.slice(cut), { linkType, snaplen });
  return analyzeStream(Readable.from([bytes]), `${path.basename(file)} from frame ${cut + 1}`);
}

const alerts = (r: CaptureResult, stream = 0): AlertEvent[] =>
  r.connections.find((c) => c.conversation.stream === stream)!.transcript.events.filter((e): e is AlertEvent => e.type === 'alert');

describe('captures that start mid-connection', () => {
  it('TLS 1.2 from the client\'s data on: encrypted alerts, not 13 plaintext ones; no failure, no handshake counted', async () => {
    // samples/clean-tls12.pcap from frame 10. tshark: 1 (36106) Application Data, 2 (4445) Application
    // Data, 4 (36106) Encrypted Alert, 5 FIN, 6 (4445) Encrypted Alert, 8 FIN.
    const r = await cutCapture(path.join(SAMPLES, 'clean-tls12.pcap'), 9);
    expect(r.connections).to.have.length(1);
    const c = r.connections[0];
    const t = c.transcript.tls!;
    expect(t.midConnection).to.equal(true);
    expect(t.established).to.equal(false);
    expect(c.conversation.server.port).to.equal(4445);
    expect(c.conversation.clientBasis).to.equal('ports');
    const a = alerts(r);
    expect(a.map((x) => [x.frame, x.from, x.encrypted, x.length])).to.deep.equal([
      [4, 'client', true, 26],
      [6, 'server', true, 26],
    ]);
    expect(c.transcript.events.filter((e) => e.type === 'plaintext')).to.deep.equal([]);
    const data = c.transcript.events.filter((e) => e.type === 'application_data').map((e) => [e.frame, e.from]);
    expect(data).to.deep.equal([[1, 'client'], [2, 'server']]);
    expect(c.transcript.events.filter((e) => e.type === 'tcp').map((e) => [e.frame, e.from])).to.deep.equal([[5, 'client'], [8, 'server']]);
    expect(r.findings).to.deep.equal([]);
    const doc = captureDocument(r);
    expect(doc.connections[0].status).to.equal('mid-connection');
    expect(doc.verdict.tlsConnections).to.equal(0);
    expect(doc.verdict.incomplete).to.equal(0);
    expect(doc.verdict.failed).to.equal(0);
    expect(doc.verdict.midConnection).to.equal(1);
    expect(doc.verdict.text).to.equal('0 TLS handshakes; 1 TLS connection picked up mid-way (no handshake in the capture)');
  });

  it('the server speaking first is still the server: its port says so', async () => {
    // samples/clean-tls12.pcap from frame 11. tshark: 1 (4445) Application Data, 3 (36106) Encrypted Alert, 5 (4445) Encrypted Alert.
    const r = await cutCapture(path.join(SAMPLES, 'clean-tls12.pcap'), 10);
    const c = r.connections[0];
    expect(c.conversation.client.port).to.equal(36106);
    expect(c.conversation.server.port).to.equal(4445);
    expect(c.conversation.clientBasis).to.equal('ports');
    expect(c.transcript.events[0]).to.include({ type: 'application_data', from: 'server', frame: 1 });
    expect(alerts(r).map((x) => [x.frame, x.from, x.encrypted])).to.deep.equal([[3, 'client', true], [5, 'server', true]]);
    expect(r.findings).to.deep.equal([]);
  });

  it('the port-443 side sending the first packet is not taken for the client', async () => {
    // corpus/tls1.2.pcap from frame 14, whose first frame is the server's ACK (443 -> 56637). tshark:
    // 2 (56637) Application Data; 5 (443) Application Data x2 and FIN; 7 (56637) Encrypted Alert; 8 FIN.
    const r = await cutCapture(path.join(CORPUS, 'tls1.2.pcap'), 13);
    const c = r.connections[0];
    expect(c.conversation.server).to.deep.equal({ ip: '68.233.76.12', port: 443 });
    expect(c.conversation.client.port).to.equal(56637);
    expect(alerts(r).map((x) => [x.frame, x.from, x.encrypted])).to.deep.equal([[7, 'client', true]]);
    expect(c.transcript.tls!.applicationData.server).to.deep.equal({ records: 2, bytes: 2056 });
  });

  it('a first segment that continues a record begun before the cut is skipped, not shown as plaintext', async () => {
    // corpus/tls1.2.pcap from frame 17. tshark: 2 (443) Continuation Data (and FIN); 4 (56637) Encrypted Alert; 5 FIN.
    const r = await cutCapture(path.join(CORPUS, 'tls1.2.pcap'), 16);
    const c = r.connections[0];
    expect(c.transcript.events.filter((e) => e.type === 'plaintext' || e.type === 'unknown')).to.deep.equal([]);
    expect(c.transcript.problems.map((p) => [p.code, p.frame, p.from])).to.deep.equal([['mid-record-start', 2, 'server']]);
    expect(alerts(r).map((x) => [x.frame, x.from, x.encrypted])).to.deep.equal([[4, 'client', true]]);
    expect(c.transcript.tls!.midConnection).to.equal(true);
    expect(c.transcript.tls!.ended).to.deep.equal({ how: 'alert', by: 'client', frame: 4 });
    expect(r.findings).to.deep.equal([]);
  });

  it('TLS 1.3 picked up mid-way: the 19-byte records before each close are probably alerts (inferred)', async () => {
    // samples/clean-tls13.pcap from frame 9. tshark (no keys): Application Data throughout; 7 (client) and 9 (server) are 19-byte records before the FINs.
    const r = await cutCapture(path.join(SAMPLES, 'clean-tls13.pcap'), 8);
    const a = alerts(r);
    expect(a.map((x) => [x.frame, x.from, x.encrypted, x.inferred, x.length])).to.deep.equal([
      [7, 'client', true, true, 19],
      [9, 'server', true, true, 19],
    ]);
    expect(r.findings).to.deep.equal([]);
  });

  it('a connection cut mid-way does not count as a handshake beside a whole one', async () => {
    // samples/clean-resumed-tls12.pcap from frame 10: stream 0 from its data on, stream 1 whole (SYN at 10, ClientHello at 13).
    const r = await cutCapture(path.join(SAMPLES, 'clean-resumed-tls12.pcap'), 9);
    const doc = captureDocument(r);
    expect(doc.connections.map((c) => [c.stream, c.status])).to.deep.equal([[0, 'mid-connection'], [1, 'established']]);
    expect(doc.verdict).to.include({ tlsConnections: 1, established: 1, failed: 0, incomplete: 0, midConnection: 1 });
    expect(doc.verdict.text).to.equal('1 TLS handshake (1 established); 1 TLS connection picked up mid-way (no handshake in the capture); no problems found');
  });

  it('a 2-byte alert is read in clear even then, and a plaintext fatal alert is still judged', async () => {
    // samples/no-shared-cipher.pcap from frame 5 (the ClientHello was frame 4): 2 (4435) the alert record, 7 bytes of TCP payload.
    const r = await cutCapture(path.join(SAMPLES, 'no-shared-cipher.pcap'), 4);
    expect(alerts(r).map((x) => [x.frame, x.from, x.encrypted, x.level, x.code])).to.deep.equal([[2, 'server', false, 'fatal', 40]]);
    expect(r.connections[0].transcript.tls!.midConnection).to.equal(true);
    expect(r.findings.map((f) => [f.rule, f.frames])).to.deep.equal([['handshake-failed', [2]]]);
  });

  it('a capture that begins with the ServerHello is a handshake, not a mid-connection', async () => {
    // samples/clean-tls12.pcap from frame 5: the server's ServerHello flight comes first.
    const r = await cutCapture(path.join(SAMPLES, 'clean-tls12.pcap'), 4);
    const t = r.connections[0].transcript.tls!;
    expect(t.midConnection).to.equal(undefined);
    expect(t.established).to.equal(true);
    expect(r.connections[0].conversation.server.port).to.equal(4445);
  });

  it('the whole captures are unchanged: a SYN-opened connection is never mid-connection', async () => {
    for (const [file, cut] of [[path.join(SAMPLES, 'clean-tls12.pcap'), 0], [path.join(CORPUS, 'tls1.2.pcap'), 0]] as const) {
      const r = await cutCapture(file, cut);
      expect(r.connections[0].transcript.tls!.midConnection, file).to.equal(undefined);
      expect(r.connections[0].transcript.tls!.established, file).to.equal(true);
    }
  });
});
