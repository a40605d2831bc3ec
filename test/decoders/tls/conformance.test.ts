// Per-version rules: the CertificateRequest lists, ServerHello against ClientHello, record versions.
import { expect } from 'chai';
import { checkCertificateRequest, checkRecordVersion, checkServerHelloAgainstClientHello } from '../../../decoders/tls/conformance.js';
import { decodeHandshake } from '../../../decoders/tls/handshake.js';
import type { CertificateRequestBody, ClientHelloBody, HandshakeContext, ServerHelloBody } from '../../../decoders/tls/types.js';
import { cat, clientHello, cnName, ext, hex, serverHello, u16, vec16, vec8, zeros } from './build.js';
import { CR_EMPTY_CA, OPENJDK_CH, OPENJDK_SH } from './corpus-messages.js';

// CR_EMPTY_CA: client-certificate.pcap frame 11, a TLS 1.2 CertificateRequest whose certificate_authorities
// is empty; OPENJDK_CH / OPENJDK_SH: openjdk-25.0.2-zeek.org.pcap frames 4 and 6, a TLS 1.3 hello pair.



function cr(body: Uint8Array, version: number): CertificateRequestBody {
  const d = decodeHandshake(13, body, { version, from: 'server' });
  if (d.body.kind !== 'CertificateRequest') throw new Error(d.body.kind);
  return d.body;
}
function ch(body: Uint8Array): ClientHelloBody {
  const d = decodeHandshake(1, body, { version: 0x0303, from: 'client' });
  if (d.body.kind !== 'ClientHello') throw new Error(d.body.kind);
  return d.body;
}
function sh(body: Uint8Array, ctx: HandshakeContext = { version: 0x0303, from: 'server' }): ServerHelloBody {
  const d = decodeHandshake(2, body, ctx);
  if (d.body.kind !== 'ServerHello') throw new Error(d.body.kind);
  return d.body;
}

/** A TLS ≤ 1.1 CertificateRequest (no signature algorithms) with the given CA list bytes. */
const legacyRequest = (types: number[], authorities: Uint8Array): Uint8Array => cat(vec8(types), vec16(authorities));

describe('conformance', () => {
  describe('checkCertificateRequest: certificate_authorities by version', () => {
    const empty = legacyRequest([1], new Uint8Array(0));

    it('an empty list is illegal under SSL 3.0 (RFC 6101 §5.6.4)', () => {
      const p = checkCertificateRequest(cr(empty, 0x0300), 0x0300);
      expect(p).to.have.length(1);
      expect(p[0]).to.deep.include({ severity: 'error', code: 'empty-vector-forbidden', field: 'CertificateRequest.certificate_authorities', rule: 'RFC 6101 §5.6.4' });
      expect(p[0].message).to.equal(
        'certificate_authorities is empty (length 0); SSL 3.0 requires at least 3 bytes (RFC 6101 §5.6.4: DistinguishedName certificate_authorities<3..2^16-1>)');
    });

    it('an empty list is illegal under TLS 1.0 (RFC 2246 §7.4.4)', () => {
      const p = checkCertificateRequest(cr(empty, 0x0301), 0x0301);
      expect(p.map((x) => [x.code, x.rule])).to.deep.equal([['empty-vector-forbidden', 'RFC 2246 §7.4.4']]);
      expect(p[0].message).to.equal(
        'certificate_authorities is empty (length 0); TLS 1.0 requires at least 3 bytes (RFC 2246 §7.4.4: DistinguishedName certificate_authorities<3..2^16-1>)');
    });

    it('an empty list is legal under TLS 1.1 (RFC 4346 §7.4.4)', () => {
      expect(checkCertificateRequest(cr(empty, 0x0302), 0x0302)).to.deep.equal([]);
    });

    it('an empty list is legal under TLS 1.2: the real request of client-certificate.pcap frame 11', () => {
      expect(checkCertificateRequest(cr(CR_EMPTY_CA, 0x0303), 0x0303)).to.deep.equal([]);
    });

    it('the same real request, had TLS 1.0 been negotiated, would break RFC 2246 §7.4.4', () => {
      const body = cr(CR_EMPTY_CA, 0x0303);
      expect(checkCertificateRequest(body, 0x0301).map((x) => x.rule)).to.deep.equal(['RFC 2246 §7.4.4']);
    });

    it('a non-empty list is legal in every version', () => {
      const one = legacyRequest([1], vec16(cnName('CA')));
      for (const v of [0x0300, 0x0301, 0x0302]) expect(checkCertificateRequest(cr(one, v), v), `0x${v.toString(16)}`).to.deep.equal([]);
    });

    it('empty certificate_types and empty TLS 1.2 supported_signature_algorithms are illegal', () => {
      const noTypes = checkCertificateRequest(cr(legacyRequest([], vec16(cnName('CA'))), 0x0301), 0x0301);
      expect(noTypes.map((x) => [x.code, x.field, x.rule])).to.deep.equal([
        ['empty-vector-forbidden', 'CertificateRequest.certificate_types', 'RFC 2246 §7.4.4'],
      ]);
      const noSigAlgs = checkCertificateRequest(cr(cat(vec8([1]), vec16(), vec16()), 0x0303), 0x0303);
      expect(noSigAlgs.map((x) => [x.code, x.field])).to.deep.equal([['empty-vector-forbidden', 'CertificateRequest.supported_signature_algorithms']]);
    });

    it('SSL 3.0-only certificate types are RESERVED from TLS 1.1 on', () => {
      expect(checkCertificateRequest(cr(legacyRequest([20], vec16(cnName('CA'))), 0x0300), 0x0300)).to.deep.equal([]);
      expect(checkCertificateRequest(cr(legacyRequest([20], vec16(cnName('CA'))), 0x0302), 0x0302).map((x) => x.code)).to.deep.equal(['reserved-value']);
    });

    it('TLS 1.3: signature_algorithms must be present (RFC 8446 §4.3.2); an empty authorities list is illegal (RFC 8446 §4.2.4)', () => {
      const v = { version: 0x0304 };
      const ok = cr(cat(vec8(), vec16(ext(13, vec16(u16(0x0804))))), v.version);
      expect(checkCertificateRequest(ok, 0x0304)).to.deep.equal([]);
      const missing = cr(cat(vec8(), vec16(ext(47, vec16(vec16(cnName('CA')))))), v.version);
      expect(checkCertificateRequest(missing, 0x0304).map((x) => [x.code, x.rule])).to.deep.equal([['missing-extension', 'RFC 8446 §4.3.2']]);
      const emptyCa = cr(cat(vec8(), vec16(ext(13, vec16(u16(0x0804))), ext(47, vec16()))), v.version);
      const p = checkCertificateRequest(emptyCa, 0x0304);
      expect(p.map((x) => [x.code, x.rule])).to.deep.equal([['empty-vector-forbidden', 'RFC 8446 §4.2.4']]);
      // The decoder left this verdict to the check: no duplicate.
      expect(decodeHandshake(13, cat(vec8(), vec16(ext(13, vec16(u16(0x0804))), ext(47, vec16()))), { version: 0x0304, from: 'server' }).problems).to.deep.equal([]);
    });
  });

  describe('checkServerHelloAgainstClientHello', () => {
    const client = ch(clientHello({ suites: [0xc02f, 0x009c], extensions: [ext(0, vec16([0], vec16([0x61]))), ext(23)] }));

    it('an ordinary answer passes', () => {
      expect(checkServerHelloAgainstClientHello(client, sh(serverHello({ suite: 0x009c, extensions: [ext(0), ext(23)] })))).to.deep.equal([]);
    });

    it('reports a cipher suite the client did not offer (RFC 5246 §7.4.1.3)', () => {
      const p = checkServerHelloAgainstClientHello(client, sh(serverHello({ suite: 0x0035 })));
      expect(p.map((x) => [x.code, x.rule])).to.deep.equal([['unoffered-cipher-suite', 'RFC 5246 §7.4.1.3']]);
      expect(p[0].message).to.contain('TLS_RSA_WITH_AES_256_CBC_SHA');
    });

    it('reports a compression method the client did not offer', () => {
      const p = checkServerHelloAgainstClientHello(client, sh(serverHello({ compression: 1 })));
      expect(p.map((x) => [x.code, x.rule])).to.deep.equal([['unoffered-compression', 'RFC 5246 §7.4.1.3']]);
    });

    it('reports an extension the client did not send (RFC 5246 §7.4.1.4)', () => {
      const p = checkServerHelloAgainstClientHello(client, sh(serverHello({ extensions: [ext(16, vec16(vec8([0x68, 0x32])))] })));
      expect(p.map((x) => [x.code, x.field, x.rule])).to.deep.equal([
        ['unoffered-extension', 'ServerHello.extensions.application_layer_protocol_negotiation', 'RFC 5246 §7.4.1.4'],
      ]);
    });

    it('accepts renegotiation_info answering the SCSV (RFC 5746 §3.6)', () => {
      const scsvClient = ch(clientHello({ suites: [0x002f, 0x00ff], extensions: null }));
      expect(checkServerHelloAgainstClientHello(scsvClient, sh(serverHello({ suite: 0x002f, extensions: [ext(0xff01, vec8())] })))).to.deep.equal([]);
    });

    it('reports extensions answering an SSL 3.0 hello that had none', () => {
      const ssl3 = ch(clientHello({ version: 0x0300, suites: [0x000a], extensions: null }));
      const p = checkServerHelloAgainstClientHello(ssl3, sh(serverHello({ version: 0x0300, suite: 0x000a, extensions: [ext(0xff01, vec8())] }), { version: 0x0300, from: 'server' }));
      expect(p.map((x) => [x.code, x.rule])).to.deep.equal([['unoffered-extension', 'RFC 5246 §7.4.1.4']]);
    });

    it('reports a server version above the client version', () => {
      const tls10 = ch(clientHello({ version: 0x0301, suites: [0x002f], extensions: null }));
      const p = checkServerHelloAgainstClientHello(tls10, sh(serverHello({ version: 0x0303, suite: 0x002f })));
      expect(p.map((x) => [x.code, x.rule])).to.deep.equal([['unoffered-version', 'RFC 5246 §7.4.1.3']]);
    });

    it('the TLS 1.3 pair of openjdk-25.0.2-zeek.org.pcap (frames 4 and 6) passes', () => {
      const c = ch(OPENJDK_CH);
      const s = sh(OPENJDK_SH);
      expect(s.negotiatedVersion).to.equal(0x0304);
      expect(checkServerHelloAgainstClientHello(c, s)).to.deep.equal([]);
    });

    it('TLS 1.3: unoffered version, echo mismatch, foreign key share group, TLS 1.2 suite', () => {
      const c = ch(clientHello({
        sessionId: zeros(32),
        suites: [0x1301, 0xc02f],
        extensions: [ext(43, vec8(u16(0x0304), u16(0x0303))), ext(10, vec16(u16(0x1d))), ext(51, vec16(u16(0x1d), vec16(zeros(32))))],
      }));
      const ok = sh(serverHello({ sessionId: zeros(32), suite: 0x1301, extensions: [ext(43, u16(0x0304)), ext(51, u16(0x1d), vec16(zeros(32)))] }));
      expect(checkServerHelloAgainstClientHello(c, ok)).to.deep.equal([]);
      const bad = sh(serverHello({ sessionId: zeros(16), suite: 0xc02f, extensions: [ext(43, u16(0x7f1c)), ext(51, u16(0x17), vec16(zeros(65)))] }));
      const codes = checkServerHelloAgainstClientHello(c, bad).map((x) => [x.code, x.rule]);
      expect(codes).to.deep.equal([
        ['unoffered-version', 'RFC 8446 §4.2.1'],
        ['cipher-suite-version-mismatch', 'RFC 8446 §B.4'],
        ['session-id-echo-mismatch', 'RFC 8446 §4.1.3'],
        ['unoffered-group', 'RFC 8446 §4.2.8'],
      ]);
    });

    it('a HelloRetryRequest may carry a cookie the client did not send (RFC 8446 §4.2)', () => {
      const c = ch(clientHello({ suites: [0x1301], extensions: [ext(43, vec8(u16(0x0304))), ext(10, vec16(u16(0x1d), u16(0x17))), ext(51, vec16(u16(0x1d), vec16(zeros(32))))] }));
      const hrrRandom = hex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');
      const hrr = sh(serverHello({ random: hrrRandom, suite: 0x1301, extensions: [ext(43, u16(0x0304)), ext(51, u16(0x17)), ext(44, vec16(zeros(8)))] }));
      expect(hrr.helloRetryRequest).to.equal(true);
      expect(checkServerHelloAgainstClientHello(c, hrr)).to.deep.equal([]);
      const again = sh(serverHello({ random: hrrRandom, suite: 0x1301, extensions: [ext(43, u16(0x0304)), ext(51, u16(0x1d))] }));
      expect(checkServerHelloAgainstClientHello(c, again).map((x) => x.code)).to.deep.equal(['bad-value']);
    });
  });

  describe('checkRecordVersion', () => {
    const c = { initialClientHello: false, from: 'client' as const };
    it('TLS ≤ 1.2: any {03,xx} on the initial ClientHello (RFC 5246 Appendix E.1)', () => {
      expect(checkRecordVersion(0x0300, 0x0303, { initialClientHello: true, from: 'client' })).to.deep.equal([]);
      expect(checkRecordVersion(0x0301, 0x0303, { initialClientHello: true, from: 'client' })).to.deep.equal([]);
    });
    it('TLS ≤ 1.2: every later record carries the negotiated version', () => {
      expect(checkRecordVersion(0x0303, 0x0303, c)).to.deep.equal([]);
      const p = checkRecordVersion(0x0301, 0x0303, c);
      expect(p.map((x) => [x.severity, x.code, x.rule])).to.deep.equal([['error', 'record-version-mismatch', 'RFC 5246 §6.2.1']]);
      const ssl3 = checkRecordVersion(0x0301, 0x0300, { initialClientHello: false, from: 'server' });
      expect(ssl3.map((x) => x.rule)).to.deep.equal(['RFC 6101 §5.2.1']);
    });
    it('TLS 1.3: 0x0303 everywhere, 0x0301 allowed on the initial ClientHello (RFC 8446 §5.1); mismatches are warnings', () => {
      expect(checkRecordVersion(0x0301, 0x0304, { initialClientHello: true, from: 'client' })).to.deep.equal([]);
      expect(checkRecordVersion(0x0303, 0x0304, c)).to.deep.equal([]);
      expect(checkRecordVersion(0x0301, 0x0304, c).map((x) => [x.severity, x.rule])).to.deep.equal([['warning', 'RFC 8446 §5.1']]);
    });
    it('TLS 1.3 drafts before 22 used 0x0301 records', () => {
      expect(checkRecordVersion(0x0301, 0x7f12, { initialClientHello: false, from: 'server' })).to.deep.equal([]);
    });
    it('a version that is not {3,x} is an error; nothing negotiated yet means nothing to compare', () => {
      expect(checkRecordVersion(0x0202, 0, c).map((x) => x.code)).to.deep.equal(['bad-record-version']);
      expect(checkRecordVersion(0x0301, 0, c)).to.deep.equal([]);
    });
  });
});

