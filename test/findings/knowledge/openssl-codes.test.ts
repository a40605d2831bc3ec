import { expect } from 'chai';
import { explain } from '../../../src/findings/explain.js';
import { ALERT_REGISTRY, alertEntry, opensslAlertErrors } from '../../../src/findings/knowledge/index.js';

describe('OpenSSL codes for a received alert', () => {
  it('computes the spot values quoted in OpenSSL sources and logs', () => {
    // [alert, 1.x code, 3.x code, reason] — 1.x codes from published logs (openssl issue 2602,
    // wazuh issues, Red Hat 548573), 3.x codes and strings from crypto/err/openssl.txt and
    // `openssl errstr` of OpenSSL 3.0.19.
    const cases: [number, string, string, string][] = [
      [40, '14094410', '0A000410', 'sslv3 alert handshake failure'],
      [42, '14094412', '0A000412', 'sslv3 alert bad certificate'],
      [47, '14094417', '0A000417', 'sslv3 alert illegal parameter'],
      [48, '14094418', '0A000418', 'tlsv1 alert unknown ca'],
      [70, '1409442E', '0A00042E', 'tlsv1 alert protocol version'],
      [80, '14094438', '0A000438', 'tlsv1 alert internal error'],
      [116, '1409445C', '0A00045C', 'tlsv13 alert certificate required'],
    ];
    for (const [alert, openssl1, openssl3, reason] of cases) {
      const codes = opensslAlertErrors(alert);
      expect(codes.openssl1, `alert ${alert}`).to.equal(openssl1);
      expect(codes.openssl3, `alert ${alert}`).to.equal(openssl3);
      expect(codes.reason, `alert ${alert}`).to.equal(reason);
      expect(codes.reasonCode).to.equal(1000 + alert);
    }
  });

  it('follows OpenSSL spellings that differ from the RFC names', () => {
    expect(opensslAlertErrors(90).reason).to.equal('tlsv1 alert user cancelled');
    expect(opensslAlertErrors(90).macro).to.equal('SSL_R_TLSV1_ALERT_USER_CANCELLED');
    expect(opensslAlertErrors(112).reason).to.equal('tlsv1 unrecognized name');
    expect(opensslAlertErrors(109).reason).to.equal('tlsv13 alert missing extension');
    expect(opensslAlertErrors(47).macro).to.equal('SSL_R_SSLV3_ALERT_ILLEGAL_PARAMETER');
  });

  it('gives the Node.js error code built from the reason string', () => {
    expect(opensslAlertErrors(42).nodeCode).to.equal('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE');
    expect(opensslAlertErrors(47).nodeCode).to.equal('ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER');
  });

  it('lists the newer spellings only for the sslv3 family', () => {
    expect(opensslAlertErrors(46).laterReasons).to.deep.equal(['ssl/tls alert certificate unknown', 'tls alert certificate unknown']);
    expect(opensslAlertErrors(48).laterReasons).to.deep.equal([]);
  });

  it('prints reason(N) where OpenSSL has no string, as OpenSSL does', () => {
    expect(opensslAlertErrors(121)).to.include({ openssl3: '0A000461', reason: 'reason(1121)' });
    expect(opensslAlertErrors(121).macro).to.equal(undefined);
    expect(opensslAlertErrors(0).reason).to.equal('reason(1000)');
  });

  it('recognises every registered alert by its computed codes and strings', () => {
    for (const fact of ALERT_REGISTRY) {
      const codes = opensslAlertErrors(fact.code);
      const id = alertEntry(fact.code)?.id;
      expect(id, fact.name).to.equal(`tls-alert-${fact.code}`);
      expect(explain(`error:${codes.openssl1}`)[0]?.entry.id, codes.openssl1).to.equal(id);
      expect(explain(`error:${codes.openssl3}`)[0]?.entry.id, codes.openssl3).to.equal(id);
      if (codes.macro !== undefined) expect(explain(codes.reason)[0]?.entry.id, codes.reason).to.equal(id);
      expect(explain(`SSL alert number ${fact.code}`)[0]?.entry.id).to.equal(id);
      expect(explain(`Received fatal alert: ${fact.name}`)[0]?.entry.id).to.equal(id);
    }
  });
});
