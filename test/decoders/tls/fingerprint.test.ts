/**
 * JA4 (four forms), JA3 and JA3S against values nobody computed with tlsdiag's code:
 * - a published example with all four JA4 forms and the JA3 string (browserleaks.com's TLS page
 *   output for Chrome 143 on Android, as quoted in service0427/v2_cp_app tls.md);
 * - the ALPN hex rule's cases from FoxIO's JA4 specification (technical_details/JA4.md, "ALPN
 *   Extension Value");
 * - test/golden/fingerprints.json: every ClientHello and ServerHello tshark 4.0.17 decodes in the
 *   corpus and the samples, with JA4 computed from tshark's raw fields (cipher list, extension list,
 *   signature algorithms, ALPN, SNI, versions) and JA3/JA3S checked against tshark's own ja3 fields
 *   by scripts/record/fingerprint-golden.py.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clientHelloFingerprint, ja4Alpn, type ClientHelloFingerprint, type ServerHelloFingerprint } from '../../../decoders/tls/fingerprint.js';
import type { ClientHelloBody, Extension } from '../../../decoders/tls/types.js';
import { analyzeFile } from '../../../src/analyze.js';
import { CORPUS, ROOT, SAMPLES } from '../../support/paths.js';

const named = (code: number) => ({ code, name: `x${code}` });

describe('fingerprints (JA4, JA3, JA3S)', () => {
  describe('a published example', () => {
    // browserleaks: ja4_ro lists the hello in its own order; ja3_text gives the groups and formats.
    const ciphers = [0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
    const ext = (type: number, value?: Extension['value']): Extension => ({ type, name: `x${type}`, length: 0, ...(value ? { value } : {}) });
    const extensions: Extension[] = [
      ext(0x1a1a),
      ext(0x002d),
      ext(0x0033),
      ext(0x0010, { kind: 'alpn', protocols: ['h2', 'http/1.1'] }),
      ext(0xfe0d),
      ext(0x0017, { kind: 'flag' }),
      ext(0x44cd),
      ext(0x0000, { kind: 'server_name', names: ['tls.browserleaks.com'] }),
      ext(0x000b, { kind: 'ec_point_formats', formats: [0] }),
      ext(0x000a, { kind: 'supported_groups', groups: [0x4a4a, 4588, 29, 23, 24].map(named) }),
      ext(0x002b, { kind: 'supported_versions', versions: [0x6a6a, 0x0304, 0x0303] }),
      ext(0xff01),
      ext(0x0023),
      ext(0x0012),
      ext(0x0005),
      ext(0x000d, { kind: 'signature_algorithms', schemes: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601].map(named) }),
      ext(0x001b),
      ext(0x2a2a),
    ];
    const hello: ClientHelloBody = { kind: 'ClientHello', version: 0x0303, random: '', sessionId: '', cipherSuites: ciphers.map(named), compressionMethods: [0], extensions };
    const fp = clientHelloFingerprint(hello, 't');

    it('gives the four JA4 forms as published', () => {
      expect(fp.ja4).to.equal('t13d1516h2_8daaf6152771_d8a2da3f94cd');
      expect(fp.ja4_r).to.equal(
        't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0017,001b,0023,002b,002d,0033,44cd,fe0d,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
      );
      expect(fp.ja4_o).to.equal('t13d1516h2_acb858a92679_f96a17c57971');
      expect(fp.ja4_ro).to.equal(
        't13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_002d,0033,0010,fe0d,0017,44cd,0000,000b,000a,002b,ff01,0023,0012,0005,000d,001b_0403,0804,0401,0503,0805,0501,0806,0601',
      );
    });

    it('gives the JA3 string and hash as published', () => {
      expect(fp.ja3_full).to.equal('771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0');
      expect(fp.ja3).to.equal('98487aa16281980e7d1120d399efb6a4');
    });

    it('uses d for DTLS and q for QUIC, i without SNI, 00 without ALPN', () => {
      expect(clientHelloFingerprint(hello, 'q').ja4.slice(0, 10)).to.equal('q13d1516h2');
      const bare: ClientHelloBody = { ...hello, extensions: extensions.filter((e) => e.type !== 0 && e.type !== 0x10) };
      expect(clientHelloFingerprint(bare, 't').ja4.slice(0, 10)).to.equal('t13i151400');
      // The sorted hash leaves SNI and ALPN out already: it does not change.
      expect(clientHelloFingerprint(bare, 't').ja4.slice(11)).to.equal(fp.ja4.slice(11));
      const dtls: ClientHelloBody = { ...hello, version: 0xfefd, extensions: [ext(0x002b, { kind: 'supported_versions', versions: [0xfefd, 0xfefc] })] };
      expect(clientHelloFingerprint(dtls, 'd').ja4.slice(0, 4)).to.equal('dd3i');
      const none: ClientHelloBody = { ...hello, version: 0x0301, extensions: [] };
      expect(clientHelloFingerprint(none, 't').ja4).to.equal('t10i150000_8daaf6152771_000000000000');
    });
  });

  it('follows the specification\'s ALPN rule for values that do not start and end with a letter or digit', () => {
    // JA4.md: 0xAB 0xCD -> "ad"; 0x30 0xAB -> "3b"; 0x30 0x31 0xAB 0xCD -> "3d"; 0x30 0xAB 0x31 -> "01".
    expect(ja4Alpn('0xabcd')).to.equal('ad');
    expect(ja4Alpn('0x30ab')).to.equal('3b');
    expect(ja4Alpn('0x3031abcd')).to.equal('3d');
    expect(ja4Alpn('0x30ab31')).to.equal('01');
    expect(ja4Alpn('http/1.1')).to.equal('h1');
    expect(ja4Alpn('h2')).to.equal('h2');
    expect(ja4Alpn('-x')).to.equal('28');
    expect(ja4Alpn(undefined)).to.equal('00');
  });

  describe('every hello tshark decodes in the corpus and the samples (test/golden/fingerprints.json)', () => {
    interface Row extends Partial<ClientHelloFingerprint>, Partial<ServerHelloFingerprint>, Record<string, unknown> {
      frame: number;
      transport: 'tcp' | 'dtls' | 'quic';
      stream: number;
      message: 'ClientHello' | 'ServerHello';
    }
    const golden = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'fingerprints.json'), 'utf8')) as { captures: Record<string, Row[]> };
    let total = 0;
    for (const [name, rows] of Object.entries(golden.captures)) {
      const file = name.startsWith('samples/') ? path.join(SAMPLES, name.slice(8)) : path.join(CORPUS, name.slice(7));
      if (!existsSync(file)) continue;
      it(`${name}: ${rows.length} hello${rows.length === 1 ? '' : 's'}`, async () => {
        // Not the shared cache of test/support/analyze.ts: 89 captures held to the end of the run would
        // weigh on the heap of every later test.
        const r = await analyzeFile(file, {}, path.basename(file));
        const events = new Map<string, { fingerprint: unknown }>();
        for (const c of r.connections) {
          const transport = c.transcript.transport ?? 'tcp';
          for (const e of c.transcript.events) {
            if (e.type !== 'handshake' || (e.handshakeType !== 1 && e.handshakeType !== 2)) continue;
            // tshark calls a HelloRetryRequest a ServerHello (it is one on the wire).
            const message = e.handshakeType === 1 ? 'ClientHello' : 'ServerHello';
            events.set(`${transport}/${c.conversation.stream}/${e.frame}/${message}`, { fingerprint: e.fingerprint });
          }
        }
        let matched = 0;
        for (const row of rows) {
          const ev = events.get(`${row.transport}/${row.stream}/${row.frame}/${row.message}`);
          if (!ev) {
            // DTLS retransmissions of a message already reassembled are counted, not listed, by tlsdiag;
            // the same fingerprint must then be on an earlier event of the stream.
            expect(row.transport, `${name} frame ${row.frame} ${row.message}: no event`).to.equal('dtls');
            const same = [...events.entries()].some(([k, v]) => k.startsWith(`dtls/${row.stream}/`) && k.endsWith(row.message) && JSON.stringify(v.fingerprint) === JSON.stringify(pick(row)));
            expect(same, `${name} frame ${row.frame}: a retransmitted ${row.message} with a fingerprint seen before`).to.equal(true);
            continue;
          }
          expect(ev.fingerprint, `${name} frame ${row.frame} ${row.message}`).to.deep.equal(pick(row));
          matched++;
          total++;
        }
        expect(matched).to.be.greaterThan(0);
      });
    }
    it('covers TLS, DTLS and QUIC hellos, and the JA3 hash is the MD5 of the string', () => {
      const all = Object.values(golden.captures).flat();
      expect(all.length).to.be.greaterThan(200);
      for (const t of ['tcp', 'dtls', 'quic']) expect(all.some((r) => r.transport === t && r.message === 'ClientHello'), t).to.equal(true);
      for (const r of all) {
        if (r.ja3_full !== undefined) expect(createHash('md5').update(r.ja3_full).digest('hex')).to.equal(r.ja3);
      }
      expect(total).to.be.greaterThan(0);
    });
  });
});

function pick(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['ja4', 'ja4_r', 'ja4_o', 'ja4_ro', 'ja3_full', 'ja3', 'ja3s_full', 'ja3s']) if (row[k] !== undefined) out[k] = row[k];
  return out;
}
