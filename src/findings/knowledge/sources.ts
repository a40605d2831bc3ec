/**
 * The documents the knowledge base cites, one constant each so an entry and docs/knowledge-base.md
 * name a document the same way. Titles as their publishers give them.
 */
import type { Source } from '../types.js';

function at(source: Source, section: string): Source {
  return { ...source, section };
}

// ---------------------------------------------------------------- IETF

export const RFC_2246: Source = {
  title: 'RFC 2246 The TLS Protocol Version 1.0',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc2246',
};
export const RFC_4217: Source = {
  title: 'RFC 4217 Securing FTP with TLS',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc4217',
};
export const RFC_4346: Source = {
  title: 'RFC 4346 The Transport Layer Security (TLS) Protocol Version 1.1',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc4346',
};
export const RFC_5246: Source = {
  title: 'RFC 5246 The Transport Layer Security (TLS) Protocol Version 1.2',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc5246',
};
export const RFC_5280: Source = {
  title: 'RFC 5280 Internet X.509 Public Key Infrastructure Certificate and Certificate Revocation List (CRL) Profile',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc5280',
};
export const RFC_6066: Source = {
  title: 'RFC 6066 Transport Layer Security (TLS) Extensions: Extension Definitions',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc6066',
};
export const RFC_6101: Source = {
  title: 'RFC 6101 The Secure Sockets Layer (SSL) Protocol Version 3.0',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc6101',
};
export const RFC_6176: Source = {
  title: 'RFC 6176 Prohibiting Secure Sockets Layer (SSL) Version 2.0',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc6176',
};
export const RFC_7301: Source = {
  title: 'RFC 7301 Transport Layer Security (TLS) Application-Layer Protocol Negotiation Extension',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc7301',
};
export const RFC_7507: Source = {
  title: 'RFC 7507 TLS Fallback Signaling Cipher Suite Value (SCSV) for Preventing Protocol Downgrade Attacks',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc7507',
};
export const RFC_7568: Source = {
  title: 'RFC 7568 Deprecating Secure Sockets Layer Version 3.0',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc7568',
};
export const RFC_8446: Source = {
  title: 'RFC 8446 The Transport Layer Security (TLS) Protocol Version 1.3',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc8446',
};
export const RFC_8996: Source = {
  title: 'RFC 8996 Deprecating TLS 1.0 and TLS 1.1',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc8996',
};
export const RFC_792: Source = {
  title: 'RFC 792 Internet Control Message Protocol',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc792',
};
export const RFC_1812: Source = {
  title: 'RFC 1812 Requirements for IP Version 4 Routers',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc1812',
};
export const RFC_4443: Source = {
  title: 'RFC 4443 Internet Control Message Protocol (ICMPv6) for the Internet Protocol Version 6 (IPv6) Specification',
  publisher: 'IETF',
  ref: 'https://www.rfc-editor.org/rfc/rfc4443',
};
export const DRAFT_ECH: Source = {
  title: 'draft-ietf-tls-esni TLS Encrypted Client Hello',
  publisher: 'IETF',
  section: 'IANA Considerations (ech_required alert)',
};

export function rfc(source: Source, section: string): Source {
  return at(source, section);
}

// ---------------------------------------------------------------- IBM z/OS System SSL

export const ZOS_SSL_RETURN_CODES: Source = {
  title: 'z/OS Cryptographic Services System SSL Programming',
  section: 'SSL function return codes',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/docs/en/zos/2.5.0?topic=sfrc-1',
};
export const ZOS_SSL_SOCKET_INIT: Source = {
  title: 'z/OS Cryptographic Services System SSL Programming',
  section: 'gsk_secure_socket_init() Results',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/docs/SSLTBW_2.3.0/com.ibm.zos.v2r3.gska100/sssl2api1071294.htm',
};
export const ZOS_SSL_RC_CHANGES: Source = {
  title: 'z/OS V2R1 Migration: new and changed System SSL function return codes',
  section: 'Table 1',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/support/knowledgecenter/SSLTBW_2.1.0/com.ibm.zos.v2r1.e0zh300/sslfrc.htm',
};
export const MQ_ZOS_TLS_RETURN_CODES: Source = {
  title: 'IBM MQ: Transport Layer Security (TLS) return codes for z/OS',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/docs/SSFKSJ_9.2.0/com.ibm.mq.ref.doc/q080460_.htm',
};
export const IBMI_GSK_RETURN_CODES: Source = {
  title: 'IBM i: Secure socket API error code messages',
  publisher: 'IBM',
  ref: 'https://ibm.com/docs/ssw_ibm_i_72/rzab6/ssltrouble.htm',
};
export const GSKSSL_H_COPYBOOK: Source = {
  title: 'GSKSSL_H: RPG copy of the gskssl.h constants (Scott C. Klement)',
  publisher: 'public source code',
  section: 'gsk_secure_soc_init return values',
};
export const IBM_CICS_RC_435: Source = {
  title: "IBM Support: SSL RC 435 from function 'gsk_secure_socket_init'",
  publisher: 'IBM',
  ref: 'https://www.ibm.com/support/docview.wss?uid=swg21285004',
};
export const IBM_CERT_EXPIRATION: Source = {
  title: 'IBM Support: Avoiding SSL Certificate Expiration',
  publisher: 'IBM',
  ref: 'https://www-01.ibm.com/support/docview.wss?uid=swg21248143',
};
export const IBM_RDZ_ALERTS: Source = {
  title: 'IBM Developer for z/OS: SSL Alert messages',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/docs/en/developer-for-zos/17.0.0?topic=trace-ssl-alert-messages',
};
export const IBM_APAR_PK21001: Source = {
  title: "IBM APAR PK21001: Receiving DFHSO0123 return code 406 from function 'gsk_secure_socket_init' of SSL in TS 3.1",
  publisher: 'IBM',
  ref: 'PK21001',
};
export const IBM_APAR_PH05393: Source = {
  title: "IBM APAR PH05393: SSL error 437 (X'1B5') CONNECTION_CLOSED using connection pooling in CICS TS V5R4",
  publisher: 'IBM',
  ref: 'PH05393',
};
export const IBM_APAR_PM53329: Source = {
  title: 'IBM APAR PM53329: Receiving DFHSO0139 return code 439, DFHWB0732 socket I/O error',
  publisher: 'IBM',
  ref: 'PM53329',
};
export const IBM_APAR_PI44136: Source = {
  title: "IBM APAR PI44136: Receiving DFHSO0123 return code 446 and DFHSO0002 X'080C' during SSL handshake",
  publisher: 'IBM',
  ref: 'PI44136',
};
export const IBM_APAR_PM88467: Source = {
  title: 'IBM APAR PM88467: SSL return code 450, DFHWB0732 socket I/O error while receiving client request',
  publisher: 'IBM',
  ref: 'PM88467',
};
export const IBM_APAR_PI59965: Source = {
  title: 'IBM APAR PI59965: GSK_ERR_IO 406 when FTP handshake data exceeds 32767 bytes',
  publisher: 'IBM',
  ref: 'PI59965',
};
export const IBM_APAR_PH68673: Source = {
  title: 'IBM APAR PH68673: A dump is taken incorrectly in CICS for a System SSL gsk_secure_socket_init() rc517 and rc542',
  publisher: 'IBM',
  ref: 'PH68673',
};
export const IBM_CICS_RC_402: Source = {
  title: 'IBM Support Q&A: CICS DFHSO0123 return code 402 after the partner sent a handshake_failure alert',
  publisher: 'IBM',
};
export const IBM_DB2_CLEARTEXT_410: Source = {
  title: 'IBM Support: Db2 gsk_secure_soc_init failed, return code 410 GSK_ERROR_BAD_MESSAGE for a cleartext DRDA connection',
  publisher: 'IBM',
};
export const IBM_ZOSMF_420: Source = {
  title: 'IBM Support: z/OSMF log GSKit error 420: Socket closed by remote partner',
  publisher: 'IBM',
};
export const IBM_IMS_HWSSSL00E: Source = {
  title: 'IBM IMS Connect message HWSSSL00E (APAR PM07416 and PK97902)',
  publisher: 'IBM',
  ref: 'PM07416',
};

// ---------------------------------------------------------------- z/OS Communications Server

export const IBM_APAR_II13516: Source = {
  title: 'IBM APAR II13516: MustGather: Read first for FTP Client and Server TLS Support for z/OS Communications Server',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/support/pages/apar/II13516',
};
export const IBM_MAIN_FTPS_410: Source = {
  title: 'IBM-MAIN list: FTPS from the z/OS 2.2 client to a linux system failing the handshake',
  publisher: 'IBM-MAIN mailing list',
  ref: 'https://www.mail-archive.com/ibm-main@listserv.ua.edu/msg108526.html',
};
export const IBM_TLSMECHANISM_QA: Source = {
  title: 'IBM Support: EZA2897I issued when implementing AT-TLS and testing FTP client rule',
  publisher: 'IBM',
  ref: 'dwa1184125',
};
export const ZOS_SECURE_SESSION_REUSE: Source = {
  title: 'z/OS Communications Server: IP Configuration Reference',
  section: 'SECURE_SESSION_REUSE (FTP client and server) statement',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/docs/SSLTBW_3.2.0/com.ibm.zos.v3r2.halz001/ftpcassecuresere.htm',
};
export const IBM_ATTLS_SESSION_REUSE: Source = {
  title: 'IBM Support: When using AT-TLS, how do I implement secure session reuse for FTP?',
  publisher: 'IBM',
  ref: 'dwa1409989',
};
export const ZOS_SECUREIMPLICITZOS: Source = {
  title: 'z/OS Communications Server: IP Configuration Reference',
  section: 'SECUREIMPLICITZOS (FTP client and server) statement',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/support/knowledgecenter/SSLTBW_2.4.0/com.ibm.zos.v2r4.halz001/ftpcassecureimplicitzos.htm',
};
export const ZOS_TLS_ENABLED_FTP: Source = {
  title: 'z/OS Communications Server: IP Configuration Guide',
  section: 'TLS-enabled FTP',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/docs/SSLTBW_3.2.0/com.ibm.zos.v3r2.halz002/security_ftp.htm',
};
export const ZOS_ATTLS_RETURN_CODES: Source = {
  title: 'z/OS Communications Server: IP Diagnosis Guide',
  section: 'AT-TLS return codes',
  publisher: 'IBM',
  ref: 'https://www.ibm.com/support/knowledgecenter/SSLTBW_2.2.0/com.ibm.zos.v2r2.hald001/comtls.htm',
};
export const ZOS_CS_INFO_CENTER_V1: Source = {
  title: 'z/OS Communications Server Information Center V1: TN3270 SSL/TLS debugging (EZZ6035I)',
  publisher: 'IBM',
  ref: 'https://public.dhe.ibm.com/software/network/commserver/publications/zos/zOS_CS_Information_Center_V1.zip',
};

// ---------------------------------------------------------------- Broadcom XCOM, Red Hat

export const BROADCOM_KB_229426: Source = {
  title: 'Broadcom KB 229426: System SSL function gsk_secure_socket_init: RC = 410: Reason = SSL message format is incorrect',
  publisher: 'Broadcom',
  ref: 'https://knowledge.broadcom.com/external/article/229426',
};
export const BROADCOM_KB_238847: Source = {
  title: 'Broadcom KB 238847: RC = 413: Reason = Certificate signature is incorrect',
  publisher: 'Broadcom',
  ref: 'https://knowledge.broadcom.com/external/article/238847',
};
export const BROADCOM_KB_27401: Source = {
  title: 'Broadcom KB 27401: Concatenate certificates for incoming XCOM SSL transfers from different systems',
  publisher: 'Broadcom',
  ref: 'https://knowledge.broadcom.com/external/article?articleId=27401',
};
export const REDHAT_548573: Source = {
  title: 'Red Hat Solution 548573: FTP client running on a mainframe fails when connecting via SSL',
  publisher: 'Red Hat',
  ref: 'https://access.redhat.com/solutions/548573',
};

// ---------------------------------------------------------------- vsftpd

export const VSFTPD_MAN: Source = {
  title: 'vsftpd.conf(5) manual page',
  publisher: 'vsftpd (Chris Evans)',
};
export const VSFTPD_SSL_C: Source = {
  title: 'vsftpd 3.0 source: ssl.c',
  publisher: 'vsftpd (Chris Evans)',
};
export const VSFTPD_FTPDATAIO_C: Source = {
  title: 'vsftpd 3.0 source: ftpdataio.c',
  section: 'vsf_ftpdataio_post_mark_connect()',
  publisher: 'vsftpd (Chris Evans)',
};
export const VSFTPD_TUNABLES_C: Source = {
  title: 'vsftpd 3.0 source: tunables.c',
  section: 'tunables_load_defaults()',
  publisher: 'vsftpd (Chris Evans)',
};
export const VSFTPD_FTPCODES_H: Source = {
  title: 'vsftpd 3.0 source: ftpcodes.h',
  publisher: 'vsftpd (Chris Evans)',
};

// ---------------------------------------------------------------- OpenSSL and other TLS stacks

export const OPENSSL_ERR_TXT: Source = {
  title: 'OpenSSL source: crypto/err/openssl.txt (reason codes and strings)',
  publisher: 'OpenSSL Project',
  ref: 'https://github.com/openssl/openssl/blob/master/crypto/err/openssl.txt',
};
export const OPENSSL_111_SSLERR_H: Source = {
  title: 'OpenSSL 1.1.1 source: include/openssl/sslerr.h (function and reason codes)',
  publisher: 'OpenSSL Project',
};
export const OPENSSL_ERR_H: Source = {
  title: 'OpenSSL source: include/openssl/err.h (ERR_PACK in 1.x, ERR_LIB_OFFSET 23 in 3.x)',
  publisher: 'OpenSSL Project',
};
export const OPENSSL_30_ERRSTR: Source = {
  title: 'OpenSSL 3.0.19: openssl errstr output',
  publisher: 'OpenSSL Project',
};
export const OPENSSL_PR_19950: Source = {
  title: 'OpenSSL pull request 19950: Write SSL_R alerts to error state to keep updated strings',
  publisher: 'OpenSSL Project',
  ref: 'https://github.com/openssl/openssl/pull/19950',
};
export const OPENSSL_PR_31993: Source = {
  title: 'OpenSSL pull request 31993: errors: fix stale string overrides in openssl.txt for renamed SSL error codes',
  publisher: 'OpenSSL Project',
  ref: 'https://github.com/openssl/openssl/pull/31993',
};
export const OPENSSL_ISSUE_24300: Source = {
  title: 'OpenSSL issue 24300: ERR_reason_error_string() returns NULL for no_application_protocol alert',
  publisher: 'OpenSSL Project',
  ref: 'https://github.com/openssl/openssl/issues/24300',
};
export const ZABBIX_CERT_PROBLEMS: Source = {
  title: 'Zabbix manual: Encryption troubleshooting, certificate problems',
  publisher: 'Zabbix',
  ref: 'https://www.zabbix.com/documentation/5.0/manual/encryption/troubleshooting/certificate_problems',
};
export const PUBLIC_LOG_REPORTS: Source = {
  title: 'Public issue reports quoting OpenSSL error lines (GitHub issues: wazuh/wazuh, openssl/openssl)',
  publisher: 'GitHub',
};
export const NODE_CRYPTO_ERRORS: Source = {
  title: 'Node.js source: src/crypto/crypto_util.cc (ERR_SSL_ code built from the OpenSSL reason string)',
  publisher: 'Node.js',
};
export const OPENJDK_ALERT: Source = {
  title: 'OpenJDK source: sun.security.ssl.Alert (Received fatal alert)',
  publisher: 'OpenJDK',
};
export const OPENJDK_RECORD: Source = {
  title: 'OpenJDK source: sun.security.ssl.SSLSocketInputRecord (Unrecognized SSL message)',
  publisher: 'OpenJDK',
};
export const SCHANNEL_ALERT_CODES: Source = {
  title: 'Schannel error codes for TLS and SSL alerts',
  publisher: 'Microsoft',
  ref: 'https://learn.microsoft.com/en-us/windows/win32/secauthn/schannel-error-codes-for-tls-and-ssl-alerts',
};
export const GNUTLS_ALERT_C: Source = {
  title: 'GnuTLS source: lib/alert.c (gnutls_alert_get_name)',
  publisher: 'GnuTLS',
};
export const GNUTLS_ERRORS_C: Source = {
  title: 'GnuTLS source: lib/errors.c (GNUTLS_E_FATAL_ALERT_RECEIVED)',
  publisher: 'GnuTLS',
};
export const WIRESHARK_TLS_UTILS: Source = {
  title: 'Wireshark source: epan/dissectors/packet-tls-utils.c (ssl_31_alert_description)',
  publisher: 'Wireshark',
};
export const FTPS_REUSE_REPORTS: Source = {
  title: 'Public issue reports on FTPS data-connection session reuse (rclone issue 7234, jlaffaye/ftp issue 342, nUpdate issue 86)',
  publisher: 'GitHub',
};
