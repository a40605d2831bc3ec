/**
 * Whole captures, mutated, through the whole pipeline: bit flips, cut files, rewritten length fields.
 * Whatever the bytes, analysis resolves (no exception escapes), in bounded time, and a capture that
 * cannot be read at all says so in one message with its byte offset.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeBytes } from '../support/conversation.js';
import { CORPUS, SAMPLES } from '../support/paths.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES = [
  'tls1.2.pcap', 'client-certificate.pcap', 'ssl-v2.pcap', 'tls13_wolfssl.pcap', 'smtp-starttls.pcap', 'tls-1.2-handshake-failure.pcap', 'hrr.pcap',
  // DTLS and QUIC over UDP: record and fragment lengths, unified headers, varints, CRYPTO offsets.
  'dtls1_0.pcap', 'dtls1_2.pcap', 'dtls13-cid.pcap', 'webrtc-stun.pcap', 'samples/quic-clean.pcap', 'samples/quic-no-shared-cipher.pcap',
];

describe('mutated captures through the whole pipeline', function () {
  this.timeout(120000);
  for (const file of FILES) {
    const original = readFileSync(file.startsWith('samples/') ? path.join(SAMPLES, file.slice(8)) : path.join(CORPUS, file));
    it(`${file}: 60 mutants (bit flips, cuts, length rewrites) all resolve`, async () => {
      for (let seed = 1; seed <= 60; seed++) {
        const next = rng(seed * 7919 + file.length);
        const m = Buffer.from(original);
        const kind = seed % 3;
        if (kind === 0) {
          // Flip bytes past the file header (inside packets: TLS lengths, TCP flags, IP lengths).
          for (let i = 0; i < 1 + Math.floor(next() * 20); i++) m[24 + Math.floor(next() * (m.length - 24))] ^= 1 << Math.floor(next() * 8);
        } else if (kind === 1) {
          // Rewrite a 16-bit big-endian field somewhere inside packet data with a hostile value.
          const at = 40 + Math.floor(next() * (m.length - 42));
          m.writeUInt16BE([0xffff, 0x4000, 0x0000, 0x3fff][Math.floor(next() * 4)], at);
        }
        const input = kind === 2 ? m.subarray(0, 24 + Math.floor(next() * (m.length - 24))) : m;
        const started = Date.now();
        const r = await analyzeBytes(Buffer.from(input), `${file}#${seed}`);
        expect(Date.now() - started, `seed ${seed} took too long`).to.be.lessThan(5000);
        if (r.error) expect(r.error.message.length, `seed ${seed}`).to.be.greaterThan(5);
        else {
          expect(r.info!.packets, `seed ${seed}`).to.be.at.most(original.length);
          // Every event points at a real frame of the capture.
          for (const c of r.connections) for (const e of c.transcript.events) expect(e.frame).to.be.within(1, r.info!.packets);
        }
      }
    });
  }

  it('garbage bytes: one error, with the byte offset', async () => {
    const r = await analyzeBytes(Buffer.from('<!DOCTYPE html><html>not a capture</html>'), 'garbage.bin');
    expect(r.error?.message).to.match(/not a capture|magic/);
    expect(r.error?.offset).to.equal(0);
  });
});
