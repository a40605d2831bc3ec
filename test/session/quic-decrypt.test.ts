// QUIC Handshake packets opened with a key log (RFC 9001 §5.1 keys from the handshake traffic
// secrets), against tshark's decoding of the same captures with the same key logs
// (test/golden/decrypt/quic-tshark.json, recorded once by scripts/record/quic-decrypt-golden.sh).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { analyzeFile, type CaptureResult } from '../../src/analyze.js';
import { KeyLog } from '../../src/tls-keys/keylog.js';
import { quicPacketKeys } from '../../src/tls-keys/quic.js';
import type { AlertEvent, HandshakeEvent, TranscriptEvent } from '../../src/session/transcript.js';
import { reportDocument } from '../../src/report/document.js';
import { FORMATS, render } from '../../src/report/render.js';
import { ROOT } from '../support/paths.js';

function keyLogOf(file: string): KeyLog {
  const log = new KeyLog();
  log.addText(readFileSync(path.join(ROOT, file), 'latin1'), file);
  return log;
}

interface TsharkFrame {
  frame: number;
  udpStream: number;
  longPacketTypes: string;
  packetNumbers: string;
  handshakeTypes: string;
  cipherSuites: string;
  closeError: string;
  certificateSerials: string;
}
const golden = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'decrypt', 'quic-tshark.json'), 'utf8')) as {
  captures: Record<string, { keys: string; frames: TsharkFrame[] }>;
};
const list = (s: string): number[] => (s === '' ? [] : s.split(',').map(Number));
const schema = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'report.schema.json'), 'utf8')) as { $id: string };
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validateReport = ajv.getSchema(schema.$id)!;

const messages = (r: CaptureResult) => r.connections.flatMap((c) => c.transcript.events.filter((e): e is HandshakeEvent => e.type === 'handshake' && e.message !== 'encrypted'));
const encrypted = (r: CaptureResult) => r.connections.flatMap((c) => c.transcript.events.filter((e) => e.type === 'handshake' && e.message === 'encrypted'));
/** Events without their decoded bodies' identity: comparable across runs. */
const shape = (events: readonly TranscriptEvent[]) => JSON.parse(JSON.stringify(events)) as unknown[];

describe('QUIC Handshake packets decrypted with key logs, against tshark with the same key logs', () => {
  it('covers the three packet protections: AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305', () => {
    const suites = Object.values(golden.captures).map((c) => c.frames.find((f) => f.frame === 2)!.cipherSuites);
    expect([...new Set(suites)].sort()).to.deep.equal(['0x1301', '0x1302', '0x1303']);
  });

  for (const [file, { keys, frames }] of Object.entries(golden.captures)) {
    describe(file, () => {
      let result: CaptureResult;
      let plain: CaptureResult;
      before(async () => {
        result = await analyzeFile(path.join(ROOT, file), { keyLog: keyLogOf(keys) });
        plain = await analyzeFile(path.join(ROOT, file));
      });

      it('shows every handshake message where tshark does, the Handshake-level ones marked decrypted', () => {
        const ours = messages(result);
        // tshark, given the 1-RTT secrets too, also shows NewSessionTicket (4) in short-header
        // (1-RTT) packets; those stay undecrypted here.
        const tsharkMessages = frames.flatMap((f) => list(f.handshakeTypes).map((t) => [f.frame, t])).filter(([, t]) => t !== 4);
        const tickets = frames.filter((f) => list(f.handshakeTypes).includes(4));
        for (const f of tickets) expect(f.longPacketTypes, `frame ${f.frame}`).to.equal('');
        expect(ours.map((e) => [e.frame, e.handshakeType])).to.deep.equal(tsharkMessages);
        // EncryptedExtensions, (CertificateRequest,) Certificate, CertificateVerify, server Finished,
        // (the client's empty Certificate,) client Finished.
        const asked = ours.some((e) => e.message === 'CertificateRequest');
        expect(ours.filter((e) => e.decrypted).map((e) => e.message)).to.deep.equal(
          asked ? ['EncryptedExtensions', 'CertificateRequest', 'Certificate', 'CertificateVerify', 'Finished', 'Certificate', 'Finished'] : ['EncryptedExtensions', 'Certificate', 'CertificateVerify', 'Finished', 'Finished'],
        );
        for (const e of ours) {
          expect(e.quic!.packet).to.equal(e.handshakeType === 1 || e.handshakeType === 2 ? 'Initial' : 'Handshake');
          expect(e.decrypted === true).to.equal(e.quic!.packet === 'Handshake');
          expect(list(frames.find((f) => f.frame === e.frame)!.packetNumbers)).to.include(e.quic!.packetNumber);
        }
        expect(ours.find((e) => e.message === 'Finished' && e.from === 'client')!.frame).to.equal(4);
        expect(encrypted(result)).to.deep.equal([]);
        expect(result.connections[0].transcript.problems.map((p) => p.code)).to.not.include('decryption-failed');
      });

      it("turns a Handshake packet's CONNECTION_CLOSE with a TLS alert into a decrypted alert where tshark shows it", () => {
        const alerts = result.connections[0].transcript.events.filter((e): e is AlertEvent => e.type === 'alert');
        // tshark, given the 1-RTT secrets too, lists each frame's close twice: the Handshake packet's
        // and the coalesced 1-RTT packet's (same code); the 1-RTT one is not opened here.
        const tsharkCloses = frames.flatMap((f) => [...new Set(list(f.closeError))].map((c) => [f.frame, c]));
        expect(alerts.map((a) => [a.frame, a.quic!.errorCode])).to.deep.equal(tsharkCloses);
        for (const a of alerts) {
          expect(a).to.include({ code: a.quic!.errorCode - 0x100, decrypted: true, level: 'fatal' });
          expect(a.quic!.packet).to.equal('Handshake');
        }
        // Without the key log the CONNECTION_CLOSE frames are not seen at all.
        expect(plain.connections[0].transcript.events.filter((e) => e.type === 'alert')).to.deep.equal([]);
      });

      it("reads the server's certificate as tshark does, so the rules see it", () => {
        const tls = result.connections[0].transcript.tls!;
        const serials = frames.flatMap((f) => (f.certificateSerials === '' ? [] : f.certificateSerials.split(',')));
        expect(tls.serverCertificates.map((c) => c.serialNumber.replace(/^0+/, '').replace(/:/g, ''))).to.deep.equal(serials);
        expect(tls.serverCertificates[0].subject).to.include('localhost');
        expect(plain.connections[0].transcript.tls!.serverCertificates).to.deep.equal([]);
      });

      it('without the key log, nothing changes: the Handshake packets stay encrypted', async () => {
        expect(messages(plain).map((e) => e.handshakeType)).to.deep.equal([1, 2]);
        expect(encrypted(plain).length).to.be.greaterThan(0);
        // A key log that holds nothing for this connection changes nothing either.
        const other = Object.values(golden.captures).find((c) => c.keys !== keys)!.keys;
        const unrelated = await analyzeFile(path.join(ROOT, file), { keyLog: keyLogOf(other) });
        expect(shape(unrelated.connections[0].transcript.events)).to.deep.equal(shape(plain.connections[0].transcript.events));
        expect(unrelated.connections[0].transcript.problems).to.deep.equal(plain.connections[0].transcript.problems);
      });

      it('leaves 1-RTT packets undecrypted', () => {
        const oneRtt = (r: CaptureResult) => r.connections[0].transcript.events.filter((e) => e.type === 'application_data').map((e) => [e.frame, (e as { bytes: number }).bytes]);
        expect(oneRtt(result)).to.deep.equal(oneRtt(plain));
        expect(oneRtt(result).length).to.be.greaterThan(0);
      });

      it('validates against the schema and never prints a secret, in any format', () => {
        const doc = reportDocument([result], ['tlsdiag-test']);
        expect(validateReport(JSON.parse(render('json', doc, { color: false, redact: false, detail: 'full' })))).to.equal(true);
        const secrets = readFileSync(path.join(ROOT, keys), 'latin1').split('\n').filter(Boolean).map((l) => l.split(' ')[2].toLowerCase());
        for (const format of FORMATS) {
          const out = render(format, doc, { color: false, redact: false, detail: 'full' }).toLowerCase();
          for (const s of secrets) {
            expect(out.includes(s), format).to.equal(false);
            expect(out.includes(s.slice(0, 32)), format).to.equal(false);
          }
        }
      });
    });
  }

  describe('a wrong handshake secret', () => {
    const file = 'samples/decrypt/quic-chacha20.pcap';
    let result: CaptureResult;
    before(async () => {
      // The server's handshake secret with one bit flipped: the client's packets still open.
      const text = readFileSync(path.join(ROOT, 'samples/decrypt/quic-chacha20.keys'), 'latin1').replace(/^(SERVER_HANDSHAKE_TRAFFIC_SECRET \S+ )(.)/m, (_m, head: string, c: string) => head + (parseInt(c, 16) ^ 1).toString(16));
      const log = new KeyLog();
      log.addText(text, 'wrong.keys');
      result = await analyzeFile(path.join(ROOT, file), { keyLog: log });
    });

    it("keeps the server's Handshake packets encrypted and names the first frame that did not authenticate", () => {
      const t = result.connections[0].transcript;
      const failed = t.problems.filter((p) => p.code === 'decryption-failed');
      expect(failed).to.have.length(1);
      expect(failed[0].message).to.match(/server's Handshake packet in frame 2 .*authentication failed/);
      expect(failed[0]).to.include({ frame: 2, from: 'server' });
      expect(encrypted(result).filter((e) => e.from === 'server').map((e) => e.frame)).to.deep.equal([2, 2]);
      // The client's Finished (frame 4) was sealed with the client's secret, which is right.
      expect(messages(result).filter((e) => e.decrypted).map((e) => [e.frame, e.from, e.message])).to.deep.equal([[4, 'client', 'Finished']]);
    });

    it('does not print the secrets in the note', () => {
      const secrets = readFileSync(path.join(ROOT, 'samples/decrypt/quic-chacha20.keys'), 'latin1').split('\n').filter(Boolean).map((l) => l.split(' ')[2].toLowerCase());
      const json = JSON.stringify(result.connections[0].transcript).toLowerCase();
      for (const s of secrets) expect(json.includes(s.slice(1, 33))).to.equal(false);
    });
  });

  describe('packet protection keys from a traffic secret (RFC 9001 §5.1)', () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    it("gives RFC 9001 Appendix A.1's client Initial keys from its client_initial_secret", () => {
      const a = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'rfc9001-appendix-a.json'), 'utf8')) as { client: { key: string; iv: string; hp: string } };
      const k = quicPacketKeys(Buffer.from('c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea', 'hex'), 0x1301, 1)!;
      expect([hex(k.key), hex(k.iv), hex(k.hp), k.aead]).to.deep.equal([a.client.key, a.client.iv, a.client.hp, 'aes-128-gcm']);
    });

    it("gives RFC 9001 Appendix A.5's ChaCha20-Poly1305 keys", () => {
      const k = quicPacketKeys(Buffer.from('9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b', 'hex'), 0x1303, 1)!;
      expect([hex(k.key), hex(k.iv), hex(k.hp), k.aead]).to.deep.equal([
        'c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8',
        'e0459b3474bdd0e44a41c144',
        '25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4',
        'chacha20-poly1305',
      ]);
    });

    it('gives nothing for a suite QUIC packets are not opened with here (CCM) or a TLS 1.2 suite', () => {
      expect(quicPacketKeys(new Uint8Array(32), 0x1304, 1)).to.equal(null);
      expect(quicPacketKeys(new Uint8Array(32), 0xc02f, 1)).to.equal(null);
    });
  });
});

describe('QUIC with a key log: the rules read the decrypted handshake', () => {
  it('a server that asked for a client certificate and closed with certificate_required (alert 116) is client-certificate-missing', async () => {
    const file = 'samples/decrypt/quic-client-certificate-missing.pcap';
    const withKeys = await analyzeFile(path.join(ROOT, file), { keyLog: keyLogOf('samples/decrypt/quic-client-certificate-missing.keys') });
    const without = await analyzeFile(path.join(ROOT, file));
    const rules = (r: CaptureResult) => r.connections[0].findings.map((f) => f.rule);
    expect(rules(withKeys)).to.include('client-certificate-missing');
    expect(rules(without)).to.not.include('client-certificate-missing');
    const alerts = withKeys.connections[0].transcript.events.filter((e): e is AlertEvent => e.type === 'alert');
    expect(alerts.map((a) => [a.frame, a.from, a.description])).to.deep.equal([7, 8, 9].map((f) => [f, 'server', 'certificate_required']));
  });
});
