// The compact SYN table (src/flow/syn-table.ts) must not change anything but memory: every corpus
// and sample capture is tracked twice, once as usual and once with every SYN-only conversation kept
// compact (embryonicThreshold 0), and the two must agree on every frame's tcp.stream, every
// conversation's record and every byte delivered. Then a SYN flood: compact entries, not full ones.
// (A million SYN-only connections through the whole analysis: test/scale/hostile-sizes.test.ts.)
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, SAMPLES } from '../support/paths.js';
import { TcpTracker } from '../../src/flow/tracker.js';
import type { FlowOptions } from '../../src/flow/types.js';
import { readPcap, readPcapBuffer, recording } from './support.js';
import { synFlood } from '../scale/hostile-captures.js';

function track(frames: ReturnType<typeof readPcap>, options: FlowOptions): { streams: number[]; records: string[] } {
  const { open, recorders } = recording();
  const tracker = new TcpTracker(open, options);
  const streams: number[] = [];
  for (const frame of frames) {
    tracker.push(frame);
    streams.push(tracker.lastStream);
  }
  tracker.finish();
  const records = recorders
    .map((r) => {
      const c = r.conversation;
      return JSON.stringify({
        stream: c.stream,
        client: c.client,
        server: c.server,
        basis: c.clientBasis,
        first: [c.firstFrame, c.firstTime],
        last: [c.lastFrame, c.lastTime],
        stats: c.stats,
        end: c.end,
        events: r.events,
      });
    })
    .sort();
  return { streams, records };
}

const captures = [
  ...readdirSync(CORPUS)
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => path.join(CORPUS, f)),
  ...readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => path.join(SAMPLES, f)),
].sort();

describe('compact SYN-only conversations', () => {
  it('covers the corpus and the samples', () => {
    expect(captures.length).to.be.greaterThan(80);
  });

  for (const file of captures) {
    it(`${path.basename(file)}: the same streams, records and bytes when every SYN-only conversation starts compact`, () => {
      const frames = readPcap(file);
      const usual = track(frames, {});
      const compact = track(frames, { embryonicThreshold: 0 });
      expect(compact.streams).to.deep.equal(usual.streams);
      expect(compact.records).to.deep.equal(usual.records);
    });
  }

  it('the same with a short idle timeout, so that compact entries expire and become tombstones', () => {
    for (const file of captures) {
      const frames = readPcap(file);
      const usual = track(frames, { idleTimeoutSeconds: 1 });
      const compact = track(frames, { idleTimeoutSeconds: 1, embryonicThreshold: 0 });
      expect(compact.streams, path.basename(file)).to.deep.equal(usual.streams);
      expect(compact.records, path.basename(file)).to.deep.equal(usual.records);
    }
  });

  it('a SYN flood past the threshold is held compactly: full conversations stay at the threshold', () => {
    const pcap = synFlood(20_000);
    const frames = readPcapBuffer(pcap);
    let full = 0;
    const tracker = new TcpTracker(() => {
      full++;
      return null;
    }, { embryonicThreshold: 1000 });
    for (const frame of frames) tracker.push(frame);
    expect(full).to.equal(1000);
    expect(tracker.tracked).to.equal(20_000);
    expect(tracker.conversations).to.equal(20_000);
    tracker.finish();
    expect(full).to.equal(20_000);
  });
});
