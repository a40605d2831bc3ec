/**
 * Broadcom XCOM Data Transport: the System SSL failure message of XCOM for z/OS and the
 * configssl.cnf sections of the OpenSSL-based XCOM on the other side of a transfer.
 */
import { pattern, phrase } from './pattern.js';
import { BROADCOM_KB_229426, BROADCOM_KB_238847, BROADCOM_KB_27401 } from './sources.js';
import type { KnowledgeEntry } from './types.js';
import { ANY_HANDSHAKE_FAILURE } from './zos.js';

const XCOM = 'XCOM Data Transport';

export const XCOM_ENTRIES: readonly KnowledgeEntry[] = [
  {
    id: 'xcom-system-ssl-rc-410',
    product: `${XCOM} for z/OS (System SSL)`,
    kind: 'message',
    title: 'System SSL Function gsk_secure_socket_init: RC = 410: Reason = SSL message format is incorrect',
    text: 'System SSL Function gsk_secure_socket_init: RC = 410: Reason = SSL message format is incorrect',
    meaning: 'XCOM for z/OS, using System SSL, rejected a handshake message from the partner XCOM. In Broadcom’s case the OpenSSL-based partner, acting as server, sent a CertificateRequest with an empty list of distinguished names under SSL 3.0, and System SSL aborted with illegal_parameter(47).',
    patterns: [
      pattern('\\bSystem\\s+SSL\\s+Function\\s+gsk_secure_socket_init:\\s*RC\\s*=\\s*410\\b(?::\\s*Reason\\s*=\\s*SSL\\s+message\\s+format\\s+is\\s+incorrect)?'),
    ],
    wirePatterns: [
      'z/OS (client) sends a TLS 1.2 ClientHello; the partner answers with SSL 3.0 records: ServerHello, Certificate, CertificateRequest with Distinguished Names Length 0, ServerHelloDone; z/OS sends a fatal illegal_parameter(47) alert and both sides close.',
    ],
    rules: ['empty-ca-list-rejected', 'sslv3-negotiated'],
    remedies: [{
      where: 'XCOM (OpenSSL side)',
      action: 'RECEIVE_SIDE=NO in the VERIFY_CERTIFICATE section of configssl.cnf',
      caveat: 'Certificate verification is disabled for transfers this XCOM receives; Broadcom leaves that decision to the site. XCOM r12 for z/OS replaced OpenSSL with System SSL and added AT-TLS.',
      source: BROADCOM_KB_229426,
    }],
    source: BROADCOM_KB_229426,
    confidence: 'confirmed',
    notes: ['The System SSL side had SSL_METHOD INITIATE_SIDE = ALL and RECEIVE_SIDE = ALL in SYSconfigSSL.cnf.'],
  },
  {
    id: 'xcom-xcomm1510e',
    product: `${XCOM} for z/OS (System SSL)`,
    kind: 'message',
    title: 'XCOMM1510E System SSL: gsk_secure_socket_init: RC = nnn: Reason = text',
    text: 'XCOMM1510E System SSL: gsk_secure_socket_init:RC = 413: Reason = Certificate signature is incorrect',
    meaning: 'XCOM for z/OS reports the System SSL return code of a failed handshake; the number is a gsk_secure_socket_init() return code.',
    patterns: [pattern('\\bXCOMM1510E\\b'), pattern('\\bSystem\\s+SSL(?:\\s+Function)?:?\\s+gsk_secure_socket_init:\\s*RC\\s*=\\s*\\d+')],
    wirePatterns: ['Any failed handshake of an XCOM transfer using System SSL; the return code names the cause.'],
    rules: ANY_HANDSHAKE_FAILURE,
    remedies: [{
      where: 'XCOM for z/OS',
      action: 'Look up the return code (tlsdiag explain "RC = nnn"); for certificate problems take a System SSL trace by adding ENVAR("GSK_TRACE=0x3F","GSK_TRACE_FILE=/tmp/gskssl.%.trc") to the CEEOPTS DD and format it with gsktrace.',
      source: BROADCOM_KB_238847,
    }],
    source: BROADCOM_KB_238847,
    confidence: 'confirmed',
  },
  {
    id: 'xcom-configssl-verify-certificate',
    product: `${XCOM} (OpenSSL, configssl.cnf)`,
    kind: 'option',
    title: 'configssl.cnf [VERIFY_CERTIFICATE] INITIATE_SIDE / RECEIVE_SIDE',
    text: '[VERIFY_CERTIFICATE] RECEIVE_SIDE = NO',
    meaning: 'Whether this XCOM verifies the partner’s certificate: INITIATE_SIDE when it starts the transfer (TLS client), RECEIVE_SIDE when it receives one (TLS server). RECEIVE_SIDE = NO turns verification of client certificates off; Broadcom gives it as the way around a z/OS partner rejecting the empty certificate request.',
    patterns: [pattern('\\bVERIFY_CERTIFICATE\\b'), pattern('\\bRECEIVE_SIDE\\s*=\\s*NO\\b')],
    wirePatterns: [
      'With RECEIVE_SIDE verifying, the XCOM server sends a CertificateRequest; Broadcom’s trace shows it with an empty list of distinguished names.',
      'With RECEIVE_SIDE = NO the server no longer asks for a client certificate, so the empty CertificateRequest disappears from the handshake.',
    ],
    rules: ['empty-ca-list', 'empty-ca-list-rejected'],
    remedies: [],
    source: BROADCOM_KB_229426,
    seeAlso: [BROADCOM_KB_27401],
    confidence: 'partial',
    notes: ['That RECEIVE_SIDE = NO removes the CertificateRequest (rather than only skipping verification of the answer) is inferred from Broadcom’s statement that it avoids the failure, not shown in a trace.'],
  },
  {
    id: 'xcom-configssl-ca',
    product: `${XCOM} (OpenSSL, configssl.cnf)`,
    kind: 'option',
    title: 'configssl.cnf [CA], [CA_DIRECTORY], [CERTIFICATE], [PRIVATEKEY]',
    text: '[CA] INITIATE_SIDE = ...\\cassl.pem  RECEIVE_SIDE = ...\\cassl.pem',
    meaning: 'Each section names a file for the client role (INITIATE_SIDE) and the server role (RECEIVE_SIDE): [CA] the CA certificates used to verify partner certificates (several CAs are concatenated into one PEM file), [CERTIFICATE] and [PRIVATEKEY] this XCOM’s own certificate and key. [CA_DIRECTORY] exists for OpenSSL compatibility.',
    patterns: [pattern('\\b(?:INITIATE|RECEIVE)_SIDE\\b'), phrase('cassl.pem')],
    wirePatterns: ['A partner certificate not issued by a CA in the [CA] file is rejected by this XCOM with a certificate alert (unknown_ca or similar) after the partner’s Certificate message.'],
    rules: ['server-certificate-rejected', 'client-certificate-rejected'],
    remedies: [{ where: 'XCOM (OpenSSL side)', action: 'Append the partner’s CA certificate to the PEM file named in [CA] for the role that rejects it and restart xcomd.', source: BROADCOM_KB_27401 }],
    source: BROADCOM_KB_27401,
    confidence: 'confirmed',
  },
  {
    id: 'xcom-configssl-ssl-method',
    product: `${XCOM} (configssl.cnf)`,
    kind: 'option',
    title: 'configssl.cnf [SSL_METHOD] INITIATE_SIDE / RECEIVE_SIDE',
    text: '[SSL_METHOD] INITIATE_SIDE = ALL  RECEIVE_SIDE = ALL',
    meaning: 'Which SSL/TLS protocol versions XCOM offers when it starts a transfer and accepts when it receives one. ALL appears in Broadcom’s System SSL configuration (SYSconfigSSL.cnf).',
    patterns: [pattern('\\bSSL_METHOD\\b')],
    wirePatterns: ['The versions offered in the ClientHello and chosen in the ServerHello follow this setting on each side; an SSL 3.0 ServerHello means the server side allowed SSL 3.0.'],
    rules: ['sslv3-negotiated', 'protocol-version-rejected'],
    remedies: [],
    source: BROADCOM_KB_229426,
    confidence: 'partial',
    notes: ['Only the value ALL is confirmed; the other values and their exact spelling are not in the stored sources.'],
  },
];
