// Small things seen on captures from other networks (issue #13): an ALPN id of non-ASCII bytes,
// signalling values in the cipher suite list, TLS 1.3's compatibility session id, and the end of
// the client's TLS 1.3 flight without keys.
import { expect } from 'chai';
import { protocolId } from '../../decoders/tls/extensions.js';
import { cipherSuite, offeredSuites } from '../../decoders/tls/registry/cipher-suites.js';
import { resumptionOf } from '../../src/session/ftp.js';
import type { HandshakeEvent } from '../../src/session/transcript.js';
import { corpus, sample } from '../support/analyze.js';

describe('small things', () => {
  it('an ALPN id of other bytes is escaped visibly, never a string that reads as a name', () => {
    const id = (...b: number[]) => protocolId(Uint8Array.from(b), 0, b.length);
    expect(id(0x68, 0x32)).to.equal('h2');
    expect(id(0xba, 0xad)).to.equal('\\xba\\xad');
    // "0xbaad" typed in ASCII stays itself, and can no longer be confused with the bytes above.
    expect(id(...Buffer.from('0xbaad'))).to.equal('0xbaad');
    expect(id(0x68, 0x5c, 0x00)).to.equal('h\\\\\\x00');
    expect(id(...Buffer.from('a\\b'))).to.equal('a\\\\b');
  });

  it('counts real cipher suites and names the signalling values apart', () => {
    const suites = [0x0a0a, 0x1301, 0x1302, 0xc02f, 0x00ff, 0x5600, 0xfafa].map((c) => cipherSuite(c));
    const counted = offeredSuites(suites);
    expect(counted.real).to.equal(3);
    expect(counted.signalling).to.deep.equal(['GREASE', 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 'TLS_FALLBACK_SCSV']);
    expect(counted.text).to.equal('3 cipher suites (and GREASE, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV)');
    expect(offeredSuites([cipherSuite(0x002f)]).text).to.equal('1 cipher suite');
  });

  it('a real ClientHello: AES128-SHA and the renegotiation SCSV are one suite', async () => {
    // samples/no-shared-cipher.pcap: s_client -cipher AES128-SHA (tshark: Cipher Suites (2 suites): 0x002f, 0x00ff).
    const r = await sample('no-shared-cipher.pcap');
    const tls = r.connections[0].transcript.tls!;
    expect(tls.offeredCipherSuites).to.equal(1);
    expect(tls.offeredSignalling).to.deep.equal(['TLS_EMPTY_RENEGOTIATION_INFO_SCSV']);
    expect(r.findings[0].message).to.contain('with 1 cipher suite (and TLS_EMPTY_RENEGOTIATION_INFO_SCSV) in frame 4');
    // Chrome's GREASE (corpus chrome-63: 0x?a?a first in the list) is counted apart too.
    const chrome = (await corpus('chrome-63.0.3211.0-canary-tls_experiment.pcap')).connections[0].transcript.tls!;
    expect(chrome.offeredSignalling).to.include('GREASE');
  });

  it('TLS 1.3\'s compatibility session id is no resumption offer; pre_shared_key is', async () => {
    // clean-tls13: OpenSSL sends a 32-byte legacy_session_id (RFC 8446 §D.4) and no PSK.
    const clean = (await sample('clean-tls13.pcap')).connections[0].transcript.tls!;
    expect(clean.resumption.clientSessionId).to.have.length(64);
    expect(clean.resumption.offered).to.deep.equal([]);
    // The FTPS data connection of ftps-session-reused-tls13 resumes with a PSK (and also carries a compatibility id).
    const reused = (await sample('ftps-session-reused-tls13.pcap')).connections.find((c) => c.conversation.stream === 1)!.transcript.tls!;
    expect(reused.resumption.offered).to.deep.equal(['psk']);
    // TLS 1.2 session ids stay offers (clean-resumed-tls12, stream 1 offers the ticket and a session id).
    const tls12 = (await sample('clean-resumed-tls12.pcap')).connections.find((c) => c.conversation.stream === 1)!.transcript.tls!;
    expect(tls12.resumption.offered).to.include('session_id');
  });

  it('the FTPS explanation does not call a TLS 1.3 compatibility id an offered session', async () => {
    // A full TLS 1.3 handshake read as an FTPS data connection of another one: what the 522 explanation says.
    const t = (await sample('clean-tls13.pcap')).connections[0].transcript;
    const r = resumptionOf(t, t);
    expect(r.verdict).to.equal('not-reused');
    expect(r.offered).to.deep.equal([]);
    expect(r.explanation).to.match(/offered no session to resume: no pre_shared_key, the only way to resume in TLS 1\.3 \(its session id [0-9a-f]{16}… is TLS 1\.3's middlebox-compatibility id, RFC 8446 §D\.4/);
    expect(r.explanation).to.not.contain('offered session_id');
  });

  it('without keys, the client\'s TLS 1.3 records after its Finished-sized record are application data', async () => {
    // clean-tls13 (TLS_AES_256_GCM_SHA384: a Finished record is 4 + 48 + 1 + 16 = 69 bytes): frame 8
    // client CCS + Finished (69), frame 9 the client's data (tshark with the key log: Application Data).
    const c = (await sample('clean-tls13.pcap')).connections[0];
    const clientHs = c.transcript.events.filter((e): e is HandshakeEvent => e.type === 'handshake' && e.from === 'client' && e.message === 'encrypted');
    expect(clientHs.map((e) => [e.frame, e.length, e.inferred])).to.deep.equal([[8, 69, undefined]]);
    expect(c.transcript.tls!.applicationData.client.records).to.equal(1);
    // wolfSSL (corpus tls13_wolfssl, ServerHello in frame 6 picks 0x1302 per tshark: 69 bytes): the Finished, then data in the next frame.
    const w = (await corpus('tls13_wolfssl.pcap')).connections[0];
    const wHs = w.transcript.events.filter((e): e is HandshakeEvent => e.type === 'handshake' && e.from === 'client' && e.message === 'encrypted');
    expect(wHs.map((e) => [e.frame, e.length])).to.deep.equal([[16, 69]]);
    expect(w.transcript.tls!.applicationData.client.records).to.equal(1);
    // A client Certificate before the Finished is a handshake message by its place only: probably.
    const m = (await sample('client-certificate-missing-tls13.pcap')).connections[0];
    const mHs = m.transcript.events.filter((e): e is HandshakeEvent => e.type === 'handshake' && e.from === 'client' && e.message === 'encrypted');
    expect(mHs.map((e) => e.inferred)).to.deep.equal([true, undefined]);
  });
});
