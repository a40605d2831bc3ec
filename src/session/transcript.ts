/**
 * A connection's transcript: what was said, in order, with the frame that proves each step.
 * Produced by src/session, read by src/findings (rules) and src/report. Plain JSON-able data.
 */
import type { Direction } from '../flow/types.js';
import type { ClientHelloFingerprint, ServerHelloFingerprint } from '../../decoders/tls/fingerprint.js';
import type {
  CertificateSummary,
  DecodeProblem,
  HandshakeBody,
  NamedCode,
  ProtocolVersion,
} from '../../decoders/tls/types.js';

interface EventBase {
  /** Frame in which the record (or event) completed: `frame.number` in Wireshark. */
  readonly frame: number;
  /** Epoch seconds with fraction. */
  readonly time: number;
  readonly from: Direction;
  /** Located decode/conformance problems found in this event. */
  readonly problems?: readonly DecodeProblem[];
  /**
   * Set on a handshake message, alert or protocol line read from an encrypted record with a key
   * log's secrets (src/tls-keys): on the wire it was ciphertext.
   */
  readonly decrypted?: true;
  /**
   * Only when asked for (`--hex`): the first bytes of the TLS record that carried the event (its
   * header included), in hex; for a message spread over several records, the first of them.
   */
  recordHead?: string;
}

export interface HandshakeEvent extends EventBase {
  readonly type: 'handshake';
  readonly recordVersion: ProtocolVersion;
  /** `ClientHello`, ..., or `encrypted` for an encrypted handshake record. */
  readonly message: string;
  /** Handshake type number; absent for `encrypted`. */
  readonly handshakeType?: number;
  readonly length: number;
  /** Decoded body; absent for `encrypted`. */
  readonly body?: HandshakeBody;
  /**
   * TLS 1.3 without keys: an encrypted client record taken for a handshake message from its place
   * in the flight (before the Finished-sized record), not from its size: probably, not surely.
   */
  readonly inferred?: true;
  /**
   * DTLS only: the message's message_seq, the fragments it was reassembled from, and the cookie
   * length of a ClientHello or HelloVerifyRequest (RFC 6347 §4.2.1).
   */
  readonly dtls?: { readonly messageSeq: number; readonly fragments: number; readonly cookieLength?: number };
  /** QUIC only: the packet type that carried the CRYPTO frames (`Initial`), and the packet number. */
  readonly quic?: { readonly packet: string; readonly packetNumber: number };
  /** ClientHello: JA4 (four forms) and JA3; ServerHello (and HelloRetryRequest): JA3S. decoders/tls/fingerprint.ts */
  readonly fingerprint?: ClientHelloFingerprint | ServerHelloFingerprint;
}

export interface AlertEvent extends EventBase {
  readonly type: 'alert';
  readonly recordVersion: ProtocolVersion;
  /** true when the alert record is encrypted (after ChangeCipherSpec / in TLS 1.3): level and code unknown. */
  readonly encrypted: boolean;
  readonly level?: 'warning' | 'fatal' | string;
  readonly description?: string;
  readonly code?: number;
  readonly length: number;
  /**
   * Set when the alert is inferred, not seen: a TLS 1.3 side's last record before it closed was an
   * encrypted record of exactly an AEAD-protected alert's size (2 bytes + content type + 16-byte tag).
   */
  readonly inferred?: boolean;
  /**
   * QUIC only: the alert arrived as a CONNECTION_CLOSE frame whose CRYPTO_ERROR code (0x0100 +
   * alert) carries it (RFC 9001 §4.8), in a packet of this type (`Initial`).
   */
  readonly quic?: { readonly packet: string; readonly errorCode: number };
}

export interface ChangeCipherSpecEvent extends EventBase {
  readonly type: 'change_cipher_spec';
  readonly recordVersion: ProtocolVersion;
}

/** Consecutive application data records of one direction, counted, not listed. */
export interface ApplicationDataEvent extends EventBase {
  readonly type: 'application_data';
  readonly recordVersion: ProtocolVersion;
  records: number;
  bytes: number;
  lastFrame: number;
  /** QUIC only: the packets counted (`records`) are of this type: `1-RTT` (short header) or `0-RTT`. */
  readonly quic?: { readonly packet: string };
}

export interface HeartbeatEvent extends EventBase {
  readonly type: 'heartbeat';
  readonly recordVersion: ProtocolVersion;
  readonly length: number;
  readonly encrypted: boolean;
}

export interface Sslv2Event extends EventBase {
  readonly type: 'sslv2';
  /** `CLIENT-HELLO`, `SERVER-HELLO`, ..., or `encrypted`. */
  readonly message: string;
  readonly handshakeType?: number;
  readonly length: number;
  readonly version?: ProtocolVersion;
  readonly cipherSpecs?: readonly NamedCode[];
}

/** Bytes that are not TLS: a STARTTLS dialogue line, or the non-TLS answer to a ClientHello. */
export interface PlaintextEvent extends EventBase {
  readonly type: 'plaintext';
  /** The first bytes as printable text (control characters escaped, at most 200 characters). */
  readonly text: string;
  readonly length: number;
  /** Protocol this dialogue was recognised as: `ftp`, `smtp`, `imap`, `pop3`, `http`, ..., or `unknown`. */
  readonly protocol: string;
}

/** TCP facts that matter to a handshake: FIN, RST, a gap in the bytes. */
export interface TcpEvent extends EventBase {
  readonly type: 'tcp';
  readonly flag: 'fin' | 'rst' | 'gap';
  /** For gaps: bytes missing. */
  readonly bytes?: number;
}

/** A record of an unknown content type, or bytes that stopped making sense as TLS. */
export interface UnknownEvent extends EventBase {
  readonly type: 'unknown';
  readonly recordVersion?: ProtocolVersion;
  readonly contentType?: number;
  readonly length: number;
}

export type TranscriptEvent =
  | HandshakeEvent
  | AlertEvent
  | ChangeCipherSpecEvent
  | ApplicationDataEvent
  | HeartbeatEvent
  | Sslv2Event
  | PlaintextEvent
  | TcpEvent
  | UnknownEvent;

export type ResumptionMechanism = 'session_id' | 'session_ticket' | 'psk';

/** The summary of one TLS connection: what was offered, what was agreed, how it ended. */
export interface TlsSummary {
  /** Frame of the first TLS byte (ClientHello, or the SSLv2 hello; the first record seen when midConnection). */
  readonly startFrame: number;
  /**
   * Set when the capture began after the connection's start (no hello: the first records were
   * application data, alerts or encrypted handshake messages). There is no handshake to judge; what
   * is known is the record versions, which side is the server (by the ports when nothing else
   * says), the alerts (encrypted unless 2 bytes long) and the close.
   */
  readonly midConnection?: true;
  /** How TLS began: `direct`, or after a STARTTLS-style upgrade of `ftp`, `smtp`, ... */
  readonly upgradedFrom: string | null;
  /** ClientHello legacy version, and the versions offered in supported_versions (or implied). */
  readonly clientVersion: ProtocolVersion | null;
  readonly offeredVersions: readonly ProtocolVersion[];
  readonly negotiatedVersion: ProtocolVersion | null;
  /** Real cipher suites in the ClientHello: GREASE and the SCSVs not counted (they are in offeredSignalling). */
  readonly offeredCipherSuites: number;
  /** Signalling values in the ClientHello's suite list, present when any: `GREASE`, `TLS_EMPTY_RENEGOTIATION_INFO_SCSV`, `TLS_FALLBACK_SCSV`. */
  readonly offeredSignalling?: readonly string[];
  readonly cipherSuite: NamedCode | null;
  readonly sni: string | null;
  readonly alpnOffered: readonly string[];
  readonly alpn: string | null;
  readonly resumption: {
    /** What the ClientHello offered to resume with. */
    readonly offered: readonly ResumptionMechanism[];
    /** Session id the client offered (hex), '' when none. */
    readonly clientSessionId: string;
    /** Session id the server returned (hex). */
    readonly serverSessionId: string;
    /** true resumed, false full handshake, null unknown (e.g. no ServerHello, or TLS 1.3 without keys). */
    readonly accepted: boolean | null;
    readonly via: ResumptionMechanism | null;
    /** Session tickets issued by the server (TLS ≤ 1.2 plaintext NewSessionTicket). */
    readonly ticketsIssued: number;
  };
  readonly clientCertificate: {
    readonly requested: boolean;
    /** length of certificate_authorities in the CertificateRequest (null when none was sent). */
    readonly authoritiesLength: number | null;
    /** true sent a non-empty chain, false sent an empty one / no_certificate, null unknown (encrypted or absent). */
    readonly sent: boolean | null;
  };
  readonly serverCertificates: readonly CertificateSummary[];
  readonly clientCertificates: readonly CertificateSummary[];
  /** Both sides finished the handshake (Finished/encrypted exchange both ways, or application data both ways). */
  readonly established: boolean;
  /** The last handshake message each side was seen to send. */
  readonly lastMessage: { readonly client: string | null; readonly server: string | null };
  /** The first fatal alert (or the first alert when none is fatal). */
  readonly alert: { readonly from: Direction; readonly level: string; readonly description: string; readonly code: number; readonly frame: number } | null;
  /** How the TLS connection ended: the alert, a FIN or RST (and by whom), or the capture ending. */
  readonly ended: { readonly how: 'alert' | 'fin' | 'rst' | 'capture-ended' | 'open'; readonly by: Direction | null; readonly frame: number | null };
  /** Seconds from the first TLS byte to the handshake's end (established, or failure). */
  readonly handshakeSeconds: number | null;
  readonly applicationData: { readonly client: { records: number; bytes: number }; readonly server: { records: number; bytes: number } };
  /**
   * The first ClientHello's JA4 and JA3, and the ServerHello's JA3S (not the HelloRetryRequest's);
   * the hello events carry every hello's own, the second ClientHello after a HelloRetryRequest too.
   */
  readonly fingerprints: { readonly client: ClientHelloFingerprint | null; readonly server: ServerHelloFingerprint | null };
}

export interface Transcript {
  /**
   * How the TLS handshake travels: absent for TLS records over TCP; `dtls` for DTLS records in UDP
   * datagrams (src/session/dtls.ts); `quic` for TLS messages in QUIC CRYPTO frames (src/session/quic.ts).
   */
  readonly transport?: 'dtls' | 'quic';
  readonly events: readonly TranscriptEvent[];
  readonly tls: TlsSummary | null;
  /** Problems not tied to one message (e.g. a record stream that stopped being TLS). */
  readonly problems: readonly (DecodeProblem & { readonly frame?: number; readonly from?: Direction })[];
}
