// Alerts: two bytes, level and description; anything else is a located problem.
import { expect } from 'chai';
import { decodeAlert } from '../../../decoders/tls/alert.js';
import { hex } from './build.js';

describe('alerts', () => {
  it('decodes the fatal illegal_parameter a strict peer sends for an empty CA list', () => {
    expect(decodeAlert(hex('022f'))).to.deep.equal({ level: 2, levelName: 'fatal', code: 47, description: 'illegal_parameter', problems: [] });
  });
  it('decodes warning-level close_notify and SSL 3.0 no_certificate', () => {
    expect(decodeAlert(hex('0100')).description).to.equal('close_notify');
    expect(decodeAlert(hex('0129'))).to.deep.include({ levelName: 'warning', description: 'no_certificate' });
  });
  it('reports a truncated alert', () => {
    const a = decodeAlert(hex('02'));
    expect(a.problems.map((p) => [p.code, p.rule])).to.deep.equal([['buffer-too-small', 'RFC 5246 §7.2']]);
    expect(decodeAlert(new Uint8Array(0)).problems).to.have.length(1);
  });
  it('reports bytes after the alert (RFC 8446 §5.1)', () => {
    const a = decodeAlert(hex('022f0100'));
    expect(a.code).to.equal(47);
    expect(a.problems.map((p) => [p.code, p.rule])).to.deep.equal([['trailing-data', 'RFC 8446 §5.1']]);
  });
  it('reports an unknown level and an unregistered description', () => {
    const a = decodeAlert(hex('0763'));
    expect(a.levelName).to.equal('unknown(7)');
    expect(a.description).to.equal('unknown(99)');
    expect(a.problems.map((p) => p.code)).to.deep.equal(['unknown-alert-level', 'unknown-alert-description']);
  });
});
