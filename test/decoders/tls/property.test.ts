// Every exported decoder is total: random bytes and mutated real messages (bit flips, truncations,
// rewritten length fields) never make one throw or hang, and what it returns grows at most linearly
// with its input. The time bound is a hang detector (seconds, not a benchmark).
import { expect } from 'chai';
import fc from 'fast-check';
import { checkRecordHeader, parseRecordHeader, sniffTls } from '../../../decoders/tls/record.js';
import { decodeSslv2Message, parseSslv2Header } from '../../../decoders/tls/sslv2.js';
import { decodeHandshake, parseHandshakeHeader } from '../../../decoders/tls/handshake.js';
import { decodeAlert } from '../../../decoders/tls/alert.js';
import { checkCertificateRequest, checkRecordVersion, checkServerHelloAgainstClientHello } from '../../../decoders/tls/conformance.js';
import { summarizeCertificate } from '../../../decoders/tls/certificate.js';
import { decodeDistinguishedName } from '../../../decoders/tls/dn.js';
import type { ClientHelloBody, HandshakeContext } from '../../../decoders/tls/types.js';
import * as M from './corpus-messages.js';

/** Handshake types worth trying: every registered one, a few unassigned. */
const TYPES = [0, 1, 2, 3, 4, 5, 6, 8, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 67, 99, 254];
const VERSIONS = [0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x7f12, 0x7f17, 0xffff];
/** Suites that select each ServerKeyExchange layout, plus unknown. */
const SUITES = [undefined, 0xc02f, 0x0039, 0x0034, 0xc018, 0x0008, 0x008c, 0x00aa, 0xc035, 0xc01d, 0x002f, 0x1301, 0xc100, 0x1234];

const HANG_MS = 2000;

const REAL: readonly [string, Uint8Array, number][] = [
  ['ClientHello (Firefox)', M.CH_FIREFOX, 1],
  ['ClientHello (OpenJDK)', M.OPENJDK_CH, 1],
  ['ServerHello (TLS 1.2)', M.SH_TLS12, 2],
  ['ServerHello (TLS 1.3)', M.OPENJDK_SH, 2],
  ['HelloRetryRequest', M.HRR, 2],
  ['Certificate', M.CERT_GENERALIZEDTIME, 11],
  ['CertificateRequest (empty CA list)', M.CR_EMPTY_CA, 13],
  ['CertificateRequest (one CA)', M.CR_ONE_CA, 13],
];

function timed<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  expect(ms, `${what} took ${ms.toFixed(0)} ms`).to.be.below(HANG_MS);
  return out;
}

/** Output size grows at most linearly with input size. */
function bounded(what: string, out: unknown, inputLength: number): void {
  const size = JSON.stringify(out)?.length ?? 0;
  expect(size, `${what}: ${size} chars of output for ${inputLength} input bytes`).to.be.at.most(400 * inputLength + 4000);
  if (out !== null && typeof out === 'object' && 'problems' in out) {
    const n = (out as { problems: readonly unknown[] }).problems.length;
    expect(n, `${what}: ${n} problems for ${inputLength} bytes`).to.be.at.most(inputLength + 10);
  }
}

/** Runs every decoder over `bytes` in every context; any exception fails the property. */
function exerciseAll(bytes: Uint8Array, ctxPick: number): void {
  const n = bytes.length;
  bounded('sniffTls', timed('sniffTls', () => [sniffTls(bytes, 0, n, false), sniffTls(bytes, 0, n, true), sniffTls(bytes, 1, n - 1)]), n);
  const rh = parseRecordHeader(bytes, 0);
  if (rh !== null) bounded('checkRecordHeader', checkRecordHeader(rh), n);
  bounded('checkRecordVersion', checkRecordVersion(rh?.version ?? 0, VERSIONS[ctxPick % VERSIONS.length], { initialClientHello: (ctxPick & 1) === 0, from: 'client' }), n);
  const hh = parseHandshakeHeader(bytes, 0);
  if (hh !== null) expect(hh.length).to.be.at.most(0xffffff);
  bounded('decodeAlert', decodeAlert(bytes), n);

  const v2 = parseSslv2Header(bytes, 0, n);
  if (v2 !== null) {
    const body = bytes.subarray(v2.headerLength, v2.headerLength + v2.length);
    for (const from of ['client', 'server'] as const) {
      bounded('decodeSslv2Message', timed('decodeSslv2Message', () => decodeSslv2Message(body, v2, from, false)), n);
    }
  }
  bounded('decodeSslv2Message(random header)', decodeSslv2Message(bytes, { headerLength: 2, length: n + (ctxPick % 5), padding: ctxPick % 3 }, 'client', false), n);

  const version = VERSIONS[ctxPick % VERSIONS.length];
  const suite = SUITES[ctxPick % SUITES.length];
  for (const type of TYPES) {
    const ctx: HandshakeContext = { version, from: (ctxPick + type) & 1 ? 'server' : 'client', ...(suite !== undefined ? { cipherSuite: suite } : {}) };
    const d = timed(`decodeHandshake(${type})`, () => decodeHandshake(type, bytes, ctx));
    bounded(`decodeHandshake(${type})`, d, n);
    expect(d.length).to.equal(n);
    if (d.body.kind === 'CertificateRequest') {
      for (const v of VERSIONS) bounded('checkCertificateRequest', checkCertificateRequest(d.body, v), n);
    }
    if (d.body.kind === 'ServerHello') {
      const client = decodeHandshake(1, M.CH_FIREFOX, { version: 0x0303, from: 'client' }).body as ClientHelloBody;
      bounded('checkServerHelloAgainstClientHello', checkServerHelloAgainstClientHello(client, d.body), n + M.CH_FIREFOX.length);
    }
    if (d.body.kind === 'ClientHello') {
      const server = decodeHandshake(2, M.SH_TLS12, { version: 0x0303, from: 'server' }).body;
      if (server.kind === 'ServerHello') bounded('checkServerHelloAgainstClientHello', checkServerHelloAgainstClientHello(d.body, server), n + M.SH_TLS12.length);
    }
  }
  bounded('summarizeCertificate', timed('summarizeCertificate', () => summarizeCertificate(bytes)), n);
  bounded('decodeDistinguishedName', decodeDistinguishedName(bytes), n);
}

/** A mutation of a real message: flips, a truncation, rewritten 1-3 byte length fields. */
const mutation = fc.record({
  flips: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { maxLength: 6 }),
  rewrites: fc.array(fc.record({ at: fc.nat(), width: fc.integer({ min: 1, max: 3 }), value: fc.oneof(fc.constant(0), fc.constant(0xffffff), fc.nat(0xffffff)) }), { maxLength: 3 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  extend: fc.uint8Array({ maxLength: 8 }),
  ctx: fc.nat(),
});

function mutate(src: Uint8Array, m: { flips: { at: number; bit: number }[]; rewrites: { at: number; width: number; value: number }[]; cut?: number; extend: Uint8Array }): Uint8Array {
  const out = new Uint8Array(src.length + m.extend.length);
  out.set(src);
  out.set(m.extend, src.length);
  for (const f of m.flips) if (out.length > 0) out[f.at % out.length] ^= 1 << f.bit;
  for (const r of m.rewrites) {
    if (out.length === 0) break;
    const at = r.at % out.length;
    for (let i = 0; i < r.width && at + i < out.length; i++) out[at + i] = (r.value >> (8 * (r.width - 1 - i))) & 0xff;
  }
  return m.cut !== undefined && out.length > 0 ? out.subarray(0, m.cut % (out.length + 1)) : out;
}

describe('decoders are total (property tests)', function () {
  this.timeout(120000);

  it('random bytes through every decoder', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), (bytes, ctx) => { exerciseAll(bytes, ctx); }), { numRuns: 400 });
  });

  for (const [name, bytes, type] of REAL) {
    it(`mutations of the real ${name} through every decoder`, () => {
      fc.assert(fc.property(mutation, (m) => {
        const mutated = mutate(bytes, m);
        exerciseAll(mutated, m.ctx);
        // And through the decoder it belongs to, in its own version context.
        const d = decodeHandshake(type, mutated, { version: bytes === M.OPENJDK_SH ? 0x0304 : 0x0303, from: type === 1 ? 'client' : 'server' });
        expect(d.length).to.equal(mutated.length);
      }), { numRuns: 150 });
    });
  }

  it('mutations of the real SSLv2 records', () => {
    for (const rec of [M.SSLV2_CLIENT_HELLO, M.SSLV2_COMPAT_HELLO, M.SSLV2_SERVER_HELLO]) {
      fc.assert(fc.property(mutation, (m) => { exerciseAll(mutate(rec, m), m.ctx); }), { numRuns: 80 });
    }
  });

  it('a hostile length never makes a decoder allocate or loop by it', () => {
    // Claims of 16 MiB lists in a few bytes: each answer comes back at once and stays small.
    const claims = [
      Uint8Array.from([0xff, 0xff, 0xff, 0x00]), // Certificate list length 2^24-1
      Uint8Array.from([0x03, 0x03, ...new Array(32).fill(0), 0x00, 0xff, 0xff]), // ClientHello cipher_suites 65535
      Uint8Array.from([0x01, 0xff, 0xff, 0xff]),
    ];
    for (const c of claims) for (const type of TYPES) {
      const d = timed('hostile', () => decodeHandshake(type, c, { version: 0x0303, from: 'server' }));
      bounded('hostile', d, c.length);
    }
  });
});
