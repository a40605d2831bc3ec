/**
 * The software on each side (#12) on captures whose software is known: the samples (samples/README.md
 * names what recorded each) and corpus captures named after their client.
 */
import { expect } from 'chai';
import { identifySoftware, type SoftwareGuesses } from '../../src/findings/software.js';
import { BANNER_SIGNATURES, HELLO_SIGNATURES } from '../../src/findings/knowledge/software.js';
import { corpus, sample } from '../support/analyze.js';
import type { CaptureResult } from '../../src/analyze.js';

const guesses = (r: CaptureResult, stream = 0): SoftwareGuesses => {
  const c = r.connections.find((x) => x.conversation.stream === stream && x.transcript.tls !== null)!;
  return identifySoftware(c.transcript);
};

interface Expect { file: () => Promise<CaptureResult>; client: [string | null, RegExp]; server: [string | null, RegExp] }
const CASES: Record<string, Expect> = {
  'clean-tls13 (OpenSSL 3.0.19 s_client and s_server, TLS 1.3)': { file: () => sample('clean-tls13.pcap'), client: ['openssl', /^OpenSSL 3\.x$/], server: [null, /^unknown$/] },
  'clean-tls12 (OpenSSL 3.0.19, TLS 1.2 only)': { file: () => sample('clean-tls12.pcap'), client: ['openssl', /^OpenSSL 1\.1\.x or 3\.x$/], server: ['openssl', /^OpenSSL$/] },
  'vsftpd-request-cert-lftp (lftp with GnuTLS; vsftpd 3.0.3)': { file: () => sample('vsftpd-request-cert-lftp.pcap'), client: ['gnutls', /^GnuTLS$/], server: ['openssl', /^vsftpd 3\.0\.3 \(OpenSSL\)$/] },
  'vsftpd-zos-auth-tls-empty-ca-list (z/OS FTP client suites; vsftpd with OpenSSL 3)': { file: () => sample('vsftpd-zos-auth-tls-empty-ca-list.pcap'), client: ['system-ssl', /System SSL/], server: ['openssl', /^vsftpd 3\.0\.3 \(OpenSSL 3\.x\)$/] },
  'ftps-session-reused (curl 7.88.1 with OpenSSL 3; vsftpd)': { file: () => sample('ftps-session-reused.pcap'), client: ['openssl', /^OpenSSL/], server: ['openssl', /^vsftpd/] },
  'quic-clean (ngtcp2 with GnuTLS)': { file: () => sample('quic-clean.pcap'), client: ['gnutls', /^GnuTLS$/], server: [null, /^unknown$/] },
  'handshake-aborted-by-server (s_client; a Node server that says nothing)': { file: () => sample('handshake-aborted-by-server.pcap'), client: ['openssl', /^OpenSSL 3\.x$/], server: [null, /^unknown$/] },
  'openjdk-25.0.2-zeek.org': { file: () => corpus('openjdk-25.0.2-zeek.org.pcap'), client: ['jsse', /Java/], server: [null, /.*/] },
  'chrome-1250-tls-x25519-kyber': { file: () => corpus('chrome-1250-tls-x25519-kyber.pcap'), client: ['boringssl', /BoringSSL/], server: [null, /.*/] },
  'tls13draft16-ff52.a01 (Firefox 52)': { file: () => corpus('tls13draft16-ff52.a01.pcap'), client: ['nss', /NSS/], server: [null, /.*/] },
  'pop3-starttls (Cyrus greeting)': { file: () => corpus('pop3-starttls.pcap'), client: ['openssl', /.*/], server: ['openssl', /^Cyrus POP3 2\.3\.16$/] },
};

describe('findings: the software on each side', () => {
  for (const [name, e] of Object.entries(CASES)) {
    it(name, async () => {
      const g = guesses(await e.file());
      for (const [side, [family, re]] of [['client', e.client], ['server', e.server]] as const) {
        const guess = g[side];
        expect(guess.name, side).to.match(re);
        if (family !== null) expect(guess.family, side).to.equal(family);
        if (guess.confidence === null) {
          expect(guess.basis, `${side}: unknown has no basis`).to.deep.equal([]);
        } else {
          expect(guess.basis.length, side).to.be.greaterThan(0);
          expect(guess.sources.length, side).to.be.greaterThan(0);
        }
      }
    });
  }

  it('every basis names a frame of the connection that shows it', async () => {
    const r = await sample('vsftpd-zos-auth-tls-empty-ca-list.pcap');
    const c = r.connections[0];
    const g = identifySoftware(c.transcript);
    const frames = new Set(c.transcript.events.map((e) => e.frame));
    for (const b of [...g.client.basis, ...g.server.basis]) expect(frames.has(b.frame), `${b.cue} frame ${b.frame}`).to.equal(true);
    // 220 (vsFTPd 3.0.3) in frame 4, 500 OOPS in frame 12 (samples/README.md).
    expect(g.server.basis.map((b) => [b.cue, b.frame])).to.deep.include.members([['FTP greeting', 4], ['500 OOPS reply', 12]]);
    expect(g.server.confidence).to.equal('high');
  });

  it('the table: every shape cites a source, and an unconfirmed shape is never more than low confidence', () => {
    for (const s of [...HELLO_SIGNATURES, ...BANNER_SIGNATURES]) {
      expect(s.source.title, s.id).to.be.a('string').and.not.equal('');
      if (s.status === 'unconfirmed') expect(s.confidence === 'low' || 'pattern' in s, s.id).to.equal(true);
    }
    for (const s of HELLO_SIGNATURES) if (s.status === 'unconfirmed') expect(s.confidence, s.id).to.equal('low');
    const families = new Set(HELLO_SIGNATURES.map((s) => s.family));
    for (const f of ['system-ssl', 'jsse', 'openssl', 'gnutls', 'schannel', 'nss', 'boringssl', 'go']) expect(families.has(f as never), f).to.equal(true);
  });
});
