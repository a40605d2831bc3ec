// 100 000 short conversations in one capture: numbering stays exact and memory stays bounded,
// because closed conversations shrink to tombstones that are forgotten after the linger time.
import { expect } from 'chai';
import v8 from 'node:v8';
import vm from 'node:vm';
import { TcpTracker } from '../../src/flow/tracker.js';
import type { Frame } from '../../src/input/frame.js';
import type { StreamHandler } from '../../src/flow/types.js';
import { ethernet, ipv4, tcp } from './support.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** One reusable frame whose header fields are rewritten per packet (a Frame's data is only a view). */
class FrameFactory {
  private readonly data = ethernet(ipv4('10.0.0.1', '192.0.2.1', tcp({ sport: 1, dport: 443, seq: 0, flags: 'A', payload: '0123456789abcdef' })), 0x0800);
  private readonly view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  private number = 0;

  make(time: number, clientIp: number, clientPort: number, fromClient: boolean, flags: number, seq: number, ack: number, withData: boolean): Frame {
    const v = this.view;
    v.setUint32(26, fromClient ? clientIp : 0xc0000201);
    v.setUint32(30, fromClient ? 0xc0000201 : clientIp);
    v.setUint16(34, fromClient ? clientPort : 443);
    v.setUint16(36, fromClient ? 443 : clientPort);
    v.setUint32(38, seq >>> 0);
    v.setUint32(42, ack >>> 0);
    v.setUint8(47, flags);
    const length = withData ? this.data.length : this.data.length - 16;
    v.setUint16(16, length - 14);
    const data = this.data.subarray(0, length);
    const seconds = Math.floor(time);
    return { number: ++this.number, seconds, nanos: Math.round((time - seconds) * 1e9), linkType: 1, data, capturedLength: length, originalLength: length };
  }
}

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const PSH = 0x08;

/**
 * `n` conversations opened and closed one after the other, 20 ms apart (50 a second), each on its
 * own port; returns the most 4-tuples the tracker held at once.
 */
function closeInTurn(tracker: TcpTracker, n: number): number {
  const frames = new FrameFactory();
  let time = 1_700_000_000;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const port = 1024 + i;
    time += 0.02;
    tracker.push(frames.make(time, 0x0a000001, port, true, SYN, 1, 0, false));
    tracker.push(frames.make(time, 0x0a000001, port, false, SYN | ACK, 9, 2, false));
    tracker.push(frames.make(time, 0x0a000001, port, true, ACK | FIN, 2, 10, false));
    tracker.push(frames.make(time, 0x0a000001, port, false, ACK | FIN, 10, 3, false));
    if (tracker.tracked > peak) peak = tracker.tracked;
  }
  return peak;
}

describe('TcpTracker: 100 000 conversations', function () {
  this.timeout(120_000);

  it('numbers them all in order and keeps memory bounded', () => {
    const total = 100_000;
    let opened = 0;
    let misnumbered = 0;
    let delivered = 0;
    let closed = 0;
    const handler: StreamHandler = {
      onData: (_dir, data) => {
        delivered += data.length;
      },
      onGap: () => undefined,
      onFin: () => undefined,
      onRst: () => undefined,
      onClose: () => {
        closed++;
      },
    };
    // Above the linger's 24 000, so that the linger is what bounds the tombstones here.
    const tracker = new TcpTracker(
      (c) => {
        if (c.stream !== opened) misnumbered++;
        opened++;
        return handler;
      },
      { maxClosed: 30_000 },
    );
    const frames = new FrameFactory();
    const heap: number[] = [];
    let time = 1_700_000_000;
    for (let i = 0; i < total; i++) {
      // Client addresses and ports repeat only after 60 000 conversations (600 s of capture time).
      const ip = (0x0a000000 | (((i / 60000) | 0) << 16) | 1) >>> 0;
      const port = 1024 + (i % 60000);
      const c = 1000 + i;
      const s = 5000 + i;
      time += 0.01;
      tracker.push(frames.make(time, ip, port, true, SYN, c, 0, false));
      tracker.push(frames.make(time, ip, port, false, SYN | ACK, s, c + 1, false));
      tracker.push(frames.make(time, ip, port, true, ACK | PSH, c + 1, s + 1, true));
      tracker.push(frames.make(time, ip, port, false, ACK | PSH, s + 1, c + 17, true));
      tracker.push(frames.make(time, ip, port, true, ACK | FIN, c + 17, s + 17, false));
      tracker.push(frames.make(time, ip, port, false, ACK | FIN, s + 17, c + 18, false));
      tracker.push(frames.make(time, ip, port, true, ACK, c + 18, s + 18, false));
      if (i === total / 2 - 1 || i === total - 1) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
    }
    const tracked = tracker.tracked;
    tracker.finish();
    expect(tracker.conversations).to.equal(total);
    expect(opened).to.equal(total);
    expect(misnumbered).to.equal(0);
    expect(closed).to.equal(total);
    expect(delivered).to.equal(total * 32);
    // Tombstones last 240 s of capture time: at 100 conversations per second, about 24 000.
    expect(tracked).to.be.within(23_900, 24_100);
    // The second 50 000 conversations cost no more memory than the first: nothing accumulates.
    const growth = heap[1] - heap[0];
    expect(growth, `heap grew by ${(growth / 1e6).toFixed(1)} MB between 50k and 100k`).to.be.below(8e6);
  });

  it('holds only the tombstones of the linger window', () => {
    const tracker = new TcpTracker(() => null);
    const peak = closeInTurn(tracker, 30_000);
    // 240 s of linger at 50 conversations per second.
    expect(peak).to.be.within(12_000, 12_100);
  });

  it('forgets the oldest tombstones past maxClosed, and says so once', () => {
    const tracker = new TcpTracker(() => null, { maxClosed: 1_000 });
    const peak = closeInTurn(tracker, 5_000);
    // The linger alone would keep 12,000 (240 s at 50 a second).
    expect(peak).to.be.within(1_000, 1_002);
    const notes = tracker.notes().filter((n) => n.code === 'closed-conversations-forgotten');
    expect(notes).to.have.length(1);
    expect(notes[0].severity).to.equal('note');
  });
});

describe('TcpTracker: tombstones of final records', function () {
  this.timeout(120_000);

  /** Heap bytes per tombstone after `n` closed conversations, their records marked final on close or not. */
  function tombstoneCost(n: number, final: boolean): number {
    const records: { final: boolean }[] = [];
    const tracker = new TcpTracker((c) => ({
      onData: () => undefined,
      onGap: () => undefined,
      onFin: () => undefined,
      onRst: () => undefined,
      onClose: () => {
        if (final) c.final = true;
        else records.push(c);
      },
    }));
    gc();
    const before = process.memoryUsage().heapUsed;
    closeInTurn(tracker, n);
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(tracker.tracked).to.be.above(n * 0.9);
    // The records of the non-final run are also held by `records`: count only what the tracker adds.
    return (after - before) / n;
  }

  it('drop their conversation record once the analysis has made it final', () => {
    const n = 10_000;
    const final = tombstoneCost(n, true);
    expect(final, `${final.toFixed(0)} bytes per final tombstone`).to.be.below(700);
    const held = tombstoneCost(n, false);
    expect(held - final, `${held.toFixed(0)} bytes per tombstone holding its record`).to.be.above(300);
  });

  it('count a late segment until the record is final, and not after', () => {
    let conv: import('../../src/flow/types.js').Conversation | null = null;
    const tracker = new TcpTracker((c) => {
      conv = c;
      return null;
    });
    const frames = new FrameFactory();
    const t = 1_700_000_000;
    tracker.push(frames.make(t, 0x0a000001, 4000, true, SYN, 1, 0, false));
    tracker.push(frames.make(t, 0x0a000001, 4000, false, SYN | ACK, 9, 2, false));
    tracker.push(frames.make(t, 0x0a000001, 4000, true, ACK | FIN, 2, 10, false));
    tracker.push(frames.make(t, 0x0a000001, 4000, false, ACK | FIN, 10, 3, false));
    const record = conv!;
    expect(record.end?.kind).to.equal('fin');
    // The last ACK, a second later: still counted.
    tracker.push(frames.make(t + 1, 0x0a000001, 4000, true, ACK, 3, 11, false));
    expect(record.stats.client.segments).to.equal(3);
    expect(record.lastFrame).to.equal(5);
    record.final = true;
    // A frame of another conversation moves the clock; the tombstone lets the record go.
    tracker.push(frames.make(t + 2, 0x0a000002, 4001, true, SYN, 1, 0, false));
    tracker.push(frames.make(t + 3, 0x0a000001, 4000, true, ACK, 3, 11, false));
    expect(record.stats.client.segments).to.equal(3);
    expect(record.lastFrame).to.equal(5);
    // Still numbered in its stream, as Wireshark does.
    expect(tracker.lastStream).to.equal(0);
  });

  it('reopen after an idle close with the roles and addresses of the record they dropped', () => {
    const opened: import('../../src/flow/types.js').Conversation[] = [];
    const tracker = new TcpTracker(
      (c) => {
        opened.push(c);
        return { onData: () => undefined, onGap: () => undefined, onFin: () => undefined, onRst: () => undefined, onClose: () => { c.final = true; } };
      },
      { idleTimeoutSeconds: 30 },
    );
    const frames = new FrameFactory();
    const t = 1_700_000_000;
    // Picked up mid-connection: the first packet comes from the server, so the client is a guess.
    tracker.push(frames.make(t, 0x0a000001, 4000, false, ACK | PSH, 100, 200, true));
    tracker.push(frames.make(t, 0x0a000001, 4000, true, ACK, 200, 116, false));
    // Idle for 60 s (closed at 30 s), more traffic elsewhere (the tombstone detaches), then the same 4-tuple again.
    tracker.push(frames.make(t + 60, 0x0a000002, 4001, true, SYN, 1, 0, false));
    tracker.push(frames.make(t + 75, 0x0a000002, 4001, true, ACK, 2, 1, false));
    tracker.push(frames.make(t + 80, 0x0a000001, 4000, true, ACK, 200, 116, false));
    expect(opened.map((c) => c.stream)).to.deep.equal([0, 1, 0]);
    const [first, , again] = opened;
    expect(again).to.not.equal(first);
    expect(again.client).to.deep.equal(first.client);
    expect(again.server).to.deep.equal(first.server);
    expect(again.clientBasis).to.equal(first.clientBasis);
  });
});
