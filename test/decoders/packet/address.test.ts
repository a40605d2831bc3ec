import { expect } from 'chai';
import { ipv4Text, ipv6Text } from '../../../decoders/ip/address.js';

function words(text: string): [number, number, number, number] {
  const hex = text.replace(/:/g, '');
  const w = [0, 8, 16, 24].map((i) => parseInt(hex.slice(i, i + 8), 16) >>> 0);
  return [w[0], w[1], w[2], w[3]];
}

describe('address text', () => {
  it('prints IPv4 dotted quads', () => {
    expect(ipv4Text(0xc0000201)).to.equal('192.0.2.1');
    expect(ipv4Text(0xffffffff)).to.equal('255.255.255.255');
    expect(ipv4Text(0)).to.equal('0.0.0.0');
  });

  it('prints IPv6 in the RFC 5952 canonical form', () => {
    const cases: [string, string][] = [
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['fd42:496a:d659:bb85:0000:0000:0000:0001', 'fd42:496a:d659:bb85::1'], // as the corpus golden files print it
      ['2001:0db8:0000:0001:0000:0000:0000:0001', '2001:db8:0:1::1'], // the longer run is shortened
      ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // on a tie, the first run
      ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // a single zero group stays
      ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
      ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
      ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
      ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'], // IPv4-mapped, §5
    ];
    for (const [full, canonical] of cases) expect(ipv6Text(...words(full)), full).to.equal(canonical);
  });
});
