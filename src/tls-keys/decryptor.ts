/**
 * One connection's decryption: which keys protect each direction's records, and when they change.
 *
 *   TLS 1.3  ServerHello ─▶ handshake traffic keys (server now, client after its early data);
 *            a side's Finished ─▶ its application traffic keys (…_TRAFFIC_SECRET_0);
 *            KeyUpdate ─▶ the next generation; EndOfEarlyData ─▶ the client's handshake keys.
 *            0-RTT: CLIENT_EARLY_TRAFFIC_SECRET, with the suite tried among those the client offered.
 *   TLS ≤ 1.2 ServerHello ─▶ the key block from the master secret (CLIENT_RANDOM; for a resumed
 *            session, the master secret of the session it resumes, by session id);
 *            a side's ChangeCipherSpec ─▶ its keys, sequence number 0.
 *
 * The session layer (src/session/connection.ts) asks per record whether it is protected, and whether
 * it is worth opening; every protected record moves the sequence number, opened or not.
 */
import type { Direction } from '../flow/types.js';
import type { HandshakeBody } from '../../decoders/tls/types.js';
import type { ClientSecrets, KeyLog } from './keylog.js';
import { prf10, prf12 } from './kdf.js';
import { suiteCrypto, type SuiteCrypto } from './suites.js';
import { CbcKeys, Tls12AeadKeys, Tls13Keys, type Opened, type RecordKeys } from './record-crypto.js';
import { issuedTicket, presentedTicket } from './tickets.js';

type ClientHello = Extract<HandshakeBody, { kind: 'ClientHello' }>;
type ServerHello = Extract<HandshakeBody, { kind: 'ServerHello' }>;

/** How decryption went for a connection, for the capture's note. */
export type DecryptionStatus = 'no-key' | 'unsupported' | 'decrypting' | 'failed';

const EXT_ENCRYPT_THEN_MAC = 22;
const EXT_EARLY_DATA = 42;
const HS_FINISHED = 20;
const HS_END_OF_EARLY_DATA = 5;
const HS_KEY_UPDATE = 24;
const CT_CHANGE_CIPHER_SPEC = 20;
const CT_APPLICATION_DATA = 23;

class Side {
  /** Keys protecting this side's next record; null before they apply. */
  keys: RecordKeys | null = null;
  seq = 0;
  /** TLS ≤ 1.2: the keys its ChangeCipherSpec turns on. TLS 1.3 during 0-RTT: the handshake keys. */
  pending: RecordKeys | null = null;
  /** TLS 1.3: the application traffic secret its Finished turns on (keys derived then). */
  application: Uint8Array | null = null;
  /** TLS 1.3 0-RTT before the suite is known: candidate early keys. */
  earlyCandidates: Tls13Keys[] | null = null;
  /** This side's Finished has been seen (decrypted): what follows is application data. */
  finished = false;
  /** Records opened after the handshake (post-handshake messages), for the budget. */
  postHandshakeOpened = 0;
  /** Line-protocol plaintext decrypted so far. */
  textBytes = 0;
}

export class ConnectionDecryptor {
  private readonly sides = { client: new Side(), server: new Side() };
  private clientHello: ClientHello | null = null;
  /** The session ticket the ClientHello presents, as a string (TLS ≤ 1.2 resumption). */
  private ticket: string | null = null;
  /** TLS ≤ 1.2: this connection's master secret, for the tickets its server issues. */
  private master: Uint8Array | null = null;
  private secrets: ClientSecrets | undefined;
  private suite: SuiteCrypto | null = null;
  private tls13 = false;
  status: DecryptionStatus = 'no-key';
  /** Set once a record failed to authenticate: the frame, for the note. */
  failure: { readonly frame: number; readonly from: Direction } | null = null;

  constructor(private readonly keys: KeyLog) {}

  get isTls13(): boolean {
    return this.tls13;
  }

  /** `raw`: the message body as sent (for the session ticket it presents). */
  onClientHello(ch: ClientHello, raw: Uint8Array): void {
    // The second ClientHello after a HelloRetryRequest keeps the random; a TLS ≤ 1.2 renegotiation
    // (a ClientHello after a ServerHello) is a new handshake with its own random and keys.
    if (this.clientHello !== null && (this.suite === null || this.tls13)) return;
    this.clientHello = ch;
    this.ticket = presentedTicket(raw);
    this.secrets = this.keys.lookup(ch.random.toLowerCase());
    const early = this.secrets?.clientEarly;
    if (early !== undefined && ch.extensions.some((e) => e.type === EXT_EARLY_DATA)) {
      // 0-RTT: the suite is the resumed session's, not yet known. Try the client's TLS 1.3 suites.
      const candidates: Tls13Keys[] = [];
      for (const code of ch.cipherSuites) {
        const s = suiteCrypto(code.code);
        if (s !== null && s.tls13 && (s.hash === 'sha384' ? 48 : 32) === early.length) candidates.push(new Tls13Keys(s, early));
      }
      if (candidates.length > 0) {
        this.sides.client.earlyCandidates = candidates;
        this.status = 'decrypting';
      }
    }
  }

  onServerHello(sh: ServerHello): void {
    if (sh.helloRetryRequest || this.clientHello === null) return;
    const suite = suiteCrypto(sh.cipherSuite.code);
    const version = sh.negotiatedVersion;
    this.tls13 = version === 0x0304 || (version >> 8) === 0x7f;
    if (suite === null || (this.tls13 !== suite.tls13) || version < 0x0301) {
      this.status = this.secrets !== undefined ? 'unsupported' : 'no-key';
      this.sides.client.earlyCandidates = null;
      return;
    }
    this.suite = suite;
    if (this.tls13) this.serverHello13(suite);
    else this.serverHello12(suite, sh);
  }

  private serverHello13(suite: SuiteCrypto): void {
    const s = this.secrets;
    const len = suite.hash === 'sha384' ? 48 : 32;
    const usable = (x: Uint8Array | undefined) => (x !== undefined && x.length === len ? x : undefined);
    // Each direction on its own: a client that gives up on the server's certificate logs the
    // server's handshake secret and nothing of its own, and the server's flight still decrypts.
    const serverHs = usable(s?.serverHandshake);
    const clientHs = usable(s?.clientHandshake);
    const client = this.sides.client;
    if (serverHs === undefined && clientHs === undefined) {
      this.status = client.earlyCandidates !== null ? 'decrypting' : s !== undefined && (s.serverHandshake ?? s.clientHandshake) !== undefined ? 'failed' : 'no-key';
      return;
    }
    this.status = 'decrypting';
    const server = this.sides.server;
    if (serverHs !== undefined) {
      server.keys = new Tls13Keys(suite, serverHs);
      server.seq = 0;
      server.application = usable(s?.serverTraffic0) ?? null;
    }
    if (clientHs !== undefined) {
      const hs = new Tls13Keys(suite, clientHs);
      if (client.earlyCandidates !== null || client.keys !== null) {
        // Early data is (or may be) still coming: the handshake keys take over at EndOfEarlyData, or
        // at the first record the early keys do not open (the server refused 0-RTT).
        client.pending = hs;
      } else {
        client.keys = hs;
        client.seq = 0;
      }
      client.application = usable(s?.clientTraffic0) ?? null;
    } else {
      client.earlyCandidates = null;
      client.keys = null;
    }
  }

  private serverHello12(suite: SuiteCrypto, sh: ServerHello): void {
    const ch = this.clientHello!;
    let master = this.secrets?.master;
    // An echoed session id is a resumption (RFC 5246 §7.4.1.3; with a ticket, RFC 5077 §3.4): the
    // master secret is the resumed session's, learnt from an earlier connection of the capture.
    const resumed = sh.sessionId.length > 0 && sh.sessionId === ch.sessionId;
    if (master === undefined && resumed) master = this.keys.sessionMaster(`id:${sh.sessionId}`) ?? (this.ticket !== null ? this.keys.sessionMaster(`ticket:${this.ticket}`) : undefined);
    if (master === undefined) {
      this.status = 'no-key';
      return;
    }
    this.master = master;
    if (sh.sessionId.length > 0) this.keys.rememberSession(`id:${sh.sessionId}`, master);
    const version = sh.negotiatedVersion;
    const seed = Buffer.concat([Buffer.from(sh.random, 'hex'), Buffer.from(ch.random, 'hex')]);
    const ivLength = suite.kind === 'cbc' ? (version === 0x0301 ? suite.blockSize : 0) : suite.fixedIvLength;
    const total = 2 * (suite.macLength + suite.keyLength + ivLength);
    const block = version >= 0x0303 ? prf12(suite.hash, master, 'key expansion', seed, total) : prf10(master, 'key expansion', seed, total);
    let off = 0;
    const take = (n: number) => block.subarray(off, (off += n));
    const clientMac = take(suite.macLength);
    const serverMac = take(suite.macLength);
    const clientKey = take(suite.keyLength);
    const serverKey = take(suite.keyLength);
    const clientIv = take(ivLength);
    const serverIv = take(ivLength);
    if (suite.kind === 'aead') {
      this.sides.client.pending = new Tls12AeadKeys(suite, clientKey, clientIv);
      this.sides.server.pending = new Tls12AeadKeys(suite, serverKey, serverIv);
    } else {
      const etm = ch.extensions.some((e) => e.type === EXT_ENCRYPT_THEN_MAC) && sh.extensions.some((e) => e.type === EXT_ENCRYPT_THEN_MAC);
      const explicitIv = version >= 0x0302;
      const zero = new Uint8Array(suite.blockSize);
      this.sides.client.pending = new CbcKeys(suite, clientMac, clientKey, explicitIv ? zero : clientIv, explicitIv, etm);
      this.sides.server.pending = new CbcKeys(suite, serverMac, serverKey, explicitIv ? zero : serverIv, explicitIv, etm);
    }
    this.status = 'decrypting';
  }

  /** TLS ≤ 1.2: a side's ChangeCipherSpec; its next record is protected by the new keys. */
  onChangeCipherSpec(dir: Direction): void {
    if (this.tls13) return;
    const side = this.sides[dir];
    if (side.pending !== null) {
      side.keys = side.pending;
      side.pending = null;
      side.seq = 0;
    } else if (side.keys !== null) {
      side.keys = null; // a renegotiation without a key for it: stop rather than fail
    }
  }

  /** TLS ≤ 1.2: a NewSessionTicket (in the clear or decrypted) lets later connections resume this session. */
  onNewSessionTicket(raw: Uint8Array): void {
    if (this.tls13 || this.master === null) return;
    const t = issuedTicket(raw);
    if (t !== null) this.keys.rememberSession(`ticket:${t}`, this.master);
  }

  /** A handshake message from `dir`, decrypted (TLS 1.3 key changes follow messages). */
  onHandshake(dir: Direction, type: number): void {
    if (!this.tls13) {
      if (type === HS_FINISHED) this.sides[dir].finished = true;
      return;
    }
    const side = this.sides[dir];
    if (type === HS_FINISHED && !side.finished) {
      side.finished = true;
      side.keys = side.application !== null && this.suite !== null ? new Tls13Keys(this.suite, side.application) : null;
      side.seq = 0;
    } else if (type === HS_END_OF_EARLY_DATA && dir === 'client') {
      side.keys = side.pending;
      side.pending = null;
      side.earlyCandidates = null;
      side.seq = 0;
    } else if (type === HS_KEY_UPDATE && side.keys instanceof Tls13Keys) {
      side.keys = side.keys.next();
      side.seq = 0;
    }
  }

  /** Whether a record of this type from `dir` is protected by keys this decryptor holds. */
  protects(dir: Direction, contentType: number): boolean {
    if (this.failure !== null) return false;
    const side = this.sides[dir];
    if (side.keys === null && side.earlyCandidates === null) return false;
    return this.tls13 || side.earlyCandidates !== null ? contentType === CT_APPLICATION_DATA : contentType !== CT_CHANGE_CIPHER_SPEC || side.keys !== null;
  }

  /**
   * Whether a protected record is worth opening: always during the handshake; afterwards the small
   * records (alerts, KeyUpdate), the server's first post-handshake records (NewSessionTicket) and
   * a line protocol's first KB. Bulk data never.
   */
  wants(dir: Direction, contentType: number, length: number, lineProtocol: boolean): boolean {
    const side = this.sides[dir];
    if (!this.tls13 && side.earlyCandidates === null) {
      if (contentType !== CT_APPLICATION_DATA) return true;
      return lineProtocol && side.textBytes < TEXT_BUDGET;
    }
    if (!side.finished) return true;
    if (length <= 64) return true;
    if (lineProtocol && side.textBytes < TEXT_BUDGET) return true;
    return dir === 'server' && side.postHandshakeOpened < 2 && length <= 1024;
  }

  /** TLS 1.0 CBC: records passed over still chain the IV, so their last block is wanted. */
  needsTail(dir: Direction): boolean {
    const k = this.sides[dir].keys;
    return k !== null && k.chained;
  }

  /** True once `dir` has finished its handshake (TLS 1.3: what follows is not handshake). */
  finished(dir: Direction): boolean {
    return this.sides[dir].finished;
  }

  /** A protected record passed over: its sequence number is used up. */
  skip(dir: Direction, tail: Uint8Array): void {
    const side = this.sides[dir];
    if (side.keys !== null && side.keys.chained) side.keys.skipped(tail);
    side.seq++;
  }

  /** Opens a protected record; null when it does not authenticate (the decryptor then stops). */
  open(dir: Direction, contentType: number, version: number, body: Uint8Array, frame: number): Opened | null {
    const side = this.sides[dir];
    let opened: Opened | null = null;
    if (side.earlyCandidates !== null && side.keys === null) {
      for (const k of side.earlyCandidates) {
        opened = k.open(contentType, version, body, side.seq);
        if (opened !== null) {
          side.keys = k;
          break;
        }
      }
      if (opened === null && side.pending !== null) return this.fallBackToHandshake(side, dir, contentType, version, body, frame);
      side.earlyCandidates = null;
    } else if (side.keys !== null) {
      opened = side.keys.open(contentType, version, body, side.seq);
      if (opened === null && side.pending !== null && this.tls13) return this.fallBackToHandshake(side, dir, contentType, version, body, frame);
    }
    if (opened === null) {
      this.fail(dir, frame);
      return null;
    }
    side.seq++;
    if (side.finished) side.postHandshakeOpened++;
    if (opened.contentType === CT_APPLICATION_DATA) side.textBytes += opened.plaintext.length;
    return opened;
  }

  /** TLS 1.3: the server refused 0-RTT, or there was none: the client's handshake keys. */
  private fallBackToHandshake(side: Side, dir: Direction, contentType: number, version: number, body: Uint8Array, frame: number): Opened | null {
    side.keys = side.pending;
    side.pending = null;
    side.earlyCandidates = null;
    side.seq = 0;
    const opened = side.keys!.open(contentType, version, body, 0);
    if (opened === null) {
      this.fail(dir, frame);
      return null;
    }
    side.seq = 1;
    return opened;
  }

  private fail(dir: Direction, frame: number): void {
    this.failure = { frame, from: dir };
    this.status = 'failed';
  }
}

/** Line-protocol text decrypted per direction: enough for an FTP, SMTP, IMAP or POP3 dialogue's start. */
const TEXT_BUDGET = 4096;
