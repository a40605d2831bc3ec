// Hello extensions: each decoded kind, the framing of the block, truncations and RFC bounds.
import { expect } from 'chai';
import { decodeHandshake } from '../../../decoders/tls/handshake.js';
import type { DecodedHandshake, Extension, HandshakeContext } from '../../../decoders/tls/types.js';
import { cat, clientHello, cnName, ext, serverHello, u16, u32, vec16, vec8, zeros } from './build.js';

const C: HandshakeContext = { version: 0x0303, from: 'client' };
const S: HandshakeContext = { version: 0x0303, from: 'server' };

function chWith(...exts: Uint8Array[]): DecodedHandshake {
  return decodeHandshake(1, clientHello({ extensions: exts }), C);
}
function shWith(...exts: Uint8Array[]): DecodedHandshake {
  return decodeHandshake(2, serverHello({ extensions: exts }), S);
}
function extsOf(d: DecodedHandshake): readonly Extension[] {
  if (d.body.kind !== 'ClientHello' && d.body.kind !== 'ServerHello') throw new Error(d.body.kind);
  return d.body.extensions;
}
const one = (d: DecodedHandshake): Extension => extsOf(d)[0];

describe('hello extensions', () => {
  it('server_name: the client list and the server acknowledgement', () => {
    const host = new TextEncoder().encode('zeek.org');
    expect(one(chWith(ext(0, vec16([0], vec16(host))))).value).to.deep.equal({ kind: 'server_name', names: ['zeek.org'] });
    expect(one(shWith(ext(0))).value).to.deep.equal({ kind: 'server_name', names: [] });
  });

  it('server_name: an empty HostName breaks RFC 6066 §3', () => {
    const d = chWith(ext(0, vec16([0], vec16())));
    expect(d.problems.map((p) => [p.code, p.rule])).to.deep.equal([['empty-vector-forbidden', 'RFC 6066 §3']]);
  });

  it('supported_versions: the client list and the server selection', () => {
    expect(one(chWith(ext(43, vec8(u16(0x0a0a), u16(0x0304), u16(0x0303))))).value)
      .to.deep.equal({ kind: 'supported_versions', versions: [0x0a0a, 0x0304, 0x0303] });
    expect(one(shWith(ext(43, u16(0x0304)))).value).to.deep.equal({ kind: 'supported_versions', versions: [0x0304] });
  });

  it('supported_groups, signature_algorithms(_cert), ec_point_formats, psk_key_exchange_modes', () => {
    const d = chWith(
      ext(10, vec16(u16(0x11ec), u16(0x001d))),
      ext(13, vec16(u16(0x0403), u16(0x0804))),
      ext(50, vec16(u16(0x0807))),
      ext(11, vec8([0])),
      ext(45, vec8([1])),
    );
    expect(extsOf(d).map((e) => e.value)).to.deep.equal([
      { kind: 'supported_groups', groups: [{ code: 0x11ec, name: 'X25519MLKEM768' }, { code: 0x1d, name: 'x25519' }] },
      { kind: 'signature_algorithms', schemes: [{ code: 0x0403, name: 'ecdsa_secp256r1_sha256' }, { code: 0x0804, name: 'rsa_pss_rsae_sha256' }] },
      { kind: 'signature_algorithms', schemes: [{ code: 0x0807, name: 'ed25519' }] },
      { kind: 'ec_point_formats', formats: [0] },
      { kind: 'psk_key_exchange_modes', modes: [1] },
    ]);
    expect(d.problems).to.deep.equal([]);
  });

  it('key_share: client shares, server share, HelloRetryRequest group', () => {
    expect(one(chWith(ext(51, vec16(u16(0x1d), vec16(zeros(32)), u16(0x17), vec16(zeros(65)))))).value)
      .to.deep.equal({ kind: 'key_share', groups: [{ code: 0x1d, name: 'x25519' }, { code: 0x17, name: 'secp256r1' }] });
    expect(one(shWith(ext(51, u16(0x1d), vec16(zeros(32))))).value).to.deep.equal({ kind: 'key_share', groups: [{ code: 0x1d, name: 'x25519' }] });
  });

  it('key_share: an empty key_exchange breaks RFC 8446 §4.2.8', () => {
    const d = chWith(ext(51, vec16(u16(0x1d), vec16())));
    expect(d.problems.map((p) => p.rule)).to.deep.equal(['RFC 8446 §4.2.8']);
  });

  it('ALPN: the client list; the server must name exactly one protocol (RFC 7301 §3.1)', () => {
    const h2 = vec8([0x68, 0x32]);
    const h11 = vec8(new TextEncoder().encode('http/1.1'));
    expect(one(chWith(ext(16, vec16(h2, h11)))).value).to.deep.equal({ kind: 'alpn', protocols: ['h2', 'http/1.1'] });
    const two = shWith(ext(16, vec16(h2, h11)));
    expect(two.problems.map((p) => p.rule)).to.deep.equal(['RFC 7301 §3.1']);
  });

  it('session_ticket, renegotiation_info, cookie, padding, record_size_limit, early_data', () => {
    const d = chWith(
      ext(35, zeros(100)),
      ext(0xff01, vec8()),
      ext(44, vec16(zeros(20))),
      ext(21, zeros(50)),
      ext(28, u16(16385)),
      ext(42),
    );
    expect(extsOf(d).map((e) => e.value)).to.deep.equal([
      { kind: 'session_ticket', ticketLength: 100 },
      { kind: 'renegotiation_info', length: 0 },
      { kind: 'cookie', length: 20 },
      { kind: 'padding', length: 50 },
      { kind: 'record_size_limit', limit: 16385 },
      { kind: 'early_data' },
    ]);
    expect(d.problems).to.deep.equal([]);
  });

  it('record_size_limit below 64 and non-zero padding are reported', () => {
    expect(chWith(ext(28, u16(63))).problems.map((p) => p.rule)).to.deep.equal(['RFC 8449 §4']);
    expect(chWith(ext(21, [0, 1])).problems.map((p) => p.rule)).to.deep.equal(['RFC 7685 §3']);
  });

  it('pre_shared_key: identities counted; binders must match; must come last (RFC 8446 §4.2.11)', () => {
    const psk = ext(41, vec16(vec16(zeros(16)), u32(0)), vec16(vec8(zeros(32))));
    const ok = chWith(ext(45, vec8([1])), psk);
    expect(extsOf(ok)[1].value).to.deep.equal({ kind: 'pre_shared_key', identities: 1 });
    expect(ok.problems).to.deep.equal([]);
    const notLast = chWith(psk, ext(45, vec8([1])));
    expect(notLast.problems.map((p) => p.code)).to.deep.equal(['extension-order']);
    const mismatch = chWith(ext(41, vec16(vec16(zeros(16)), u32(0), vec16(zeros(16)), u32(0)), vec16(vec8(zeros(32)))));
    expect(mismatch.problems.map((p) => p.code)).to.deep.equal(['psk-binder-count']);
    expect(one(shWith(ext(41, u16(0)))).value).to.deep.equal({ kind: 'pre_shared_key', selectedIdentity: 0 });
  });

  it('status_request: the client request and the server acknowledgement', () => {
    expect(one(chWith(ext(5, [1], vec16(), vec16()))).value).to.deep.equal({ kind: 'status_request', statusType: 1 });
    expect(one(shWith(ext(5))).value).to.deep.equal({ kind: 'flag' });
  });

  it('extended_master_secret, encrypt_then_mac, post_handshake_auth must be empty', () => {
    expect(extsOf(chWith(ext(23), ext(22), ext(49))).map((e) => e.value)).to.deep.equal([{ kind: 'flag' }, { kind: 'flag' }, { kind: 'flag' }]);
    expect(chWith(ext(23, [0])).problems.map((p) => [p.code, p.rule])).to.deep.equal([['bad-length', 'RFC 7627 §5.1']]);
  });

  it('certificate_authorities in a ClientHello: each name decoded, an empty list breaks RFC 8446 §4.2.4', () => {
    expect(one(chWith(ext(47, vec16(vec16(cnName('Acme Root')))))).value)
      .to.deep.equal({ kind: 'certificate_authorities', authorities: [{ text: 'CN=Acme Root', length: 22 }], listLength: 24 });
    const empty = chWith(ext(47, vec16()));
    expect(empty.problems.map((p) => p.message)).to.deep.equal([
      'authorities is empty (length 0); TLS 1.3 requires at least 3 bytes (RFC 8446 §4.2.4: DistinguishedName authorities<3..2^16-1>)',
    ]);
  });

  it('GREASE and unknown extensions are kept by number', () => {
    const d = chWith(ext(0x2a2a), ext(0x7777, [1, 2, 3]));
    expect(extsOf(d)).to.deep.equal([
      { type: 0x2a2a, name: 'GREASE', length: 0 },
      { type: 0x7777, name: 'unknown(30583)', length: 3 },
    ]);
    expect(d.problems).to.deep.equal([]);
  });

  it('a duplicate extension is reported (RFC 5246 §7.4.1.4)', () => {
    const d = chWith(ext(23), ext(23));
    expect(d.problems.map((p) => [p.code, p.rule])).to.deep.equal([['duplicate-extension', 'RFC 5246 §7.4.1.4']]);
  });

  it('an extension whose length overruns the block is reported and kept', () => {
    const body = cat(clientHello({ extensions: null }), u16(8), u16(0), u16(100), zeros(4));
    const d = decodeHandshake(1, body, C);
    expect(d.problems.map((p) => p.code)).to.deep.equal(['length-overrun']);
    expect(extsOf(d)).to.deep.equal([{ type: 0, name: 'server_name', length: 100 }]);
  });

  it('a block that ends inside an extension header is reported', () => {
    const body = cat(clientHello({ extensions: null }), u16(2), u16(0));
    expect(decodeHandshake(1, body, C).problems.map((p) => p.code)).to.deep.equal(['buffer-too-small']);
  });

  it('a truncated extension body (inner vector longer than the extension) is reported inside the extension', () => {
    const d = chWith(ext(10, u16(20), u16(0x1d)));
    expect(d.problems.map((p) => [p.code, p.field])).to.deep.equal([
      ['length-overrun', 'ClientHello.extensions.supported_groups.named_group_list'],
    ]);
  });

  it('bytes left inside an extension after its content are reported as trailing data', () => {
    const d = chWith(ext(43, vec8(u16(0x0304)), [0xff]));
    expect(d.problems.map((p) => [p.code, p.field])).to.deep.equal([['trailing-data', 'ClientHello.extensions.supported_versions']]);
  });

  it('TLS 1.3: an extension outside its RFC 8446 §4.2 messages is reported (ALPN belongs in EncryptedExtensions)', () => {
    const alpn = ext(16, vec16(vec8([0x68, 0x32])));
    const d = decodeHandshake(2, serverHello({ suite: 0x1301, extensions: [ext(43, u16(0x0304)), alpn] }), S);
    expect(d.problems.map((p) => [p.code, p.field, p.rule])).to.deep.equal([
      ['extension-not-allowed', 'ServerHello.extensions.application_layer_protocol_negotiation', 'RFC 8446 §4.2'],
    ]);
    const ee = decodeHandshake(8, vec16(alpn, ext(43, u16(0x0304))), { version: 0x0304, from: 'server' });
    expect(ee.problems.map((p) => p.field)).to.deep.equal(['EncryptedExtensions.extensions.supported_versions']);
    // The same ALPN in a TLS 1.2 ServerHello is where it belongs.
    expect(shWith(alpn).problems).to.deep.equal([]);
  });
});
