/**
 * z/OS Communications Server: FTP client and server messages and trace lines, the FTP.DATA
 * statements that decide how FTP uses TLS, AT-TLS error messages and return codes, and the
 * TN3270 server's handshake message. The System SSL return code each of them carries is in
 * system-ssl.ts.
 */
import { pattern, phrase } from './pattern.js';
import {
  IBM_APAR_II13516, IBM_ATTLS_SESSION_REUSE, IBM_MAIN_FTPS_410, IBM_TLSMECHANISM_QA, REDHAT_548573,
  ZOS_ATTLS_RETURN_CODES, ZOS_CS_INFO_CENTER_V1, ZOS_SECUREIMPLICITZOS, ZOS_SECURE_SESSION_REUSE,
  ZOS_TLS_ENABLED_FTP,
} from './sources.js';
import type { KnowledgeEntry, RuleId } from './types.js';

/** Every failure of a handshake ends in the same product message; the System SSL code says which. */
export const ANY_HANDSHAKE_FAILURE: readonly RuleId[] = [
  'empty-ca-list-rejected',
  'no-shared-cipher',
  'protocol-version-rejected',
  'plaintext-reply-to-tls',
  'handshake-aborted',
  'server-certificate-rejected',
  'certificate-expired',
  'client-certificate-missing',
  'client-certificate-rejected',
];

const FTP_CLIENT = 'z/OS FTP client';
const FTP_SERVER = 'z/OS FTP server';
const FTP_BOTH = 'z/OS FTP (client and server)';
const ATTLS = 'z/OS AT-TLS';

const READ_THE_RETURN_CODE = {
  where: 'z/OS FTP',
  action: 'Find the System SSL return code in the security trace (DEBUG SEC in FTP.DATA, or the DEBUG subcommand) and look it up: tlsdiag explain "rc = NNN".',
};

export const ZOS_FTP_ENTRIES: readonly KnowledgeEntry[] = [
  {
    id: 'zos-ftp-eza2897i',
    product: FTP_CLIENT,
    kind: 'message',
    title: 'EZA2897I Authentication negotiation failed',
    text: 'EZA2897I Authentication negotiation failed',
    meaning: 'The FTP client could not secure the control connection. The trace line before it (authServer: secure_socket_init failed with rc = N) carries the System SSL return code that says why; the message also appears when TLS cannot start at all, for example with TLSMECHANISM FTP and no key ring.',
    patterns: [pattern('\\bEZA2897I\\b'), phrase('Authentication negotiation failed')],
    wirePatterns: ['After AUTH TLS and the server’s 234 reply, the TLS handshake on the control connection ends with an alert or a close (or never starts).'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [READ_THE_RETURN_CODE],
    source: REDHAT_548573,
    confidence: 'confirmed',
    seeAlso: [IBM_MAIN_FTPS_410, IBM_TLSMECHANISM_QA, IBM_APAR_II13516],
  },
  {
    id: 'zos-ftp-eza2898i',
    product: FTP_CLIENT,
    kind: 'message',
    title: 'EZA2898I Unable to successfully negotiate required authentication',
    text: 'EZA2898I Unable to successfully negotiate required authentication',
    meaning: 'Follows EZA2897I when the session was required to be secured: the client does not continue without TLS.',
    patterns: [pattern('\\bEZA2898I\\b'), phrase('Unable to successfully negotiate required authentication')],
    wirePatterns: ['Same capture as EZA2897I: a failed or missing TLS handshake after AUTH TLS / 234.'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [READ_THE_RETURN_CODE],
    // FC1103 is the line in the IBM-MAIN report; Red Hat 548573 shows the same text as FC0994.
    source: IBM_MAIN_FTPS_410,
    confidence: 'confirmed',
    seeAlso: [REDHAT_548573],
    notes: ['What makes authentication "required" (for example starting the client with -r TLS) is inferred from the text and II13516, not stated next to the message.'],
  },
  {
    id: 'zos-ftp-eza1701i-auth-tls',
    product: FTP_CLIENT,
    kind: 'message',
    title: 'EZA1701I >>> AUTH TLS',
    text: 'EZA1701I >>> AUTH TLS',
    meaning: 'The client echoes each command it sends as EZA1701I >>> command. AUTH TLS starts RFC 4217 negotiation; the TLS handshake begins after the server’s 234 reply.',
    patterns: [pattern('\\bEZA1701I\\s*>>>\\s*AUTH\\s+(?:TLS|SSL)\\b')],
    wirePatterns: ['On the control connection (port 21): the client sends "AUTH TLS", the server answers "234 ...", then the client sends a ClientHello on the same connection.'],
    rules: [],
    remedies: [],
    source: IBM_MAIN_FTPS_410,
    confidence: 'confirmed',
  },
  {
    id: 'zos-ftp-client-trace-secure-socket-init-failed',
    product: FTP_CLIENT,
    kind: 'message',
    title: 'FTP client trace: authServer: secure_socket_init failed with rc = N',
    text: 'FC1103 authServer: secure_socket_init failed with rc = 410 (SSL message format is incorrect)',
    meaning: 'Security trace line of the FTP client: the handshake call failed; rc is the System SSL return code and the parenthesis its text.',
    patterns: [
      pattern('\\bauthServer:\\s*secure_socket_init\\s+failed\\s+with\\s+rc\\s*=\\s*\\d+'),
      pattern('\\bsecure_socket_init\\s+failed\\s+with\\s+rc\\s*=\\s*\\d+'),
    ],
    wirePatterns: ['The control-connection handshake that follows AUTH TLS / 234 fails; the return code names the cause.'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [READ_THE_RETURN_CODE],
    source: REDHAT_548573,
    confidence: 'confirmed',
    seeAlso: [IBM_MAIN_FTPS_410],
  },
  {
    id: 'zos-ftp-server-trace-init-failed',
    product: FTP_SERVER,
    kind: 'message',
    title: 'FTP server trace: authClient: init failed with rc = N',
    text: 'authClient: init failed with rc = 410 (GSK_ERR_BAD_MESSAGE)',
    meaning: 'Security trace line of the FTP server: the server-side handshake failed; rc is the System SSL return code and the parenthesis its constant.',
    patterns: [pattern('\\bauthClient:\\s*init\\s+failed\\s+with\\s+rc\\s*=\\s*\\d+')],
    wirePatterns: ['A client’s handshake with the z/OS FTP server fails; II13516 shows 410 and 406 for clients using implicit TLS on port 990.'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [READ_THE_RETURN_CODE],
    source: IBM_APAR_II13516,
    confidence: 'confirmed',
  },
  {
    id: 'zos-ftp-ezyft96i',
    product: FTP_SERVER,
    kind: 'message',
    title: 'EZYFT96I TLS handshake failed',
    text: 'EZYFT96I TLS handshake failed',
    meaning: 'The FTP server could not complete the TLS handshake with a client; the server security trace has the System SSL return code.',
    patterns: [pattern('\\bEZYFT96I\\b')],
    wirePatterns: ['A client connection to the z/OS FTP server whose TLS handshake ends in an alert, a close, or cleartext.'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [READ_THE_RETURN_CODE],
    source: IBM_APAR_II13516,
    confidence: 'confirmed',
  },
  {
    id: 'zos-ftp-data-secure-session-reuse',
    product: FTP_BOTH,
    kind: 'option',
    title: 'FTP.DATA SECURE_SESSION_REUSE',
    text: 'SECURE_SESSION_REUSE ALLOWED | REQUIRED | NONE',
    meaning: 'Whether data connections reuse the control connection’s TLS session. REQUIRED: the data-connection handshake must resume the control session and fails otherwise. ALLOWED: resume when possible, else a full handshake. NONE: no reuse. With AT-TLS, reuse also needs the data connection mapped to the same AT-TLS group and environment, a GSK_V3_SESSION_TIMEOUT longer than the time since the control handshake, and client REQUIRED with server ALLOWED.',
    patterns: [pattern('\\bSECURE_SESSION_REUSE\\b')],
    wirePatterns: [
      'Reuse visible on the wire: the data connection’s ClientHello carries the control connection’s session ID (or ticket) and the ServerHello echoes it, followed by an abbreviated handshake (no Certificate message).',
      'No reuse: a full handshake on the data connection; a server that requires reuse (vsftpd require_ssl_reuse) then refuses the transfer with 522 on the control connection.',
    ],
    rules: ['ftps-session-not-reused'],
    remedies: [{ where: 'z/OS FTP client', action: 'SECURE_SESSION_REUSE REQUIRED (or ALLOWED) in the client FTP.DATA when the server requires session reuse.' }],
    source: ZOS_SECURE_SESSION_REUSE,
    confidence: 'confirmed',
    seeAlso: [IBM_ATTLS_SESSION_REUSE],
    notes: ['The default value is not in the stored sources.'],
  },
  {
    id: 'zos-ftp-data-tlsmechanism',
    product: FTP_BOTH,
    kind: 'option',
    title: 'FTP.DATA TLSMECHANISM',
    text: 'TLSMECHANISM FTP | ATTLS',
    meaning: 'Who secures FTP connections: FTP itself through System SSL (FTP, which needs KEYRING and cipher statements in FTP.DATA) or AT-TLS policy (ATTLS). A rule written for AT-TLS with TLSMECHANISM FTP left in place fails with "ftpAuth: no keyring" and EZA2897I.',
    patterns: [pattern('\\bTLSMECHANISM\\b'), phrase('ftpAuth: no keyring')],
    wirePatterns: ['With a missing key ring the client fails before any ClientHello: the capture shows AUTH TLS and the 234 reply, then no handshake.'],
    rules: ['handshake-aborted'],
    remedies: [{ where: 'z/OS FTP.DATA', action: 'TLSMECHANISM ATTLS when an AT-TLS rule protects the connection; otherwise keep TLSMECHANISM FTP and give FTP.DATA a KEYRING.', source: IBM_TLSMECHANISM_QA }],
    source: IBM_TLSMECHANISM_QA,
    confidence: 'confirmed',
  },
  {
    id: 'zos-ftp-data-secureimplicitzos',
    product: FTP_BOTH,
    kind: 'option',
    title: 'FTP.DATA SECUREIMPLICITZOS',
    text: 'SECUREIMPLICITZOS TRUE | FALSE',
    meaning: 'For connections to the implicitly protected port (TLSPORT, 990 by default): whether the TLS handshake comes after the server’s 220 greeting (the z/OS behaviour) or immediately after the connection is made (what most other FTP products do). Both ends must agree; non-z/OS partners need FALSE.',
    patterns: [pattern('\\bSECUREIMPLICITZOS\\b'), pattern('\\bTLSPORT\\b')],
    wirePatterns: [
      'One side sends a ClientHello right after the TCP handshake while the other sends (or waits for) the 220 greeting: the client then reads "220 ..." in cleartext where it expected a ServerHello, or both wait until a timeout.',
    ],
    rules: ['plaintext-reply-to-tls', 'handshake-aborted'],
    remedies: [{ where: 'the z/OS side', action: 'SECUREIMPLICITZOS FALSE in its FTP.DATA when the partner is not z/OS; or use explicit TLS (AUTH TLS on port 21), which IBM recommends over port 990.', source: IBM_APAR_II13516 }],
    source: ZOS_SECUREIMPLICITZOS,
    confidence: 'confirmed',
    seeAlso: [ZOS_TLS_ENABLED_FTP, IBM_APAR_II13516],
    notes: ['The default value is not in the stored sources.'],
  },
];

type AttlsFacts = Pick<KnowledgeEntry, 'meaning' | 'wirePatterns' | 'rules' | 'remedies'>;

/** An AT-TLS return code: recognised in EZD1286I/EZD1287I, on its own, or by the manual's description. */
function attlsReturnCode(rc: number, text: string, facts: AttlsFacts): KnowledgeEntry {
  return {
    id: `zos-attls-rc-${rc}`,
    product: ATTLS,
    kind: 'return-code',
    title: `AT-TLS return code ${rc}`,
    text,
    patterns: [
      pattern(`\\bEZD128[67]I\\b[^\\n]*?\\bRC:?\\s*${rc}\\b`),
      pattern(`\\b(?:rc|return\\s+code)\\s*[=:]?\\s*${rc}\\b`),
      phrase(text.replace(/\.$/, '')),
    ],
    source: ZOS_ATTLS_RETURN_CODES,
    confidence: 'confirmed',
    code: { value: rc, names: [] },
    ...facts,
  };
}

export const ZOS_ATTLS_ENTRIES: readonly KnowledgeEntry[] = [
  {
    id: 'zos-attls-ezd1286i-ezd1287i',
    product: ATTLS,
    kind: 'message',
    title: 'EZD1286I / EZD1287I AT-TLS error',
    text: 'EZD1286I (syslogd, trace level 2) / EZD1287I (TCP/IP job log, trace level 1): AT-TLS error with event and RC',
    meaning: 'An AT-TLS connection failed. The message names the event AT-TLS was processing and a return code: 5001 to 5999 are AT-TLS errors the user can correct, 6001 to 6999 internal AT-TLS errors, anything else a System SSL return code.',
    patterns: [pattern('\\bEZD128[67]I\\b')],
    wirePatterns: ['A connection covered by an AT-TLS rule whose handshake fails, or that receives cleartext or nothing at all.'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [{ where: 'z/OS AT-TLS', action: 'Look up the RC: tlsdiag explain "RC: NNNN" (AT-TLS 5xxx codes or System SSL codes).' }],
    source: ZOS_ATTLS_RETURN_CODES,
    confidence: 'confirmed',
  },
  attlsReturnCode(5001, 'ClientAuthType is set to Required or SAFCheck, but the client did not provide a certificate.', {
    meaning: 'The AT-TLS rule requires a client certificate and the client sent none.',
    wirePatterns: ['z/OS sends CertificateRequest; the client answers with an empty Certificate message and AT-TLS ends the connection.'],
    rules: ['client-certificate-missing'],
    remedies: [{ where: 'the client', action: 'Configure the client to send its certificate during the handshake.' }],
  }),
  attlsReturnCode(5002, 'ClientAuthType is set to SAFCheck, but the certificate supplied by the client is not defined to SAF.', {
    meaning: 'The client certificate passed TLS validation but is not mapped to a user in RACF (or the SAF product).',
    wirePatterns: ['The client sends a certificate; the handshake is refused after it although the certificate itself may be valid.'],
    rules: ['client-certificate-rejected'],
    remedies: [{ where: 'z/OS security administration', action: 'Define the client certificate to SAF (RACF: RACDCERT ADD ... ID(user)).' }],
  }),
  attlsReturnCode(5003, 'Clear text data is received on the connection from the remote partner instead of secure data.', {
    meaning: 'The partner sent cleartext where AT-TLS expected TLS; AT-TLS terminates the connection.',
    wirePatterns: ['The first bytes from the partner are not a TLS record (an FTP command, an HTTP request, a 220 greeting ...).'],
    rules: ['plaintext-reply-to-tls'],
    remedies: [
      { where: 'the partner', action: 'Enable TLS for this connection (or point it at the non-TLS port).' },
      { where: 'z/OS AT-TLS policy', action: 'With ApplicationControlled On, the application must read all cleartext before it starts the secure handshake.' },
    ],
  }),
  attlsReturnCode(5004, 'The first HandshakeTimeout interval expired without receiving secure data from the remote partner.', {
    meaning: 'The connection was established but no TLS data arrived from the partner within HandshakeTimeout seconds.',
    wirePatterns: ['After the TCP handshake the partner sends nothing (or waits for the z/OS side to speak first) until AT-TLS gives up and closes the connection.'],
    rules: ['handshake-aborted'],
    remedies: [{ where: 'both ends', action: 'Make sure exactly one side starts the handshake (client role) and the partner is configured for TLS on this port.' }],
  }),
  {
    id: 'zos-attls-rc-6000-range',
    product: ATTLS,
    kind: 'return-code',
    title: 'AT-TLS return codes 6001 to 6999',
    text: 'Return codes 6001 to 6999 describe internal AT-TLS errors.',
    meaning: 'An internal AT-TLS error; IBM asks for the error message and the syslog information.',
    patterns: [pattern('\\bEZD128[67]I\\b[^\\n]*?\\bRC:?\\s*6\\d{3}\\b'), phrase('internal AT-TLS errors')],
    wirePatterns: [],
    rules: [],
    remedies: [{ where: 'IBM support', action: 'Report the EZD1286I/EZD1287I message with the syslogd output.' }],
    source: ZOS_ATTLS_RETURN_CODES,
    confidence: 'confirmed',
  },
  {
    id: 'zos-tn3270-ezz6035i-rcode-6002',
    product: 'z/OS TN3270E Telnet server',
    kind: 'message',
    title: 'EZZ6035I TELNET DEBUG RCODE 6002-00 SSL/TLS handshake failed',
    text: 'EZZ6035I TELNET DEBUG CLIENT ... RCODE: 6002-00 SSL/TLS handshake failed. PARM1: 00000191 PARM3: GSK_SECURE_SOCKET_INIT',
    meaning: 'The TN3270 server’s handshake with a client failed. PARM1 is the System SSL return code in hexadecimal (00000191 is 401); PARM3 names the failing System SSL function.',
    patterns: [pattern('\\bRCODE:\\s*6002\\b')],
    wirePatterns: ['A TN3270 client’s handshake that ends with an alert or a close; the System SSL code in PARM1 names the cause.'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [{ where: 'z/OS TN3270', action: 'Convert PARM1 from hexadecimal and look it up: tlsdiag explain "PARM1: 00000191".' }],
    source: ZOS_CS_INFO_CENTER_V1,
    confidence: 'confirmed',
  },
  {
    id: 'zos-tn3270-ezz6035i-rcode-600e',
    product: 'z/OS TN3270E Telnet server',
    kind: 'message',
    title: 'EZZ6035I TELNET DEBUG RCODE 600E-00 SSL handshake Timed out',
    text: 'EZZ6035I TELNET DEBUG CLIENT ... RCODE: 600E-00 SSL handshake Timed out. PARM1: FFFFFFEA',
    meaning: 'The TN3270 server gave up waiting for the client’s handshake; PARM1 FFFFFFEA is -22, "Socket closed by remote partner".',
    patterns: [pattern('\\bRCODE:\\s*600E\\b')],
    wirePatterns: ['The client connects to the secure TN3270 port but sends no ClientHello (or closes) before the server’s timeout.'],
    rules: ['handshake-aborted', 'plaintext-reply-to-tls'],
    remedies: [],
    source: ZOS_CS_INFO_CENTER_V1,
    confidence: 'confirmed',
  },
];
