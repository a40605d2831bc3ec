// Member names: printed safely, flagged when they would leave an extraction directory.
import { expect } from 'chai';
import { memberDisplayName, memberName } from '../../src/batch/names.js';

describe('batch: member names', () => {
  it('keeps an ordinary relative name as it is', () => {
    expect(memberName('day1/capture-0001.pcap')).to.deep.equal({ display: 'day1/capture-0001.pcap', unsafe: null });
    expect(memberDisplayName('a.zip', 'day1/x.pcap')).to.equal('a.zip!day1/x.pcap');
  });

  it('drops ".." segments and leading slashes, and says so', () => {
    const climbing = memberName('../../etc/passwd');
    expect(climbing.display).to.equal('etc/passwd');
    expect(climbing.unsafe).to.match(/"\.\.\/\.\.\/etc\/passwd" has "\.\." segments: shown as "etc\/passwd", never used as a path/);
    expect(memberName('/var/tmp/x.pcap')).to.deep.include({ display: 'var/tmp/x.pcap' });
    expect(memberName('/var/tmp/x.pcap').unsafe).to.match(/an absolute path/);
    expect(memberName('C:\\captures\\..\\x.pcap').unsafe).to.match(/a drive letter and an absolute path and "\.\." segments/);
    expect(memberName('C:\\captures\\..\\x.pcap').display).to.equal('captures/x.pcap');
  });

  it('shows control characters as escapes, so a name cannot drive the terminal', () => {
    const n = memberName('x\u001b[2Jy\n.pcap');
    expect(n.display).to.equal('x\\x1b[2Jy\\x0a.pcap');
    expect(n.unsafe).to.match(/control characters/);
  });

  it('names a member that is nothing but dots', () => {
    expect(memberName('../..').display).to.equal('(no name)');
  });
});
