// Key logs and their problems: parsing, wrong keys, missing keys, garbage, resumption without the
// resumed connection's line, pcapng Decryption Secrets Blocks, and key material never printed.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { analyzeFile, type CaptureResult } from '../../src/analyze.js';
import { KeyLog } from '../../src/tls-keys/keylog.js';
import { ConnectionDecryptor } from '../../src/tls-keys/decryptor.js';
import { CbcKeys } from '../../src/tls-keys/record-crypto.js';
import { DecryptedLineMask } from '../../src/session/plaintext.js';
import { suiteCrypto } from '../../src/tls-keys/suites.js';
import { createCipheriv, createHmac } from 'node:crypto';
import { render, FORMATS } from '../../src/report/render.js';
import { documentOfResults } from '../report/support.js';
import { ROOT, SAMPLES } from '../support/paths.js';
import { tlsdiag } from '../support/cli.js';

const DECRYPT = path.join(SAMPLES, 'decrypt');
const keysText = (f: string) => readFileSync(path.join(ROOT, f), 'latin1');
function keyLog(text: string, name = 'keys'): KeyLog {
  const k = new KeyLog();
  k.addText(text, name);
  return k;
}
/** Every secret of a key log (hex), upper and lower case: none may appear in any output. */
function secretsOf(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^[A-Z]/.test(l))
    .flatMap((l) => {
      const s = l.trim().split(/\s+/)[2];
      return s ? [s.toLowerCase(), s.toUpperCase(), Buffer.from(s, 'hex').toString('base64')] : [];
    });
}

describe('key logs', () => {
  it('reads NSS key log lines, ignores comments, blank lines and labels it does not need', () => {
    const k = new KeyLog();
    const random = 'ab'.repeat(32);
    const notes = k.addText(
      ['# comment', '', `CLIENT_RANDOM ${random} ${'11'.repeat(48)}`, `EXPORTER_SECRET ${random} ${'22'.repeat(32)}`, `SOME_FUTURE_LABEL ${random} ${'33'.repeat(32)}`, `SERVER_HANDSHAKE_TRAFFIC_SECRET ${random.toUpperCase()} ${'44'.repeat(48)}\r`].join('\n'),
      'keys.txt',
    );
    expect(notes).to.deep.equal([]);
    expect(k.lookup(random)?.master?.length).to.equal(48);
    expect(k.lookup(random)?.serverHandshake?.length).to.equal(48);
  });

  it('says which lines are malformed by number, never what they hold', () => {
    const secret = 'cd'.repeat(48);
    const notes = new KeyLog().addText([`CLIENT_RANDOM ${'ab'.repeat(32)} ${secret.slice(0, 90)}`, `CLIENT_RANDOM short ${secret}`, 'garbage line here'].join('\n'), 'k.log');
    expect(notes.map((n) => n.message)).to.deep.equal([
      'k.log line 1: not a key log line (the secret has 45 bytes); ignored',
      'k.log line 2: not a key log line (the client random is not 32 bytes of hex); ignored',
      'k.log line 3: not a key log line (unknown label or not three fields); ignored',
      'k.log: no usable key log line (NSS key log format: CLIENT_RANDOM, CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...)',
    ]);
    for (const n of notes) expect(n.message).not.to.include(secret.slice(0, 16));
  });

  it('a garbage key log (binary bytes) is a note, not a crash', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    const notes = new KeyLog().addText(bytes.toString('latin1'), 'random.bin');
    expect(notes.length).to.be.within(1, 5);
    expect(notes[notes.length - 1].code).to.equal('keylog-empty');
  });

  it('random key log text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.array(fc.constantFrom('CLIENT_RANDOM', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', ' ', '\n', 'ab'.repeat(32), 'f'.repeat(96), 'zz'), { maxLength: 30 }), (s, parts) => {
        const k = new KeyLog();
        k.addText(s + parts.join(' '), 'fuzz');
        k.addText(parts.join('\n') + s, 'fuzz');
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('random records never throw out of the decryptor, whatever the keys', () => {
    const clean = analyzeFile(path.join(SAMPLES, 'clean-tls13.pcap'));
    return clean.then((r) => {
      const hello = r.connections[0].transcript.events.find((e) => e.type === 'handshake' && e.message === 'ClientHello');
      const server = r.connections[0].transcript.events.find((e) => e.type === 'handshake' && e.message === 'ServerHello');
      if (hello?.type !== 'handshake' || server?.type !== 'handshake' || hello.body?.kind !== 'ClientHello' || server.body?.kind !== 'ServerHello') throw new Error('sample changed');
      const ch = hello.body;
      const sh = server.body;
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 20, max: 24 }), fc.uint8Array({ maxLength: 300 })), { maxLength: 12 }), (secret, records) => {
          const hex = Buffer.from(secret).toString('hex');
          const k = keyLog(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'CLIENT_EARLY_TRAFFIC_SECRET'].map((l) => `${l} ${ch.random} ${hex}${hex.slice(0, 32)}`).join('\n'));
          const d = new ConnectionDecryptor(k);
          d.onClientHello(ch, new Uint8Array(0));
          d.onServerHello(sh);
          for (const [client, ct, body] of records) {
            const dir = client ? 'client' : 'server';
            if (d.protects(dir, ct)) {
              if (d.wants(dir, ct, body.length, false)) d.open(dir, ct, 0x0303, body, 1);
              else d.skip(dir, body);
            }
            d.onHandshake(dir, 20);
          }
        }),
        { seed: 7, numRuns: 200 },
      );
    });
  });
});

describe('decryption: what goes wrong', () => {
  it('a wrong key: a note naming the frame, and the connection keeps its encrypted view', async () => {
    const text = keysText('samples/keys/client-certificate-missing-tls13.keys').replace(/ ([0-9a-f]{2})([0-9a-f]+)$/gm, (_m, a: string, b: string) => ` ${a === '00' ? '01' : '00'}${b}`);
    const withWrong = await analyzeFile(path.join(SAMPLES, 'client-certificate-missing-tls13.pcap'), { keyLog: keyLog(text) });
    const without = await analyzeFile(path.join(SAMPLES, 'client-certificate-missing-tls13.pcap'));
    const t = withWrong.connections[0].transcript;
    expect(t.problems.map((p) => [p.code, p.frame])).to.deep.equal([['decryption-failed', 6]]);
    expect(t.problems[0].message).to.equal("the key log's secret for this connection does not open the server's record in frame 6 (authentication failed): from there on the connection is shown encrypted");
    expect(t.events.some((e) => e.decrypted)).to.equal(false);
    expect(withWrong.findings.map((f) => f.rule)).to.deep.equal(without.findings.map((f) => f.rule));
    expect(JSON.stringify(t.events)).to.equal(JSON.stringify(without.connections[0].transcript.events));
  });

  it('a wrong TLS 1.2 master secret fails at the first Finished, and says so', async () => {
    const text = keysText('samples/keys/clean-tls12.keys').replace(/ [0-9a-f]{96}$/m, ` ${'00'.repeat(48)}`);
    const r = await analyzeFile(path.join(SAMPLES, 'clean-tls12.pcap'), { keyLog: keyLog(text) });
    expect(r.connections[0].transcript.problems.map((p) => [p.code, p.frame, p.from])).to.deep.equal([['decryption-failed', 8, 'client']]);
    expect(r.connections[0].transcript.tls?.established).to.equal(true);
  });

  it('a key for a suite tlsdiag does not decrypt (RC4): status unsupported, nothing opened', async () => {
    const r = await analyzeFile(path.join(SAMPLES, 'clean-tls12.pcap'));
    const ev = (m: string) => r.connections[0].transcript.events.find((e) => e.type === 'handshake' && e.message === m);
    const ch = ev('ClientHello');
    const sh = ev('ServerHello');
    if (ch?.type !== 'handshake' || sh?.type !== 'handshake' || ch.body?.kind !== 'ClientHello' || sh.body?.kind !== 'ServerHello') throw new Error('sample changed');
    const d = new ConnectionDecryptor(keyLog(keysText('samples/keys/clean-tls12.keys')));
    d.onClientHello(ch.body, new Uint8Array(0));
    d.onServerHello({ ...sh.body, cipherSuite: { code: 0x0005, name: 'TLS_RSA_WITH_RC4_128_SHA' } });
    d.onChangeCipherSpec('client');
    expect(d.status).to.equal('unsupported');
    expect(d.protects('client', 22)).to.equal(false);
  });

  it('connections without a key: one note per capture, and nothing else changes', async () => {
    const k = keyLog(keysText('samples/keys/clean-tls12.keys'));
    const r = await analyzeFile(path.join(SAMPLES, 'ftps-session-reused.pcap'), { keyLog: k });
    const plain = await analyzeFile(path.join(SAMPLES, 'ftps-session-reused.pcap'));
    const notes = r.problems.filter((p) => p.code === 'no-key');
    expect(notes.map((n) => n.message)).to.deep.equal([`no key for ${plain.connections.filter((c) => c.transcript.tls?.negotiatedVersion).length} of ${plain.connections.filter((c) => c.transcript.tls?.negotiatedVersion).length} TLS connections in the key logs given (first: tcp.stream 0); those are shown encrypted`]);
    expect(JSON.stringify(r.connections.map((c) => c.transcript))).to.equal(JSON.stringify(plain.connections.map((c) => c.transcript)));
    expect(plain.problems.filter((p) => p.code === 'no-key')).to.deep.equal([]);
  });

  it('a resumed TLS 1.2 session decrypts with the master secret of the session it resumes, without a line of its own', async () => {
    const text = keysText('samples/keys/clean-resumed-tls12.keys').split('\n').filter((l, i, all) => l !== all.filter((x) => x.startsWith('CLIENT_RANDOM'))[1]).join('\n');
    expect(text.split('\n').filter((l) => l.startsWith('CLIENT_RANDOM'))).to.have.length(1);
    const r = await analyzeFile(path.join(SAMPLES, 'clean-resumed-tls12.pcap'), { keyLog: keyLog(text) });
    const resumed = r.connections[1].transcript;
    expect(resumed.tls?.resumption.accepted).to.equal(true);
    expect(resumed.events.filter((e) => e.decrypted).map((e) => (e.type === 'handshake' ? e.message : e.type === 'alert' ? e.description : e.type))).to.deep.equal(['Finished', 'Finished', 'close_notify', 'close_notify']);
    expect(r.problems.filter((p) => p.code === 'no-key')).to.deep.equal([]);
  });
});

describe('decryption: pcapng Decryption Secrets Blocks', () => {
  it('are used without --keylog, and serve only their own capture', async () => {
    const shared = new KeyLog();
    const dsb = await analyzeFile(path.join(DECRYPT, 'client-certificate-missing-tls13-dsb.pcapng'), { keyLog: shared });
    expect(dsb.findings.map((f) => f.rule)).to.deep.equal(['client-certificate-missing']);
    expect(dsb.connections[0].transcript.events.filter((e) => e.decrypted).length).to.equal(8);
    expect(shared.empty).to.equal(true);
    const other = await analyzeFile(path.join(SAMPLES, 'client-certificate-missing-tls13.pcap'), { keyLog: shared });
    expect(other.connections[0].transcript.events.some((e) => e.decrypted)).to.equal(false);
  });

  it('FTPS: the 522 quoted from the control connection, data connection tied by the decrypted EPSV', async () => {
    const r = await analyzeFile(path.join(DECRYPT, 'ftps-session-not-reused-522-dsb.pcapng'));
    const f = r.findings.find((x) => x.rule === 'ftps-session-not-reused')!;
    expect(f.severity).to.equal('error');
    expect(f.evidence.find((e) => e.frame === 49)).to.deep.equal({ frame: 49, stream: 0, text: 'frame 49 (control connection, stream 0): server replied "522 SSL connection failed: session reuse required" (decrypted with the key log)' });
    expect(f.wiresharkFilter).to.equal('(tcp.stream eq 1 || tcp.stream eq 0) && frame.number in {30, 40, 45, 48, 49}');
    const data = r.connections.find((c) => c.conversation.stream === 1)!;
    expect(data.ftp).to.deep.include({ role: 'data', controlStream: 0, link: 'announced', confidence: 'high' });
    const plain = await analyzeFile(path.join(SAMPLES, 'ftps-session-not-reused-522.pcap'));
    const before = plain.findings.find((x) => x.rule === 'ftps-session-not-reused')!;
    expect(before.evidence.some((e) => e.text.includes('522'))).to.equal(false);
  });
});

describe('decryption: the rules, with and without keys', () => {
  // With keys the expired certificate is seen, and one cause gets one finding (#12): certificate-expired
  // alone, not also server-certificate-rejected.
  const cases: [string, string, string[], string[]][] = [
    ['client-certificate-missing-tls13.pcap', 'samples/keys/client-certificate-missing-tls13.keys', ['encrypted-alert-in-handshake'], ['client-certificate-missing']],
    ['decrypt/tls13-aes128-gcm-client-cert-rejected.pcap', 'samples/decrypt/tls13-aes128-gcm-client-cert-rejected.keys', ['encrypted-alert-in-handshake'], ['client-certificate-rejected']],
    ['decrypt/tls13-server-certificate-expired.pcap', 'samples/decrypt/tls13-server-certificate-expired.keys', ['server-certificate-rejected'], ['certificate-expired']],
    ['decrypt/tls13-server-certificate-unknown-ca.pcap', 'samples/decrypt/tls13-server-certificate-unknown-ca.keys', ['server-certificate-rejected'], ['server-certificate-rejected']],
    ['decrypt/tls13-certificate-request-no-authorities.pcap', 'samples/decrypt/tls13-certificate-request-no-authorities.keys', [], ['empty-ca-list']],
  ];
  for (const [file, keys, without, withKeys] of cases) {
    it(`${file}: ${without.join(', ') || 'nothing'} without keys, ${withKeys.join(', ')} with them`, async () => {
      const a = await analyzeFile(path.join(SAMPLES, file));
      const b = await analyzeFile(path.join(SAMPLES, file), { keyLog: keyLog(keysText(keys)) });
      expect(a.findings.map((f) => f.rule)).to.deep.equal(without);
      expect(b.findings.map((f) => f.rule)).to.deep.equal(withKeys);
    });
  }

  it('client-certificate-missing (TLS 1.3) names the empty Certificate and certificate_required(116)', async () => {
    const r = await analyzeFile(path.join(SAMPLES, 'client-certificate-missing-tls13.pcap'), { keyLog: keyLog(keysText('samples/keys/client-certificate-missing-tls13.keys')) });
    expect(r.findings[0].evidence.map((e) => e.text)).to.deep.equal([
      'frame 6: server CertificateRequest, certificate_authorities length 55',
      'frame 8: client Certificate, empty certificate list',
      'frame 9: server alert fatal certificate_required(116), record version TLS 1.2',
    ]);
    expect(r.connections[0].transcript.tls?.clientCertificate.sent).to.equal(false);
  });

  it('certificate-expired sees the TLS 1.3 server certificate', async () => {
    const r = await analyzeFile(path.join(DECRYPT, 'tls13-server-certificate-expired.pcap'), { keyLog: keyLog(keysText('samples/decrypt/tls13-server-certificate-expired.keys')) });
    const f = r.findings.find((x) => x.rule === 'certificate-expired')!;
    expect(f.message).to.include('CN=localhost,O=tlsdiag test (frame 6)');
    expect(r.connections[0].transcript.tls?.serverCertificates[0].validTo.slice(0, 10)).to.equal('2021-01-01');
  });

  it('the handshake time ends at the last Finished, not at the first application data', async () => {
    const a = await analyzeFile(path.join(SAMPLES, 'clean-tls13.pcap'));
    const b = await analyzeFile(path.join(SAMPLES, 'clean-tls13.pcap'), { keyLog: keyLog(keysText('samples/keys/clean-tls13.keys')) });
    const fin = b.connections[0].transcript.events.filter((e) => e.type === 'handshake' && e.message === 'Finished');
    const start = b.connections[0].transcript.events[0].time;
    expect(b.connections[0].transcript.tls!.handshakeSeconds).to.be.closeTo(fin[fin.length - 1].time - start, 1e-6);
    expect(b.connections[0].transcript.tls!.handshakeSeconds).to.be.at.most(a.connections[0].transcript.tls!.handshakeSeconds!);
  });
});

describe('decryption: key material and passwords never printed', () => {
  const pairs = [
    ...readdirSync(path.join(SAMPLES, 'keys')).map((k) => [`samples/${k.replace(/\.keys$/, '.pcap')}`, `samples/keys/${k}`]),
    ...readdirSync(DECRYPT).filter((f) => f.endsWith('.keys')).map((k) => [`samples/decrypt/${k.replace(/\.keys$/, '.pcap')}`, `samples/decrypt/${k}`]),
  ];
  let results: CaptureResult[] = [];
  let secrets: string[] = [];
  before(async () => {
    results = [];
    for (const [pcap, keys] of pairs) results.push(await analyzeFile(path.join(ROOT, pcap), { keyLog: keyLog(keysText(keys)) }));
    secrets = pairs.flatMap(([, keys]) => secretsOf(keysText(keys)));
    expect(secrets.length).to.be.greaterThan(50);
  });
  // Let the captures go: later tests measure heap growth.
  after(() => {
    results = [];
  });

  it('in no format, redacted or not, full detail or compact', () => {
    const doc = documentOfResults(results);
    for (const format of FORMATS) {
      for (const redact of [false, true]) {
        for (const detail of ['compact', 'full'] as const) {
          const out = render(format, doc, { color: false, redact, detail });
          for (const s of secrets) expect(out.includes(s), `${format} redact=${redact} ${detail}`).to.equal(false);
          expect(out, format).not.to.match(/PASS (?!\\?\*)/);
        }
      }
    }
  });

  it('the decrypted JSON documents keep the schema', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'report.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    for (const detail of ['compact', 'full'] as const) {
      for (const redact of [false, true]) {
        const json = JSON.parse(render('json', documentOfResults(results), { color: false, redact, detail }));
        expect(validate(json), JSON.stringify(validate.errors?.slice(0, 3))).to.equal(true);
      }
    }
  });

  it('the command line: --keylog on every capture of a batch, notes without content, errors without content', async () => {
    const keys = path.join(SAMPLES, 'keys', 'client-certificate-missing-tls13.keys');
    const r = await tlsdiag(path.join(SAMPLES, 'client-certificate-missing-tls13.pcap'), path.join(DECRYPT, 'tls13-hrr.pcap'), '--keylog', keys, '--keylog', path.join(DECRYPT, 'tls13-hrr.keys'), '-f', 'json', '--jobs', '2');
    expect(r.status).to.equal(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.captures.map((c: { findings: { rule: string }[] }) => c.findings.map((f) => f.rule))).to.deep.equal([['client-certificate-missing'], []]);
    for (const s of secretsOf(keysText('samples/keys/client-certificate-missing-tls13.keys'))) expect(r.stdout + r.stderr).not.to.include(s);
    // --keylog takes one file: a capture named after it is still a capture.
    const first = await tlsdiag('--keylog', keys, path.join(SAMPLES, 'client-certificate-missing-tls13.pcap'), '-f', 'json');
    expect(first.status).to.equal(0);
    expect(JSON.parse(first.stdout).captures[0].findings.map((f: { rule: string }) => f.rule)).to.deep.equal(['client-certificate-missing']);
    const missing = await tlsdiag(path.join(SAMPLES, 'clean-tls13.pcap'), '--keylog', '/nonexistent/keys.txt');
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.include('--keylog /nonexistent/keys.txt: no such file');
    const garbage = await tlsdiag(path.join(SAMPLES, 'clean-tls13.pcap'), '--keylog', path.join(SAMPLES, 'clean-tls13.pcap'), '-f', 'json');
    expect(garbage.status).to.equal(0);
    const notes = JSON.parse(garbage.stdout).captures[0].problems.map((p: { code: string }) => p.code);
    expect(notes).to.include('keylog-empty');
    expect(garbage.stderr).not.to.match(/at .*\.js:\d+/);
    const redacted = await tlsdiag(path.join(SAMPLES, 'clean-tls13.pcap'), '--keylog', path.join(SAMPLES, 'keys', 'ftps-implicit.keys'), '--keylog', path.join(SAMPLES, 'clean-tls13.pcap'), '-f', 'json', '--redact');
    expect(redacted.stdout).not.to.include('ftps-implicit.keys');
    expect(redacted.stdout).not.to.include(SAMPLES);
    expect(JSON.parse(redacted.stdout).captures[0].problems.map((p: { message: string }) => p.message)).to.include('--keylog 2 line 1: not a key log line (unknown label or not three fields); ignored');
  });
});

describe('decryption: 3DES-CBC records (no software here records them; built with node:crypto)', () => {
  const suite = () => suiteCrypto(0x000a)!; // TLS_RSA_WITH_3DES_EDE_CBC_SHA
  function record(key: Buffer, macKey: Buffer, iv: Buffer, seq: number, content: Buffer, etm: boolean, explicitIv: boolean): Buffer {
    const head = Buffer.alloc(13);
    head.writeUInt32BE(0, 0);
    head.writeUInt32BE(seq, 4);
    head[8] = 21;
    head.writeUInt16BE(0x0303, 9);
    // Padding: p bytes of value p and the length byte p, to a multiple of the 8-byte block.
    const pad = (n: number) => {
      const p = (8 - ((n + 1) % 8)) % 8;
      return Buffer.alloc(p + 1, p);
    };
    if (!etm) {
      head.writeUInt16BE(content.length, 11);
      const mac = createHmac('sha1', macKey).update(head).update(content).digest();
      const plain = Buffer.concat([content, mac]);
      const padded = Buffer.concat([plain, pad(plain.length)]);
      const c = createCipheriv('des-ede3-cbc', key, iv).setAutoPadding(false);
      const ct = Buffer.concat([c.update(padded), c.final()]);
      return explicitIv ? Buffer.concat([iv, ct]) : ct;
    }
    const padded = Buffer.concat([content, pad(content.length)]);
    const c = createCipheriv('des-ede3-cbc', key, iv).setAutoPadding(false);
    const ct = Buffer.concat(explicitIv ? [iv, c.update(padded), c.final()] : [c.update(padded), c.final()]);
    head.writeUInt16BE(ct.length, 11);
    return Buffer.concat([ct, createHmac('sha1', macKey).update(head).update(ct).digest()]);
  }
  const key = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef', 'hex');
  const macKey = Buffer.alloc(20, 7);
  const alert = Buffer.from([2, 40]);

  for (const etm of [false, true]) {
    it(`TLS 1.2 explicit IV${etm ? ', encrypt_then_mac' : ''}: opens, and refuses a flipped bit`, () => {
      const keys = new CbcKeys(suite(), macKey, key, Buffer.alloc(8), true, etm);
      const rec = record(key, macKey, Buffer.alloc(8, 9), 3, alert, etm, true);
      expect(keys.open(21, 0x0303, rec, 3)).to.deep.equal({ contentType: 21, plaintext: new Uint8Array(Buffer.from(alert)) });
      const bad = Buffer.from(rec);
      bad[bad.length - 1] ^= 1;
      expect(keys.open(21, 0x0303, bad, 3)).to.equal(null);
      expect(keys.open(21, 0x0303, rec, 4)).to.equal(null);
    });
  }

  it('TLS 1.0 chained IV: a skipped record moves the chain', () => {
    const iv0 = Buffer.alloc(8, 1);
    const first = record(key, macKey, iv0, 0, Buffer.from('first record, skipped'), false, false);
    const second = record(key, macKey, first.subarray(first.length - 8), 1, alert, false, false);
    const keys = new CbcKeys(suite(), macKey, key, iv0, false, false);
    keys.skipped(first.subarray(Math.max(0, first.length - 64)));
    expect(Buffer.from(keys.open(21, 0x0303, second, 1)!.plaintext)).to.deep.equal(alert);
  });
});

describe('decryption: decrypted protocol lines keep secrets masked', () => {
  it('FTP PASS, IMAP LOGIN, and a whole SMTP AUTH LOGIN exchange', () => {
    const m = new DecryptedLineMask();
    const said = [
      m.line('PASS hunter2\\r\\n', 'client'),
      m.line('a1 LOGIN jo hunter2\\r\\n', 'client'),
      m.line('AUTH LOGIN\\r\\n', 'client'),
      m.line('334 VXNlcm5hbWU6\\r\\n', 'server'),
      m.line('am8=\\r\\n', 'client'),
      m.line('334 UGFzc3dvcmQ6\\r\\n', 'server'),
      m.line('aHVudGVyMg==\\r\\n', 'client'),
      m.line('235 2.7.0 Authentication successful\\r\\n', 'server'),
      m.line('MAIL FROM:<jo@example.com>\\r\\n', 'client'),
      m.line('AUTH PLAIN am8Aam8AaHVudGVyMg==\\r\\n', 'client'),
    ];
    expect(said).to.deep.equal([
      'PASS ****\\r\\n',
      'a1 LOGIN ****\\r\\n',
      'AUTH LOGIN\\r\\n',
      '334 VXNlcm5hbWU6\\r\\n',
      '****\\r\\n',
      '334 UGFzc3dvcmQ6\\r\\n',
      '****\\r\\n',
      '235 2.7.0 Authentication successful\\r\\n',
      'MAIL FROM:<jo@example.com>\\r\\n',
      'AUTH PLAIN ****\\r\\n',
    ]);
  });
});
