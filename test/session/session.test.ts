// The session layer: where TLS starts, STARTTLS upgrades, roles, TLS 1.3 encryption, credentials.
import { expect } from 'chai';
import { corpus } from '../support/analyze.js';
import { analyzeBytes, clientHello, concatBytes, conversationPcap, record, serverHello } from '../support/conversation.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('session layer', () => {
  for (const [file, protocol] of [
    ['smtp-starttls.pcap', 'smtp'],
    ['imap-starttls.pcap', 'imap'],
    ['pop3-starttls.pcap', 'pop3'],
    ['xmpp-starttls.pcap', 'xmpp'],
    ['irc-starttls.pcap', 'irc'],
  ] as const) {
    it(`decodes the ClientHello after the ${protocol.toUpperCase()} upgrade in ${file}`, async () => {
      const r = await corpus(file);
      const tlsConns = r.connections.filter((c) => c.transcript.tls);
      expect(tlsConns.length).to.be.greaterThan(0);
      for (const c of tlsConns) {
        expect(c.transcript.tls!.upgradedFrom).to.equal(protocol);
        const ch = c.transcript.events.find((e) => e.type === 'handshake' && e.message === 'ClientHello');
        expect(ch?.type === 'handshake' && ch.body?.kind).to.equal('ClientHello');
        // The dialogue before it is in the transcript as plaintext.
        const first = c.transcript.events[0];
        expect(first.type).to.equal('plaintext');
      }
    });
  }

  it('decodes TLS after a PostgreSQL SSLRequest and its one-byte "S" answer', async () => {
    const pcap = conversationPcap(
      [
        { from: 'client', data: new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]) }, // SSLRequest (80877103)
        { from: 'server', data: new Uint8Array([0x53]) }, // 'S': go ahead with TLS
        { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0xc02f])) },
        { from: 'server', data: record(22, 0x0303, serverHello(0x0303, 0xc02f)) },
      ],
      { serverPort: 5432 },
    );
    const r = await analyzeBytes(pcap);
    const t = r.connections[0].transcript;
    expect(t.tls?.upgradedFrom).to.equal('postgresql');
    expect(t.events.filter((e) => e.type === 'handshake').map((e) => e.type === 'handshake' && e.message)).to.deep.equal(['ClientHello', 'ServerHello']);
  });

  it('decodes TLS after an LDAP StartTLS extended operation', async () => {
    // ExtendedRequest with requestName 1.3.6.1.4.1.1466.20037, and a success ExtendedResponse.
    const oid = enc('1.3.6.1.4.1.1466.20037');
    const request = concatBytes([0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, oid.length], oid);
    const response = new Uint8Array([0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
    const pcap = conversationPcap(
      [
        { from: 'client', data: request },
        { from: 'server', data: response },
        { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0xc02f])) },
        { from: 'server', data: record(22, 0x0303, serverHello(0x0303, 0xc02f)) },
      ],
      { serverPort: 389 },
    );
    const r = await analyzeBytes(pcap);
    const t = r.connections[0].transcript;
    expect(t.tls?.upgradedFrom).to.equal('ldap');
    expect(t.tls?.startFrame).to.equal(6);
    expect(t.events.some((e) => e.type === 'handshake' && e.message === 'ServerHello')).to.equal(true);
  });

  it('never prints an FTP password, and keeps the verb', async () => {
    const pcap = conversationPcap(
      [
        { from: 'server', data: enc('220 (vsFTPd 3.0.3)\r\n') },
        { from: 'client', data: enc('USER alice\r\n') },
        { from: 'server', data: enc('331 Please specify the password.\r\n') },
        { from: 'client', data: enc('PASS s3cr3t-Pa55\r\n') },
        { from: 'server', data: enc('230 Login successful.\r\n') },
      ],
      { serverPort: 21 },
    );
    const r = await analyzeBytes(pcap);
    const texts = r.connections[0].transcript.events.filter((e) => e.type === 'plaintext').map((e) => (e.type === 'plaintext' ? e.text : ''));
    expect(texts).to.include('PASS ****\\r\\n');
    expect(JSON.stringify(r.connections[0].transcript)).to.not.contain('s3cr3t');
  });

  it('answers a ClientHello with plaintext as a plaintext event, with the text', async () => {
    const pcap = conversationPcap([
      { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0xc02f, 0x002f])) },
      { from: 'server', data: enc('220 (vsFTPd 3.0.3)\r\n') },
      { from: 'server', close: 'fin' },
    ], { serverPort: 21 });
    const r = await analyzeBytes(pcap);
    const ev = r.connections[0].transcript.events;
    expect(ev.map((e) => e.type)).to.deep.equal(['handshake', 'plaintext', 'tcp']);
    const p = ev[1];
    expect(p.type === 'plaintext' && p.text).to.equal('220 (vsFTPd 3.0.3)\\r\\n');
    expect(p.type === 'plaintext' && p.protocol).to.equal('ftp');
  });

  it('swaps the roles of a conversation picked up mid-way when the "server" sends the ClientHello', async () => {
    // No SYN: the first packet comes from the real server; the ClientHello from the other side.
    const pcap = conversationPcap([
      { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0xc02f])) },
      { from: 'server', data: record(22, 0x0303, serverHello(0x0303, 0xc02f)) },
    ]);
    // Drop the SYN, SYN-ACK and ACK (frames 1-3) and swap so the server's segment comes first.
    const records = splitPcap(pcap);
    const r = await analyzeBytes(joinPcap(pcap, [records[4], records[3]]));
    const c = r.connections[0];
    expect(c.conversation.clientBasis).to.equal('payload');
    expect(c.conversation.client.port).to.equal(40000);
    expect(c.transcript.events.find((e) => e.type === 'handshake' && e.message === 'ClientHello')?.from).to.equal('client');
  });

  it('infers an encrypted TLS 1.3 alert from a 19-byte record before the close', async () => {
    const tls13 = concatBytes([0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]); // supported_versions: TLS 1.3
    const pcap = conversationPcap([
      { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0x1301], concatBytes([0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04]))) },
      { from: 'server', data: concatBytes(record(22, 0x0303, serverHello(0x0303, 0x1301, [], tls13)), record(23, 0x0303, new Uint8Array(900))) },
      { from: 'client', data: record(23, 0x0303, new Uint8Array(53)) },
      { from: 'server', data: record(23, 0x0303, new Uint8Array(19)) },
      { from: 'server', close: 'fin' },
    ]);
    const r = await analyzeBytes(pcap);
    const t = r.connections[0].transcript;
    const alert = t.events.find((e) => e.type === 'alert');
    expect(alert?.type === 'alert' && alert.inferred).to.equal(true);
    expect(alert?.from).to.equal('server');
    expect(t.tls?.established).to.equal(false);
    expect(r.findings.map((f) => f.rule)).to.include('encrypted-alert-in-handshake');
  });
});

describe('session layer bounds', () => {
  it('keeps at most 40 plaintext lines of a long dialogue and says how many it left out', async () => {
    const steps = Array.from({ length: 60 }, (_, i) => ({ from: 'server' as const, data: enc(`250-line ${i}\r\n`) }));
    const r = await analyzeBytes(conversationPcap(steps, { serverPort: 25 }));
    const t = r.connections[0].transcript;
    expect(t.events.filter((e) => e.type === 'plaintext')).to.have.length(40);
    const note = t.problems.find((p) => p.code === 'events-not-listed');
    expect(note?.message).to.match(/^20 further events not listed/);
  });
});

describe('session layer after a lost segment', () => {
  it('skips the ciphertext after a gap and picks TLS up again at the next record boundary', async () => {
    const pcap = conversationPcap([
      { from: 'client', data: record(22, 0x0301, clientHello(0x0303, [0xc02f])) },
      { from: 'server', data: record(22, 0x0303, serverHello(0x0303, 0xc02f)) },
      { from: 'client', data: concatBytes(record(20, 0x0303, [1]), record(22, 0x0303, new Uint8Array(40))) },
      { from: 'server', data: concatBytes(record(20, 0x0303, [1]), record(22, 0x0303, new Uint8Array(40))) },
      // One 3000-byte application data record split over three segments; the middle one is lost.
      { from: 'server', data: concatBytes([23, 3, 3, 0x0b, 0xb8], new Uint8Array(995)) },
      { from: 'server', data: new Uint8Array(1000).fill(0x41) },
      { from: 'server', data: new Uint8Array(1000).fill(0x42) },
      { from: 'server', data: record(21, 0x0303, new Uint8Array(26)) },
      { from: 'client', data: record(23, 0x0303, new Uint8Array(30)) },
    ]);
    const records = splitPcap(pcap);
    const lossy = joinPcap(pcap, records.filter((_, i) => i !== 8)); // frame 9: the middle segment
    const r = await analyzeBytes(lossy);
    const t = r.connections[0].transcript;
    expect(t.events.some((e) => e.type === 'tcp' && e.flag === 'gap' && e.from === 'server')).to.equal(true);
    // No ciphertext shows up as "plaintext", and the alert after the lost bytes is found again.
    expect(t.events.some((e) => e.type === 'plaintext')).to.equal(false);
    const alert = t.events.find((e) => e.type === 'alert');
    expect(alert?.frame).to.equal(10); // frames renumber once the lost segment is gone from the file
    expect(alert?.type === 'alert' && alert.encrypted).to.equal(true);
  });
});

/** The records of a classic little-endian pcap (header excluded). */
function splitPcap(pcap: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 24; at < pcap.length; ) {
    const len = pcap.readUInt32LE(at + 8);
    out.push(pcap.subarray(at, at + 16 + len));
    at += 16 + len;
  }
  return out;
}

function joinPcap(original: Buffer, records: Buffer[]): Buffer {
  return Buffer.concat([original.subarray(0, 24), ...records]);
}
