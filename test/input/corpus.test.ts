// Every capture of the shared corpus gives the frames tshark counted in its golden file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { readCapture } from '../../src/input/read.js';
import { CORPUS, GOLDEN } from '../support/paths.js';

describe('capture input: the shared corpus', () => {
  const files = readdirSync(CORPUS).sort();

  it('has captures to read, the .gz one included', () => {
    expect(files.length).to.be.greaterThan(50);
    expect(files.some((f) => f.endsWith('.gz'))).to.equal(true);
  });

  for (const file of files) {
    it(`${file}: as many frames as tshark, numbered 1..N, no problems`, async () => {
      const golden = JSON.parse(readFileSync(path.join(GOLDEN, `${file}.json`), 'utf8')) as { packets: number };
      const numbers: number[] = [];
      const info = await readCapture(path.join(CORPUS, file), (f) => {
        numbers.push(f.number);
        expect(f.data.length).to.equal(f.capturedLength);
      });
      expect(numbers.length).to.equal(golden.packets);
      expect(info.packets).to.equal(golden.packets);
      expect(numbers).to.deep.equal(Array.from({ length: golden.packets }, (_, i) => i + 1));
      expect(info.problems).to.deep.equal([]);
      expect(info.format).to.equal('pcap');
      expect(info.compressed).to.equal(file.endsWith('.gz'));
      expect(info.linkTypes).to.have.length(1);
    });
  }

  it('reports the link types the corpus files declare (Ethernet, Linux SLL, SLL2, raw IP, null, IPv4)', async () => {
    const seen = new Set<number>();
    for (const file of files) {
      const info = await readCapture(path.join(CORPUS, file), () => undefined);
      for (const lt of info.linkTypes) seen.add(lt);
    }
    expect([...seen].sort((a, b) => a - b)).to.deep.equal([0, 1, 101, 113, 228, 276]);
  });

  it('gives the first and last frame times of tls1.2.pcap as tshark prints them', async () => {
    // tshark -r tls1.2.pcap -T fields -e frame.time_epoch: first 1357328848.512314000, last 1357328851.807191000.
    const info = await readCapture(path.join(CORPUS, 'tls1.2.pcap'), () => undefined);
    expect(info.firstTime).to.equal(1357328848.512314);
    expect(info.lastTime).to.equal(1357328851.807191);
    expect(info.bytesRead).to.equal(8601);
  });
});
