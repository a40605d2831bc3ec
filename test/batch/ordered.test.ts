// Results in input order, whatever order they finish in, with a bounded number waiting; and the
// progress line that goes with them.
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { InOrder } from '../../src/batch/ordered.js';
import { ProgressBar } from '../../src/batch/progress.js';

describe('batch: results in input order', () => {
  it('emits each item when every item before it has been emitted', async () => {
    const out: string[] = [];
    const order = new InOrder<string>(async (s) => {
      out.push(s);
    }, 10);
    const tickets = ['a', 'b', 'c', 'd'].map((s) => ({ s, t: order.take() }));
    order.complete(tickets[2].t, 'c');
    order.complete(tickets[1].t, 'b');
    await new Promise((r) => setImmediate(r));
    expect(out).to.deep.equal([]);
    order.complete(tickets[0].t, 'a');
    order.complete(tickets[3].t, 'd');
    await order.drained();
    expect(out).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('makes a new ticket wait while the window is full of items waiting for the first', async () => {
    const order = new InOrder<number>(async () => {}, 2);
    const first = order.take();
    order.take();
    let admitted = false;
    const room = order.room().then(() => {
      admitted = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(admitted).to.equal(false);
    order.complete(first, 1);
    await room;
    expect(admitted).to.equal(true);
  });

  it('stops emitting at a failed write, and says so when drained', async () => {
    const order = new InOrder<number>(async (n) => {
      if (n === 2) throw new Error('EPIPE');
    }, 10);
    for (let i = 1; i <= 3; i++) order.complete(order.take(), i);
    const err = await order.drained().then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('EPIPE');
  });
});

describe('batch: the progress line', () => {
  it('shows captures, bytes, throughput and time left, and an open total while archives stream', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar(stream, { captures: 10, open: true, bytes: 200e6 });
    bar.addBytes(50e6);
    bar.captureDone();
    bar.captureFound();
    const line = bar.line(Date.now() + 1000);
    expect(line).to.match(/^\[####\.{12}\]  1\/11\+ captures  47\.7 MiB\/191 MiB  \d+\.\d MB\/s  ETA \d:\d\d$/);
    bar.close();
    expect(bar.line()).to.match(/1\/11 captures/);
  });
});
