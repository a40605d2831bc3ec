/**
 * Which TLS implementation is talking: the curated table behind src/findings/software.ts. Each entry
 * is a shape that the capture can show (a protocol greeting, an error string, the shape of a hello)
 * and cites where the shape comes from: a capture in samples/ or the corpus recorded with that
 * software, or a published document (source code counts). `status` says how far the shape is
 * checked here:
 * - confirmed: a capture recorded with that software shows it (the capture is named);
 * - partial: a published document or a capture whose software is known only from its name;
 * - unconfirmed: from a published list (cipher order, source code) with no capture of it here; shown
 *   only at `low` confidence and labelled unconfirmed.
 *
 * Order matters: the first matching hello shape wins, so the more specific shapes come first.
 */
import type { Source } from '../types.js';
import type { Confidence } from './types.js';

/** The TLS stacks a remedy can be for. */
export type TlsFamily = 'openssl' | 'gnutls' | 'system-ssl' | 'jsse' | 'schannel' | 'nss' | 'boringssl' | 'go';

export const FAMILY_NAMES: Record<TlsFamily, string> = {
  openssl: 'OpenSSL',
  gnutls: 'GnuTLS',
  'system-ssl': 'IBM z/OS System SSL',
  jsse: 'Java (JSSE)',
  schannel: 'Windows Schannel',
  nss: 'NSS (Firefox)',
  boringssl: 'BoringSSL (Chrome)',
  go: 'Go crypto/tls',
};

export type GuessConfidence = 'high' | 'medium' | 'low';

/** What a ClientHello looks like, reduced to what the signatures test. */
export interface HelloShape {
  /** Cipher suites as sent, GREASE included. */
  readonly ciphers: readonly number[];
  /** Extension types in the order sent, GREASE included. */
  readonly extensions: readonly number[];
  readonly groups: readonly number[];
  readonly pointFormats: readonly number[];
  /** supported_versions without GREASE, or the hello's version. */
  readonly versions: readonly number[];
  readonly compression: readonly number[];
}

export interface HelloSignature {
  readonly id: string;
  readonly side: 'client' | 'server';
  /** What is named: `OpenSSL 3.x`. */
  readonly name: string;
  readonly family: TlsFamily;
  readonly confidence: GuessConfidence;
  readonly status: Confidence;
  /** The shape in one sentence, as the basis of a guess. */
  readonly basis: string;
  readonly source: Source;
  /** ClientHello test. */
  readonly test: (h: HelloShape) => boolean;
}

export interface BannerSignature {
  readonly id: string;
  readonly side: 'client' | 'server';
  /** Tested against each plaintext line of that side. */
  readonly pattern: RegExp;
  /** The name, from the match (only product names and versions: never a host name, which --redact would have to hide). */
  readonly name: (m: RegExpExecArray) => string;
  /** The application (`vsftpd`), when the line names one. */
  readonly app?: string;
  /** The TLS stack it links, when it always links the same one. */
  readonly family: TlsFamily | null;
  readonly confidence: GuessConfidence;
  readonly status: Confidence;
  readonly basis: string;
  /** A few words for the one-line summary: `FTP greeting`. */
  readonly cue: string;
  readonly source: Source;
}

// ---------------------------------------------------------------- sources

const SAMPLES_README = (file: string): Source => ({ title: `tlsdiag samples/${file}`, section: 'samples/README.md', publisher: 'tlsdiag' });
const CORPUS = (file: string): Source => ({ title: `Zeek test trace ${file}`, section: '../shared/corpus/zeek', publisher: 'Zeek project' });
const OPENSSL_T1_LIB_102: Source = { title: 'OpenSSL 1.0.2 ssl/t1_lib.c (eccurves_all, ssl_add_clienthello_tlsext)', publisher: 'OpenSSL Project', ref: 'https://github.com/openssl/openssl/blob/OpenSSL_1_0_2-stable/ssl/t1_lib.c' };
const OPENSSL_T1_LIB_111: Source = { title: 'OpenSSL 1.1.1 ssl/t1_lib.c (eccurves_default: x25519, secp256r1, x448, secp521r1, secp384r1)', publisher: 'OpenSSL Project', ref: 'https://github.com/openssl/openssl/blob/OpenSSL_1_1_1-stable/ssl/t1_lib.c' };
const IBM_MAIN_ZOS_FTP_HELLO: Source = { title: 'ibm-main list, z/OS 2.2 FTP client to Linux vsftpd: rc = 410 (msg108526)', section: 'the client hello: TLS 1.0, suites 0035 0038 0039 002F 0032 0033', publisher: 'ibm-main mailing list' };
const GO_HANDSHAKE_MESSAGES: Source = { title: 'Go crypto/tls handshake_messages.go (clientHelloMsg.marshal) and cipher_suites.go', publisher: 'The Go Authors', ref: 'https://go.dev/src/crypto/tls/handshake_messages.go' };
const SCHANNEL_CIPHER_ORDER: Source = { title: 'TLS Cipher Suites in Windows 10 v1903, v1909, and v2004', publisher: 'Microsoft', ref: 'https://learn.microsoft.com/en-us/windows/win32/secauthn/tls-cipher-suites-in-windows-10-v1903' };
const RFC_8701: Source = { title: 'RFC 8701 Applying Generate Random Extensions And Sustain Extensibility (GREASE) to TLS Extensibility', publisher: 'IETF', ref: 'https://www.rfc-editor.org/rfc/rfc8701' };
const VSFTPD_BANNER: Source = { title: 'vsftpd 3.0.3 greeting and 500 OOPS in samples/vsftpd-zos-auth-tls-empty-ca-list.pcap', section: 'samples/README.md', publisher: 'tlsdiag' };
const OPENSSL_3_ERRORS: Source = { title: 'OpenSSL 3.0 error strings (`error:0A000417:SSL routines::...`, no function name), samples/vsftpd-zos-*.pcap', publisher: 'OpenSSL Project', ref: 'https://www.openssl.org/docs/man3.0/man3/ERR_error_string.html' };
const OPENSSL_1_ERRORS: Source = { title: 'OpenSSL 1.1.1 ERR_error_string: `error:[code]:[library]:[function]:[reason]`', publisher: 'OpenSSL Project', ref: 'https://www.openssl.org/docs/man1.1.1/man3/ERR_error_string.html' };
const CURL_FTP: Source = { title: 'curl lib/ftp.c: AUTH SSL is tried before AUTH TLS; samples/ftps-session-reused.pcap (curl 7.88.1)', publisher: 'curl project', ref: 'https://github.com/curl/curl/blob/master/lib/ftp.c' };

const has = (list: readonly number[], v: number) => list.includes(v);
const GREASE = (v: number) => (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
/** The extensions in their order, GREASE left out and only those named kept: does `order` appear as a subsequence? */
function inOrder(exts: readonly number[], order: readonly number[]): boolean {
  let i = 0;
  for (const e of exts) if (i < order.length && e === order[i]) i++;
  return i === order.length;
}
const FFDHE = [256, 257, 258, 259, 260];
const OPENSSL_POINT_FORMATS = (h: HelloShape) => h.pointFormats.join(',') === '0,1,2';
/**
 * OpenSSL 1.1.0+ writes ec_point_formats, supported_groups, then (session_ticket,) encrypt_then_mac,
 * extended_master_secret, signature_algorithms (none before TLS 1.2); without an EC suite offered the
 * two EC extensions are left out, and the renegotiation signal 00FF ends the cipher list.
 */
const OPENSSL_11_ORDER = (h: HelloShape) => {
  const tls12 = h.versions.some((v) => v >= 0x0303 && v < 0xfe00) || h.versions.some((v) => v >= 0xfe00 && v <= 0xfefd);
  const tail = tls12 ? [22, 23, 13] : [22, 23];
  if (has(h.extensions, 11)) return inOrder(h.extensions, [11, 10, ...tail]) && h.extensions.indexOf(11) < h.extensions.indexOf(10) && OPENSSL_POINT_FORMATS(h);
  return !has(h.extensions, 10) && inOrder(h.extensions, tail) && h.ciphers[h.ciphers.length - 1] === 0x00ff;
};
const TLS13 = (h: HelloShape) => h.versions.some((v) => v === 0x0304);

export const HELLO_SIGNATURES: readonly HelloSignature[] = [
  {
    id: 'system-ssl-zos-ftp-client',
    side: 'client',
    name: 'IBM z/OS System SSL (z/OS FTP client default suites)',
    family: 'system-ssl',
    confidence: 'medium',
    status: 'partial',
    basis: 'the cipher list is exactly 0035 0038 0039 002F 0032 0033 (plus the 00FF signal), the z/OS FTP client\'s, with no extensions but signature_algorithms',
    source: IBM_MAIN_ZOS_FTP_HELLO,
    test: (h) => h.ciphers.filter((c) => c !== 0x00ff).join(',') === [0x35, 0x38, 0x39, 0x2f, 0x32, 0x33].join(',') && h.extensions.every((e) => e === 13 || e === 0xff01),
  },
  {
    id: 'boringssl-grease',
    side: 'client',
    name: 'BoringSSL (Chrome or another Chromium-based client)',
    family: 'boringssl',
    confidence: 'medium',
    status: 'partial',
    basis: 'GREASE values (RFC 8701) open the cipher list; BoringSSL sends them, OpenSSL, GnuTLS, Java and Go do not (samples, corpus openjdk-25 capture)',
    source: { ...CORPUS('chrome-1250-tls-x25519-kyber.pcap'), section: 'recorded with Chrome 125 (its name); RFC 8701' },
    test: (h) => h.ciphers.length > 0 && GREASE(h.ciphers[0]),
  },
  {
    id: 'jsse-status-request-v2',
    side: 'client',
    name: 'Java (JSSE)',
    family: 'jsse',
    confidence: 'medium',
    status: 'partial',
    basis: 'status_request_v2 (17) among extensions in ascending order, ec_point_formats offering only uncompressed',
    source: CORPUS('openjdk-25.0.2-zeek.org.pcap'),
    test: (h) => has(h.extensions, 17) && inOrder(h.extensions, [10, 11, 17, 23]),
  },
  {
    id: 'gnutls-client',
    side: 'client',
    name: 'GnuTLS',
    family: 'gnutls',
    confidence: 'medium',
    status: 'confirmed',
    basis: 'status_request (5) before supported_groups (10), renegotiation_info (65281) right before server_name (0), only uncompressed points',
    source: SAMPLES_README('vsftpd-request-cert-lftp.pcap (lftp 4.9.2, GnuTLS 3.7.9) and quic-clean.pcap (ngtcp2 with GnuTLS)'),
    test: (h) => {
      const r = h.extensions.indexOf(0xff01);
      return inOrder(h.extensions, [5, 10, 11, 13]) && r >= 0 && (h.extensions[r + 1] === 0 || !has(h.extensions, 0)) && h.pointFormats.join(',') === '0';
    },
  },
  {
    id: 'nss-firefox',
    side: 'client',
    name: 'NSS (Firefox)',
    family: 'nss',
    confidence: 'medium',
    status: 'partial',
    basis: 'extended_master_secret (23) then renegotiation_info (65281), supported_groups, ec_point_formats, session_ticket, ALPN, status_request in that order',
    source: CORPUS('tls13draft16-ff52.a01.pcap (Firefox 52, its name)'),
    test: (h) => inOrder(h.extensions, [23, 0xff01, 10, 11, 35, 16, 5]),
  },
  {
    id: 'openssl-3',
    side: 'client',
    name: 'OpenSSL 3.x',
    family: 'openssl',
    confidence: 'medium',
    status: 'confirmed',
    basis: 'OpenSSL\'s extension order (ec_point_formats, supported_groups, encrypt_then_mac, extended_master_secret, signature_algorithms), point formats 0,1,2, TLS 1.3 offered with the ffdhe groups 256-260 that OpenSSL 3.0 added to its default groups',
    source: SAMPLES_README('clean-tls13.pcap (OpenSSL 3.0.19 s_client), ftps-session-reused-tls13.pcap (curl 7.88.1, OpenSSL 3.0.19)'),
    test: (h) => OPENSSL_11_ORDER(h) && TLS13(h) && FFDHE.every((g) => has(h.groups, g)),
  },
  {
    id: 'openssl-111',
    side: 'client',
    name: 'OpenSSL 1.1.1',
    family: 'openssl',
    confidence: 'low',
    status: 'unconfirmed',
    basis: 'OpenSSL\'s extension order and point formats 0,1,2, TLS 1.3 offered with OpenSSL 1.1.1\'s default groups and no ffdhe groups',
    source: OPENSSL_T1_LIB_111,
    test: (h) => OPENSSL_11_ORDER(h) && TLS13(h) && has(h.extensions, 10) && !has(h.groups, 256),
  },
  {
    id: 'openssl-11-or-3-tls12',
    side: 'client',
    name: 'OpenSSL 1.1.x or 3.x',
    family: 'openssl',
    confidence: 'medium',
    status: 'confirmed',
    basis: 'OpenSSL\'s extension order (ec_point_formats, supported_groups, encrypt_then_mac, extended_master_secret, signature_algorithms) and point formats 0,1,2',
    source: SAMPLES_README('clean-tls12.pcap, ftps-session-reused.pcap (OpenSSL 3.0.19; 1.1.x writes the same, ssl/statem/extensions_clnt.c)'),
    test: (h) => OPENSSL_11_ORDER(h),
  },
  {
    id: 'openssl-10',
    side: 'client',
    name: 'OpenSSL 1.0.x',
    family: 'openssl',
    confidence: 'low',
    status: 'unconfirmed',
    basis: 'OpenSSL 1.0.x\'s extension order (ec_point_formats, supported_groups, session_ticket, signature_algorithms, heartbeat) and its full curve list starting sect571r1 (14), sect571k1 (13), secp521r1 (25)',
    source: OPENSSL_T1_LIB_102,
    test: (h) => inOrder(h.extensions, [11, 10, 35, 13, 15]) || (inOrder(h.extensions, [11, 10]) && h.groups.slice(0, 3).join(',') === '14,13,25'),
  },
  {
    id: 'go-crypto-tls',
    side: 'client',
    name: 'Go crypto/tls',
    family: 'go',
    confidence: 'low',
    status: 'unconfirmed',
    basis: 'Go\'s extension order (status_request, supported_groups, ec_point_formats, then signature_algorithms before renegotiation_info and signed_certificate_timestamp), only uncompressed points',
    source: GO_HANDSHAKE_MESSAGES,
    test: (h) => inOrder(h.extensions, [5, 10, 11, 13, 0xff01, 18]) && h.pointFormats.join(',') === '0',
  },
  {
    id: 'schannel-windows10',
    side: 'client',
    name: 'Windows Schannel',
    family: 'schannel',
    confidence: 'low',
    status: 'unconfirmed',
    basis: 'the cipher list starts as Windows 10\'s default order: C02C C02B C030 C02F 009F 009E',
    source: SCHANNEL_CIPHER_ORDER,
    test: (h) => h.ciphers.filter((c) => !GREASE(c)).slice(0, 6).join(',') === [0xc02c, 0xc02b, 0xc030, 0xc02f, 0x9f, 0x9e].join(','),
  },
];

/** A TLS 1.2 ServerHello whose extensions start with renegotiation_info: OpenSSL's server (s_server, vsftpd in samples/). */
export const OPENSSL_SERVER_HELLO: Omit<HelloSignature, 'test'> = {
  id: 'openssl-server-hello',
  side: 'server',
  name: 'OpenSSL',
  family: 'openssl',
  confidence: 'low',
  status: 'confirmed',
  basis: 'the TLS 1.2 ServerHello lists renegotiation_info (65281) first, as OpenSSL servers do (and some others: Google\'s mail servers in corpus smtp-starttls.pcap too)',
  source: SAMPLES_README('clean-tls12.pcap, empty-ca-list-accepted.pcap (s_server), vsftpd-request-cert-lftp.pcap (vsftpd)'),
};

export const BANNER_SIGNATURES: readonly BannerSignature[] = [
  {
    id: 'vsftpd-greeting',
    cue: 'FTP greeting',
    side: 'server',
    pattern: /^220 \(vsFTPd ([0-9][0-9.]*)\)/,
    name: (m) => `vsftpd ${m[1]} (OpenSSL)`,
    app: 'vsftpd',
    family: 'openssl',
    confidence: 'high',
    status: 'confirmed',
    basis: 'the FTP greeting names vsFTPd',
    source: VSFTPD_BANNER,
  },
  {
    id: 'vsftpd-oops',
    cue: '500 OOPS reply',
    side: 'server',
    pattern: /^500 OOPS: /,
    name: () => 'vsftpd (OpenSSL)',
    app: 'vsftpd',
    family: 'openssl',
    confidence: 'high',
    status: 'confirmed',
    basis: 'vsftpd\'s `500 OOPS:` reply',
    source: VSFTPD_BANNER,
  },
  {
    id: 'openssl-3-error-string',
    cue: 'OpenSSL 3 error string',
    side: 'server',
    pattern: /error:[0-9A-F]{8}:SSL routines::/,
    name: () => 'OpenSSL 3.x',
    family: 'openssl',
    confidence: 'high',
    status: 'confirmed',
    basis: 'an OpenSSL 3 error string (`error:0A......:SSL routines::`) in the server\'s reply',
    source: OPENSSL_3_ERRORS,
  },
  {
    id: 'openssl-1-error-string',
    cue: 'OpenSSL 1.x error string',
    side: 'server',
    pattern: /error:[0-9A-F]{8}:SSL routines:[A-Za-z0-9_]+:/,
    name: () => 'OpenSSL 1.x',
    family: 'openssl',
    confidence: 'high',
    status: 'partial',
    basis: 'an OpenSSL 1.x error string (`error:........:SSL routines:function:`) in the server\'s reply',
    source: OPENSSL_1_ERRORS,
  },
  {
    id: 'cyrus-greeting',
    cue: 'greeting',
    side: 'server',
    pattern: /^(?:\+OK|\* OK)\b.*\bCyrus (POP3|IMAP)[^ ]* v?([0-9][0-9.]*)/,
    name: (m) => `Cyrus ${m[1]} ${m[2]}`,
    app: 'Cyrus',
    family: 'openssl',
    confidence: 'medium',
    status: 'partial',
    basis: 'the greeting names Cyrus (which links OpenSSL)',
    source: CORPUS('pop3-starttls.pcap'),
  },
  {
    id: 'google-smtp',
    cue: 'SMTP greeting',
    side: 'server',
    pattern: /^220 \S+ ESMTP \S+ - gsmtp/,
    name: () => 'Google mail (BoringSSL)',
    app: 'Google SMTP',
    family: 'boringssl',
    confidence: 'medium',
    status: 'partial',
    basis: 'the SMTP greeting ends `- gsmtp`, Google\'s mail servers',
    source: CORPUS('smtp-starttls.pcap'),
  },
  {
    id: 'postfix-greeting',
    cue: 'SMTP greeting',
    side: 'server',
    pattern: /^220 \S+ ESMTP Postfix/,
    name: () => 'Postfix (OpenSSL)',
    app: 'Postfix',
    family: 'openssl',
    confidence: 'medium',
    status: 'unconfirmed',
    basis: 'the SMTP greeting names Postfix (its default smtpd_banner), which links OpenSSL',
    source: { title: 'Postfix TLS Support (TLS_README); smtpd_banner default "$myhostname ESMTP $mail_name"', publisher: 'Postfix', ref: 'https://www.postfix.org/TLS_README.html' },
  },
  {
    id: 'exchange-greeting',
    cue: 'SMTP greeting',
    side: 'server',
    pattern: /^220 \S+ Microsoft ESMTP MAIL Service/,
    name: () => 'Microsoft Exchange (Schannel)',
    app: 'Microsoft Exchange',
    family: 'schannel',
    confidence: 'medium',
    status: 'unconfirmed',
    basis: 'the SMTP greeting names Microsoft ESMTP MAIL Service',
    source: { title: 'Exchange Server TLS configuration best practices', publisher: 'Microsoft', ref: 'https://learn.microsoft.com/en-us/exchange/exchange-tls-configuration' },
  },
  {
    id: 'dovecot-greeting',
    cue: 'greeting',
    side: 'server',
    pattern: /^(?:\+OK|\* OK)\b.*\bDovecot\b/,
    name: () => 'Dovecot (OpenSSL)',
    app: 'Dovecot',
    family: 'openssl',
    confidence: 'medium',
    status: 'unconfirmed',
    basis: 'the greeting names Dovecot (its default login_greeting "Dovecot ready."), which links OpenSSL',
    source: { title: 'Dovecot SSL configuration', publisher: 'Dovecot', ref: 'https://doc.dovecot.org/configuration_manual/dovecot_ssl_configuration/' },
  },
  {
    id: 'curl-auth-ssl',
    cue: 'AUTH SSL before AUTH TLS',
    side: 'client',
    pattern: /^AUTH SSL\b/,
    name: () => 'curl',
    app: 'curl',
    family: null,
    confidence: 'low',
    status: 'confirmed',
    basis: 'the FTP client asked AUTH SSL first, as curl does before AUTH TLS',
    source: CURL_FTP,
  },
];
