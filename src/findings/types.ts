/**
 * The finding engine's contract. A rule is metadata plus one detect function; the engine runs every
 * rule over each connection as it finishes.
 */
import type { Conversation } from '../flow/types.js';
import type { Transcript } from '../session/transcript.js';
import type { FtpInfo } from '../session/ftp.js';

export type Severity = 'info' | 'warning' | 'error';

/** A document a fact comes from. */
export interface Source {
  /** Document title as its publisher names it, e.g. `RFC 2246 The TLS Protocol Version 1.0`. */
  readonly title: string;
  /** Section, page or message id inside it, e.g. `§7.4.4`. */
  readonly section?: string;
  readonly publisher?: string;
  /** Article id or URL, when the publisher gives one. */
  readonly ref?: string;
}

/**
 * How a remedy or product line fits the software identified on the connection (src/findings/relevance.ts):
 * `identified` (for a product found there), `generic` (any TLS stack), `possible` (for a product on a
 * side that is unknown), `not-applicable` (both sides are other products: JSON only).
 */
export type Relevance = 'identified' | 'generic' | 'possible' | 'not-applicable';

/** What a product logs for a failure (the line a user pastes into `tlsdiag explain`). */
export interface ProductMessage {
  /** `IBM z/OS System SSL`, `z/OS FTP client`, `XCOM Data Transport`, `vsftpd`, `OpenSSL 1.1`, ... */
  readonly product: string;
  /** The message text as the product prints it. */
  readonly text: string;
  /** Which side of the connection logs it. */
  readonly side: 'client' | 'server' | 'either';
  readonly source: Source;
  /** The alert this line renders, for lines of an alert's knowledge entry: shown only under that alert. */
  readonly alert?: number;
  /** Set on a finding's lines: how the line fits the products identified on the connection. */
  readonly relevance?: Relevance;
}

export interface Remedy {
  /** Where the change is made: `vsftpd`, `XCOM (OpenSSL side)`, `any OpenSSL server`, ... */
  readonly where: string;
  /** What to change, concretely: `ssl_request_cert=NO in /etc/vsftpd.conf`. */
  readonly action: string;
  /** What it costs or gives up, when it does. */
  readonly caveat?: string;
  readonly source?: Source;
  /** Set on a finding's remedies: how the remedy fits the products identified on the connection. */
  readonly relevance?: Relevance;
  /** For a product-specific remedy not known to fit: `if the client is IBM z/OS (System SSL)`. */
  readonly appliesTo?: string;
}

export interface RuleMeta {
  /** Fixed kebab-case id, also the file name and the docs page name. */
  readonly id: string;
  readonly title: string;
  /** The severity of its findings; see severityWhenFailed. */
  readonly severity: Severity;
  /** Set when a finding is raised to this severity on a connection whose handshake failed (`tlsdiag rules` and the docs say so). */
  readonly severityWhenFailed?: Severity;
  /** One paragraph: what it means. */
  readonly summary: string;
  readonly products: readonly ProductMessage[];
  readonly remedies: readonly Remedy[];
  readonly references: readonly Source[];
}

/** One sentence of evidence, with the frames that show it. */
export interface EvidenceItem {
  readonly frame: number;
  readonly text: string;
  /** Set when the frame belongs to another connection (an FTPS control connection's reply): its tcp.stream. */
  readonly stream?: number;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly stream: number;
  /** `dtls` or `quic` for a connection over UDP: `stream` is then its udp.stream index. Absent for TLS over TCP. */
  readonly transport?: 'dtls' | 'quic';
  /** Every frame named in the evidence, ascending. */
  readonly frames: readonly number[];
  readonly evidence: readonly EvidenceItem[];
  /** The specific diagnosis in one or two sentences, with the values of this case. */
  readonly message: string;
  readonly products: readonly ProductMessage[];
  readonly remedies: readonly Remedy[];
  readonly references: readonly Source[];
  /** `tcp.stream eq 0 && frame.number in {6, 9}` (Wireshark 4 needs the commas) */
  readonly wiresharkFilter: string;
  /** Other streams involved (cross-connection rules, e.g. an FTPS control connection). */
  readonly relatedStreams?: readonly number[];
}

/** What a rule sees of one connection. */
export interface ConnectionView {
  readonly conversation: Conversation;
  readonly transcript: Transcript;
  /** Its place in an FTP session (control or data connection), when it has one. */
  readonly ftp?: FtpInfo;
}

/**
 * What a rule sees of the capture around one connection. Connections are judged as they finish, so
 * there is no list of all of them: a rule that needs another connection (an FTPS data connection's
 * control connection) asks for it by stream, and gets it while the pipeline still holds it.
 */
export interface CaptureView {
  readonly file: string;
  /** Another connection of the capture, by tcp.stream, while it is still held (open, or waiting for its data connections). */
  connection(stream: number): ConnectionView | undefined;
}

export interface Rule {
  readonly meta: RuleMeta;
  /**
   * A fallback rule runs only on connections that no other rule found an error in: it names a
   * failure the specific rules do not explain (a close without an alert, an alert no rule knows).
   */
  readonly fallback?: boolean;
  /** Detection over one finished connection; `capture` gives access to related connections. */
  readonly detect: (connection: ConnectionView, capture: CaptureView) => readonly Finding[];
}
