// --udp-stream N: the udp.stream twin of --stream, for DTLS and QUIC connections (issue #13). Run on
// samples/tls-through-proxies.pcap (TCP streams 0 1 3 4 6 7) together with the DTLS sample.
import { expect } from 'chai';
import path from 'node:path';
import { tlsdiag } from '../support/cli.js';
import { SAMPLES } from '../support/paths.js';

const DTLS = path.join(SAMPLES, 'dtls-no-shared-cipher.pcap');
const PROXIES = path.join(SAMPLES, 'tls-through-proxies.pcap');

describe('--udp-stream', () => {
  it('keeps the DTLS or QUIC connection of that udp.stream, and no TCP stream of the same number', async () => {
    const r = await tlsdiag(DTLS, PROXIES, '--udp-stream', '0', '-f', 'json');
    expect(r.status, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout);
    const kept = json.captures.map((c: { connections: { stream: number; transport?: string }[] }) => c.connections.map((x) => `${x.transport ?? 'tcp'} ${x.stream}`));
    expect(kept).to.deep.equal([['dtls 0'], []]);
    expect(json.captures[0].verdict.text).to.match(/report filtered \(--udp-stream 0\)/);
  });

  it('combines with --stream: a connection named by the list of its own transport is kept', async () => {
    const r = await tlsdiag(DTLS, PROXIES, '--udp-stream', '0', '--stream', '3', '-f', 'json');
    expect(r.status, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout);
    expect(json.captures[1].connections.map((x: { stream: number }) => x.stream)).to.deep.equal([3]);
    expect(json.captures[0].connections.map((x: { stream: number }) => x.stream)).to.deep.equal([0]);
  });

  it('a udp.stream no capture has is a mistake said on standard error, exit status 2', async () => {
    const r = await tlsdiag(DTLS, '--udp-stream', '5');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('tlsdiag: --udp-stream: no DTLS or QUIC connection at udp.stream 5 in the capture');
  });

  it('rejects what is not a whole number before reading anything', async () => {
    const r = await tlsdiag(DTLS, '--udp-stream', 'x');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('--udp-stream');
  });
});
