/**
 * What the TLS decoders produce. Pure data: no Buffers kept beyond what a report needs (raw
 * extension bodies are not kept; certificate DER is kept only as its decoded summary).
 *
 * Every decoder is total: any byte sequence gives a value of these types plus zero or more
 * DecodeProblems. Nothing throws.
 */

/** A located decode or conformance problem (model: Wireshark's expert info, Suricata's events). */
export interface DecodeProblem {
  readonly severity: 'error' | 'warning' | 'note';
  /**
   * Stable machine-readable code: `buffer-too-small`, `vector-length`, `trailing-data`,
   * `bad-record-length`, `unknown-content-type`, `empty-vector-forbidden`, `unoffered-cipher-suite`,
   * `unoffered-extension`, `record-version-mismatch`, ...
   * Also used: `length-overrun` (a length field claims more bytes than its container holds),
   * `bad-record-version`, `duplicate-extension`, `extension-order`, `missing-extension`,
   * `unoffered-version`, `unoffered-compression`, `unoffered-group`, `bad-cipher-suite`,
   * `cipher-suite-version-mismatch`, `session-id-echo-mismatch`, `legacy-version`,
   * `unexpected-message`, `unexpected-direction`, `bad-value`, `bad-length`, `reserved-value`,
   * `psk-binder-count`, `sslv2-hello`, `sslv2-compatible-hello`, `unknown-alert-level`,
   * `unknown-alert-description`, `unknown-message-type`, `undecoded`, `bad-version`,
   * `extension-not-allowed`.
   */
  readonly code: string;
  /** Dotted field path inside the message, e.g. `CertificateRequest.certificate_authorities`. */
  readonly field: string;
  /** One sentence a person can read, with the values: "length 0 is below the minimum 3". */
  readonly message: string;
  /** The RFC rule broken, e.g. `RFC 2246 §7.4.4` (absent when it is a plain decode failure). */
  readonly rule?: string;
  /** Byte offset inside the message body (handshake) or record (record layer) where it was found. */
  readonly offset?: number;
}

/** A 16-bit protocol version as on the wire, e.g. 0x0303. */
export type ProtocolVersion = number;

export interface NamedCode {
  readonly code: number;
  /** Registry name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`; `unknown(0x1234)` when unknown. */
  readonly name: string;
}

export interface Extension {
  readonly type: number;
  /** IANA name (`server_name`, `supported_versions`, ...), `GREASE` or `unknown(N)`. */
  readonly name: string;
  readonly length: number;
  /** Decoded content for the extensions tlsdiag understands; absent for the rest. */
  readonly value?: ExtensionValue;
}

export type ExtensionValue =
  | { readonly kind: 'server_name'; readonly names: readonly string[] }
  | { readonly kind: 'supported_versions'; readonly versions: readonly ProtocolVersion[] }
  | { readonly kind: 'supported_groups'; readonly groups: readonly NamedCode[] }
  | { readonly kind: 'signature_algorithms'; readonly schemes: readonly NamedCode[] }
  | { readonly kind: 'key_share'; readonly groups: readonly NamedCode[] }
  | { readonly kind: 'alpn'; readonly protocols: readonly string[] }
  | { readonly kind: 'session_ticket'; readonly ticketLength: number }
  | { readonly kind: 'pre_shared_key'; readonly identities?: number; readonly selectedIdentity?: number }
  | { readonly kind: 'psk_key_exchange_modes'; readonly modes: readonly number[] }
  | { readonly kind: 'early_data'; readonly maxEarlyDataSize?: number }
  | { readonly kind: 'renegotiation_info'; readonly length: number }
  | { readonly kind: 'status_request'; readonly statusType: number }
  | { readonly kind: 'ec_point_formats'; readonly formats: readonly number[] }
  | { readonly kind: 'record_size_limit'; readonly limit: number }
  | { readonly kind: 'certificate_authorities'; readonly authorities: readonly DistinguishedName[]; readonly listLength: number }
  | { readonly kind: 'cookie'; readonly length: number }
  | { readonly kind: 'padding'; readonly length: number }
  | { readonly kind: 'flag' }; // extended_master_secret, encrypt_then_mac, post_handshake_auth: presence is the value

export interface DistinguishedName {
  /** RFC 4514-style readable string (`CN=Example CA,O=Example,C=US`), or hex when undecodable. */
  readonly text: string;
  readonly length: number;
}

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly validFrom: string; // ISO 8601
  readonly validTo: string; // ISO 8601
  readonly subjectAltNames: readonly string[];
  readonly keyType: string; // 'rsa' | 'ec' | 'ed25519' | ... | 'unknown'
  readonly keyBits: number | null;
  readonly signatureAlgorithm: string | null;
  readonly fingerprintSha256: string; // colon-separated upper-case hex, as openssl/Node print it
  readonly selfSigned: boolean;
  readonly isCA: boolean;
  readonly length: number;
  /** Set when the DER could not be parsed; the other fields are then empty strings/defaults. */
  readonly error?: string;
}

export type HandshakeBody =
  | { readonly kind: 'HelloRequest' }
  | {
      readonly kind: 'ClientHello';
      readonly version: ProtocolVersion;
      readonly random: string; // hex
      readonly sessionId: string; // hex, '' when empty
      readonly cipherSuites: readonly NamedCode[];
      readonly compressionMethods: readonly number[];
      readonly extensions: readonly Extension[];
      /** Length of the extensions block; absent when the hello ends after compression_methods (no block at all). */
      readonly extensionsLength?: number;
    }
  | {
      readonly kind: 'ServerHello';
      readonly version: ProtocolVersion;
      readonly random: string;
      readonly sessionId: string;
      readonly cipherSuite: NamedCode;
      readonly compressionMethod: number;
      readonly extensions: readonly Extension[];
      /** true when random is the RFC 8446 §4.1.3 HelloRetryRequest value. */
      readonly helloRetryRequest: boolean;
      /** supported_versions selected version when present, else `version`. */
      readonly negotiatedVersion: ProtocolVersion;
      /** Length of the extensions block; absent when the hello ends after compression_method. */
      readonly extensionsLength?: number;
    }
  | { readonly kind: 'NewSessionTicket'; readonly lifetime: number; readonly ticketLength: number; readonly tls13: boolean }
  | { readonly kind: 'EndOfEarlyData' }
  | { readonly kind: 'EncryptedExtensions'; readonly extensions: readonly Extension[] }
  | {
      readonly kind: 'Certificate';
      /** TLS 1.3 certificate_request_context (hex); absent before TLS 1.3. */
      readonly context?: string;
      /** Length of the certificate_list vector as sent (0 for an empty client Certificate). */
      readonly listLength: number;
      readonly certificates: readonly CertificateSummary[];
      /** TLS 1.3: each CertificateEntry's extensions, in list order. */
      readonly entryExtensions?: readonly (readonly Extension[])[];
    }
  | {
      readonly kind: 'ServerKeyExchange';
      /** ECDHE named group, when the suite is ECDHE and the params decode. */
      readonly group?: NamedCode;
      /** DHE prime size in bits, when the suite is DHE. */
      readonly dhPrimeBits?: number;
      readonly signatureScheme?: NamedCode;
      /** Key exchange the layout was read with (`ecdhe`, `dhe`, `rsa_export`, `psk`, ...). */
      readonly keyExchange?: string;
      /** ECParameters curve_type (3 = named_curve; 1, 2 = explicit curves, RFC 8422 §5.4). */
      readonly curveType?: number;
      /** RSA_EXPORT temporary key modulus size in bits. */
      readonly rsaModulusBits?: number;
      /** Length of the signature over the parameters (absent for anonymous and PSK exchanges). */
      readonly signatureLength?: number;
    }
  | {
      readonly kind: 'CertificateRequest';
      /** TLS ≤ 1.2 certificate_types. */
      readonly certificateTypes: readonly NamedCode[];
      /** TLS 1.2 supported_signature_algorithms (absent before TLS 1.2). */
      readonly signatureAlgorithms?: readonly NamedCode[];
      /**
       * The certificate_authorities vector length as sent (0 = empty list). TLS 1.3: the length of the
       * certificate_authorities extension's list, 0 when the extension is absent (see `extensions`).
       */
      readonly authoritiesLength: number;
      readonly authorities: readonly DistinguishedName[];
      /** TLS 1.3 form: certificate_request_context (hex) and extensions. */
      readonly context?: string;
      readonly extensions?: readonly Extension[];
    }
  | { readonly kind: 'ServerHelloDone' }
  | { readonly kind: 'CertificateVerify'; readonly signatureScheme?: NamedCode; readonly signatureLength: number }
  | { readonly kind: 'ClientKeyExchange'; readonly length: number }
  | { readonly kind: 'Finished'; readonly verifyDataLength: number }
  | { readonly kind: 'CertificateStatus'; readonly statusType: number; readonly responseLength: number }
  | { readonly kind: 'KeyUpdate'; readonly requestUpdate: number }
  | { readonly kind: 'Unknown'; readonly length: number };

/** The bodies conformance checks work on. */
export type ClientHelloBody = Extract<HandshakeBody, { readonly kind: 'ClientHello' }>;
export type ServerHelloBody = Extract<HandshakeBody, { readonly kind: 'ServerHello' }>;
export type CertificateRequestBody = Extract<HandshakeBody, { readonly kind: 'CertificateRequest' }>;

/** Decoding context the message decoders need (what the connection has negotiated so far). */
export interface HandshakeContext {
  /** Version used to pick the message layout (negotiated if known, else the record version). */
  readonly version: ProtocolVersion;
  /** Negotiated cipher suite when known (ServerKeyExchange layout depends on it). */
  readonly cipherSuite?: number;
  /** Who sent it: Certificate and CertificateRequest differ little, but conformance does. */
  readonly from: 'client' | 'server';
  /** The caller's memo of decoded certificates by SHA-256 (one per capture), when it keeps one. */
  readonly certificateMemo?: Map<string, CertificateSummary>;
}

export interface DecodedHandshake {
  readonly type: number;
  /** Registry name: `ClientHello`, ..., or `unknown(N)`. */
  readonly name: string;
  readonly length: number;
  readonly body: HandshakeBody;
  readonly problems: readonly DecodeProblem[];
}

export interface DecodedAlert {
  readonly level: number; // 1 warning, 2 fatal
  readonly levelName: 'warning' | 'fatal' | `unknown(${number})`;
  readonly code: number;
  readonly description: string; // `illegal_parameter`
  readonly problems: readonly DecodeProblem[];
}

export interface RecordHeader {
  readonly contentType: number;
  readonly version: ProtocolVersion;
  readonly length: number;
}

/** SSLv2 record (RFC-less; draft-hickman-netscape-ssl-00), as used by SSLv2-compatible hellos. */
export interface Sslv2Message {
  readonly headerLength: 2 | 3;
  readonly length: number;
  readonly padding: number;
  readonly messageType: number;
  readonly name: string; // 'CLIENT-HELLO', 'SERVER-HELLO', ..., or 'encrypted'
  /** For CLIENT-HELLO: version requested and the cipher specs offered (3-byte SSLv2 specs and TLS suites). */
  readonly version?: ProtocolVersion;
  readonly cipherSpecs?: readonly NamedCode[];
  readonly sessionIdLength?: number;
  readonly challengeLength?: number;
  /** For SERVER-HELLO: certificate summary and version. */
  readonly certificate?: CertificateSummary;
  /** For SERVER-HELLO: the server resumes the session the client named. */
  readonly sessionIdHit?: boolean;
  /** For SERVER-HELLO: certificate_type (1 = X.509). */
  readonly certificateType?: number;
  /** For SERVER-HELLO: connection_id length. */
  readonly connectionIdLength?: number;
  /** For ERROR: the error code and its name (`NO-CIPHER-ERROR`, ...). */
  readonly errorCode?: number;
  readonly errorName?: string;
  readonly problems: readonly DecodeProblem[];
}
