// The tracker against the shared corpus: the same tcp.stream numbering as tshark 4.0.17 (first frame
// and frame count of every stream), and every stream of the golden TLS decodes present with the same
// two endpoints.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, GOLDEN } from '../support/paths.js';
import { TcpTracker } from '../../src/flow/tracker.js';
import type { Conversation } from '../../src/flow/types.js';
import { readPcap, recording } from './support.js';
import { TSHARK_FOLLOW, TSHARK_STREAMS } from './corpus-streams.js';
import type { Recorder } from './support.js';

interface GoldenFrame {
  readonly frame: number;
  readonly stream: number;
  readonly src: string;
  readonly dst: string;
}

/** Golden endpoints are `ip:port`, IPv6 without brackets (e.g. `fd42:496a:d659:bb85::1:52464`). */
function endpointText(e: { ip: string; port: number }): string {
  return `${e.ip}:${e.port}`;
}

/** As tshark's follow output names a node: IPv6 in brackets. */
function followText(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** Bytes delivered in one direction (gaps contribute nothing, as in tshark's follow output). */
function delivered(r: Recorder, dir: 'client' | 'server'): Buffer {
  const parts: Buffer[] = [];
  for (const e of r.events) if (e.type === 'data' && e.dir === dir) parts.push(Buffer.from(e.text, 'latin1'));
  return Buffer.concat(parts);
}

function digest(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex').slice(0, 16);
}

const files = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.pcap'))
  .sort();

describe('TcpTracker on the corpus', () => {
  it('has a tshark table entry for every corpus capture', () => {
    expect(files.length).to.be.greaterThan(60);
    for (const f of files) expect(TSHARK_STREAMS, f).to.have.property(f);
  });

  for (const file of files) {
    it(`${file}: numbering, endpoints and reassembled bytes match tshark`, () => {
      const conversations = new Map<number, Conversation>();
      const { open, recorders } = recording();
      const tracker = new TcpTracker((c) => {
        conversations.set(c.stream, c);
        return open(c);
      });
      const seen = new Map<number, [number, number]>();
      for (const frame of readPcap(path.join(CORPUS, file))) {
        tracker.push(frame);
        const s = tracker.lastStream;
        if (s < 0) continue;
        const entry = seen.get(s);
        if (entry === undefined) seen.set(s, [frame.number, 1]);
        else entry[1]++;
      }
      tracker.finish();

      const expected = TSHARK_STREAMS[file];
      expect(tracker.conversations, 'number of conversations').to.equal(expected.length);
      const actual = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([s, [first, count]]) => [s, first, count]);
      expect(actual).to.deep.equal(expected.map((e) => [...e]));
      for (const [stream, first] of expected) expect(conversations.get(stream)?.firstFrame, `stream ${stream}`).to.equal(first);

      const golden = JSON.parse(readFileSync(path.join(GOLDEN, `${file}.json`), 'utf8')) as { tls: GoldenFrame[] };
      for (const g of golden.tls) {
        const c = conversations.get(g.stream);
        expect(c, `stream ${g.stream} (frame ${g.frame})`).to.not.equal(undefined);
        const ends = [endpointText(c!.client), endpointText(c!.server)].sort();
        expect(ends, `frame ${g.frame}`).to.deep.equal([g.src, g.dst].sort());
      }
      for (const [stream, node0, hash0, length0, hash1, length1] of TSHARK_FOLLOW[file]) {
        const r = recorders.find((x) => x.conversation.stream === stream)!;
        const clientFirst = followText(r.conversation.client) === node0;
        const first = delivered(r, clientFirst ? 'client' : 'server');
        const second = delivered(r, clientFirst ? 'server' : 'client');
        expect([first.length, digest(first)], `stream ${stream}: bytes from ${node0}`).to.deep.equal([length0, hash0]);
        expect([second.length, digest(second)], `stream ${stream}: bytes to ${node0}`).to.deep.equal([length1, hash1]);
      }
      for (const r of recorders) {
        expect(r.events.at(-1), `stream ${r.conversation.stream} closes`).to.deep.equal({ type: 'close' });
        expect(r.conversation.end, `stream ${r.conversation.stream} has an end`).to.not.equal(null);
      }
    });
  }
});
