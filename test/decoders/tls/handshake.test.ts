// Handshake messages: real bytes from the corpus, crafted valid and malformed cases per message.
import { expect } from 'chai';
import { decodeHandshake, HANDSHAKE_HEADER_LENGTH, parseHandshakeHeader } from '../../../decoders/tls/handshake.js';
import type { DecodedHandshake, HandshakeBody, HandshakeContext } from '../../../decoders/tls/types.js';
import { cat, clientHello, cnName, ext, hex, serverHello, u16, u24, vec16, vec24, vec8, zeros } from './build.js';
import { CERT_GENERALIZEDTIME, CH_FIREFOX, CR_EMPTY_CA, CR_ONE_CA, HRR, SH_TLS12 } from './corpus-messages.js';

// The real messages (corpus-messages.ts): Firefox's ClientHello and the TLS 1.2 ServerHello of
// client-certificate.pcap frames 4 and 6; its CertificateRequest with an empty CA list (frame 11);
// certificate-request-failed.pcap's request naming one CA (frame 6); hrr.pcap's HelloRetryRequest
// (frame 6); x509-generalizedtime.pcap's Certificate (frame 6).

// client-certificate.pcap, frame 11: ServerKeyExchange, ECDHE x25519 signed with rsa_pss_rsae_sha256 (first 40 bytes shown are the params).
const SKE_X25519_PREFIX = hex('03001d20331b6eaddc16ab3a3e4563673d5b7d5190b44173dacf28f7e0844bbb27d6e6500804');

const TLS12_CLIENT: HandshakeContext = { version: 0x0303, from: 'client' };
const TLS12_SERVER: HandshakeContext = { version: 0x0303, from: 'server' };
const TLS13_SERVER: HandshakeContext = { version: 0x0304, from: 'server' };

function as<K extends HandshakeBody['kind']>(d: DecodedHandshake, kind: K): Extract<HandshakeBody, { kind: K }> {
  expect(d.body.kind).to.equal(kind);
  return d.body as Extract<HandshakeBody, { kind: K }>;
}
const codes = (d: DecodedHandshake): string[] => d.problems.map((p) => p.code);

describe('handshake messages', () => {
  it('reads the 4-byte header', () => {
    expect(HANDSHAKE_HEADER_LENGTH).to.equal(4);
    expect(parseHandshakeHeader(hex('00 0d 00 00 30'), 1)).to.deep.equal({ type: 13, length: 48 });
    expect(parseHandshakeHeader(hex('0d 00 00'), 0)).to.equal(null);
  });

  describe('ClientHello', () => {
    it("decodes Firefox's ClientHello (client-certificate.pcap frame 4)", () => {
      const d = decodeHandshake(1, CH_FIREFOX, TLS12_CLIENT);
      const ch = as(d, 'ClientHello');
      expect(d.name).to.equal('ClientHello');
      expect(ch.version).to.equal(0x0303);
      expect(ch.sessionId).to.have.length(64);
      expect(ch.cipherSuites).to.have.length(17);
      expect(ch.cipherSuites[0].name).to.equal('TLS_AES_128_GCM_SHA256');
      expect(ch.compressionMethods).to.deep.equal([0]);
      const byName = new Map(ch.extensions.map((e) => [e.name, e.value]));
      expect(byName.get('server_name')).to.deep.equal({ kind: 'server_name', names: ['certauth.idrix.fr'] });
      expect(byName.get('supported_versions')).to.deep.equal({ kind: 'supported_versions', versions: [0x0304, 0x0303] });
      expect(byName.get('application_layer_protocol_negotiation')).to.deep.equal({ kind: 'alpn', protocols: ['h2', 'http/1.1'] });
      expect(byName.get('key_share')).to.deep.include({ kind: 'key_share' });
      expect(byName.get('record_size_limit')).to.deep.equal({ kind: 'record_size_limit', limit: 16385 });
      expect(byName.get('padding')).to.deep.equal({ kind: 'padding', length: 133 });
      expect(byName.get('extended_master_secret')).to.deep.equal({ kind: 'flag' });
      expect(d.problems).to.deep.equal([]);
    });

    it('accepts an SSL 3.0 ClientHello that ends after compression_methods (RFC 6101 §5.6.1.2)', () => {
      const d = decodeHandshake(1, clientHello({ version: 0x0300, suites: [0x000a, 0x0005], extensions: null }), TLS12_CLIENT);
      const ch = as(d, 'ClientHello');
      expect(ch.extensions).to.deep.equal([]);
      expect(ch.extensionsLength).to.equal(undefined);
      expect(d.problems).to.deep.equal([]);
    });

    it('accepts an empty extensions block', () => {
      const d = decodeHandshake(1, clientHello({ extensions: [] }), TLS12_CLIENT);
      expect(as(d, 'ClientHello').extensionsLength).to.equal(0);
      expect(d.problems).to.deep.equal([]);
    });

    it('reports an empty or odd cipher_suites vector with the version rule', () => {
      const empty = decodeHandshake(1, clientHello({ suites: [] }), TLS12_CLIENT);
      expect(empty.problems.map((p) => [p.code, p.rule])).to.deep.equal([['empty-vector-forbidden', 'RFC 5246 §7.4.1.2']]);
      const odd = cat(u16(0x0301), zeros(32), vec8(), vec16([0x00, 0x2f, 0x00]), vec8([0]));
      const d = decodeHandshake(1, odd, TLS12_CLIENT);
      expect(d.problems.map((p) => [p.code, p.rule])).to.deep.equal([['vector-length', 'RFC 2246 §7.4.1.2']]);
    });

    it('reports a session id longer than 32 bytes and a missing null compression', () => {
      const d = decodeHandshake(1, clientHello({ sessionId: zeros(33), compression: [1] }), TLS12_CLIENT);
      expect(codes(d)).to.deep.equal(['vector-length', 'bad-value']);
    });

    it('reports a cipher_suites length that overruns the message, without reading past it', () => {
      const body = cat(u16(0x0303), zeros(32), vec8(), u16(0xfffe), u16(0xc02f));
      const d = decodeHandshake(1, body, TLS12_CLIENT);
      expect(codes(d)).to.deep.equal(['length-overrun']);
      expect(d.problems[0].offset).to.equal(35);
      expect(as(d, 'ClientHello').cipherSuites).to.deep.equal([]);
    });

    it('reports a truncated hello (random cut short)', () => {
      const d = decodeHandshake(1, cat(u16(0x0303), zeros(10)), TLS12_CLIENT);
      expect(d.problems.map((p) => [p.code, p.field])).to.deep.equal([['buffer-too-small', 'ClientHello.random']]);
    });

    it('reports trailing data after the extensions block', () => {
      const d = decodeHandshake(1, cat(clientHello({ extensions: [] }), [1, 2, 3]), TLS12_CLIENT);
      expect(d.problems.map((p) => [p.code, p.severity])).to.deep.equal([['trailing-data', 'warning']]);
    });

    it('reports a TLS 1.3 ClientHello with legacy_version 0x0304 or more than null compression (RFC 8446 §4.1.2)', () => {
      const sv = ext(43, vec8(u16(0x0304), u16(0x0303)));
      const d = decodeHandshake(1, clientHello({ version: 0x0304, compression: [0, 1], extensions: [sv] }), TLS12_CLIENT);
      expect(d.problems.map((p) => [p.code, p.rule])).to.deep.equal([
        ['legacy-version', 'RFC 8446 §4.1.2'],
        ['bad-value', 'RFC 8446 §4.1.2'],
      ]);
    });

    it('flags a ClientHello sent by the server', () => {
      const d = decodeHandshake(1, clientHello({}), TLS12_SERVER);
      expect(codes(d)).to.deep.equal(['unexpected-direction']);
    });
  });

  describe('ServerHello', () => {
    it('decodes the TLS 1.2 ServerHello of client-certificate.pcap frame 6', () => {
      const d = decodeHandshake(2, SH_TLS12, TLS12_SERVER);
      const sh = as(d, 'ServerHello');
      expect(sh.cipherSuite.name).to.equal('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
      expect(sh.negotiatedVersion).to.equal(0x0303);
      expect(sh.helloRetryRequest).to.equal(false);
      expect(sh.extensions.map((e) => e.name)).to.deep.equal([
        'renegotiation_info', 'server_name', 'ec_point_formats', 'session_ticket', 'application_layer_protocol_negotiation', 'extended_master_secret',
      ]);
      expect(d.problems).to.deep.equal([]);
    });

    it('recognises the HelloRetryRequest of hrr.pcap frame 6 by its random (RFC 8446 §4.1.3)', () => {
      const d = decodeHandshake(2, HRR, TLS12_SERVER);
      const sh = as(d, 'ServerHello');
      expect(d.name).to.equal('HelloRetryRequest');
      expect(sh.helloRetryRequest).to.equal(true);
      expect(sh.negotiatedVersion).to.equal(0x0304);
      expect(sh.extensions.find((e) => e.name === 'key_share')?.value).to.deep.equal({ kind: 'key_share', groups: [{ code: 0x17, name: 'secp256r1' }] });
      expect(d.problems).to.deep.equal([]);
    });

    it('takes the negotiated version from supported_versions and checks the TLS 1.3 legacy fields', () => {
      const sv = ext(43, u16(0x0304));
      const ok = decodeHandshake(2, serverHello({ suite: 0x1301, extensions: [sv] }), TLS12_SERVER);
      expect(as(ok, 'ServerHello').negotiatedVersion).to.equal(0x0304);
      expect(ok.problems).to.deep.equal([]);
      const bad = decodeHandshake(2, serverHello({ version: 0x0304, suite: 0x1301, compression: 1, extensions: [sv] }), TLS12_SERVER);
      expect(bad.problems.map((p) => [p.code, p.rule])).to.deep.equal([
        ['legacy-version', 'RFC 8446 §4.1.3'],
        ['bad-value', 'RFC 8446 §4.1.3'],
      ]);
    });

    it('reports supported_versions selecting a pre-TLS 1.3 version (RFC 8446 §4.2.1)', () => {
      const d = decodeHandshake(2, serverHello({ extensions: [ext(43, u16(0x0303))] }), TLS12_SERVER);
      expect(d.problems.map((p) => p.rule)).to.deep.equal(['RFC 8446 §4.2.1']);
    });

    it('reads the ServerHello of TLS 1.3 drafts before 22 (no session id, no compression)', () => {
      const body = cat(u16(0x7f12), zeros(32), u16(0x1301), vec16(ext(40, u16(0x001d), vec16(zeros(32)))));
      const d = decodeHandshake(2, body, TLS12_SERVER);
      const sh = as(d, 'ServerHello');
      expect(sh.negotiatedVersion).to.equal(0x7f12);
      expect(sh.extensions[0].value).to.deep.equal({ kind: 'key_share', groups: [{ code: 0x1d, name: 'x25519' }] });
      expect(d.problems).to.deep.equal([]);
    });
  });

  describe('Certificate', () => {
    it('decodes a TLS 1.2 chain (x509-generalizedtime.pcap frame 6)', () => {
      const d = decodeHandshake(11, CERT_GENERALIZEDTIME, TLS12_SERVER);
      const c = as(d, 'Certificate');
      expect(c.listLength).to.equal(0x1f7);
      expect(c.certificates).to.have.length(1);
      expect(c.certificates[0].subject).to.equal('CN=bro-generalizedtime-test,O=Bro,C=NL');
      expect(c.certificates[0].validTo).to.equal('2025-09-01T13:33:37.000Z');
      expect(c.context).to.equal(undefined);
      expect(d.problems).to.deep.equal([]);
    });

    it('accepts an empty client Certificate in TLS 1.0-1.2 but not in SSL 3.0 (RFC 6101 §5.6.2)', () => {
      const empty = u24(0);
      expect(decodeHandshake(11, empty, { version: 0x0301, from: 'client' }).problems).to.deep.equal([]);
      const ssl3 = decodeHandshake(11, empty, { version: 0x0300, from: 'client' });
      expect(ssl3.problems.map((p) => [p.code, p.rule])).to.deep.equal([['empty-vector-forbidden', 'RFC 6101 §5.6.2']]);
      expect(ssl3.problems[0].message).to.equal(
        'certificate_list is empty (length 0); SSL 3.0 requires at least 1 byte (RFC 6101 §5.6.2: ASN.1Cert certificate_list<1..2^24-1>)');
    });

    it('reads the TLS 1.3 form: context and per-entry extensions', () => {
      const der = hex('3003020101'); // not a certificate: summarised with an error, not thrown
      const body = cat(vec8(), vec24(vec24(der), vec16(ext(5, [1], u24(3), [9, 9, 9]))));
      const d = decodeHandshake(11, body, TLS13_SERVER);
      const c = as(d, 'Certificate');
      expect(c.context).to.equal('');
      expect(c.certificates[0].error).to.be.a('string');
      expect(c.entryExtensions?.[0][0].value).to.deep.equal({ kind: 'status_request', statusType: 1 });
      expect(d.problems).to.deep.equal([]);
    });

    it('reports a certificate length that overruns the list, even when the message has the bytes', () => {
      expect(codes(decodeHandshake(11, cat(u24(10), u24(500), zeros(7)), TLS12_SERVER))).to.deep.equal(['length-overrun']);
      const inner = decodeHandshake(11, cat(u24(5), u24(8), zeros(20)), TLS12_SERVER);
      expect(inner.problems.map((p) => [p.code, p.field, p.offset])).to.deep.equal([
        ['length-overrun', 'Certificate.certificate_list.cert', 3],
        ['trailing-data', 'Certificate', 8],
      ]);
    });
  });

  describe('ServerKeyExchange', () => {
    it('reads ECDHE parameters and the TLS 1.2 signature scheme (client-certificate.pcap frame 11)', () => {
      const sig = vec16(zeros(256));
      const body = cat(SKE_X25519_PREFIX, sig);
      const d = decodeHandshake(12, body, { version: 0x0303, cipherSuite: 0xc030, from: 'server' });
      const s = as(d, 'ServerKeyExchange');
      expect(s.group?.name).to.equal('x25519');
      expect(s.signatureScheme?.name).to.equal('rsa_pss_rsae_sha256');
      expect(s.signatureLength).to.equal(256);
      expect(s.keyExchange).to.equal('ecdhe');
      expect(d.problems).to.deep.equal([]);
    });

    it('reads the DHE prime size; TLS 1.0 signatures carry no scheme', () => {
      const p = cat([0x80], zeros(127)); // a 1024-bit prime's length
      const body = cat(vec16(p), vec16([2]), vec16(zeros(128)), vec16(zeros(128)));
      const d = decodeHandshake(12, body, { version: 0x0301, cipherSuite: 0x0039, from: 'server' });
      const s = as(d, 'ServerKeyExchange');
      expect(s.dhPrimeBits).to.equal(1024);
      expect(s.signatureScheme).to.equal(undefined);
      expect(s.signatureLength).to.equal(128);
      expect(d.problems).to.deep.equal([]);
    });

    it('reports a ServerKeyExchange under RSA key exchange (RFC 5246 §7.4.3)', () => {
      const body = cat([3], u16(0x17), vec8([4], zeros(64)), u16(0x0401), vec16(zeros(8)));
      const d = decodeHandshake(12, body, { version: 0x0303, cipherSuite: 0x002f, from: 'server' });
      expect(d.problems.map((p) => [p.code, p.rule])).to.deep.equal([['unexpected-message', 'RFC 5246 §7.4.3']]);
      expect(as(d, 'ServerKeyExchange').group?.name).to.equal('secp256r1');
    });

    it('guesses the layout when the suite is unknown, and reports an empty EC point', () => {
      const d = decodeHandshake(12, cat([3], u16(0x1d), vec8()), { version: 0x0303, from: 'server' });
      expect(as(d, 'ServerKeyExchange').group?.name).to.equal('x25519');
      expect(codes(d)).to.include('empty-vector-forbidden');
    });
  });

  describe('CertificateRequest', () => {
    it('decodes the empty-CA request of client-certificate.pcap frame 11 (structure only; the verdict is conformance)', () => {
      const d = decodeHandshake(13, CR_EMPTY_CA, TLS12_SERVER);
      const cr = as(d, 'CertificateRequest');
      expect(cr.certificateTypes.map((t) => t.name)).to.deep.equal(['rsa_sign', 'dss_sign', 'ecdsa_sign']);
      expect(cr.signatureAlgorithms).to.have.length(20);
      expect(cr.signatureAlgorithms?.[0].name).to.equal('ecdsa_secp256r1_sha256');
      expect(cr.authoritiesLength).to.equal(0);
      expect(cr.authorities).to.deep.equal([]);
      expect(d.problems).to.deep.equal([]);
    });

    it('decodes each distinguished name (certificate-request-failed.pcap frame 6)', () => {
      const d = decodeHandshake(13, CR_ONE_CA, TLS12_SERVER);
      const cr = as(d, 'CertificateRequest');
      expect(cr.authoritiesLength).to.equal(76);
      expect(cr.authorities).to.deep.equal([{ text: 'O=SomeOrg,L=Somewhere,ST=Some-State,C=US', length: 74 }]);
      expect(d.problems).to.deep.equal([]);
    });

    it('reads the TLS 1.0 layout (no signature algorithms)', () => {
      const body = cat(vec8([1]), vec16(vec16(cnName('Example CA'))));
      const d = decodeHandshake(13, body, { version: 0x0301, from: 'server' });
      const cr = as(d, 'CertificateRequest');
      expect(cr.signatureAlgorithms).to.equal(undefined);
      expect(cr.authorities[0].text).to.equal('CN=Example CA');
      expect(d.problems).to.deep.equal([]);
    });

    it('reports a zero-length DistinguishedName and a list length that overruns', () => {
      const zero = decodeHandshake(13, cat(vec8([1]), vec16(u16(0))), { version: 0x0301, from: 'server' });
      expect(zero.problems.map((p) => [p.code, p.rule])).to.deep.equal([['empty-vector-forbidden', 'RFC 2246 §7.4.4']]);
      const over = decodeHandshake(13, cat(vec8([1]), u16(100), vec16(cnName('x'))), { version: 0x0301, from: 'server' });
      expect(codes(over)).to.deep.equal(['length-overrun']);
    });

    it('reads the TLS 1.3 form: context and extensions', () => {
      const sa = ext(13, vec16(u16(0x0804)));
      const ca = ext(47, vec16(vec16(cnName('Root'))));
      const d = decodeHandshake(13, cat(vec8(), vec16(sa, ca)), TLS13_SERVER);
      const cr = as(d, 'CertificateRequest');
      expect(cr.context).to.equal('');
      expect(cr.signatureAlgorithms?.map((s) => s.name)).to.deep.equal(['rsa_pss_rsae_sha256']);
      expect(cr.authorities.map((a) => a.text)).to.deep.equal(['CN=Root']);
      expect(cr.authoritiesLength).to.equal(cnName('Root').length + 2);
      expect(d.problems).to.deep.equal([]);
    });
  });

  describe('other messages', () => {
    it('HelloRequest, ServerHelloDone and EndOfEarlyData are empty; bytes in them are reported', () => {
      expect(as(decodeHandshake(14, new Uint8Array(0), TLS12_SERVER), 'ServerHelloDone')).to.deep.equal({ kind: 'ServerHelloDone' });
      expect(codes(decodeHandshake(14, hex('00'), TLS12_SERVER))).to.deep.equal(['trailing-data']);
      expect(codes(decodeHandshake(0, hex('0102'), TLS12_SERVER))).to.deep.equal(['trailing-data']);
      expect(as(decodeHandshake(5, new Uint8Array(0), { version: 0x0304, from: 'client' }), 'EndOfEarlyData')).to.deep.equal({ kind: 'EndOfEarlyData' });
    });

    it('NewSessionTicket in its TLS 1.2 (RFC 5077) and TLS 1.3 forms', () => {
      const t12 = decodeHandshake(4, cat(u16(0), u16(300), vec16(zeros(160))), TLS12_SERVER);
      expect(t12.body).to.deep.equal({ kind: 'NewSessionTicket', lifetime: 300, ticketLength: 160, tls13: false });
      const t13 = decodeHandshake(4, cat(u16(0), u16(7200), zeros(4), vec8([0]), vec16(zeros(50)), vec16(ext(42, zeros(4)))), TLS13_SERVER);
      expect(t13.body).to.deep.equal({ kind: 'NewSessionTicket', lifetime: 7200, ticketLength: 50, tls13: true });
      expect(t13.problems).to.deep.equal([]);
      const long = decodeHandshake(4, cat(u16(0x000a), u16(0), zeros(4), vec8(), vec16([1]), vec16()), TLS13_SERVER);
      expect(long.problems.map((p) => p.rule)).to.deep.equal(['RFC 8446 §4.6.1']);
    });

    it('EncryptedExtensions', () => {
      const d = decodeHandshake(8, vec16(ext(16, vec16(vec8([0x68, 0x32]))), ext(0)), TLS13_SERVER);
      expect(as(d, 'EncryptedExtensions').extensions.map((e) => e.value)).to.deep.equal([
        { kind: 'alpn', protocols: ['h2'] },
        { kind: 'server_name', names: [] },
      ]);
      expect(d.problems).to.deep.equal([]);
    });

    it('CertificateVerify with and without a signature scheme', () => {
      expect(decodeHandshake(15, cat(u16(0x0804), vec16(zeros(256))), TLS12_CLIENT).body)
        .to.deep.equal({ kind: 'CertificateVerify', signatureScheme: { code: 0x0804, name: 'rsa_pss_rsae_sha256' }, signatureLength: 256 });
      expect(decodeHandshake(15, vec16(zeros(128)), { version: 0x0301, from: 'client' }).body)
        .to.deep.equal({ kind: 'CertificateVerify', signatureLength: 128 });
    });

    it('ClientKeyExchange (length only) and Finished (length checked per version)', () => {
      expect(decodeHandshake(16, zeros(130), TLS12_CLIENT).body).to.deep.equal({ kind: 'ClientKeyExchange', length: 130 });
      expect(decodeHandshake(20, zeros(12), { version: 0x0301, from: 'client' }).problems).to.deep.equal([]);
      expect(decodeHandshake(20, zeros(36), { version: 0x0300, from: 'client' }).problems).to.deep.equal([]);
      expect(codes(decodeHandshake(20, zeros(12), { version: 0x0300, from: 'client' }))).to.deep.equal(['bad-length']);
    });

    it('CertificateStatus (RFC 6066 §8) and KeyUpdate (RFC 8446 §4.6.3)', () => {
      expect(decodeHandshake(22, cat([1], vec24(zeros(471))), TLS12_SERVER).body)
        .to.deep.equal({ kind: 'CertificateStatus', statusType: 1, responseLength: 471 });
      expect(decodeHandshake(24, hex('01'), TLS13_SERVER).body).to.deep.equal({ kind: 'KeyUpdate', requestUpdate: 1 });
      expect(decodeHandshake(24, hex('02'), TLS13_SERVER).problems.map((p) => p.rule)).to.deep.equal(['RFC 8446 §4.6.3']);
    });

    it('unknown types are kept with their length', () => {
      const d = decodeHandshake(99, zeros(7), TLS12_SERVER);
      expect([d.name, d.body]).to.deep.equal(['unknown(99)', { kind: 'Unknown', length: 7 }]);
    });
  });
});
