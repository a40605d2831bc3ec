// SSL 2.0 records: the SSLv2 CLIENT-HELLO and SERVER-HELLO of ssl-v2.pcap, an SSLv2-compatible TLS hello.
import { expect } from 'chai';
import { decodeSslv2Message, parseSslv2Header } from '../../../decoders/tls/sslv2.js';
import { hex } from './build.js';
import { SSLV2_CLIENT_HELLO as CLIENT_HELLO, SSLV2_COMPAT_HELLO as COMPAT_HELLO, SSLV2_SERVER_HELLO as SERVER_HELLO } from './corpus-messages.js';

// CLIENT_HELLO: ssl-v2.pcap frame 4 (SSL 2.0, 7 cipher kinds); SERVER_HELLO: ssl-v2.pcap frame 6 (with the
// server certificate); COMPAT_HELLO: ssl.v3.pcap frame 4 (SSLv2-compatible hello offering TLS 1.0, 20 specs).

function body(record: Uint8Array): { b: Uint8Array; h: NonNullable<ReturnType<typeof parseSslv2Header>> } {
  const h = parseSslv2Header(record, 0, record.length);
  if (h === null) throw new Error('no header');
  return { b: record.subarray(h.headerLength, h.headerLength + h.length), h };
}

describe('SSLv2 records', () => {
  it('reads the 2-byte header (high bit set) and the 3-byte header (padding count)', () => {
    expect(parseSslv2Header(CLIENT_HELLO, 0, CLIENT_HELLO.length)).to.deep.equal({ headerLength: 2, length: 46, padding: 0 });
    expect(parseSslv2Header(hex('41 00 07'), 0, 3)).to.deep.equal({ headerLength: 3, length: 0x100, padding: 7 });
    expect(parseSslv2Header(hex('80'), 0, 1)).to.equal(null);
    expect(parseSslv2Header(hex('41 00'), 0, 2)).to.equal(null);
  });

  it('decodes the SSL 2.0 CLIENT-HELLO of ssl-v2.pcap', () => {
    const { b, h } = body(CLIENT_HELLO);
    const m = decodeSslv2Message(b, h, 'client', false);
    expect(m.name).to.equal('CLIENT-HELLO');
    expect(m.messageType).to.equal(1);
    expect(m.version).to.equal(0x0002);
    expect(m.cipherSpecs?.map((c) => c.name)).to.deep.equal([
      'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', 'SSL_CK_IDEA_128_CBC_WITH_MD5', 'SSL_CK_RC2_128_CBC_WITH_MD5', 'SSL_CK_RC4_128_WITH_MD5',
      'SSL_CK_DES_64_CBC_WITH_MD5', 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', 'SSL_CK_RC4_128_EXPORT40_WITH_MD5',
    ]);
    expect(m.sessionIdLength).to.equal(0);
    expect(m.challengeLength).to.equal(16);
    expect(m.problems.map((p) => [p.code, p.rule])).to.deep.equal([['sslv2-hello', 'RFC 6176 §3']]);
  });

  it('decodes the SSL 2.0 SERVER-HELLO of ssl-v2.pcap with its certificate', () => {
    const { b, h } = body(SERVER_HELLO);
    const m = decodeSslv2Message(b, h, 'server', false);
    expect(m.name).to.equal('SERVER-HELLO');
    expect(m.version).to.equal(0x0002);
    expect(m.sessionIdHit).to.equal(false);
    expect(m.certificateType).to.equal(1);
    expect(m.connectionIdLength).to.equal(16);
    expect(m.cipherSpecs).to.have.length(6);
    expect(m.certificate?.subject).to.equal('emailAddress=info@plesk.com,CN=plesk,OU=Plesk,O=Parallels,L=Herndon,ST=Virginia,C=US');
    expect(m.certificate?.keyBits).to.equal(2048);
    expect(m.certificate?.selfSigned).to.equal(true);
    expect(m.problems).to.deep.equal([]);
  });

  it('decodes an SSLv2-compatible TLS hello and flags the format (RFC 6176 §3)', () => {
    const { b, h } = body(COMPAT_HELLO);
    const m = decodeSslv2Message(b, h, 'client', false);
    expect(m.version).to.equal(0x0301);
    expect(m.cipherSpecs).to.have.length(20);
    expect(m.cipherSpecs?.[0].name).to.equal('TLS_DHE_RSA_WITH_AES_256_CBC_SHA');
    expect(m.cipherSpecs?.some((c) => c.name === 'SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA')).to.equal(true);
    expect(m.problems.map((p) => p.code)).to.deep.equal(['sslv2-compatible-hello']);
  });

  it('reports cipher_spec_length that is not a multiple of 3 and lengths that overrun the record', () => {
    const bad = hex('80 0c 01 0301 0004 0000 0010 000000 00');
    const { b, h } = body(bad);
    const m = decodeSslv2Message(b, h, 'client', false);
    const codes = m.problems.map((p) => p.code);
    expect(codes).to.include('vector-length');
    expect(codes).to.include('length-overrun');
  });

  it('reports a truncated record and a message in the wrong direction', () => {
    const { b, h } = body(CLIENT_HELLO.subarray(0, 20));
    const m = decodeSslv2Message(b, h, 'server', false);
    expect(m.problems.map((p) => p.code)).to.include.members(['buffer-too-small', 'unexpected-direction']);
  });

  it('decodes ERROR with its code, and only counts encrypted records', () => {
    const { b, h } = body(hex('8003 00 0001'));
    const e = decodeSslv2Message(b, h, 'server', false);
    expect([e.name, e.errorCode, e.errorName]).to.deep.equal(['ERROR', 1, 'NO-CIPHER-ERROR']);
    const enc = decodeSslv2Message(b, h, 'server', true);
    expect([enc.name, enc.messageType]).to.deep.equal(['encrypted', -1]);
  });
});
