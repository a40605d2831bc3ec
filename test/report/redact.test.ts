// --redact: no original address or name survives in any format, pseudonyms are stable, and what a
// diagnosis needs (versions, suites, alerts, frames, findings) stays. FTP passwords never print.
import { expect } from 'chai';
import path from 'node:path';
import type { CaptureDocument, ReportDocument } from '../../src/report/document.js';
import { FORMATS, render, type FormatName } from '../../src/report/render.js';
import { captureRedactor, ipv6Key, redactDocument } from '../../src/report/redact.js';
import { escapeHtml } from '../../src/report/html-safe.js';
import { mdText } from '../../src/report/markdown.js';
import { CORPUS } from '../support/paths.js';
import { analyzeBytes, clientHello, concatBytes, conversationPcap, record, vec16 } from '../support/conversation.js';
import { allFormats, documentOf, documentOfResults, hostileCapture, HOSTILE_PASSWORD, HOSTILE_USER, samplePaths } from './support.js';

/** Corpus captures with certificates, SNI, STARTTLS dialogues, IPv6 (certificate-request-failed). */
const CORPUS_CAPTURES = [
  'certificate-request-failed.pcap',
  'client-certificate.pcap',
  'smtp-starttls.pcap',
  'imap-starttls.pcap',
  'pop3-starttls.pcap',
  'xmpp-starttls.pcap',
  'irc-starttls.pcap',
  'tls-expired-cert.pcap',
  'telesec.pcap',
  'ssl-v2.pcap',
  'tls13-ech.pcap',
  'https-to-http.pcap',
  'tls13draft16-ff52.a01.pcap',
].map((f) => path.join(CORPUS, f));

interface Secret {
  readonly kind: string;
  readonly value: string;
}

function endpointAddress(endpoint: string): string {
  return endpoint.replace(/^\[/, '').replace(/\]?:\d+$/, '');
}

/** Every identity the brief names, read from the unredacted document's fields. */
function secretsOf(doc: ReportDocument): Secret[] {
  const out = new Map<string, string>();
  const add = (kind: string, value: string | null | undefined) => {
    if (value && value.length >= 3) out.set(value, kind);
  };
  const certificate = (c: { subject: string; issuer: string; serialNumber: string; subjectAltNames: readonly string[] }) => {
    add('subject', c.subject);
    add('issuer', c.issuer);
    // Serial numbers shorter than 8 hex digits (`01`, `1001`) read like frame numbers; they are
    // checked field by field below instead.
    if (c.serialNumber.length >= 8) add('serial', c.serialNumber);
    for (const san of c.subjectAltNames) add('san', san.replace(/^[A-Za-z ]+:/, ''));
  };
  for (const cap of doc.captures) {
    for (const c of cap.connections) {
      add('ip', endpointAddress(c.client));
      add('ip', endpointAddress(c.server));
      if (!c.tls) continue;
      add('sni', c.tls.sni);
      for (const cert of [...c.tls.serverCertificates, ...c.tls.clientCertificates]) certificate(cert);
      for (const e of c.events) {
        if (e.type !== 'handshake' || !e.body) continue;
        if (e.body.kind === 'Certificate') for (const cert of e.body.certificates) certificate(cert);
        if (e.body.kind === 'CertificateRequest') for (const a of e.body.authorities) add('CA list name', a.text);
      }
    }
  }
  return [...out].map(([value, kind]) => ({ kind, value }));
}

const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** Whether `needle` occurs in `hay` as a whole value (not as the middle of a longer word or number). */
function occurs(hay: string, needle: string): boolean {
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    const before = hay[i - 1];
    const after = hay[i + needle.length];
    if (isWord(needle[0]) && isWord(before)) continue;
    if (isWord(needle[needle.length - 1]) && isWord(after)) continue;
    return true;
  }
  return false;
}

/** The spellings a value can take in a format: as is, and escaped the way the format escapes. */
function spellings(value: string, format: FormatName): string[] {
  const s = new Set([value]);
  if (format === 'json' || format === 'ndjson') s.add(JSON.stringify(value).slice(1, -1));
  if (format === 'html') s.add(escapeHtml(value));
  if (format === 'markdown') {
    s.add(mdText(value));
    s.add(value.replace(/\|/g, '\\|'));
  }
  return [...s];
}

function leaks(outputs: Record<FormatName, string>, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const format of FORMATS) {
    const out = outputs[format];
    for (const { kind, value } of secrets) {
      if (spellings(value, format).some((v) => occurs(out, v))) found.push(`${format}: ${kind} ${JSON.stringify(value)}`);
    }
  }
  return found;
}

describe('report: --redact', () => {
  let plain: ReportDocument;
  let secrets: Secret[];
  let redacted: Record<FormatName, string>;

  before(async function () {
    const hostile = await hostileCapture();
    const doc = await documentOf([...samplePaths(), ...CORPUS_CAPTURES], ['--redact', 'captures/']);
    plain = { ...doc, captures: [...doc.captures, ...documentOfResults([hostile]).captures] };
    secrets = secretsOf(plain);
    redacted = allFormats(plain, { redact: true });
  });

  it('collects the identities to look for: IPv4 and IPv6 addresses, SNI, subjects, issuers, SANs, serials, CA names', () => {
    const kinds = new Set(secrets.map((s) => s.kind));
    for (const k of ['ip', 'sni', 'subject', 'issuer', 'san', 'serial', 'CA list name']) expect(kinds, k).to.include(k);
    expect(secrets.some((s) => s.kind === 'ip' && s.value.includes(':')), 'an IPv6 address').to.equal(true);
    expect(secrets.length).to.be.greaterThan(50);
  });

  it('the same identities do appear in the unredacted formats (the search below can find them)', () => {
    const unredacted = allFormats(plain);
    const shown = secrets.filter(({ value }) => occurs(unredacted.json, value) || occurs(unredacted.json, JSON.stringify(value).slice(1, -1)));
    expect(shown.length).to.equal(secrets.length);
    expect(occurs(unredacted.text, 'localhost')).to.equal(true);
    expect(occurs(unredacted.html, 'CN=localhost,O=tlsdiag test')).to.equal(true);
  });

  it('no original address or name survives in any format', () => {
    expect(leaks(redacted, secrets)).to.deep.equal([]);
  });

  it('serial numbers of every length are replaced in their fields', () => {
    const doc = JSON.parse(redacted.json) as ReportDocument;
    const serials: string[] = [];
    // Compact detail: each certificate once per capture, by fingerprint.
    for (const cap of doc.captures) for (const cert of Object.values((cap as unknown as { certificates: Record<string, { serialNumber: string }> }).certificates ?? {})) serials.push(cert.serialNumber);
    expect(serials.length).to.be.greaterThan(5);
    for (const s of serials) expect(s).to.match(/^serial-\d+$/);
  });

  it('a host name, an address and a user quoted in a plaintext dialogue are replaced', () => {
    for (const format of FORMATS) {
      const out = redacted[format];
      expect(out, format).to.not.include('secret-corp');
      expect(out, format).to.not.include('10.9.8.');
      expect(out, format).to.not.include(HOSTILE_USER);
    }
    expect(redacted.text).to.match(/"USER user-\d+"/);
  });

  it('FTP passwords are never printed, redacted or not', async () => {
    const doc = documentOfResults([await hostileCapture()]);
    for (const [format, out] of Object.entries({ ...allFormats(doc), ...allFormats(doc, { redact: true }) })) {
      expect(out, format).to.not.include(HOSTILE_PASSWORD);
    }
    expect(allFormats(doc).text).to.include('"PASS ****"');
  });

  it('keeps versions, suites, alerts, frame numbers and findings', async () => {
    const doc = await documentOf([path.join(CORPUS, 'certificate-request-failed.pcap')]);
    const before = allFormats(doc).text;
    const after = allFormats(doc, { redact: true }).text;
    for (const kept of ['TLS 1.2', 'handshake_failure(40)', 'client-certificate-missing', 'tcp.stream eq 0 && frame.number in', 'CertificateRequest']) {
      expect(before, kept).to.include(kept);
      expect(after, kept).to.include(kept);
    }
    const suite = doc.captures[0].connections[0].tls?.cipherSuite?.name;
    expect(suite).to.be.a('string');
    expect(after).to.include(suite!);
  });

  it('gives one value one pseudonym everywhere: ::1 and 0:0:0:0:0:0:0:1 are one address; the SNI and the SAN are one name', async () => {
    const doc = redactDocument(await documentOf([path.join(samplePaths()[0])]));
    const cap = doc.captures[0];
    const c = cap.connections[0];
    expect(c.client).to.match(/^ipv4-\d+:\d+$/);
    expect(endpointAddress(c.client)).to.equal(endpointAddress(c.server)); // 127.0.0.1 on both ends
    const cert = c.tls!.serverCertificates[0];
    expect(cert.subjectAltNames).to.include(`DNS:${c.tls!.sni}`);
    expect(cert.subjectAltNames).to.include(`IP:${endpointAddress(c.client)}`);
    expect(cert.subjectAltNames.filter((s) => s.startsWith('IP:ipv6-'))).to.have.length(1);
    // The same subject is the same pseudonym in the certificate and in the finding's sentences.
    const json = JSON.stringify(doc);
    expect(json).to.include(cert.subject);
    expect(cert.subject).to.match(/^dn-\d+$/);
  });

  it('IPv6 candidates are told from times and MAC addresses', () => {
    expect(ipv6Key('::1')).to.equal('0:0:0:0:0:0:0:1');
    expect(ipv6Key('0:0:0:0:0:0:0:1')).to.equal('0:0:0:0:0:0:0:1');
    expect(ipv6Key('fd42:496a:d659:bb85::1')).to.equal('fd42:496a:d659:bb85:0:0:0:1');
    expect(ipv6Key('::ffff:10.1.2.3')).to.equal('0:0:0:0:0:ffff:a01:203');
    expect(ipv6Key('12:34:56')).to.equal(null);
    expect(ipv6Key('00:1a:2b:3c:4d:5e')).to.equal(null);
    expect(ipv6Key('1::2::3')).to.equal(null);
  });

  it('leaves words that only look like names alone: product messages, sections, file types', () => {
    const doc: ReportDocument = redactDocument(plain);
    const texts = JSON.stringify(doc.captures.flatMap((c) => c.findings.map((f) => [f.products, f.references])));
    expect(texts).to.include('javax.net.ssl.SSLHandshakeException');
    expect(texts).to.not.match(/§ipv4-/);
    const text = render('text', plain, { color: false, redact: true });
    expect(text).to.include('vsftpd.conf');
  });

  it('a streaming redactor keeps pseudonyms stable across captures', async () => {
    const doc = await documentOf(samplePaths().slice(0, 3));
    const redact = captureRedactor();
    const caps: CaptureDocument[] = doc.captures.map(redact);
    const names = caps.map((c) => c.connections[0]?.tls?.sni).filter((s): s is string => typeof s === 'string');
    expect(names.length).to.be.greaterThan(1);
    expect(new Set(names).size).to.equal(1); // every sample's SNI is localhost
    expect(names[0]).to.match(/^host-\d+\.redacted$/);
  });

  it('marks the document and every human format as redacted', () => {
    expect((JSON.parse(redacted.json) as { redacted?: boolean }).redacted).to.equal(true);
    expect(redacted.text).to.include('redacted');
    expect(redacted.markdown).to.include('**Redacted:**');
    expect(redacted.html).to.include('class="notice"');
    expect(redacted.ndjson.split('\n')[0]).to.include('"redacted":true');
  });
});

describe('report: --redact leaks found by issue #14', () => {
  const t = (s: string) => new TextEncoder().encode(s);
  /** server_name extension (RFC 6066 §3) holding one host name. */
  const sni = (name: string) => {
    const n = t(name);
    const list = concatBytes([0], vec16(n));
    return concatBytes([0, 0], vec16(vec16(list)));
  };
  let doc: ReportDocument;

  before(async () => {
    // An FTP session in which the server echoes the user, and passive and active data addresses
    // travel in RFC 959's comma form; an SMTP server whose multi-line reply opens with its host name;
    // a ClientHello whose SNI (`db`) is shorter than the literal scan's three characters.
    const ftp = await analyzeBytes(conversationPcap([
      { from: 'server', data: t('220 Welcome\r\n') },
      { from: 'client', data: t('USER jo\r\n') },
      { from: 'server', data: t('331 Password required for jo\r\n') },
      { from: 'client', data: t('PASS s3cret-Pass\r\n') },
      { from: 'server', data: t('230 User jo logged in\r\n') },
      { from: 'client', data: t('USER alice\r\n') },
      { from: 'server', data: t('331 Password required for alice.\r\n') },
      { from: 'client', data: t('PASV\r\n') },
      { from: 'server', data: t('227 Entering Passive Mode (192,168,77,10,195,80).\r\n') },
      { from: 'client', data: t('PORT 172,16,5,9,4,1\r\n') },
      { from: 'server', data: t('200 PORT command successful\r\n') },
      { from: 'client', data: t('AUTH TLS\r\n') },
      { from: 'server', data: t('234 AUTH TLS successful\r\n') },
      { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0x002f], sni('db'))) },
      { from: 'server', data: record(21, 0x0303, concatBytes([2, 40])) },
      { from: 'server', close: 'fin' },
      { from: 'client', close: 'fin' },
    ], { serverPort: 21 }), 'ftp.pcap');
    const smtp = await analyzeBytes(conversationPcap([
      { from: 'server', data: t('220 mx1.secret-corp.example ESMTP ready\r\n') },
      { from: 'client', data: t('EHLO client.secret-corp.example\r\n') },
      { from: 'server', data: t('250-mx1.secret-corp.example Hello client\r\n250-SIZE 1000\r\n250 STARTTLS\r\n') },
      { from: 'client', data: t('STARTTLS\r\n') },
      { from: 'server', data: t('220 2.0.0 Ready to start TLS\r\n') },
      { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0x002f], sni('mx1.secret-corp.example'))) },
      { from: 'server', data: record(21, 0x0303, concatBytes([2, 40])) },
      { from: 'server', close: 'fin' },
      { from: 'client', close: 'fin' },
    ], { serverPort: 25 }), 'smtp.pcap');
    doc = documentOfResults([ftp, smtp]);
  });

  it('the values are in the unredacted report (the search can find them)', () => {
    const all = Object.values(allFormats(doc, { redact: false, all: true })).join('\n');
    for (const v of ['192,168,77,10', '172,16,5,9', 'required for jo', 'for alice', '250-mx1.secret-corp.example']) expect(all).to.include(v);
    expect(JSON.stringify(doc)).to.include('"sni":"db"');
  });

  for (const format of FORMATS) {
    it(`${format}: no comma-form address, echoed user, short SNI; reply codes kept`, () => {
      const out = allFormats(doc, { redact: true, all: true })[format];
      expect(out).not.to.match(/192,168,77,10|172,16,5,9|192\.168\.77\.10|172\.16\.5\.9/);
      expect(out).not.to.match(/\bjo\b|\balice\b/);
      expect(out).not.to.match(/\bdb\b/);
      expect(out).not.to.include('secret-corp');
      expect(out).not.to.include('s3cret-Pass');
      if (format === 'json' || format === 'ndjson' || format === 'text') {
        // the ports of the data connection stay, and so does the reply code before a redacted host
        expect(out).to.match(/ipv4-\d+,195,80/);
        expect(out).to.match(/250-host-\d+\.redacted/);
        expect(out).to.match(/required for user-\d+/);
      }
    });
  }
});
