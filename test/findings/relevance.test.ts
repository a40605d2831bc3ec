/**
 * Remedies and product messages that fit the products actually present (#12), on the samples recorded
 * with OpenSSL s_client and s_server, vsftpd, and the z/OS stand-in (samples/README.md).
 */
import { expect } from 'chai';
import path from 'node:path';
import { sample } from '../support/analyze.js';
import { tlsdiag } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import type { Finding } from '../../src/findings/types.js';

const finding = async (file: string, rule: string): Promise<Finding> => {
  const r = await sample(file);
  const f = r.findings.find((x) => x.rule === rule);
  expect(f, `${rule} in ${file}`).to.not.equal(undefined);
  return f!;
};
const ZOS = /z\/OS|RACF|System SSL|AT-TLS|key ring/i;

describe('findings: remedies and product messages fit the products present', function () {
  this.timeout(60_000);

  it('unknown_ca between OpenSSL s_client and s_server: the generic remedy first, no z/OS remedy shown, JSON keeps it as not-applicable', async () => {
    const f = await finding('server-certificate-unknown-ca.pcap', 'server-certificate-rejected');
    expect(f.remedies[0].relevance).to.equal('generic');
    expect(f.remedies[0].where).to.equal('the client');
    expect(f.remedies[0].action).to.match(/trust store/);
    const zos = f.remedies.filter((r) => ZOS.test(`${r.where} ${r.action}`));
    expect(zos.length).to.be.greaterThan(0);
    for (const r of zos) expect(r.relevance, r.action).to.equal('not-applicable');
    // Product-specific remedies come after every generic one.
    const order = f.remedies.map((r) => r.relevance);
    expect(order.indexOf('generic')).to.be.lessThan(Math.max(order.lastIndexOf('possible'), order.lastIndexOf('not-applicable')));
    const text = (await tlsdiag(path.join(ROOT, 'samples', 'server-certificate-unknown-ca.pcap'))).stdout;
    const change = text.slice(text.indexOf('What to change:'), text.indexOf('What the products log:'));
    expect(change).to.contain("Add the CA that issued the server's certificate");
    expect(change).to.not.match(ZOS);
    // The messages users paste: s_client's verify error, curl's (60).
    expect(f.products.map((m) => m.text)).to.include.members(['verify error:num=20:unable to get local issuer certificate', 'curl: (60) SSL certificate problem: unable to get local issuer certificate']);
    // The server did not verify anything: no server-side verification line.
    expect(f.products.filter((m) => /\(server\)/.test(m.product))).to.deep.equal([]);
  });

  it('a client certificate missing under TLS 1.2: no TLS 1.3 certificate_required(116) lines under handshake_failure(40), no "z/OS trusts" as the generic remedy', async () => {
    const f = await finding('client-certificate-missing-tls12.pcap', 'client-certificate-missing');
    expect(f.products.some((m) => /certificate.required|alert number 116|\(116\)/i.test(m.text))).to.equal(false);
    expect(f.products.every((m) => m.alert === undefined || m.alert === 40)).to.equal(true);
    const generic = f.remedies.filter((r) => r.relevance === 'generic');
    expect(generic.length).to.be.greaterThan(0);
    for (const r of generic) expect(r.action).to.not.match(ZOS);
    for (const r of f.remedies.filter((x) => ZOS.test(x.action))) expect(r.relevance).to.not.equal('identified');
  });

  it('an expired certificate the client rejected is one finding, certificate-expired, without unknown_ca lines', async () => {
    const r = await sample('server-certificate-expired.pcap');
    expect(r.findings.map((f) => f.rule)).to.deep.equal(['certificate-expired']);
    const f = r.findings[0];
    expect(f.severity).to.equal('error');
    expect(f.products.some((m) => /unknown.ca|alert number 48/i.test(m.text))).to.equal(false);
    expect(f.products.map((m) => m.text)).to.include('verify error:num=10:certificate has expired');
  });

  it('a plaintext FTP reply does not list OpenSSL\'s http request error', async () => {
    const f = await finding('ftp-plaintext-reply.pcap', 'plaintext-reply-to-tls');
    expect(f.products.some((m) => /http request/i.test(m.text))).to.equal(false);
    expect(f.products.some((m) => /wrong version number/i.test(m.text))).to.equal(true);
  });

  it('vsftpd identified by its greeting: its remedies first, as identified; the z/OS client\'s lines stay', async () => {
    const f = await finding('vsftpd-zos-auth-tls-empty-ca-list.pcap', 'empty-ca-list-rejected');
    expect(f.remedies[0].where).to.match(/^vsftpd/);
    expect(f.remedies[0].relevance).to.equal('identified');
    for (const r of f.remedies.filter((x) => x.relevance === 'identified')) expect(r.appliesTo, r.where).to.equal(undefined);
    const text = (await tlsdiag(path.join(ROOT, 'samples', 'vsftpd-zos-auth-tls-empty-ca-list.pcap'))).stdout;
    expect(text).to.match(/What to change:\n {6}- vsftpd: ssl_request_cert=NO/);
    expect(f.products.some((m) => m.product === 'IBM z/OS System SSL' && m.relevance === 'identified')).to.equal(true);
  });

  it('a side that is unknown: product remedies are labelled with the condition, after the generic one', async () => {
    // The server of no-shared-cipher.pcap (s_server) sends no ServerHello: nothing names it.
    const f = await finding('no-shared-cipher.pcap', 'no-shared-cipher');
    expect(f.remedies[0].relevance).to.equal('generic');
    const zos = f.remedies.filter((r) => ZOS.test(`${r.where} ${r.action}`));
    expect(zos.length).to.be.greaterThan(0);
    for (const r of zos) {
      expect(r.relevance).to.equal('possible');
      expect(r.appliesTo).to.equal('if the server is IBM z/OS (System SSL)');
    }
    const text = (await tlsdiag(path.join(ROOT, 'samples', 'no-shared-cipher.pcap'))).stdout;
    expect(text).to.contain('if the server is IBM z/OS (System SSL), in z/OS:');
  });

  it('the empty CA list warning says what is known and what is not, without contradicting itself', async () => {
    const f = await finding('empty-ca-list-accepted.pcap', 'empty-ca-list');
    expect(f.message).to.match(/not documented/);
    expect(f.message).to.not.match(/would abort/);
    expect(f.remedies[0].relevance).to.equal('generic');
    const tls10 = await finding('zos-empty-ca-list-tls10.pcap', 'empty-ca-list-rejected');
    expect(tls10.message).to.match(/TLS 1\.0/);
  });
});
