/**
 * TLS ExtensionType Values registry (IANA "TLS ExtensionType Values"), plus the few never-assigned
 * code points that real clients sent (marked). Each entry cites the document that defines it.
 * 23 keeps RFC 7627's name `extended_master_secret` (IANA has since relabelled it
 * `extended_main_secret`); every capture tool and product log uses the RFC name.
 */
import { isGrease16 } from './versions.js';

export const EXT_SERVER_NAME = 0;
export const EXT_STATUS_REQUEST = 5;
export const EXT_SUPPORTED_GROUPS = 10;
export const EXT_EC_POINT_FORMATS = 11;
export const EXT_SIGNATURE_ALGORITHMS = 13;
export const EXT_ALPN = 16;
export const EXT_PADDING = 21;
export const EXT_ENCRYPT_THEN_MAC = 22;
export const EXT_EXTENDED_MASTER_SECRET = 23;
export const EXT_RECORD_SIZE_LIMIT = 28;
export const EXT_SESSION_TICKET = 35;
export const EXT_KEY_SHARE_DRAFT = 40;
export const EXT_PRE_SHARED_KEY = 41;
export const EXT_EARLY_DATA = 42;
export const EXT_SUPPORTED_VERSIONS = 43;
export const EXT_COOKIE = 44;
export const EXT_PSK_KEY_EXCHANGE_MODES = 45;
export const EXT_CERTIFICATE_AUTHORITIES = 47;
export const EXT_POST_HANDSHAKE_AUTH = 49;
export const EXT_SIGNATURE_ALGORITHMS_CERT = 50;
export const EXT_KEY_SHARE = 51;
export const EXT_RENEGOTIATION_INFO = 0xff01;

type Entry = readonly [code: number, name: string, ref: string];

const TABLE: readonly Entry[] = [
  [0, 'server_name', 'RFC 6066 §3'],
  [1, 'max_fragment_length', 'RFC 6066 §4'],
  [2, 'client_certificate_url', 'RFC 6066 §5'],
  [3, 'trusted_ca_keys', 'RFC 6066 §6'],
  [4, 'truncated_hmac', 'RFC 6066 §7'],
  [5, 'status_request', 'RFC 6066 §8'],
  [6, 'user_mapping', 'RFC 4681'],
  [7, 'client_authz', 'RFC 5878'],
  [8, 'server_authz', 'RFC 5878'],
  [9, 'cert_type', 'RFC 6091'],
  [10, 'supported_groups', 'RFC 8422 §5.1.1, RFC 7919'],
  [11, 'ec_point_formats', 'RFC 8422 §5.1.2'],
  [12, 'srp', 'RFC 5054'],
  [13, 'signature_algorithms', 'RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3'],
  [14, 'use_srtp', 'RFC 5764'],
  [15, 'heartbeat', 'RFC 6520'],
  [16, 'application_layer_protocol_negotiation', 'RFC 7301'],
  [17, 'status_request_v2', 'RFC 6961'],
  [18, 'signed_certificate_timestamp', 'RFC 6962'],
  [19, 'client_certificate_type', 'RFC 7250'],
  [20, 'server_certificate_type', 'RFC 7250'],
  [21, 'padding', 'RFC 7685'],
  [22, 'encrypt_then_mac', 'RFC 7366'],
  [23, 'extended_master_secret', 'RFC 7627'],
  [24, 'token_binding', 'RFC 8472'],
  [25, 'cached_info', 'RFC 7924'],
  [26, 'tls_lts', 'draft-gutmann-tls-lts'],
  [27, 'compress_certificate', 'RFC 8879'],
  [28, 'record_size_limit', 'RFC 8449'],
  [29, 'pwd_protect', 'RFC 8492'],
  [30, 'pwd_clear', 'RFC 8492'],
  [31, 'password_salt', 'RFC 8492'],
  [32, 'ticket_pinning', 'RFC 8672'],
  [33, 'tls_cert_with_extern_psk', 'RFC 8773'],
  [34, 'delegated_credential', 'RFC 9345'],
  [35, 'session_ticket', 'RFC 5077, RFC 8447'],
  [36, 'TLMSP', 'ETSI TS 103 523-2'],
  [37, 'TLMSP_proxying', 'ETSI TS 103 523-2'],
  [38, 'TLMSP_delegate', 'ETSI TS 103 523-2'],
  [39, 'supported_ekt_ciphers', 'RFC 8870'],
  [40, 'key_share (draft)', 'draft-ietf-tls-tls13 before draft 23; IANA reserved'],
  [41, 'pre_shared_key', 'RFC 8446 §4.2.11'],
  [42, 'early_data', 'RFC 8446 §4.2.10'],
  [43, 'supported_versions', 'RFC 8446 §4.2.1'],
  [44, 'cookie', 'RFC 8446 §4.2.2'],
  [45, 'psk_key_exchange_modes', 'RFC 8446 §4.2.9'],
  [47, 'certificate_authorities', 'RFC 8446 §4.2.4'],
  [48, 'oid_filters', 'RFC 8446 §4.2.5'],
  [49, 'post_handshake_auth', 'RFC 8446 §4.2.6'],
  [50, 'signature_algorithms_cert', 'RFC 8446 §4.2.3'],
  [51, 'key_share', 'RFC 8446 §4.2.8'],
  [52, 'transparency_info', 'RFC 9162'],
  [53, 'connection_id (deprecated)', 'draft-ietf-tls-dtls-connection-id'],
  [54, 'connection_id', 'RFC 9146'],
  [55, 'external_id_hash', 'RFC 8844'],
  [56, 'external_session_id', 'RFC 8844'],
  [57, 'quic_transport_parameters', 'RFC 9001'],
  [58, 'ticket_request', 'RFC 9149'],
  [59, 'dnssec_chain', 'RFC 9102'],
  [60, 'sequence_number_encryption_algorithms', 'draft-pismenny-tls-dtls-plaintext-sequence-number'],
  [61, 'rrc', 'draft-ietf-tls-dtls-rrc'],
  [62, 'tls_flags', 'draft-ietf-tls-tlsflags'],
  [13172, 'next_protocol_negotiation', 'draft-agl-tls-nextprotoneg (never IANA-assigned)'],
  [17513, 'application_settings (old)', 'draft-vvv-tls-alps (never IANA-assigned)'],
  [17613, 'application_settings', 'draft-vvv-tls-alps (never IANA-assigned)'],
  [30031, 'channel_id (old)', 'draft-balfanz-tls-channelid (never IANA-assigned)'],
  [30032, 'channel_id', 'draft-balfanz-tls-channelid (never IANA-assigned)'],
  [0xfd00, 'ech_outer_extensions', 'draft-ietf-tls-esni'],
  [0xfe0d, 'encrypted_client_hello', 'draft-ietf-tls-esni'],
  [0xffa5, 'quic_transport_parameters (draft)', 'draft-ietf-quic-tls (never IANA-assigned)'],
  [0xffce, 'encrypted_server_name', 'draft-ietf-tls-esni-01..05 (never IANA-assigned)'],
  [0xff01, 'renegotiation_info', 'RFC 5746 §3.2'],
];

const NAMES: ReadonlyMap<number, string> = new Map(TABLE.map(([c, n]) => [c, n]));
const REFS: ReadonlyMap<number, string> = new Map(TABLE.map(([c, , r]) => [c, r]));

/** RFC 8701 §2: extension GREASE values 0x0A0A, 0x1A1A, ..., 0xFAFA. */
export function isGreaseExtension(n: number): boolean {
  return isGrease16(n);
}

/** `server_name`, `GREASE`, ... or `unknown(N)`. */
export function extensionName(n: number): string {
  const known = NAMES.get(n);
  if (known !== undefined) return known;
  return isGrease16(n) ? 'GREASE' : `unknown(${n})`;
}

/** The document that defines the extension, when registered. */
export function extensionReference(n: number): string | undefined {
  return REFS.get(n);
}
