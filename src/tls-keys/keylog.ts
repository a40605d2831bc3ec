/**
 * NSS key log files (SSLKEYLOGFILE: curl, browsers, Python, Java agents, `openssl s_client
 * -keylogfile`) and the same text inside pcapng Decryption Secrets Blocks, indexed by client random.
 *
 * The secrets never leave this module's objects as text: notes name the source and the line number,
 * never a line's content (a malformed line may still hold a real secret).
 */

/** The secrets known for one client random. */
export interface ClientSecrets {
  /** TLS ≤ 1.2: the 48-byte master secret (`CLIENT_RANDOM`). */
  master?: Uint8Array;
  clientHandshake?: Uint8Array;
  serverHandshake?: Uint8Array;
  clientTraffic0?: Uint8Array;
  serverTraffic0?: Uint8Array;
  clientEarly?: Uint8Array;
}

type SecretName = keyof ClientSecrets;

const LABELS: Readonly<Record<string, SecretName>> = {
  CLIENT_RANDOM: 'master',
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'clientHandshake',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'serverHandshake',
  CLIENT_TRAFFIC_SECRET_0: 'clientTraffic0',
  SERVER_TRAFFIC_SECRET_0: 'serverTraffic0',
  CLIENT_EARLY_TRAFFIC_SECRET: 'clientEarly',
};
/** Labels that are valid but not needed to decrypt (they are not notes). */
const IGNORED = new Set(['EXPORTER_SECRET', 'EARLY_EXPORTER_SECRET', 'RSA', 'PMS_CLIENT_RANDOM']);

/** A problem found while reading a key log, located by line; never holds key material. */
export interface KeyLogNote {
  readonly severity: 'warning' | 'note';
  readonly code: string;
  readonly message: string;
}

/** Resumable sessions remembered per capture. */
const MAX_SESSIONS = 10_000;

/** Malformed lines named one by one, at most; the rest are counted. */
const MAX_LINE_NOTES = 3;

/**
 * Secrets by client random. A capture's own (pcapng Decryption Secrets Blocks) sit in a child over
 * the run's `--keylog` files, so that one capture's embedded secrets never serve another capture.
 */
export class KeyLog {
  private readonly byRandom = new Map<string, ClientSecrets>();
  /**
   * TLS ≤ 1.2 master secrets learnt from connections of this capture, for the sessions they let
   * others resume: by session id (`id:…`) and by a session ticket's bytes (`ticket:…`).
   */
  private readonly sessions = new Map<string, Uint8Array>();

  constructor(private readonly parent: KeyLog | null = null) {}

  /** Client randoms with at least one secret, here and in the parent. */
  get size(): number {
    return this.byRandom.size + (this.parent?.size ?? 0);
  }

  /** Whether any secret is known at all (here or in the parent). */
  get empty(): boolean {
    return this.size === 0;
  }

  /** The secrets for a client random (64 lower-case hex digits). */
  lookup(clientRandom: string): ClientSecrets | undefined {
    return this.byRandom.get(clientRandom) ?? this.parent?.lookup(clientRandom);
  }

  /**
   * TLS ≤ 1.2 resumption: remember a session's master secret under its session id or its ticket
   * (`id:HEX`, `ticket:BYTES`). Bounded: the oldest are forgotten first.
   */
  rememberSession(key: string, master: Uint8Array): void {
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    this.sessions.set(key, master);
  }

  sessionMaster(key: string): Uint8Array | undefined {
    return this.sessions.get(key) ?? this.parent?.sessionMaster(key);
  }

  /**
   * Reads key log text. `source` names it in notes (`keys.txt`, `the capture's Decryption Secrets
   * Block at offset 128`). Never throws.
   */
  addText(text: string, source: string): KeyLogNote[] {
    const notes: KeyLogNote[] = [];
    let malformed = 0;
    let added = 0;
    let lineNo = 0;
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      lineNo++;
      const line = text.slice(start, end).trim();
      start = end + 1;
      if (line.length === 0 || line.startsWith('#')) {
        if (end === text.length) break;
        continue;
      }
      const why = this.addLine(line);
      if (why === null) added++;
      else if (why !== 'ignored') {
        malformed++;
        if (malformed <= MAX_LINE_NOTES) {
          notes.push({ severity: 'warning', code: 'keylog-malformed-line', message: `${source} line ${lineNo}: not a key log line (${why}); ignored` });
        }
      }
      if (end === text.length) break;
    }
    if (malformed > MAX_LINE_NOTES) {
      notes.push({ severity: 'warning', code: 'keylog-malformed-line', message: `${source}: ${malformed - MAX_LINE_NOTES} more malformed line${malformed - MAX_LINE_NOTES === 1 ? '' : 's'} ignored` });
    }
    if (added === 0) {
      notes.push({ severity: 'warning', code: 'keylog-empty', message: `${source}: no usable key log line (NSS key log format: CLIENT_RANDOM, CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...)` });
    }
    return notes;
  }

  /** null when added; 'ignored' for a known label not needed; else why the line is malformed. */
  private addLine(line: string): string | null {
    const parts = line.split(/\s+/);
    const label = parts[0];
    const name = LABELS[label];
    if (name === undefined) {
      if (IGNORED.has(label)) return 'ignored';
      if (/^[A-Z][A-Z0-9_]{2,63}$/.test(label) && parts.length === 3) return 'ignored'; // a future label
      return 'unknown label or not three fields';
    }
    if (parts.length !== 3) return `${label} needs 3 fields, found ${parts.length}`;
    const random = parts[1].toLowerCase();
    if (random.length !== 64 || !isHex(random)) return 'the client random is not 32 bytes of hex';
    const secret = parts[2];
    if (secret.length % 2 !== 0 || !isHex(secret)) return 'the secret is not hex';
    const bytes = Buffer.from(secret, 'hex');
    if (name === 'master' ? bytes.length !== 48 : bytes.length !== 32 && bytes.length !== 48) {
      return `the secret has ${bytes.length} bytes`;
    }
    let entry = this.byRandom.get(random);
    if (entry === undefined) {
      entry = {};
      this.byRandom.set(random, entry);
    }
    entry[name] = new Uint8Array(bytes);
    return null;
  }
}

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
