// The registries: numbers and names spot-checked against the RFCs and the IANA registries.
import { expect } from 'chai';
import { cipherSuiteName, ianaCipherSuites, isIanaCipherSuite, sslv2CipherSpec } from '../../../decoders/tls/registry/cipher-suites.js';
import { cipherSuiteKeyExchange, isTls13CipherSuite, sendsServerKeyExchange } from '../../../decoders/tls/registry/key-exchange.js';
import { alertDescription, alertLevelName, allAlerts } from '../../../decoders/tls/registry/alerts.js';
import { extensionName, isGreaseExtension } from '../../../decoders/tls/registry/extensions.js';
import { groupName } from '../../../decoders/tls/registry/groups.js';
import { signatureSchemeName } from '../../../decoders/tls/registry/signature-schemes.js';
import { certificateTypeName } from '../../../decoders/tls/registry/certificate-types.js';
import { handshakeTypeName } from '../../../decoders/tls/registry/handshake-types.js';
import { contentTypeName } from '../../../decoders/tls/registry/content-types.js';
import { isTls13, specEra, versionName, versionShort } from '../../../decoders/tls/registry/versions.js';

describe('TLS registries', () => {
  describe('cipher suites (IANA TLS Cipher Suites)', () => {
    it('names the values RFC 8446, RFC 5289 and RFC 5246 assign', () => {
      expect(cipherSuiteName(0x1301)).to.equal('TLS_AES_128_GCM_SHA256');
      expect(cipherSuiteName(0x1303)).to.equal('TLS_CHACHA20_POLY1305_SHA256');
      expect(cipherSuiteName(0xc02f)).to.equal('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
      expect(cipherSuiteName(0x0035)).to.equal('TLS_RSA_WITH_AES_256_CBC_SHA');
      expect(cipherSuiteName(0x000a)).to.equal('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
      expect(cipherSuiteName(0xcca8)).to.equal('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
      expect(cipherSuiteName(0x00ff)).to.equal('TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
      expect(cipherSuiteName(0x5600)).to.equal('TLS_FALLBACK_SCSV');
      expect(cipherSuiteName(0xd005)).to.equal('TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256');
      expect(cipherSuiteName(0xc0aa)).to.equal('TLS_PSK_DHE_WITH_AES_128_CCM_8');
    });

    it('holds the whole registry: every code unique, the known ranges complete', () => {
      const all = ianaCipherSuites();
      const codes = all.map((s) => s.code);
      expect(new Set(codes).size).to.equal(codes.length);
      expect(all.every((s) => s.name.startsWith('TLS_'))).to.equal(true);
      for (let c = 0xc001; c <= 0xc0b5; c++) expect(isIanaCipherSuite(c), `0x${c.toString(16)}`).to.equal(true);
      for (let c = 0x0000; c <= 0x001b; c++) expect(isIanaCipherSuite(c), `0x${c.toString(16)}`).to.equal(true);
      for (let c = 0x001e; c <= 0x0046; c++) expect(isIanaCipherSuite(c), `0x${c.toString(16)}`).to.equal(true);
      for (let c = 0x0084; c <= 0x00c7; c++) expect(isIanaCipherSuite(c), `0x${c.toString(16)}`).to.equal(true);
      expect(isIanaCipherSuite(0xd004)).to.equal(false); // unassigned between RFC 8442's values
      expect(all.length).to.be.greaterThan(340);
    });

    it('reads GREASE and unassigned values without inventing names', () => {
      expect(cipherSuiteName(0x0a0a)).to.equal('GREASE');
      expect(cipherSuiteName(0xfafa)).to.equal('GREASE');
      expect(cipherSuiteName(0x1234)).to.equal('unknown(0x1234)');
    });

    it('knows the SSL 3.0 FORTEZZA suites and reads 0x001E by version (RFC 6101 Appendix A.6)', () => {
      expect(cipherSuiteName(0x001c)).to.equal('SSL_FORTEZZA_KEA_WITH_NULL_SHA');
      expect(cipherSuiteName(0x001d)).to.equal('SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA');
      expect(cipherSuiteName(0x001e, 0x0300)).to.equal('SSL_FORTEZZA_KEA_WITH_RC4_128_SHA');
      expect(cipherSuiteName(0x001e, 0x0301)).to.equal('TLS_KRB5_WITH_DES_CBC_SHA');
    });

    it('names SSL 2.0 cipher kinds and TLS suites carried as 3-byte specs', () => {
      expect(sslv2CipherSpec(0x010080).name).to.equal('SSL_CK_RC4_128_WITH_MD5');
      expect(sslv2CipherSpec(0x0700c0).name).to.equal('SSL_CK_DES_192_EDE3_CBC_WITH_MD5');
      expect(sslv2CipherSpec(0x000039).name).to.equal('TLS_DHE_RSA_WITH_AES_256_CBC_SHA');
      expect(sslv2CipherSpec(0x0a0b0c).name).to.equal('unknown(0x0a0b0c)');
    });

    it('derives the key exchange from the suite name', () => {
      expect(cipherSuiteKeyExchange(0xc02f)).to.equal('ecdhe');
      expect(cipherSuiteKeyExchange(0x0039)).to.equal('dhe');
      expect(cipherSuiteKeyExchange(0x0035)).to.equal('rsa');
      expect(cipherSuiteKeyExchange(0x0008)).to.equal('rsa_export');
      expect(cipherSuiteKeyExchange(0x0034)).to.equal('dh_anon');
      expect(cipherSuiteKeyExchange(0xc018)).to.equal('ecdh_anon');
      expect(cipherSuiteKeyExchange(0x00aa)).to.equal('dhe_psk');
      expect(cipherSuiteKeyExchange(0xc0aa)).to.equal('dhe_psk');
      expect(cipherSuiteKeyExchange(0xc035)).to.equal('ecdhe_psk');
      expect(cipherSuiteKeyExchange(0x1301)).to.equal('tls13');
      expect(cipherSuiteKeyExchange(0xc103)).to.equal('tls13');
      expect(cipherSuiteKeyExchange(0xc100)).to.equal('gost');
      expect(cipherSuiteKeyExchange(0x00ff)).to.equal('scsv');
      expect(isTls13CipherSuite(0x00c6)).to.equal(true);
      expect(isTls13CipherSuite(0xc02f)).to.equal(false);
      expect(sendsServerKeyExchange('ecdhe')).to.equal(true);
      expect(sendsServerKeyExchange('rsa')).to.equal(false);
      expect(ianaCipherSuites().filter((s) => cipherSuiteKeyExchange(s.code) === 'unknown')).to.deep.equal([]);
    });
  });

  describe('alerts (IANA TLS Alerts)', () => {
    it('names the values RFC 5246, RFC 8446 and RFC 6101 define', () => {
      expect(alertDescription(0)).to.equal('close_notify');
      expect(alertDescription(40)).to.equal('handshake_failure');
      expect(alertDescription(41)).to.equal('no_certificate');
      expect(alertDescription(47)).to.equal('illegal_parameter');
      expect(alertDescription(48)).to.equal('unknown_ca');
      expect(alertDescription(70)).to.equal('protocol_version');
      expect(alertDescription(86)).to.equal('inappropriate_fallback');
      expect(alertDescription(116)).to.equal('certificate_required');
      expect(alertDescription(120)).to.equal('no_application_protocol');
      expect(alertDescription(121)).to.equal('ech_required');
      expect(alertDescription(99)).to.equal('unknown(99)');
      expect(allAlerts()).to.have.length(35);
    });
    it('names the levels', () => {
      expect(alertLevelName(1)).to.equal('warning');
      expect(alertLevelName(2)).to.equal('fatal');
      expect(alertLevelName(3)).to.equal('unknown(3)');
    });
  });

  describe('versions', () => {
    it('names wire versions, drafts and GREASE', () => {
      expect(versionName(0x0300)).to.equal('SSL 3.0');
      expect(versionName(0x0303)).to.equal('TLS 1.2');
      expect(versionName(0x0304)).to.equal('TLS 1.3');
      expect(versionName(0x7f17)).to.equal('TLS 1.3 (draft 23)');
      expect(versionName(0x0a0a)).to.equal('GREASE');
      expect(versionName(0x1234)).to.equal('unknown(0x1234)');
    });
    it('prints the compact z/OS trace style', () => {
      expect(versionShort(0x0300)).to.equal('SSL3');
      expect(versionShort(0x0301)).to.equal('TLS1.0');
      expect(versionShort(0x0303)).to.equal('TLS1.2');
    });
    it('maps versions to the RFC whose layout applies', () => {
      expect(specEra(0x0300)).to.equal('ssl3');
      expect(specEra(0x0301)).to.equal('tls10');
      expect(specEra(0x0302)).to.equal('tls11');
      expect(specEra(0x0303)).to.equal('tls12');
      expect(specEra(0x7f12)).to.equal('tls13');
      expect(isTls13(0x7e01)).to.equal(true);
      expect(isTls13(0x0303)).to.equal(false);
    });
  });

  describe('other registries', () => {
    it('extensions, with GREASE 0x?A?A', () => {
      expect(extensionName(0)).to.equal('server_name');
      expect(extensionName(43)).to.equal('supported_versions');
      expect(extensionName(47)).to.equal('certificate_authorities');
      expect(extensionName(0xff01)).to.equal('renegotiation_info');
      expect(extensionName(0x3a3a)).to.equal('GREASE');
      expect(isGreaseExtension(0x3a3a)).to.equal(true);
      expect(isGreaseExtension(0x3a4a)).to.equal(false);
      expect(extensionName(0x7777)).to.equal('unknown(30583)');
    });
    it('supported groups, including the post-quantum hybrids', () => {
      expect(groupName(0x001d)).to.equal('x25519');
      expect(groupName(0x0017)).to.equal('secp256r1');
      expect(groupName(0x0100)).to.equal('ffdhe2048');
      expect(groupName(0x11ec)).to.equal('X25519MLKEM768');
      expect(groupName(0x6399)).to.equal('X25519Kyber768Draft00');
      expect(groupName(0xeaea)).to.equal('GREASE');
    });
    it('signature schemes, and TLS 1.2 hash/signature pairs outside the registry', () => {
      expect(signatureSchemeName(0x0804)).to.equal('rsa_pss_rsae_sha256');
      expect(signatureSchemeName(0x0403)).to.equal('ecdsa_secp256r1_sha256');
      expect(signatureSchemeName(0x0807)).to.equal('ed25519');
      expect(signatureSchemeName(0x0402)).to.equal('dsa_sha256');
      expect(signatureSchemeName(0x0301)).to.equal('rsa_pkcs1_sha224');
      expect(signatureSchemeName(0xff77)).to.equal('unknown(0xff77)');
    });
    it('client certificate types including SSL 3.0 fortezza_kea(20)', () => {
      expect(certificateTypeName(1)).to.equal('rsa_sign');
      expect(certificateTypeName(20)).to.equal('fortezza_kea');
      expect(certificateTypeName(64)).to.equal('ecdsa_sign');
      expect(certificateTypeName(99)).to.equal('unknown(99)');
    });
    it('handshake and content types', () => {
      expect(handshakeTypeName(13)).to.equal('CertificateRequest');
      expect(handshakeTypeName(254)).to.equal('MessageHash');
      expect(handshakeTypeName(99)).to.equal('unknown(99)');
      expect(contentTypeName(22)).to.equal('handshake');
      expect(contentTypeName(25)).to.equal('tls12_cid');
      expect(contentTypeName(99)).to.equal('unknown(99)');
    });
  });
});
