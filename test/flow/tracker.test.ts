import { expect } from 'chai';
import fc from 'fast-check';
import { TcpTracker } from '../../src/flow/tracker.js';
import type { Conversation, FlowOptions } from '../../src/flow/types.js';
import type { Frame } from '../../src/input/frame.js';
import {
  Script,
  bytes,
  ethernet,
  fragmentHeader,
  frame,
  icmpError,
  ipv4,
  ipv6,
  loopHeader,
  nullHeader,
  recording,
  sll,
  sll2,
  tcp,
  Recorder,
  type Event,
} from './support.js';

const CLIENT = { ip: '10.0.0.1', port: 40000 };
const SERVER = { ip: '10.0.0.2', port: 443 };

function run(frames: readonly Frame[], options: FlowOptions = {}): { tracker: TcpTracker; recorders: Recorder[]; streams: number[] } {
  const { open, recorders } = recording();
  const tracker = new TcpTracker(open, options);
  const streams: number[] = [];
  for (const f of frames) {
    tracker.push(f);
    streams.push(tracker.lastStream);
  }
  tracker.finish();
  return { tracker, recorders, streams };
}

/** SYN, SYN+ACK, ACK with client ISN 100 and server ISN 500: data starts at 101 and 501. */
function handshake(s: Script, clientIsn = 100, serverIsn = 500): void {
  s.c('S', clientIsn, 0);
  s.s('SA', serverIsn, clientIsn + 1);
  s.c('A', clientIsn + 1, serverIsn + 1);
}

function only<T>(list: T[]): T {
  expect(list).to.have.length(1);
  return list[0];
}

describe('TcpTracker: a conversation from SYN to FIN', () => {
  it('delivers each direction in order, then the FINs, then closes', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 101, 501, 'hello');
    s.s('PA', 501, 106, 'world!');
    s.c('FA', 106, 507);
    s.s('FA', 507, 107);
    s.c('A', 107, 508);
    const { tracker, recorders } = run(s.frames);
    const r = only(recorders);
    const c = r.conversation;
    expect(tracker.conversations).to.equal(1);
    expect([c.stream, c.clientBasis, c.client, c.server]).to.deep.equal([0, 'syn', CLIENT, SERVER]);
    expect(r.events).to.deep.equal([
      { type: 'data', dir: 'client', text: 'hello', frame: 4 },
      { type: 'data', dir: 'server', text: 'world!', frame: 5 },
      { type: 'fin', dir: 'client', frame: 6 },
      { type: 'fin', dir: 'server', frame: 7 },
      { type: 'close' },
    ]);
    expect(c.end).to.deep.include({ kind: 'fin', by: 'client', frame: 6 });
    // The last ACK arrives after the close: it still belongs to the conversation.
    expect([c.firstFrame, c.lastFrame]).to.deep.equal([1, 8]);
    expect(c.stats.client).to.deep.equal({ segments: 5, bytes: 5, gapBytes: 0, gaps: 0, retransmissions: 0, outOfOrder: 0 });
    expect(c.stats.server.segments).to.equal(3);
    expect(c.stats.server.bytes).to.equal(6);
  });

  it('works the same over IPv6', () => {
    const s = new Script({ ip: '2001:db8::1', port: 50000 }, { ip: '2001:db8::2', port: 990 });
    handshake(s);
    s.c('PA', 101, 501, 'AUTH TLS\r\n');
    const r = only(run(s.frames).recorders);
    expect(r.conversation.client).to.deep.equal({ ip: '2001:db8::1', port: 50000 });
    expect(r.stream('client')).to.equal('AUTH TLS\r\n');
  });
});

describe('TcpTracker: reassembly', () => {
  it('puts out-of-order segments back in order, each byte tagged with the frame that carried it', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 106, 501, 'world'); // frame 4, ahead of a hole
    s.c('PA', 101, 501, 'hello'); // frame 5 fills it
    const r = only(run(s.frames).recorders);
    expect(r.events.slice(0, 2)).to.deep.equal([
      { type: 'data', dir: 'client', text: 'hello', frame: 5 },
      { type: 'data', dir: 'client', text: 'world', frame: 4 },
    ]);
    expect(r.conversation.stats.client.outOfOrder).to.equal(1);
    expect(r.conversation.stats.client.gaps).to.equal(0);
  });

  it('delivers only the new bytes of a retransmission that partly overlaps, and none of a full one', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 101, 501, 'hello');
    s.c('PA', 104, 501, 'lo world'); // 2 old bytes, 6 new
    s.c('PA', 101, 501, 'hello'); // entirely old
    const r = only(run(s.frames).recorders);
    expect(r.stream('client')).to.equal('hello world');
    expect(r.events[1]).to.deep.equal({ type: 'data', dir: 'client', text: ' world', frame: 5 });
    expect(r.conversation.stats.client.retransmissions).to.equal(2);
    expect(r.conversation.stats.client.bytes).to.equal(11);
  });

  it('follows the sequence number across the 2^32 wrap', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s, 0xfffffff0);
    s.c('PA', 0xfffffff1, 501, 'AAAAAAAAAA'); // up to 0xfffffffb
    s.c('PA', 0x00000005, 501, 'CCCCCCCCCC'); // after the wrap, ahead of the B segment
    s.c('PA', 0xfffffffb, 501, 'BBBBBBBBBB'); // crosses zero
    s.c('FA', 0x0000000f, 501);
    const r = only(run(s.frames).recorders);
    expect(r.stream('client')).to.equal('AAAAAAAAAABBBBBBBBBBCCCCCCCCCC');
    expect(r.events.find((e) => e.type === 'fin')).to.deep.equal({ type: 'fin', dir: 'client', frame: 7 });
    expect(r.conversation.stats.client.gaps).to.equal(0);
  });

  it('ignores keep-alives (one byte at the last acknowledged sequence number)', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 101, 501, 'hello');
    s.c('A', 105, 501, 'x'); // keep-alive with one garbage byte
    s.c('A', 105, 501); // keep-alive without
    s.c('PA', 106, 501, 'more');
    const r = only(run(s.frames).recorders);
    expect(r.stream('client')).to.equal('hellomore');
    expect(r.conversation.stats.client.retransmissions).to.equal(0);
  });

  it('delivers a zero-window probe byte once, and the rest when the window reopens', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 101, 501, 'hello');
    s.c('PA', 106, 501, 'w'); // probe: the next byte
    s.c('PA', 106, 501, 'world'); // sent again with the rest
    const r = only(run(s.frames).recorders);
    expect(r.stream('client')).to.equal('helloworld');
    expect(r.conversation.stats.client.retransmissions).to.equal(1);
  });

  it('counts SYN and FIN as one sequence number each', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('FPA', 101, 501, 'bye'); // FIN at 104
    s.s('PA', 501, 105, 'ok'); // acknowledges data and FIN
    s.s('FA', 503, 105);
    const r = only(run(s.frames).recorders);
    expect(r.events).to.deep.equal([
      { type: 'data', dir: 'client', text: 'bye', frame: 4 },
      { type: 'fin', dir: 'client', frame: 4 },
      { type: 'data', dir: 'server', text: 'ok', frame: 5 },
      { type: 'fin', dir: 'server', frame: 6 },
      { type: 'close' },
    ]);
    expect(r.conversation.stats.server.gaps).to.equal(0);
  });

  it('delivers the FIN only after the bytes before it, even when they are retransmitted later', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('FPA', 106, 501, 'world'); // frame 4: FIN beyond a hole
    s.c('PA', 101, 501, 'hello'); // frame 5
    const r = only(run(s.frames).recorders);
    expect(r.events.slice(0, 3)).to.deep.equal([
      { type: 'data', dir: 'client', text: 'hello', frame: 5 },
      { type: 'data', dir: 'client', text: 'world', frame: 4 },
      { type: 'fin', dir: 'client', frame: 4 },
    ]);
  });
});

describe('TcpTracker: gaps', () => {
  it('declares a hole a gap when the other side acknowledges past it, and delivery resumes', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    // 'hello' at 101 was never captured.
    s.c('PA', 106, 501, 'world'); // frame 4
    s.s('A', 501, 111); // frame 5: the server got all ten bytes
    s.c('PA', 111, 501, '!'); // frame 6
    const r = only(run(s.frames).recorders);
    expect(r.events.slice(0, 3)).to.deep.equal([
      { type: 'gap', dir: 'client', bytes: 5, frame: 5 },
      { type: 'data', dir: 'client', text: 'world', frame: 4 },
      { type: 'data', dir: 'client', text: '!', frame: 6 },
    ]);
    expect(r.conversation.stats.client).to.deep.include({ gaps: 1, gapBytes: 5, bytes: 6 });
  });

  it('gives up only the acknowledged part of a hole; a retransmission may still fill the rest', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 111, 501, 'tail'); // frame 4: hole 101..111
    s.s('A', 501, 106); // frame 5: 101..106 arrived at the server, uncaptured
    s.c('PA', 106, 501, 'world'); // frame 6: retransmission of the rest
    const r = only(run(s.frames).recorders);
    expect(r.stream('client')).to.equal('[gap 5]worldtail');
  });

  it('reports a gap at the end of the capture for a hole nobody filled', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 106, 501, 'world');
    const r = only(run(s.frames).recorders);
    expect(r.stream('client')).to.equal('[gap 5]world');
    expect(r.events.at(-1)).to.deep.equal({ type: 'close' });
    expect(r.conversation.end).to.deep.equal({ kind: 'capture-ended' });
  });

  it('reports bytes acknowledged but never captured at the end of the capture', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 101, 501, 'hello');
    s.s('A', 501, 120); // 14 more bytes reached the server, not the capture
    const r = only(run(s.frames).recorders);
    expect(r.stream('client')).to.equal('hello[gap 14]');
  });

  it('declares the oldest hole a gap when out-of-order bytes exceed the buffer limit', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 106, 501, 'aaaaa'); // frame 4
    s.c('PA', 111, 501, 'bbbbb'); // frame 5
    s.c('PA', 116, 501, 'ccccc'); // frame 6: 15 bytes buffered > 10
    const r = only(run(s.frames, { maxBufferedPerDirection: 10 }).recorders);
    expect(r.events[0]).to.deep.equal({ type: 'gap', dir: 'client', bytes: 5, frame: 6 });
    expect(r.stream('client')).to.equal('[gap 5]aaaaabbbbbccccc');
  });

  it('delivers what the snap length kept and reports the cut tail as a gap', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    const whole = s.c('PA', 101, 501, '0123456789');
    s.c('PA', 111, 501, 'next');
    const cut: Frame = { ...whole, data: whole.data.subarray(0, whole.data.length - 4), capturedLength: whole.data.length - 4 };
    const frames = s.frames.map((f) => (f === whole ? cut : f));
    const { tracker, recorders } = run(frames);
    const r = only(recorders);
    expect(r.stream('client')).to.equal('012345[gap 4]next');
    expect(r.events[1]).to.deep.equal({ type: 'gap', dir: 'client', bytes: 4, frame: 4 });
    expect(tracker.notes().map((n) => n.code)).to.include('snaplen-cut');
  });
});

describe('TcpTracker: RST', () => {
  it('ends the resetting side at once, flushing its holes, and still takes the other side\'s bytes in flight', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 106, 501, 'world'); // frame 4, hole before it
    s.s('PA', 501, 101, 'alert'); // frame 5
    s.c('R', 111, 0); // frame 6
    s.s('PA', 506, 101, 'late'); // frame 7: was in flight when the RST passed
    s.c('R', 111, 0); // frame 8: the client's answer to it
    const { recorders } = run(s.frames);
    const r = only(recorders);
    expect(r.events).to.deep.equal([
      { type: 'data', dir: 'server', text: 'alert', frame: 5 },
      { type: 'gap', dir: 'client', bytes: 5, frame: 6 },
      { type: 'data', dir: 'client', text: 'world', frame: 4 },
      { type: 'rst', dir: 'client', frame: 6 },
      { type: 'data', dir: 'server', text: 'late', frame: 7 },
      { type: 'close' },
    ]);
    expect(r.conversation.end).to.deep.include({ kind: 'rst', by: 'client', frame: 6 });
    expect(r.conversation.lastFrame).to.equal(8);
  });

  it('closes at once when a SYN is refused', () => {
    const s = new Script(CLIENT, SERVER);
    s.c('S', 100, 0);
    s.s('RA', 0, 101);
    const { tracker, recorders } = run(s.frames.slice(0, 2));
    const r = only(recorders);
    expect(r.events).to.deep.equal([{ type: 'rst', dir: 'server', frame: 2 }, { type: 'close' }]);
    expect(tracker.tracked).to.equal(0); // finish() cleared the table
  });

  it('stops taking the other side\'s bytes a few seconds after the RST', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.s('PA', 501, 101, 'one');
    s.c('R', 101, 0);
    s.wait(10);
    s.s('PA', 504, 101, 'too late');
    const r = only(run(s.frames).recorders);
    expect(r.stream('server')).to.equal('one');
    expect(r.events.at(-1)).to.deep.equal({ type: 'close' });
    expect(r.conversation.stats.server.segments).to.equal(3); // still counted in the conversation
  });
});

describe('TcpTracker: who is the client', () => {
  it('takes the receiver of a SYN+ACK when the SYN was not captured', () => {
    const s = new Script(CLIENT, SERVER);
    s.s('SA', 500, 101);
    s.c('A', 101, 501);
    s.c('PA', 101, 501, 'hi');
    const r = only(run(s.frames).recorders);
    expect([r.conversation.clientBasis, r.conversation.client]).to.deep.equal(['syn-ack', CLIENT]);
    expect(r.stream('client')).to.equal('hi');
  });

  it('guesses the sender of the first packet when picked up mid-way, starting at the first sequence number seen', () => {
    const s = new Script(CLIENT, SERVER);
    s.s('PA', 9000, 5000, 'from server'); // the capture starts with a server segment
    s.c('PA', 5000, 9011, 'from client');
    const r = only(run(s.frames).recorders);
    expect([r.conversation.clientBasis, r.conversation.client]).to.deep.equal(['first-packet', SERVER]);
    expect(r.stream('client')).to.equal('from server');
    expect(r.stream('server')).to.equal('from client');
  });

  it('lets the session layer swap a guessed role; later callbacks and stats follow', () => {
    const s = new Script(CLIENT, SERVER);
    s.s('PA', 9000, 5000, 'ServerHello');
    s.c('PA', 5000, 9011, 'Finished');
    s.s('FA', 9011, 5008);
    let conversation: Conversation | null = null;
    const events: Event[] = [];
    const tracker = new TcpTracker((c) => {
      conversation = c;
      const r = new Recorder(c);
      return {
        onData(dir, data, frame) {
          r.onData(dir, data, frame);
          events.push(r.events.at(-1)!);
          if (c.clientBasis === 'first-packet') c.swapRoles();
        },
        onGap: (d, b, f) => r.onGap(d, b, f),
        onFin: (d, f) => {
          r.onFin(d, f);
          events.push(r.events.at(-1)!);
        },
        onRst: (d, f) => r.onRst(d, f),
        onClose: () => r.onClose(),
      };
    });
    for (const f of s.frames) tracker.push(f);
    tracker.finish();
    const c = conversation!;
    expect([c.clientBasis, c.client, c.server]).to.deep.equal(['payload', CLIENT, SERVER]);
    expect(events).to.deep.equal([
      { type: 'data', dir: 'client', text: 'ServerHello', frame: 1 }, // before the swap
      { type: 'data', dir: 'client', text: 'Finished', frame: 2 },
      { type: 'fin', dir: 'server', frame: 3 },
    ]);
    expect(c.stats.server.bytes).to.equal(11);
    expect(c.stats.client.bytes).to.equal(8);
    expect(c.end).to.deep.include({ kind: 'fin', by: 'server' });
    c.swapRoles(); // a decided conversation does not swap again
    expect(c.client).to.deep.equal(CLIENT);
  });
});

describe('TcpTracker: stream numbering (tcp.stream)', () => {
  // Each case was written as a pcap and read with tshark 4.0.17 (`-T fields -e tcp.stream`); the
  // expected indices are what it printed, frame by frame.
  type Step = readonly ['c' | 's', string, number, number];
  const cases: readonly { name: string; steps: readonly Step[]; streams: number[]; opened: number[] }[] = [
    {
      name: 'a new SYN (new ISN) after FIN both ways starts a new index',
      steps: [['c', 'S', 100, 0], ['s', 'SA', 500, 101], ['c', 'A', 101, 501], ['c', 'FA', 101, 501], ['s', 'FA', 501, 102], ['c', 'A', 102, 502], ['c', 'S', 7000, 0], ['s', 'SA', 900, 7001]],
      streams: [0, 0, 0, 0, 0, 0, 1, 1],
      opened: [0, 1],
    },
    {
      name: 'a new SYN (new ISN) after a RST starts a new index',
      steps: [['c', 'S', 100, 0], ['s', 'SA', 500, 101], ['c', 'A', 101, 501], ['c', 'R', 101, 501], ['c', 'S', 7000, 0], ['s', 'SA', 900, 7001]],
      streams: [0, 0, 0, 0, 1, 1],
      opened: [0, 1],
    },
    {
      name: 'a new SYN on an open conversation supersedes it; its late packets go to the new index',
      steps: [['c', 'S', 100, 0], ['s', 'SA', 500, 101], ['c', 'A', 101, 501], ['c', 'PA', 101, 501], ['c', 'S', 7000, 0], ['s', 'SA', 900, 7001], ['s', 'A', 501, 104]],
      streams: [0, 0, 0, 0, 1, 1, 1],
      opened: [0, 1],
    },
    {
      name: 'a retransmitted SYN keeps the index',
      steps: [['c', 'S', 100, 0], ['c', 'S', 100, 0], ['s', 'SA', 500, 101]],
      streams: [0, 0, 0],
      opened: [0],
    },
    {
      name: 'Wireshark 4.0 keeps the index for a SYN repeating the ISN after FIN both ways',
      steps: [['c', 'S', 100, 0], ['s', 'SA', 500, 101], ['c', 'A', 101, 501], ['c', 'FA', 101, 501], ['s', 'FA', 501, 102], ['c', 'A', 102, 502], ['c', 'S', 100, 0], ['s', 'SA', 900, 101]],
      streams: [0, 0, 0, 0, 0, 0, 0, 0],
      opened: [0, 0],
    },
    {
      name: 'Wireshark 4.0 keeps the index for a SYN repeating the ISN after a RST',
      steps: [['c', 'S', 100, 0], ['s', 'SA', 500, 101], ['c', 'A', 101, 501], ['c', 'R', 101, 501], ['c', 'S', 100, 0], ['s', 'SA', 900, 101]],
      streams: [0, 0, 0, 0, 0, 0],
      opened: [0, 0],
    },
    {
      name: 'a SYN after a conversation picked up mid-way starts a new index',
      steps: [['c', 'A', 5000, 700], ['s', 'A', 700, 5005], ['c', 'S', 100, 0], ['s', 'SA', 900, 101]],
      streams: [0, 0, 1, 1],
      opened: [0, 1],
    },
    {
      name: 'a SYN from the former server side starts a new index',
      steps: [['c', 'S', 100, 0], ['s', 'SA', 500, 101], ['c', 'A', 101, 501], ['c', 'R', 101, 501], ['s', 'S', 300, 0], ['c', 'SA', 50, 301]],
      streams: [0, 0, 0, 0, 1, 1],
      opened: [0, 1],
    },
    {
      name: 'a SYN after only a SYN+ACK keeps the index (its side had no base yet)',
      steps: [['s', 'SA', 500, 101], ['c', 'S', 100, 0]],
      streams: [0, 0],
      opened: [0],
    },
    {
      name: 'a SYN whose ISN differs from the base the SYN+ACK implied starts a new index',
      steps: [['s', 'SA', 500, 101], ['c', 'A', 101, 501], ['c', 'S', 777, 0]],
      streams: [0, 0, 1],
      opened: [0, 1],
    },
    {
      name: 'a SYN equal to (first sequence number - 1) keeps the index',
      steps: [['c', 'A', 5000, 700], ['c', 'S', 4999, 0]],
      streams: [0, 0],
      opened: [0],
    },
    {
      name: 'a SYN equal to (the other side\'s ACK - 1) keeps the index',
      steps: [['s', 'A', 700, 5000], ['c', 'S', 4999, 0]],
      streams: [0, 0],
      opened: [0],
    },
  ];

  for (const { name, steps, streams, opened } of cases) {
    it(name, () => {
      const s = new Script(CLIENT, SERVER);
      for (const [who, flags, seq, ack] of steps) {
        const payload = flags === 'PA' ? 'abc' : undefined;
        if (who === 'c') s.c(flags, seq, ack, payload);
        else s.s(flags, seq, ack, payload);
      }
      const { streams: actual, recorders, tracker } = run(s.frames);
      expect(actual).to.deep.equal(streams);
      expect(recorders.map((r) => r.conversation.stream)).to.deep.equal(opened);
      expect(tracker.conversations).to.equal(Math.max(...streams) + 1);
      for (const r of recorders) expect(r.events.filter((e) => e.type === 'close')).to.have.length(1);
    });
  }

  it('ends a conversation superseded by port reuse, flushing what it held', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 106, 501, 'world'); // frame 4, a hole before it
    s.c('S', 7000, 0); // frame 5
    const { recorders } = run(s.frames);
    const [old, fresh] = recorders;
    expect(old.conversation.end).to.deep.include({ kind: 'superseded', frame: 5 });
    expect(old.stream('client')).to.equal('[gap 5]world');
    expect(old.events.at(-1)).to.deep.equal({ type: 'close' });
    expect([fresh.conversation.stream, fresh.conversation.firstFrame, fresh.conversation.clientBasis]).to.deep.equal([1, 5, 'syn']);
  });

  it('numbers conversations in order of their first packet, whatever that packet is', () => {
    const a = new Script(CLIENT, SERVER);
    const b = new Script({ ip: '10.0.0.3', port: 1 }, SERVER);
    const c = new Script({ ip: '10.0.0.4', port: 2 }, SERVER);
    const frames = [a.c('A', 1, 1), b.s('R', 5, 0), c.c('S', 9, 0), a.s('PA', 1, 1, 'x')].map((f, i) => ({ ...f, number: i + 1 }));
    const { streams, recorders } = run(frames);
    expect(streams).to.deep.equal([0, 1, 2, 0]);
    expect(recorders.map((r) => [r.conversation.stream, r.conversation.firstFrame])).to.deep.equal([[0, 1], [1, 2], [2, 3]]);
  });

  it('closes idle conversations, and a later packet reopens the same index', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 101, 501, 'before');
    s.wait(100);
    const other = new Script({ ip: '10.0.0.9', port: 9 }, SERVER);
    other.wait(100.1);
    const wake = other.c('S', 1, 0);
    s.s('PA', 501, 107, 'after');
    const frames = [...s.frames.slice(0, 4), { ...wake, number: 5 }, { ...s.frames[4], number: 6 }];
    const { streams, recorders, tracker } = run(frames, { idleTimeoutSeconds: 30 });
    expect(streams).to.deep.equal([0, 0, 0, 0, 1, 0]);
    expect(tracker.conversations).to.equal(2);
    const [first, , again] = recorders;
    expect(first.conversation.end).to.deep.include({ kind: 'idle', frame: 4 });
    expect(first.events.at(-1)).to.deep.equal({ type: 'close' });
    expect(again.conversation.stream).to.equal(0);
    expect(again.conversation.client).to.deep.equal(CLIENT);
    expect(again.stream('server')).to.equal('after');
  });

  it('forgets a closed conversation\'s tombstone after the linger time', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('FA', 101, 501);
    s.s('FA', 501, 102);
    const { open } = recording();
    const tracker = new TcpTracker(open, { closedLingerSeconds: 5 });
    for (const f of s.frames) tracker.push(f);
    expect(tracker.tracked).to.equal(1);
    const later = new Script({ ip: '10.0.0.9', port: 9 }, SERVER);
    later.wait(10);
    tracker.push({ ...later.c('S', 1, 0), number: 6 });
    expect(tracker.tracked).to.equal(1);
    expect(tracker.lastStream).to.equal(1);
  });
});

describe('TcpTracker: TCP quoted in ICMP errors', () => {
  // As tshark 4.0.17 numbers them (hand-built captures): a quote of at least 16 TCP bytes is counted
  // in the conversation it names, opens one if there is none, and a quoted SYN obeys the SYN rule.
  const syn = (seq: number): Uint8Array => ipv4(CLIENT.ip, SERVER.ip, tcp({ sport: CLIENT.port, dport: SERVER.port, seq, flags: 'S' }));
  const icmp = (n: number, quoted: Uint8Array, quotedBytes = quoted.length): Frame =>
    frame(n, 1_700_000_000 + n, 101, ipv4('192.0.2.254', CLIENT.ip, icmpError(3, 4, quoted.subarray(0, quotedBytes)), { protocol: 1 }));

  it('opens a conversation for a quote of an unseen one, not for a quote too short', () => {
    expect(run([icmp(1, syn(100), 36)]).streams).to.deep.equal([0]);
    expect(run([icmp(1, syn(100), 34)]).streams).to.deep.equal([-1]);
  });

  it('counts the quote in the conversation it names, changing nothing in it', () => {
    const first = frame(1, 1_700_000_000, 101, syn(100));
    const { streams, recorders } = run([first, icmp(2, syn(100))]);
    expect(streams).to.deep.equal([0, 0]);
    expect(only(recorders).conversation.stats.client.segments).to.equal(1);
  });

  it('starts a new index for a quoted SYN with another sequence number', () => {
    const answer = frame(3, 1_700_000_003, 101, ipv4(SERVER.ip, CLIENT.ip, tcp({ sport: SERVER.port, dport: CLIENT.port, seq: 500, ack: 101, flags: 'SA' })));
    const { streams } = run([frame(1, 1_700_000_000, 101, syn(100)), icmp(2, syn(999)), answer]);
    expect(streams).to.deep.equal([0, 1, 1]);
  });
});

describe('TcpTracker: IP fragments', () => {
  const payload = 'a TCP segment split over three IP fragments!'; // 44 bytes + 20 header = 64

  function segmentBytes(): Uint8Array {
    return tcp({ sport: CLIENT.port, dport: SERVER.port, seq: 101, ack: 501, flags: 'PA', payload });
  }

  it('reassembles IPv4 fragments arriving out of order; the segment belongs to the last fragment\'s frame', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    const seg = segmentBytes();
    const part = (offset: number, end: number, more: boolean): Uint8Array =>
      ethernet(ipv4(CLIENT.ip, SERVER.ip, seg.subarray(offset, end), { id: 99, fragmentOffset: offset, moreFragments: more }), 0x0800);
    const frames = [
      ...s.frames,
      frame(4, 1_700_000_001, 1, part(24, 48, true)),
      frame(5, 1_700_000_001.1, 1, part(48, 64, false)),
      frame(6, 1_700_000_001.2, 1, part(0, 24, true)),
    ];
    const { streams, recorders } = run(frames);
    expect(streams.slice(3)).to.deep.equal([-1, -1, 0]);
    expect(only(recorders).events[0]).to.deep.equal({ type: 'data', dir: 'client', text: payload, frame: 6 });
  });

  it('reassembles IPv6 fragments', () => {
    const client = { ip: '2001:db8::1', port: 40000 };
    const server = { ip: '2001:db8::2', port: 443 };
    const s = new Script(client, server);
    handshake(s);
    const seg = segmentBytes();
    const part = (offset: number, end: number, more: boolean): Uint8Array =>
      ethernet(ipv6(client.ip, server.ip, seg.subarray(offset, end), 6, [fragmentHeader(offset, more, 0x1234)]), 0x86dd);
    const frames = [...s.frames, frame(4, 1_700_000_001, 1, part(0, 32, true)), frame(5, 1_700_000_001.1, 1, part(32, 64, false))];
    const { streams, recorders } = run(frames);
    expect(streams.slice(3)).to.deep.equal([-1, 0]);
    expect(only(recorders).events[0]).to.deep.equal({ type: 'data', dir: 'client', text: payload, frame: 5 });
  });

  it('keeps the lower-offset bytes of overlapping fragments and notes a conflict', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    const seg = segmentBytes();
    const forged = seg.slice();
    forged.fill(0x58, 40, 48); // 'X' over part of the payload
    const part = (data: Uint8Array, offset: number, end: number, more: boolean): Uint8Array =>
      ethernet(ipv4(CLIENT.ip, SERVER.ip, data.subarray(offset, end), { id: 7, fragmentOffset: offset, moreFragments: more }), 0x0800);
    const frames = [
      ...s.frames,
      frame(4, 1_700_000_001, 1, part(seg, 0, 48, true)),
      frame(5, 1_700_000_001.1, 1, part(forged, 40, 64, false)),
    ];
    const { recorders, tracker } = run(frames);
    expect(only(recorders).stream('client')).to.equal(payload);
    expect(tracker.notes().map((n) => n.code)).to.include('ip-fragment-overlap');
  });

  it('drops fragments that never complete, with a note', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    const seg = segmentBytes();
    const frames = [...s.frames, frame(4, 1_700_000_001, 1, ethernet(ipv4(CLIENT.ip, SERVER.ip, seg.subarray(0, 24), { id: 5, moreFragments: true }), 0x0800))];
    const { recorders, tracker } = run(frames);
    expect(only(recorders).stream('client')).to.equal('');
    expect(tracker.notes().map((n) => n.code)).to.include('ip-fragments-incomplete');
  });
});

describe('TcpTracker: link types', () => {
  it('follows one conversation across every supported link layer', () => {
    const seg = (seq: number, text: string): Uint8Array =>
      tcp({ sport: CLIENT.port, dport: SERVER.port, seq, ack: 501, flags: 'PA', payload: text });
    const ip = (seq: number, text: string): Uint8Array => ipv4(CLIENT.ip, SERVER.ip, seg(seq, text));
    const wraps: [number, (p: Uint8Array) => Uint8Array][] = [
      [1, (p) => ethernet(p, 0x0800)],
      [1, (p) => ethernet(p, 0x0800, [{ tpid: 0x8100, vlan: 10 }])],
      [1, (p) => ethernet(p, 0x0800, [{ tpid: 0x88a8, vlan: 20 }, { tpid: 0x8100, vlan: 10 }])],
      [113, (p) => sll(p, 0x0800)],
      [276, (p) => sll2(p, 0x0800)],
      [0, (p) => nullHeader(p, 2, true)],
      [108, (p) => loopHeader(p, 2)],
      [101, (p) => p],
      [228, (p) => p],
    ];
    let seq = 101;
    const frames = wraps.map(([linkType, wrap], i) => {
      const f = frame(i + 1, 1_700_000_000 + i, linkType, wrap(ip(seq, `L${linkType};`)));
      seq += `L${linkType};`.length;
      return f;
    });
    const { recorders, streams } = run(frames);
    expect(streams).to.deep.equal(new Array(wraps.length).fill(0));
    expect(only(recorders).stream('client')).to.equal('L1;L1;L1;L113;L276;L0;L108;L101;L228;');
  });

  it('numbers a segment cut inside its header once its first 16 bytes are captured, as tshark does', () => {
    const whole = ethernet(ipv4(CLIENT.ip, SERVER.ip, tcp({ sport: CLIENT.port, dport: SERVER.port, seq: 100, flags: 'S' })), 0x0800);
    const cut = (n: number, bytes: number): Frame => ({ ...frame(n, 1_700_000_000 + n, 1, whole.subarray(0, 34 + bytes)), originalLength: whole.length });
    const { streams, recorders, tracker } = run([cut(1, 18), cut(2, 14)]);
    expect(streams).to.deep.equal([0, -1]);
    expect(only(recorders).conversation.stats.client.segments).to.equal(1);
    expect(tracker.notes().find((n) => n.code === 'header-truncated')?.message).to.contain('2 frames');
  });

  it('notes an unknown link type once, counting its frames', () => {
    const frames = [1, 2, 3].map((n) => frame(n, 1_700_000_000 + n, 147, new Uint8Array(60)));
    const { tracker } = run(frames);
    const notes = tracker.notes().filter((n) => n.code === 'unknown-linktype');
    expect(notes).to.have.length(1);
    expect(notes[0].frame).to.equal(1);
    expect(notes[0].message).to.contain('3 frames');
  });
});

describe('TcpTracker: robustness', () => {
  it('counts a conversation whose payload nobody wants, without buffering bytes', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 106, 501, 'world');
    s.c('PA', 101, 501, 'hello');
    let conversation: Conversation | null = null;
    const tracker = new TcpTracker((c) => {
      conversation = c;
      return null;
    });
    for (const f of s.frames) tracker.push(f);
    tracker.finish();
    expect(conversation!.stats.client).to.deep.include({ bytes: 10, outOfOrder: 1, gaps: 0 });
  });

  it('never throws on garbage frames, alone or mixed into a real conversation', () => {
    const s = new Script(CLIENT, SERVER);
    handshake(s);
    s.c('PA', 101, 501, 'hello');
    s.s('PA', 501, 106, 'world');
    const valid = s.frames;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('random' as const), linkType: fc.constantFrom(0, 1, 101, 113, 276), data: fc.uint8Array({ maxLength: 120 }) }),
            fc.record({ kind: fc.constant('mutated' as const), index: fc.nat(), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), cut: fc.nat() }),
          ),
          { maxLength: 30 },
        ),
        (items) => {
          const { open } = recording();
          const tracker = new TcpTracker(open, { maxBufferedPerDirection: 64 });
          let n = 0;
          for (const item of items) {
            n++;
            if (item.kind === 'random') tracker.push(frame(n, 1_700_000_000 + n, item.linkType, item.data));
            else {
              const base = valid[item.index % valid.length];
              const data = base.data.slice(0, base.data.length - (item.cut % 8));
              data[item.at % data.length] = item.value;
              tracker.push({ ...base, number: n, data, capturedLength: data.length });
            }
          }
          tracker.finish();
          expect(tracker.conversations).to.be.at.most(n);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('builds IPv4 frames the decoder reads (a check on the test builders)', () => {
    const data = ethernet(ipv4('1.2.3.4', '5.6.7.8', tcp({ sport: 1, dport: 2, seq: 3, flags: 'S' })), 0x0800);
    expect(Array.from(data.subarray(26, 34))).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(bytes('ab', [1])).to.deep.equal(Uint8Array.from([0x61, 0x62, 1]));
  });
});
