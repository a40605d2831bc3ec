#!/usr/bin/env node
/**
 * strict-client: puts on the wire what IBM z/OS System SSL (the z/OS FTP client, XCOM) does when a
 * server's CertificateRequest carries an empty certificate_authorities list: it sends a fatal
 * illegal_parameter(47) alert and closes with FIN (Broadcom KB 229426 shows that trace; IBM reports it
 * as gsk_secure_socket_init RC 410). Used to record samples/zos-*.pcap and
 * samples/vsftpd-zos-auth-tls-empty-ca-list.pcap.
 *
 *   node dist/scripts/strict-client.js --host 127.0.0.1 --port P [--ftp] [--version tls1.0|tls1.2]
 *        [--ciphers 0035,002f,...]
 *
 * --ftp       explicit FTPS first: read the 220 banner, send `AUTH TLS`, expect 234 (RFC 4217 §4).
 * --version   ClientHello.client_version (default tls1.2). The record version is always 0x0301, as
 *             many clients send their first record (RFC 5246 Appendix E.1).
 * --ciphers   hex suite numbers; default the z/OS FTP client's 0035 0038 0039 002F 0032 0033.
 *             TLS_EMPTY_RENEGOTIATION_INFO_SCSV (00FF, RFC 5746) is always appended.
 *
 * It parses the server's records and handshake messages (reassembled across records and segments);
 * on a CertificateRequest whose certificate_authorities vector is empty it sends the fatal alert with
 * the record version of the ServerHello's server_version, half-closes (FIN) and prints whatever the
 * server still says (vsftpd writes a `500 OOPS:` line) until the server closes too.
 *
 * Limits, on purpose: it is not System SSL and has no cryptography, so it can never complete a
 * handshake. When the CA list is not empty (or there is no CertificateRequest) a real System SSL
 * client would go on; this one says so and closes with a bare FIN (no alert, no close_notify): such a
 * capture is NOT a sample of a successful handshake. It imitates this one check only: no certificate
 * validation, no SSLv3, no TLS 1.3, no extensions but signature_algorithms (TLS 1.2 only), and its
 * ClientHello is not byte-for-byte the one System SSL sends.
 *
 * Exit status: 0 when it sent alert 47, 2 when the server gave it no reason to (non-empty CA list, an
 * alert, non-TLS bytes, an early close), 1 on bad arguments or a socket error.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

const CLIENT_VERSIONS: Readonly<Record<string, number>> = { 'tls1.0': 0x0301, 'tls1.2': 0x0303 };
/** Knowledge notes §4.2: the suites a z/OS 2.2 FTP client offered to vsftpd. */
const ZOS_FTP_SUITES = [0x0035, 0x0038, 0x0039, 0x002f, 0x0032, 0x0033];
const RENEGOTIATION_INFO_SCSV = 0x00ff;
/** RFC 5246 §7.4.1.4.1 SignatureAndHashAlgorithm: {sha256,sha384,sha512,sha1} x {rsa,ecdsa}. */
const SIGNATURE_ALGORITHMS = [0x0401, 0x0501, 0x0601, 0x0201, 0x0403, 0x0503, 0x0603, 0x0203];
const CONTENT_ALERT = 21;
const CONTENT_HANDSHAKE = 22;
const HS_SERVER_HELLO = 2;
const HS_CERTIFICATE = 11;
const HS_CERTIFICATE_REQUEST = 13;
const HS_SERVER_HELLO_DONE = 14;
const HANDSHAKE_NAMES: Readonly<Record<number, string>> = {
  2: 'ServerHello', 11: 'Certificate', 12: 'ServerKeyExchange', 13: 'CertificateRequest', 14: 'ServerHelloDone',
};
const ILLEGAL_PARAMETER = 47;

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
const say = (line: string): void => { process.stdout.write(`${line}\n`); };

/** Bytes received and not yet consumed; reads wait until enough bytes arrived or the peer closed. */
class Inbox {
  private buffered = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => { this.buffered = Buffer.concat([this.buffered, chunk]); this.notify(); });
    socket.on('end', () => { this.ended = true; this.notify(); });
    socket.on('close', () => { this.ended = true; this.notify(); });
  }

  private notify(): void { const w = this.wake; this.wake = null; w?.(); }

  private async waitFor(ready: () => boolean): Promise<boolean> {
    while (!ready()) {
      if (this.ended) return false;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
    return true;
  }

  /** Exactly n bytes, or null when the peer closed before sending them. */
  async take(n: number): Promise<Buffer | null> {
    if (!(await this.waitFor(() => this.buffered.length >= n))) return null;
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  /** One CRLF-terminated line without its terminator, or null at close. */
  async line(): Promise<string | null> {
    if (!(await this.waitFor(() => this.buffered.includes(0x0a)))) return null;
    const end = this.buffered.indexOf(0x0a);
    const text = this.buffered.subarray(0, end).toString('latin1').replace(/\r$/, '');
    this.buffered = this.buffered.subarray(end + 1);
    return text;
  }

  /** Everything the peer sends until it closes. */
  async drain(): Promise<Buffer> {
    await this.waitFor(() => false);
    return this.buffered;
  }
}

/** An FTP reply (RFC 959 §4.2: `NNN-` lines continue until `NNN `); returns its code. */
async function ftpReply(inbox: Inbox): Promise<number | null> {
  for (;;) {
    const line = await inbox.line();
    if (line === null) return null;
    say(`<- ${line}`);
    if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) return Number(line.slice(0, 3));
  }
}

function clientHello(clientVersion: number, suites: readonly number[]): Buffer {
  const offered = [...suites, RENEGOTIATION_INFO_SCSV];
  const suiteBytes = Buffer.alloc(2 + offered.length * 2);
  suiteBytes.writeUInt16BE(offered.length * 2, 0);
  offered.forEach((s, i) => suiteBytes.writeUInt16BE(s, 2 + i * 2));
  let extensions = Buffer.alloc(0);
  if (clientVersion >= 0x0303) {
    // RFC 5246 §7.4.1.4.1: a TLS 1.2 client that omits signature_algorithms implies SHA-1 only.
    const list = SIGNATURE_ALGORITHMS.length * 2;
    extensions = Buffer.alloc(2 + 6 + list);
    extensions.writeUInt16BE(6 + list, 0); // extensions<0..2^16-1>
    extensions.writeUInt16BE(0x000d, 2); // signature_algorithms
    extensions.writeUInt16BE(2 + list, 4);
    extensions.writeUInt16BE(list, 6);
    SIGNATURE_ALGORITHMS.forEach((a, i) => extensions.writeUInt16BE(a, 8 + i * 2));
  }
  const body = Buffer.concat([
    Buffer.from([clientVersion >> 8, clientVersion & 0xff]), randomBytes(32),
    Buffer.from([0]), suiteBytes, Buffer.from([1, 0]), extensions,
  ]);
  const handshake = Buffer.concat([Buffer.from([1, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  const header = Buffer.from([CONTENT_HANDSHAKE, 0x03, 0x01, handshake.length >> 8, handshake.length & 0xff]);
  return Buffer.concat([header, handshake]);
}

/** certificate_authorities length of a TLS <= 1.2 CertificateRequest (RFC 5246 §7.4.4), or null if cut. */
function caListLength(body: Buffer, version: number): number | null {
  let at = 1 + (body.length > 0 ? body[0] : 0); // certificate_types<1..2^8-1>
  if (version >= 0x0303) {
    if (at + 2 > body.length) return null;
    at += 2 + body.readUInt16BE(at); // supported_signature_algorithms<2..2^16-2>
  }
  return at + 2 <= body.length ? body.readUInt16BE(at) : null;
}

/** Half-closes (FIN, after `last` when given), prints what the server still sends, exits. */
async function finish(socket: net.Socket, inbox: Inbox, status: number, last?: Buffer): Promise<never> {
  // The FIN follows the alert as soon as it is written (z/OS closes right after its alert); on
  // loopback an OpenSSL server still reads the alert and sends its own FIN first.
  if (last) socket.end(last);
  else socket.end();
  say('-> FIN');
  const rest = await inbox.drain();
  // Whole TLS records first (the rest of the server's flight), then anything else as text.
  let at = 0;
  while (at + 5 <= rest.length && rest[at] >= 20 && rest[at] <= 24 && rest[at + 1] === 3
    && at + 5 + rest.readUInt16BE(at + 3) <= rest.length) {
    at += 5 + rest.readUInt16BE(at + 3);
  }
  if (at > 0) say(`<- ${at} more bytes of TLS records (the rest of the server's flight)`);
  if (at < rest.length) say(`<- ${JSON.stringify(rest.subarray(at).toString('latin1'))}`);
  say('<- FIN (connection closed)');
  process.exit(status);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string' }, ftp: { type: 'boolean', default: false },
      version: { type: 'string', default: 'tls1.2' }, ciphers: { type: 'string' },
    },
  });
  const clientVersion = CLIENT_VERSIONS[values.version ?? ''];
  const suites = values.ciphers ? values.ciphers.split(',').map((s) => parseInt(s, 16)) : ZOS_FTP_SUITES;
  if (!values.port || clientVersion === undefined || suites.some((s) => !(s >= 0 && s <= 0xffff))) {
    process.stderr.write('usage: strict-client --host H --port P [--ftp] [--version tls1.0|tls1.2] [--ciphers 0035,002f]\n');
    process.exit(1);
  }
  const socket = net.connect({ host: values.host, port: Number(values.port) });
  socket.setNoDelay(true);
  socket.on('error', (err) => { process.stderr.write(`strict-client: ${err.message}\n`); process.exit(1); });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const inbox = new Inbox(socket);
  say(`connected to ${values.host}:${values.port}`);

  if (values.ftp) {
    if ((await ftpReply(inbox)) !== 220) return finish(socket, inbox, 2);
    socket.write('AUTH TLS\r\n');
    say('-> AUTH TLS');
    if ((await ftpReply(inbox)) !== 234) return finish(socket, inbox, 2);
  }

  socket.write(clientHello(clientVersion, suites));
  say(`-> ClientHello record 0301 client_version ${hex4(clientVersion)} suites ${suites.map(hex4).join(' ')} +00ff`);

  let handshake = Buffer.alloc(0);
  let serverVersion = 0x0301;
  for (;;) {
    const header = await inbox.take(5);
    if (header === null) { say('<- FIN before the server flight was complete'); return finish(socket, inbox, 2); }
    if (header[0] < 20 || header[0] > 24 || header[1] !== 3) {
      say(`<- not a TLS record: ${JSON.stringify(header.toString('latin1'))}...`);
      return finish(socket, inbox, 2);
    }
    const fragment = await inbox.take(header.readUInt16BE(3));
    if (fragment === null) { say('<- FIN inside a record'); return finish(socket, inbox, 2); }
    if (header[0] === CONTENT_ALERT) {
      say(`<- Alert level ${fragment[0]} description ${fragment[1]}`);
      return finish(socket, inbox, 2);
    }
    if (header[0] !== CONTENT_HANDSHAKE) { say(`<- record type ${header[0]}: not expected before ServerHelloDone`); return finish(socket, inbox, 2); }
    handshake = Buffer.concat([handshake, fragment]);
    while (handshake.length >= 4 && handshake.length >= 4 + handshake.readUIntBE(1, 3)) {
      const type = handshake[0];
      const body = handshake.subarray(4, 4 + handshake.readUIntBE(1, 3));
      handshake = handshake.subarray(4 + body.length);
      const name = HANDSHAKE_NAMES[type] ?? `handshake type ${type}`;
      if (type === HS_SERVER_HELLO && body.length >= 38) {
        serverVersion = body.readUInt16BE(0);
        const suiteAt = 35 + body[34];
        const suite = suiteAt + 2 <= body.length ? hex4(body.readUInt16BE(suiteAt)) : '?';
        say(`<- ServerHello record ${hex4(header.readUInt16BE(1))} server_version ${hex4(serverVersion)} suite ${suite}`);
      } else if (type === HS_CERTIFICATE_REQUEST) {
        const caLength = caListLength(body, serverVersion);
        say(`<- CertificateRequest certificate_authorities length ${caLength ?? 'cut short'}`);
        if (caLength === 0) {
          const alert = Buffer.from([CONTENT_ALERT, serverVersion >> 8, serverVersion & 0xff, 0, 2, 2, ILLEGAL_PARAMETER]);
          say(`-> Alert record ${hex4(serverVersion)} fatal illegal_parameter(47), as System SSL does (RC 410)`);
          return finish(socket, inbox, 0, alert);
        }
        say('   the list is not empty: System SSL would go on with the handshake; this client has no crypto and stops');
        return finish(socket, inbox, 2);
      } else if (type === HS_SERVER_HELLO_DONE) {
        say('<- ServerHelloDone without a CertificateRequest: System SSL would go on; this client has no crypto and stops');
        return finish(socket, inbox, 2);
      } else {
        say(`<- ${name}${type === HS_CERTIFICATE ? ` (${body.length} bytes)` : ''}`);
      }
    }
  }
}

await main();
