/**
 * IBM z/OS System SSL return codes seen from gsk_secure_socket_init(), the handshake call. Every
 * z/OS product that uses System SSL (FTP, AT-TLS, CICS, MQ, Db2, XCOM, TN3270) reports these
 * numbers in its own message, so the entries recognise the number in all those forms: decimal
 * (`RC = 410`, `rc=410`, `return code 410`), hexadecimal (`PARM1: 0000019A`, `X'19A'`,
 * `GSK_RETURN_CODE(19A)`) and the constant names.
 */
import type { Remedy, Source } from '../types.js';
import { escapeRegExp, pattern, phraseSource } from './pattern.js';
import {
  BROADCOM_KB_229426, BROADCOM_KB_238847, GSKSSL_H_COPYBOOK, IBMI_GSK_RETURN_CODES, IBM_APAR_II13516,
  IBM_APAR_PH05393, IBM_APAR_PI44136, IBM_APAR_PI59965, IBM_APAR_PK21001, IBM_APAR_PM53329, IBM_APAR_PM88467,
  IBM_CERT_EXPIRATION, IBM_CICS_RC_402, IBM_CICS_RC_435, IBM_DB2_CLEARTEXT_410, IBM_IMS_HWSSSL00E,
  IBM_MAIN_FTPS_410, IBM_RDZ_ALERTS, IBM_ZOSMF_420, MQ_ZOS_TLS_RETURN_CODES, REDHAT_548573, ZOS_ATTLS_RETURN_CODES,
  ZOS_CS_INFO_CENTER_V1, ZOS_SSL_RC_CHANGES, ZOS_SSL_RETURN_CODES, ZOS_SSL_SOCKET_INIT,
} from './sources.js';
import type { Confidence, KnowledgeEntry, RuleId } from './types.js';

export const SYSTEM_SSL = 'IBM z/OS System SSL';

interface ReturnCodeFact {
  readonly rc: number;
  /** z/OS GSK_ERR_ name first when confirmed, then the GSKit (IBM i, distributed) GSK_ERROR_ name. */
  readonly names: readonly string[];
  /** The z/OS message text for the code. */
  readonly text: string;
  readonly meaning: string;
  readonly wire: readonly string[];
  readonly rules: readonly RuleId[];
  readonly remedies?: readonly Remedy[];
  readonly source: Source;
  readonly seeAlso?: readonly Source[];
  readonly confidence: Confidence;
  readonly notes?: readonly string[];
  /**
   * The text is ordinary wording other products use too ("Certificate is not valid"): recognise it
   * only where z/OS products put it, after `Reason =`/`Reason:` or in parentheses after the code.
   */
  readonly commonText?: boolean;
}

const EMPTY_CA_LIST_REMEDIES: readonly Remedy[] = [
  {
    where: 'vsftpd',
    action: 'ssl_request_cert=NO in vsftpd.conf, so vsftpd sends no CertificateRequest at all',
    caveat: 'Clients can no longer authenticate with a certificate.',
    source: REDHAT_548573,
  },
  {
    where: 'vsftpd 3.x',
    action: 'ca_certs_file=<PEM file of the CAs whose client certificates you accept>: vsftpd then fills certificate_authorities from that file',
    caveat: 'Only builds whose ssl.c calls SSL_CTX_set_client_CA_list (3.x) send the list; 2.x only loads the file for verification.',
  },
  {
    where: 'XCOM (OpenSSL side)',
    action: 'RECEIVE_SIDE=NO in the VERIFY_CERTIFICATE section of configssl.cnf',
    caveat: 'Disables verification of partner certificates for transfers this XCOM receives.',
    source: BROADCOM_KB_229426,
  },
  {
    where: 'any OpenSSL-based server',
    action: 'Give the server a client CA list (SSL_CTX_set_client_CA_list, or the product setting that loads one) so certificate_authorities is not empty',
  },
  {
    where: 'the server',
    action: 'Let the server negotiate TLS 1.1 or later, where an empty certificate_authorities list is allowed',
    caveat: 'Only possible when the client offers TLS 1.1 or later (the z/OS 2.2 FTP client in the IBM-MAIN report offered TLS 1.0). That System SSL then accepts the empty list follows from the RFCs but is not confirmed by an IBM document.',
  },
];

const FACTS: readonly ReturnCodeFact[] = [
  {
    rc: 8, commonText: true, names: ['GSK_ERROR_CERT_VALIDATION'], text: 'Certificate validation error.',
    meaning: 'System SSL could not validate a certificate. The more specific codes (401, 413, 414, 435) name the reason when System SSL knows it.',
    wire: ['The partner’s Certificate message carries a chain System SSL cannot validate; the z/OS side ends the handshake with a fatal alert after it.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
    source: MQ_ZOS_TLS_RETURN_CODES, seeAlso: [IBMI_GSK_RETURN_CODES], confidence: 'partial',
    notes: ['Number and text are confirmed for z/OS (IBM MQ table); the constant name is the GSKit one, the z/OS GSK_ERR_ spelling is not in the stored sources.'],
  },
  {
    rc: 401, names: ['GSK_ERR_BAD_DATE', 'GSK_ERROR_BAD_DATE'], text: 'Certificate is expired or is not valid yet.',
    meaning: 'The handshake time is outside a certificate’s validity period (before its start or after its end). It can be the partner’s certificate or the local one.',
    wire: [
      'The partner’s Certificate message carries a certificate whose notAfter is earlier than the handshake (or whose notBefore is later); the z/OS side ends the handshake with a fatal alert.',
      'When the expired certificate is the z/OS one, the partner is the side that complains (certificate_expired(45) or another certificate alert).',
    ],
    rules: ['certificate-expired'],
    remedies: [{ where: 'the owner of the expired certificate', action: 'Renew the certificate, connect it to the key ring (or key database) in place of the old one, and refresh or restart the application.', source: IBM_CERT_EXPIRATION }],
    source: MQ_ZOS_TLS_RETURN_CODES, seeAlso: [ZOS_SSL_SOCKET_INIT, IBM_CERT_EXPIRATION, ZOS_CS_INFO_CENTER_V1], confidence: 'confirmed',
    notes: ['Which alert System SSL sends for an expired partner certificate is not documented in the stored sources.'],
  },
  {
    rc: 402, names: ['GSK_ERR_NO_CIPHERS', 'GSK_ERROR_NO_CIPHERS'], text: 'No SSL cipher specifications.',
    meaning: 'Client and server have no cipher suite in common (AT-TLS words it: an SSL cipher suite could not be agreed upon between the client and server). CICS reported it after the partner refused the ClientHello with handshake_failure.',
    wire: [
      'The partner answers the z/OS ClientHello with a fatal handshake_failure(40) alert: none of the offered cipher suites is acceptable to it.',
      'The z/OS server receives a ClientHello offering no cipher suite it has enabled and ends the handshake with a fatal alert.',
    ],
    rules: ['no-shared-cipher'],
    remedies: [
      { where: 'z/OS', action: 'Enable, in the application’s cipher list or the AT-TLS policy, a cipher suite the partner offers (the ClientHello in the capture lists what the client offers).' },
      { where: 'the partner', action: 'Enable a cipher suite that z/OS offers or accepts.' },
    ],
    source: MQ_ZOS_TLS_RETURN_CODES, seeAlso: [ZOS_ATTLS_RETURN_CODES, IBM_CICS_RC_402, ZOS_SSL_RC_CHANGES, GSKSSL_H_COPYBOOK], confidence: 'confirmed',
  },
  {
    rc: 403, names: ['GSK_ERR_NO_CERTIFICATE', 'GSK_ERROR_NO_CERTIFICATE'], text: 'No certificate received from partner.',
    meaning: 'The z/OS side required a certificate from its partner and got none; as a server, the client answered the CertificateRequest without a certificate.',
    wire: ['z/OS, as server, sends CertificateRequest; the client answers with an empty Certificate message (TLS) or a no_certificate warning alert (SSL 3.0) and z/OS ends the handshake.'],
    rules: ['client-certificate-missing'],
    remedies: [
      { where: 'the client', action: 'Configure a client certificate issued by a CA that z/OS trusts (and, for FTP, make the client send it).' },
      { where: 'z/OS', action: 'If client authentication is not meant to be mandatory, lower the client-authentication requirement of the application or AT-TLS rule.' },
    ],
    source: MQ_ZOS_TLS_RETURN_CODES, seeAlso: [IBMI_GSK_RETURN_CODES], confidence: 'confirmed',
    notes: ['With AT-TLS and ClientAuthType Required or SAFCheck the same situation is reported as AT-TLS return code 5001.'],
  },
  {
    rc: 406, commonText: true, names: ['GSK_ERR_IO', 'GSK_ERROR_IO'], text: 'Error while reading or writing data.',
    meaning: 'An I/O error on the socket during the handshake: the partner reset or closed the connection, or sent something System SSL could not read as TLS.',
    wire: [
      'The partner closes or resets the TCP connection in the middle of the handshake.',
      'The partner sends cleartext where the handshake was expected: CICS reported 406 when a browser sent a plain "GET /" on its TLS port (APAR PK21001).',
      'Implicit FTPS on port 990 where client and server disagree about when the handshake starts (APAR II13516).',
      'Handshake data larger than 32767 bytes sent to the z/OS FTP server before APAR PI59965.',
    ],
    rules: ['handshake-aborted', 'plaintext-reply-to-tls'],
    source: IBM_APAR_II13516, seeAlso: [IBM_APAR_PK21001, IBM_APAR_PI59965, IBM_IMS_HWSSSL00E, IBMI_GSK_RETURN_CODES], confidence: 'partial',
    notes: ['Number and name are confirmed; the text is as IMS Connect prints it (HWSSSL00E), the System SSL manual wording is not in the stored sources.'],
  },
  {
    rc: 410, names: ['GSK_ERR_BAD_MESSAGE', 'GSK_ERROR_BAD_MESSAGE'], text: 'SSL message format is incorrect.',
    meaning: 'A message received from the partner is incorrectly formatted. System SSL checks the vector bounds of the negotiated version strictly, so a message another stack accepts can fail here.',
    wire: [
      'The server’s CertificateRequest has an empty certificate_authorities list (Distinguished Names Length 0) while SSL 3.0 or TLS 1.0 is negotiated, where the RFCs require at least 3 bytes; System SSL, as client, answers with a fatal illegal_parameter(47) alert and closes (Broadcom KB 229426 with XCOM; Red Hat 548573 with vsftpd).',
      'The partner sends cleartext where a TLS record is expected (Db2: a DRDA connection without TLS at a TLS port).',
      'Implicit FTPS on port 990 where one side waits for the 220 greeting before the handshake (APAR II13516).',
    ],
    rules: ['empty-ca-list-rejected', 'plaintext-reply-to-tls'],
    remedies: EMPTY_CA_LIST_REMEDIES,
    source: MQ_ZOS_TLS_RETURN_CODES,
    seeAlso: [ZOS_SSL_SOCKET_INIT, BROADCOM_KB_229426, REDHAT_548573, IBM_MAIN_FTPS_410, IBM_DB2_CLEARTEXT_410, IBM_APAR_II13516],
    confidence: 'confirmed',
    notes: [
      'In the Broadcom trace the z/OS client offered TLS 1.2 and the OpenSSL server answered with SSL 3.0 records, so the SSL 3.0 bounds applied.',
      'In the IBM-MAIN report the z/OS 2.2 FTP client offered TLS 1.0 (record version 0301, suites 0035 0038 0039 002F 0032 0033) to a Linux server.',
    ],
  },
  {
    rc: 412, names: ['GSK_ERROR_UNSUPPORTED'], text: 'SSL protocol or certificate type is not supported.',
    meaning: 'Something the partner requested (a protocol version or certificate type) is not supported.',
    wire: ['The partner asks for a protocol version or certificate type the z/OS side has not enabled; the handshake ends right after the hello messages.'],
    rules: ['protocol-version-rejected'],
    source: IBMI_GSK_RETURN_CODES, seeAlso: [GSKSSL_H_COPYBOOK], confidence: 'unconfirmed',
    notes: ['Only the number and the GSKit name GSK_ERROR_UNSUPPORTED are confirmed (IBM i); the z/OS constant, the message text and the wire pattern are not in the stored sources.'],
  },
  {
    rc: 413, names: ['GSK_ERROR_BAD_CERT_SIG'], text: 'Certificate signature is incorrect.',
    meaning: 'The signature on a certificate received from the partner does not verify.',
    wire: ['The partner’s Certificate message carries a certificate whose signature does not verify against its issuer; the z/OS side ends the handshake with a fatal alert.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
    remedies: [{ where: 'the partner', action: 'Send a certificate chain that is complete and correctly signed; a System SSL trace (GSK_TRACE) shows the certificate.', source: BROADCOM_KB_238847 }],
    source: BROADCOM_KB_238847, seeAlso: [GSKSSL_H_COPYBOOK], confidence: 'partial',
    notes: ['Text confirmed (quoted from IBM in Broadcom KB 238847); the constant is the GSKit name, the z/OS spelling is not in the stored sources.'],
  },
  {
    rc: 414, commonText: true, names: ['GSK_ERR_BAD_CERT', 'GSK_ERROR_BAD_CERT'], text: 'Certificate is not valid.',
    meaning: 'A certificate failed validation for a reason other than its dates or an unknown CA, or the partner rejected the z/OS certificate.',
    wire: [
      'The partner sends a fatal certificate_unknown(46) alert after the z/OS certificate: the partner rejected it and System SSL returns 414 (IBM Developer for z/OS trace: "SSL V3 alert 46 received", exit status 0x19e).',
      'The partner’s certificate is malformed or fails validation; the z/OS side ends the handshake with a fatal alert.',
    ],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
    source: MQ_ZOS_TLS_RETURN_CODES, seeAlso: [ZOS_SSL_SOCKET_INIT, IBM_RDZ_ALERTS], confidence: 'confirmed',
  },
  {
    rc: 415, names: ['GSK_ERR_BAD_PEER', 'GSK_ERROR_BAD_PEER'], text: 'Peer application has violated the SSL protocol.',
    meaning: 'The partner sent a message the protocol does not allow at that point.',
    wire: ['The partner sends a handshake message out of order or one the negotiated version does not allow; the z/OS side ends the handshake.'],
    rules: ['handshake-aborted'],
    source: ZOS_SSL_SOCKET_INIT, seeAlso: [IBMI_GSK_RETURN_CODES], confidence: 'partial',
    notes: ['The text is the z/OS description of GSK_ERR_BAD_PEER; its number 415 is confirmed by the GSKit tables (IBM i), not by a z/OS page in the stored sources.'],
  },
  {
    rc: 420, names: ['GSK_ERR_SOCKET_CLOSED', 'GSK_ERROR_SOCKET_CLOSED'], text: 'Socket closed by remote partner.',
    meaning: 'The partner closed the connection during the handshake.',
    wire: [
      'The partner closes the TCP connection (FIN or RST) during the handshake without sending an alert, for example right after the z/OS ClientHello or after the z/OS certificate.',
    ],
    rules: ['handshake-aborted'],
    source: IBM_ZOSMF_420, seeAlso: [IBMI_GSK_RETURN_CODES, ZOS_CS_INFO_CENTER_V1, IBM_IMS_HWSSSL00E], confidence: 'partial',
    notes: ['Number and name confirmed; the text is from a GSKit 420 log line and the older Communications Server documentation (-22 Socket closed by remote partner), not from the System SSL manual.'],
  },
  {
    rc: 428, names: ['GSK_ERR_NO_PRIVATE_KEY', 'GSK_ERROR_NO_PRIVATE_KEY'], text: 'Key entry does not contain a private key.',
    meaning: 'The certificate selected for this side has no private key in the key database or SAF key ring, so System SSL cannot use it.',
    wire: ['A local configuration error. When z/OS is the server the handshake ends right after the ClientHello, without a ServerHello.'],
    rules: ['handshake-aborted'],
    remedies: [{ where: 'z/OS', action: 'Connect the certificate with its private key to the key ring (or import it with its key) and make it the default or the configured label.' }],
    source: ZOS_SSL_RC_CHANGES, seeAlso: [GSKSSL_H_COPYBOOK], confidence: 'partial',
    notes: ['Text confirmed; the wire pattern is inferred from where the key is needed, not documented.'],
  },
  {
    rc: 431, commonText: true, names: [], text: 'Certificate is revoked.',
    meaning: 'A certificate in the partner’s chain is revoked.',
    wire: ['The partner’s Certificate message carries a revoked certificate; the z/OS side ends the handshake with a fatal alert.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
    source: ZOS_SSL_RETURN_CODES, confidence: 'unconfirmed',
    notes: ['Recalled from the System SSL return code list; neither the text nor the constant name is in the stored sources.'],
  },
  {
    rc: 434, names: [], text: 'Certificate key is not compatible with cipher suite.',
    meaning: 'The key in the certificate cannot be used with the negotiated cipher suite.',
    wire: ['The server certificate’s key type does not fit the cipher suite chosen in ServerHello (for example an RSA certificate with an ECDSA suite).'],
    rules: ['no-shared-cipher'],
    source: ZOS_SSL_RETURN_CODES, confidence: 'unconfirmed',
    notes: ['Recalled; neither the text nor the constant name is in the stored sources.'],
  },
  {
    rc: 435, names: ['GSK_ERR_UNKNOWN_CA'], text: 'Certification authority is unknown.',
    meaning: 'The key database or SAF key ring has no trusted certificate for the CA that issued the partner’s certificate.',
    wire: ['The partner’s Certificate message (the server certificate when z/OS is the client, the client certificate when z/OS is the server) is issued by a CA that z/OS does not trust; the z/OS side ends the handshake with a fatal alert.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
    remedies: [{
      where: 'z/OS',
      action: 'Add the issuing CA certificate to the key ring as TRUSTed; with RACF, refresh RACLISTed DIGTCERT and DIGTRING classes (SETROPTS RACLIST(DIGTCERT DIGTRING) REFRESH) and restart the application.',
      source: IBM_CICS_RC_435,
    }],
    source: IBM_CICS_RC_435, confidence: 'confirmed',
    notes: ['CICS TS 3.1 described 435 as "Untrusted Certificate Authority" until APAR PK35216.'],
  },
  {
    rc: 437, names: ['GSK_ERR_CONNECTION_CLOSED'], text: "SSL error 437 (X'1B5') CONNECTION_CLOSED",
    meaning: 'The partner sent a close notification and closed the socket.',
    wire: ['The partner sends close_notify(0) and closes, during or instead of the handshake.'],
    rules: ['handshake-aborted'],
    source: IBM_APAR_PH05393, seeAlso: [IBM_IMS_HWSSSL00E], confidence: 'partial',
    notes: ['APAR PH05393 names 437 (X\'1B5\') CONNECTION_CLOSED and describes a notification received from the peer; the exact System SSL message text is not in the stored sources.'],
  },
  {
    rc: 438, names: [], text: 'Internal error reported by remote partner.',
    meaning: 'The partner reported an internal error.',
    wire: ['The partner sends a fatal internal_error(80) alert.'],
    rules: ['handshake-aborted'],
    source: IBM_APAR_PM53329, confidence: 'unconfirmed',
    notes: ['CICS APARs PM53329/PM60971 list 438 among codes caused by the client side; the text and the alert mapping are recalled, not confirmed.'],
  },
  {
    rc: 439, names: [], text: 'Unknown alert received from remote partner.',
    meaning: 'The partner sent an alert System SSL does not recognise.',
    wire: ['The partner sends an alert whose description System SSL does not map to another return code.'],
    rules: ['handshake-aborted'],
    source: IBM_APAR_PM53329, confidence: 'unconfirmed',
    notes: ['APAR PM53329 reports 439 when a network security testing tool connected to a CICS TLS port; the text is recalled, not confirmed.'],
  },
  {
    rc: 446, names: ['GSK_ERR_TLS_EXTENSION_MISMATCH'], text: 'GSK_ERR_TLS_EXTENSION_MISMATCH',
    meaning: 'The TLS extensions do not match what was negotiated; CICS saw it when a client used a higher TLS level than the region supported.',
    wire: ['The client offers a TLS version (and its extensions) above what the z/OS server has enabled.'],
    rules: ['protocol-version-rejected'],
    source: IBM_APAR_PI44136, confidence: 'partial',
    notes: ['Number and name confirmed by APAR PI44136; the message text is not in the stored sources.'],
  },
  {
    rc: 450, names: ['GSK_ERR_BAD_MSG_LEN'], text: 'GSK_ERR_BAD_MSG_LEN',
    meaning: 'TLS extension data inside a message from the partner is incorrectly formatted (a length does not add up).',
    wire: ['A partner handshake message whose extension lengths are inconsistent; CICS saw it with a client certificate message of wrong length.'],
    rules: ['handshake-aborted'],
    source: IBM_APAR_PM88467, seeAlso: [ZOS_SSL_SOCKET_INIT], confidence: 'confirmed',
  },
];

function returnCodePatterns(fact: ReturnCodeFact): RegExp[] {
  const rc = fact.rc;
  const hex = rc.toString(16);
  const list: RegExp[] = [
    pattern(`\\bgsk_secure_soc(?:ket)?_init\\b[^\\n]{0,60}?\\b(?:rc|return\\s+code)\\s*[=:]?\\s*["'(]?${rc}\\b(?!\\.\\d)`),
    pattern(`\\b(?:rc|return\\s+code|reason\\s+code)\\s*[=:]?\\s*["'(]?${rc}\\b(?!\\.\\d)`),
    pattern(`\\bPARM1:\\s*0*${hex}\\b`),
    pattern(`\\bX'0*${hex}'`),
    pattern(`\\bGSK_RETURN_CODE\\(0*${hex}\\)`),
    pattern(`\\b${rc}\\s*\\(0x0*${hex}\\)`),
    pattern(`\\bExit status 0x0*${hex}\\b`),
    pattern(`${fact.commonText === true ? '(?:\\bReason\\s*[=:]\\s*|\\()' : ''}${phraseSource(fact.text.replace(/\.$/, ''))}`),
  ];
  if (fact.names.length > 0) list.push(pattern(`\\b(?:${fact.names.map(escapeRegExp).join('|')})\\b`));
  return list;
}

function returnCodeEntry(fact: ReturnCodeFact): KnowledgeEntry {
  const name = fact.names[0];
  return {
    id: `system-ssl-rc-${fact.rc}`,
    product: SYSTEM_SSL,
    kind: 'return-code',
    title: `System SSL return code ${fact.rc}${name === undefined ? '' : ` ${name}`}`,
    text: fact.text,
    meaning: fact.meaning,
    patterns: returnCodePatterns(fact),
    wirePatterns: fact.wire,
    rules: fact.rules,
    remedies: fact.remedies ?? [],
    source: fact.source,
    confidence: fact.confidence,
    code: { value: fact.rc, names: fact.names },
    notes: fact.notes ?? [],
    seeAlso: fact.seeAlso ?? [],
  };
}

const BY_RC: ReadonlyMap<number, KnowledgeEntry> = new Map(FACTS.map((fact) => [fact.rc, returnCodeEntry(fact)]));

export const SYSTEM_SSL_ENTRIES: readonly KnowledgeEntry[] = [...BY_RC.values()];

/** The entry for a gsk_secure_socket_init() return code, or undefined when the knowledge base has none. */
export function systemSslReturnCode(rc: number): KnowledgeEntry | undefined {
  return BY_RC.get(rc);
}
