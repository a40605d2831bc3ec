import { expect } from 'chai';
import { explain } from '../../../src/findings/explain.js';
import {
  KNOWLEDGE, RULE_IDS, entriesForRule, entryById, systemSslReturnCode,
} from '../../../src/findings/knowledge/index.js';

const KINDS = ['return-code', 'message', 'option', 'error-string', 'rfc-rule', 'alert'];
const CONFIDENCES = ['confirmed', 'partial', 'unconfirmed'];

describe('knowledge base integrity', () => {
  it('gives every entry a unique id', () => {
    const seen = new Set<string>();
    for (const entry of KNOWLEDGE) {
      expect(seen.has(entry.id), `duplicate id ${entry.id}`).to.equal(false);
      expect(entry.id).to.match(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      seen.add(entry.id);
    }
  });

  it('gives every entry a source title, a confidence, a kind, a title, a text and a meaning', () => {
    for (const entry of KNOWLEDGE) {
      expect(entry.source.title.trim(), entry.id).to.not.equal('');
      expect(CONFIDENCES, entry.id).to.include(entry.confidence);
      expect(KINDS, entry.id).to.include(entry.kind);
      expect(entry.title.trim(), entry.id).to.not.equal('');
      expect(entry.text.trim(), entry.id).to.not.equal('');
      expect(entry.meaning.trim(), entry.id).to.not.equal('');
      for (const source of entry.seeAlso ?? []) expect(source.title.trim(), entry.id).to.not.equal('');
      for (const remedy of entry.remedies) expect(remedy.action.trim(), entry.id).to.not.equal('');
      for (const message of entry.messages ?? []) {
        expect(message.text.trim(), `${entry.id} ${message.product}`).to.not.equal('');
        expect(message.source.title.trim(), entry.id).to.not.equal('');
      }
    }
  });

  it('says why whenever an entry is not fully confirmed', () => {
    for (const entry of KNOWLEDGE.filter((e) => e.confidence !== 'confirmed')) {
      expect(entry.notes ?? [], entry.id).to.not.be.empty;
    }
  });

  it('names only rules from the fixed list, and every rule has knowledge behind it', () => {
    for (const entry of KNOWLEDGE) {
      for (const rule of entry.rules) expect(RULE_IDS, `${entry.id} names ${rule}`).to.include(rule);
    }
    for (const rule of RULE_IDS) expect(entriesForRule(rule), rule).to.not.be.empty;
    expect(entriesForRule('no-such-rule')).to.deep.equal([]);
  });

  it('uses case-insensitive, stateless patterns', () => {
    for (const entry of KNOWLEDGE) {
      for (const p of entry.patterns) {
        expect(p.flags, `${entry.id} ${p.source}`).to.include('i');
        expect(p.global || p.sticky, `${entry.id} ${p.source}`).to.equal(false);
        expect(p.test(''), `${entry.id} ${p.source} matches nothing`).to.equal(false);
      }
    }
  });

  it('recognises the text of every product line, code and alert it stores', () => {
    for (const entry of KNOWLEDGE.filter((e) => e.kind !== 'option' && e.kind !== 'rfc-rule')) {
      // z/OS products print a System SSL text after "Reason =" (XCOM) or "Reason:" (CICS).
      const line = entry.id.startsWith('system-ssl-rc-') ? `Reason = ${entry.text}` : entry.text;
      const ids = explain(line).map((e) => e.entry.id);
      expect(ids, `${entry.id}: "${line}"`).to.include(entry.id);
    }
  });

  it('does not claim ordinary wording for one product', () => {
    expect(explain('Certificate is not valid').map((e) => e.entry.id)).to.not.include('system-ssl-rc-414');
    expect(explain('curl: (1) Protocol "gopher" not supported or unsupported protocol').map((e) => e.entry.id))
      .to.not.include('openssl-unsupported-protocol');
    expect(explain('TLS handshake failed').map((e) => e.entry.id)).to.not.include('zos-ftp-ezyft96i');
  });

  it('covers the System SSL return codes seen in handshakes', () => {
    for (const rc of [8, 401, 402, 403, 406, 410, 412, 414, 415, 420, 428, 431, 434, 435, 437, 438, 439]) {
      const entry = systemSslReturnCode(rc);
      expect(entry, `rc ${rc}`).to.not.equal(undefined);
      expect(entry?.code?.value).to.equal(rc);
      expect(entry?.kind).to.equal('return-code');
      expect(entry?.wirePatterns, `rc ${rc}`).to.not.be.empty;
    }
    expect(systemSslReturnCode(9999)).to.equal(undefined);
    expect(systemSslReturnCode(410)?.code?.names).to.include('GSK_ERR_BAD_MESSAGE');
  });

  it('ties the empty CA list failure to what each product logs and what to change', () => {
    const ids = entriesForRule('empty-ca-list-rejected').map((e) => e.id);
    expect(ids).to.include.members([
      'system-ssl-rc-410', 'tls-alert-47', 'xcom-system-ssl-rc-410', 'vsftpd-ssl-request-cert', 'rfc2246-certificate-request',
    ]);
    const remedies = systemSslReturnCode(410)?.remedies.map((r) => r.action).join('\n') ?? '';
    expect(remedies).to.contain('ssl_request_cert=NO').and.to.contain('RECEIVE_SIDE=NO');
    expect(entryById('tls-alert-47')?.messages?.map((m) => m.text)).to.include('javax.net.ssl.SSLHandshakeException: Received fatal alert: illegal_parameter');
  });
});
