import { expect } from 'chai';
import { PacketView, decodePacket } from '../../decoders/packet.js';
import { FRAGMENT_OVERHEAD, IpReassembler } from '../../src/flow/ip-reassembly.js';
import { NoteBook } from '../../src/flow/notes.js';
import { fragmentHeader, ipv4, ipv6 } from './support.js';

function fragment(view: PacketView, data: Uint8Array): PacketView {
  expect(decodePacket(101, data, view)).to.equal('fragment');
  return view;
}

function v4(id: number, offset: number, more: boolean, body: Uint8Array, src = '10.0.0.1'): Uint8Array {
  return ipv4(src, '10.0.0.2', body, { id, fragmentOffset: offset, moreFragments: more });
}

const body = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

describe('IpReassembler', () => {
  it('joins fragments in any order and returns the datagram with the completing fragment', () => {
    const notes = new NoteBook();
    const r = new IpReassembler(notes, 1 << 20, 30);
    const view = new PacketView();
    expect(r.accept(fragment(view, v4(1, 16, false, body(4, 3))), 1, 0)).to.equal(null);
    expect(r.accept(fragment(view, v4(1, 0, true, body(8, 1))), 2, 0)).to.equal(null);
    const done = r.accept(fragment(view, v4(1, 8, true, body(8, 2))), 3, 0);
    expect(done).to.not.equal(null);
    expect(Array.from(done!.payload)).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(done!.protocol).to.equal(6);
    expect(notes.list()).to.deep.equal([]);
  });

  it('keeps datagrams apart by source, identification and protocol', () => {
    const r = new IpReassembler(new NoteBook(), 1 << 20, 30);
    const view = new PacketView();
    expect(r.accept(fragment(view, v4(1, 0, true, body(8, 1))), 1, 0)).to.equal(null);
    expect(r.accept(fragment(view, v4(1, 8, false, body(8, 2), '10.0.0.9')), 2, 0)).to.equal(null);
    expect(r.accept(fragment(view, v4(2, 8, false, body(8, 2))), 3, 0)).to.equal(null);
    expect(r.accept(fragment(view, v4(1, 8, false, body(8, 2))), 4, 0)).to.not.equal(null);
  });

  it('reassembles IPv6 fragments keyed by the 32-bit identification', () => {
    const r = new IpReassembler(new NoteBook(), 1 << 20, 30);
    const view = new PacketView();
    const part = (offset: number, more: boolean, fill: number): Uint8Array =>
      ipv6('2001:db8::1', '2001:db8::2', body(8, fill), 6, [fragmentHeader(offset, more, 0x80000001)]);
    expect(r.accept(fragment(view, part(0, true, 7)), 1, 0)).to.equal(null);
    expect(Array.from(r.accept(fragment(view, part(8, false, 9)), 2, 0)!.payload)).to.deep.equal([7, 7, 7, 7, 7, 7, 7, 7, 9, 9, 9, 9, 9, 9, 9, 9]);
  });

  it('drops an incomplete datagram after the timeout, with a note', () => {
    const notes = new NoteBook();
    const r = new IpReassembler(notes, 1 << 20, 30);
    const view = new PacketView();
    r.accept(fragment(view, v4(1, 0, true, body(8, 1))), 1, 100);
    expect(r.accept(fragment(view, v4(1, 8, false, body(8, 2))), 2, 131)).to.equal(null);
    expect(notes.list().map((n) => [n.code, n.frame])).to.deep.equal([['ip-fragments-incomplete', 2]]);
  });

  it('drops the oldest datagrams when buffered fragments exceed the limit', () => {
    const notes = new NoteBook();
    // Each fragment counts its bytes and FRAGMENT_OVERHEAD.
    const r = new IpReassembler(notes, 20 + 2 * FRAGMENT_OVERHEAD, 30);
    const view = new PacketView();
    r.accept(fragment(view, v4(1, 0, true, body(16, 1))), 1, 0);
    r.accept(fragment(view, v4(2, 0, true, body(16, 1))), 2, 0); // 32 bytes > 20: datagram 1 goes
    expect(notes.list().map((n) => n.code)).to.deep.equal(['ip-fragments-dropped']);
    expect(r.accept(fragment(view, v4(2, 16, false, body(8, 2))), 3, 0)).to.not.equal(null);
    expect(r.accept(fragment(view, v4(1, 16, false, body(8, 2))), 4, 0)).to.equal(null);
  });

  it('refuses a datagram longer than 65535 bytes', () => {
    const notes = new NoteBook();
    const r = new IpReassembler(notes, 1 << 20, 30);
    const view = new PacketView();
    expect(r.accept(fragment(view, v4(1, 65528, false, body(16, 1))), 1, 0)).to.equal(null);
    expect(notes.list().map((n) => n.code)).to.deep.equal(['ip-fragment-too-long']);
  });
});
