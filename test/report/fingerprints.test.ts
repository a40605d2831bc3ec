/**
 * Where the fingerprints show (#12): the hello events and the TLS summary in JSON, NDJSON, a line per
 * connection in text, Markdown and HTML. Expected values come from test/golden/fingerprints.json
 * (computed from tshark's fields), never from tlsdiag.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/paths.js';
import { tlsdiag } from '../support/cli.js';

interface Row { frame: number; stream: number; message: string; ja4?: string; ja4_r?: string; ja4_o?: string; ja4_ro?: string; ja3?: string; ja3_full?: string; ja3s?: string; ja3s_full?: string }
const golden = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'fingerprints.json'), 'utf8')) as { captures: Record<string, Row[]> };
// HelloRetryRequest and a second ClientHello in stream 0 (frames 4, 6, 8, 9).
const HRR = path.join(ROOT, 'samples', 'ftps-implicit.pcap');
const rows = golden.captures['samples/ftps-implicit.pcap'];
const at = (frame: number) => rows.find((r) => r.frame === frame)!;
const client = (r: Row) => ({ ja4: r.ja4, ja4_r: r.ja4_r, ja4_o: r.ja4_o, ja4_ro: r.ja4_ro, ja3_full: r.ja3_full, ja3: r.ja3 });
const server = (r: Row) => ({ ja3s_full: r.ja3s_full, ja3s: r.ja3s });

describe('report: fingerprints in every format', function () {
  this.timeout(60_000);

  it('JSON: each hello event (the second ClientHello after a HelloRetryRequest too), and the TLS summary', async () => {
    const r = await tlsdiag(HRR, '-f', 'json', '--detail', 'full');
    expect(r.status).to.equal(0);
    const doc = JSON.parse(r.stdout);
    const c = doc.captures[0].connections.find((x: { stream: number }) => x.stream === 0);
    const ev = (frame: number) => c.events.find((e: { frame: number; type: string; handshakeType?: number }) => e.frame === frame && e.type === 'handshake' && (e.handshakeType === 1 || e.handshakeType === 2));
    expect(ev(4).fingerprint).to.deep.equal(client(at(4)));
    expect(ev(6).fingerprint).to.deep.equal(server(at(6)));
    expect(ev(8).fingerprint).to.deep.equal(client(at(8)));
    expect(ev(9).fingerprint).to.deep.equal(server(at(9)));
    // The summary: the first ClientHello and the ServerHello that is not the HelloRetryRequest.
    expect(c.tls.fingerprints).to.deep.equal({ client: client(at(4)), server: server(at(9)) });
  });

  it('JSON, compact detail: the hashed forms on each hello event, every form in the summary', async () => {
    const doc = JSON.parse((await tlsdiag(HRR, '-f', 'json')).stdout);
    const c = doc.captures[0].connections.find((x: { stream: number }) => x.stream === 0);
    const ev = (frame: number) => c.events.find((e: { frame: number; type: string; handshakeType?: number }) => e.frame === frame && e.type === 'handshake' && (e.handshakeType === 1 || e.handshakeType === 2));
    expect(ev(8).fingerprint).to.deep.equal({ ja4: at(8).ja4, ja4_o: at(8).ja4_o, ja3: at(8).ja3 });
    expect(ev(6).fingerprint).to.deep.equal({ ja3s: at(6).ja3s });
    expect(c.tls.fingerprints).to.deep.equal({ client: client(at(4)), server: server(at(9)) });
  });

  it('NDJSON: the connection line carries the summary', async () => {
    const r = await tlsdiag(HRR, '-f', 'ndjson');
    const line = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.kind === 'connection' && l.connection.stream === 0);
    expect(line.connection.tls.fingerprints.client.ja4).to.equal(at(4).ja4);
  });

  for (const format of ['text', 'markdown', 'html']) {
    it(`${format}: one fingerprint line per connection`, async () => {
      const r = await tlsdiag(HRR, '-f', format, '--all');
      expect(r.status).to.equal(0);
      const lines = r.stdout.split('\n').filter((l) => l.includes('fingerprints: JA4'));
      const streams = new Set(rows.map((x) => x.stream));
      expect(lines).to.have.length(streams.size);
      for (const s of streams) {
        const first = rows.find((x) => x.stream === s && x.message === 'ClientHello')!;
        expect(r.stdout).to.contain(`JA4 ${first.ja4}, JA3 ${first.ja3}`);
      }
    });
  }
});
