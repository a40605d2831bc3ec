import { expect } from 'chai';
import { explain } from '../../../src/findings/explain.js';

function firstId(text: string): string | undefined {
  return explain(text)[0]?.entry.id;
}

describe('explain', () => {
  it('explains each short form a user pastes to the entry that names its cause', () => {
    const cases: [string, string][] = [
      ['gsk_secure_socket_init failed with rc = 410', 'system-ssl-rc-410'],
      ['RC = 410', 'system-ssl-rc-410'],
      ['rc=402', 'system-ssl-rc-402'],
      ['error:14094417', 'tls-alert-47'],
      ['error:0A000417', 'tls-alert-47'],
      ['sslv3 alert illegal parameter', 'tls-alert-47'],
      ['522 SSL connection failed', 'vsftpd-522-ssl-connection-failed'],
      ['EZA2897I', 'zos-ftp-eza2897i'],
      ['alert 47', 'tls-alert-47'],
      ['illegal_parameter', 'tls-alert-47'],
      ['Received fatal alert: handshake_failure', 'tls-alert-40'],
      ['SSL alert number 48', 'tls-alert-48'],
      ['no shared cipher', 'openssl-no-shared-cipher'],
      ['wrong version number', 'openssl-wrong-version-number'],
      ['500 OOPS', 'vsftpd-500-oops'],
    ];
    for (const [text, id] of cases) expect(firstId(text), text).to.equal(id);
  });

  it('explains full lines as the products print them (quoted in the cited sources)', () => {
    const cases: [string, string][] = [
      // Red Hat 548573, z/OS FTP client trace
      ['FC0994 authServer: secure_socket_init failed with rc = 410 (SSL message format is incorrect)', 'system-ssl-rc-410'],
      ['EZA2898I Unable to successfully negotiate required authentication', 'zos-ftp-eza2898i'],
      // Red Hat 548573, strace of the vsftpd child: the OpenSSL code outranks the vsftpd prefix
      ['500 OOPS: error:14094417:SSL routines:SSL3_READ_BYTES:sslv3 alert illegal parameter', 'tls-alert-47'],
      // Broadcom KB 229426 (the line wraps with a double space in the article)
      ['System SSL Function gsk_secure_socket_init: RC = 410: Reason = SSL message  format is incorrect.', 'system-ssl-rc-410'],
      // IBM Support, CICS
      ["DFHSO0123 Return code 435 received from function 'gsk_secure_socket_init' of System SSL.", 'system-ssl-rc-435'],
      // z/OS CS information center, TN3270: PARM1 is the return code in hexadecimal
      ['RCODE: 6002-00 SSL/TLS handshake failed. PARM1: 00000191 PARM2: PARM3: GSK_SECURE_SOCKET_INIT', 'system-ssl-rc-401'],
      // IBM Developer for z/OS trace
      ['EXIT gsk_secure_socket_init(): <---- Exit status 0x0000019e (414)', 'system-ssl-rc-414'],
      // OpenSSL 3.0 as bundled in Node.js (wazuh issue)
      ['error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1586:SSL alert number 42', 'tls-alert-42'],
      ['"code":"ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE"', 'tls-alert-42'],
      // OpenSSL 1.0.2 reading an alert while waiting for ServerHello (other function code)
      ['error:1407742E:SSL routines:SSL23_GET_SERVER_HELLO:tlsv1 alert protocol version', 'tls-alert-70'],
      ['curl: (35) error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol', 'openssl-unknown-protocol'],
      ['error:1408F10B:SSL routines:ssl3_get_record:wrong version number', 'openssl-wrong-version-number'],
      ['error:142090C1:SSL routines:tls_early_post_process_client_hello:no shared cipher', 'openssl-no-shared-cipher'],
      // vsftpd ftpdataio.c
      ['522 SSL connection failed; session reuse required: see require_ssl_reuse option in vsftpd.conf man page', 'vsftpd-522-ssl-connection-failed'],
      ['javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?', 'java-unrecognized-ssl-message'],
      ['GnuTLS error (at worker-vpn.c:468): A TLS fatal alert has been received.: Unknown certificate', 'tls-alert-46'],
      ['SEC_E_UNTRUSTED_ROOT', 'schannel-sec-e-untrusted-root'],
      ['EZD1287I TTLS Error RC: 5003 Initial Handshake', 'zos-attls-rc-5003'],
    ];
    for (const [text, id] of cases) expect(firstId(text), text).to.equal(id);
  });

  it('lists every matching entry, not only the best', () => {
    const ids = explain('500 OOPS: error:14094417:SSL routines:SSL3_READ_BYTES:sslv3 alert illegal parameter').map((e) => e.entry.id);
    expect(ids).to.include.members(['tls-alert-47', 'vsftpd-500-oops']);
    const xcom = explain('System SSL Function gsk_secure_socket_init: RC = 410: Reason = SSL message format is incorrect').map((e) => e.entry.id);
    expect(xcom).to.include.members(['system-ssl-rc-410', 'xcom-system-ssl-rc-410', 'xcom-xcomm1510e']);
  });

  it('reports the matched text and where it starts', () => {
    const text = 'FC1103 authServer: secure_socket_init failed with rc = 402';
    const [best] = explain(text);
    expect(best.entry.id).to.equal('system-ssl-rc-402');
    expect(text.slice(best.index, best.index + best.matched.length)).to.equal(best.matched);
    expect(best.matched).to.match(/rc = 402$/);
  });

  it('does not take a longer number for a shorter one', () => {
    expect(firstId('rc = 4100')).to.equal(undefined);
    expect(explain('alert 470').map((e) => e.entry.id)).to.not.include('tls-alert-47');
    expect(explain('no_certificate_RESERVED').map((e) => e.entry.id)).to.not.include('tls-alert-41');
    expect(firstId('received alert 47; handshake failed')).to.equal('tls-alert-47');
  });

  it('returns nothing for text the knowledge base does not cover', () => {
    expect(explain('the weather is fine today')).to.deep.equal([]);
    expect(explain('')).to.deep.equal([]);
  });
});

describe('explain: the messages users paste from clients (#12)', () => {
  // Each line as the client prints it, the entry it must name, and the rule that finds the failure on the wire.
  const cases: [string, string, string][] = [
    ['verify error:num=20:unable to get local issuer certificate', 'openssl-verify-error-20', 'server-certificate-rejected'],
    ['verify error:num=21:unable to verify the first certificate', 'openssl-verify-error-21', 'server-certificate-rejected'],
    ['verify error:num=10:certificate has expired', 'openssl-verify-error-10', 'certificate-expired'],
    ['verify error:num=19:self-signed certificate in certificate chain', 'openssl-verify-error-19', 'server-certificate-rejected'],
    ['curl: (60) SSL certificate problem: certificate has expired', 'curl-60', 'certificate-expired'],
    ['curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 10.0.0.2:443', 'curl-35', 'handshake-aborted'],
    ['curl: (18) transfer closed with 80 bytes remaining to read', 'curl-18', 'ftps-session-not-reused'],
    ['javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException', 'java-pkix-path-building-failed', 'server-certificate-rejected'],
    ['java.security.cert.CertificateException: No subject alternative names present', 'java-no-subject-alternative-names', 'server-certificate-rejected'],
    ['ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate', 'python-ssl-cert-verification-error', 'server-certificate-rejected'],
    ['Certificate verification: Not trusted', 'lftp-certificate-verification', 'server-certificate-rejected'],
    ['Fatal error: gnutls_handshake: An unexpected TLS packet was received.', 'gnutls-unexpected-packet-length', 'plaintext-reply-to-tls'],
  ];
  for (const [text, id, rule] of cases) {
    it(`${text.slice(0, 60)} → ${id} (${rule})`, () => {
      const hits = explain(text);
      const hit = hits.find((h) => h.entry.id === id);
      expect(hit, `${id} among ${hits.map((h) => h.entry.id).join(', ')}`).to.not.equal(undefined);
      expect(hit!.entry.rules).to.include(rule);
    });
  }
});
