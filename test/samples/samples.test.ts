// The sample captures and samples/README.md agree: what the README lists exists, what exists is
// listed, its expectations name real rules, and every capture is a whole loopback pcap. What the
// analyzer finds in each capture is the rule tests' business; this reads the files directly.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SAMPLES } from '../support/paths.js';
import { RULES } from '../../src/findings/rules/index.js';

interface Expectation {
  readonly fires: readonly string[];
  readonly mayFire?: readonly string[];
  readonly mustNotFire: readonly string[];
  readonly frames?: Readonly<Record<string, readonly number[]>>;
}

/** Files in samples/ that are not captures of this table: the README, key logs, the pcapng set. */
/** decrypt/ has a table of its own in the README ("Decryption samples"), checked below. */
const NOT_LISTED = new Set(['README.md', 'keys', 'pcapng', 'decrypt']);
const MAX_TOTAL_BYTES = 2 * 1024 * 1024;
/** NSS key log lines (SSLKEYLOGFILE): a label, the client random, a secret. */
const KEY_LOG_LINE = /^(CLIENT_RANDOM|CLIENT_EARLY_TRAFFIC_SECRET|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EARLY_EXPORTER_SECRET|EXPORTER_SECRET) [0-9a-f]{64} [0-9a-f]{64,}$/;

const readme = readFileSync(path.join(SAMPLES, 'README.md'), 'utf8');
const jsonBlocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)];
const table: Record<string, Expectation> = jsonBlocks.length === 1 ? JSON.parse(jsonBlocks[0][1]) : {};
const listed = Object.keys(table);
const tableRows = [...readme.matchAll(/^\| ([^|\s]+\.pcap) \|/gm)].map((m) => m[1]);
const ruleIds = new Set(RULES.map((r) => r.meta.id));

interface PcapSummary {
  readonly linkType: number;
  readonly frames: number;
  /** Bytes left after the last whole record: not 0 when tcpdump was cut off mid-write. */
  readonly trailing: number;
  /** Source and destination of every IP packet, as text. */
  readonly addresses: ReadonlySet<string>;
}

/** Walks a classic pcap file (any of its four magics) far enough to count and address its frames. */
function summarize(bytes: Buffer): PcapSummary {
  const magic = bytes.readUInt32LE(0);
  const littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!littleEndian && bytes.readUInt32BE(0) !== 0xa1b2c3d4 && bytes.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error(`not a classic pcap (magic ${magic.toString(16)})`);
  }
  const u32 = (at: number): number => (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const linkType = u32(20);
  const addresses = new Set<string>();
  let at = 24;
  let frames = 0;
  while (at + 16 <= bytes.length && at + 16 + u32(at + 8) <= bytes.length) {
    const frame = bytes.subarray(at + 16, at + 16 + u32(at + 8));
    const etherType = frame.length >= 14 ? frame.readUInt16BE(12) : 0;
    if (etherType === 0x0800 && frame.length >= 34) {
      addresses.add([...frame.subarray(26, 30)].join('.'));
      addresses.add([...frame.subarray(30, 34)].join('.'));
    } else if (etherType === 0x86dd && frame.length >= 54) {
      addresses.add(frame.subarray(22, 38).toString('hex'));
      addresses.add(frame.subarray(38, 54).toString('hex'));
    }
    frames += 1;
    at += 16 + u32(at + 8);
  }
  return { linkType, frames, trailing: bytes.length - at, addresses };
}

const IPV6_LOOPBACK = '00000000000000000000000000000001';

describe('samples/README.md and the sample captures', () => {
  it('has one json block mapping capture files to expectations', () => {
    expect(jsonBlocks, 'fenced json blocks').to.have.length(1);
    expect(listed.length).to.be.greaterThan(0);
    for (const file of listed) expect(file, 'a key of the json block').to.match(/^[a-z0-9-]+\.pcap$/);
  });

  it('lists the same captures in its table as in its json block', () => {
    expect([...tableRows].sort()).to.deep.equal([...listed].sort());
  });

  it('names only rules that exist, never one rule twice for a capture', () => {
    for (const [file, e] of Object.entries(table)) {
      expect(e.fires, `${file} fires`).to.be.an('array');
      expect(e.mustNotFire, `${file} mustNotFire`).to.be.an('array');
      const named = [...e.fires, ...(e.mayFire ?? []), ...e.mustNotFire];
      for (const id of named) expect(ruleIds.has(id), `${file}: unknown rule ${id}`).to.equal(true);
      expect(new Set(named).size, `${file}: a rule in two lists`).to.equal(named.length);
      for (const [rule, frames] of Object.entries(e.frames ?? {})) {
        expect(e.fires, `${file}: frames given for ${rule}, which is not in fires`).to.include(rule);
        for (const f of frames) expect(Number.isInteger(f) && f > 0, `${file}: frame ${f}`).to.equal(true);
      }
    }
  });

  it('has every capture it lists', () => {
    for (const file of listed) expect(statSync(path.join(SAMPLES, file)).isFile(), file).to.equal(true);
  });

  it('lists every capture in samples/', () => {
    const present = readdirSync(SAMPLES).filter((name) => !NOT_LISTED.has(name));
    for (const name of present) expect(listed, `samples/${name} is not in the README`).to.include(name);
  });

  it('stays small enough to commit', () => {
    const total = listed.reduce((sum, file) => sum + statSync(path.join(SAMPLES, file)).size, 0);
    expect(total).to.be.lessThan(MAX_TOTAL_BYTES);
  });

  for (const file of listed) {
    it(`${file} is a whole Ethernet pcap of loopback traffic, with the frames the README cites`, () => {
      const pcap = summarize(readFileSync(path.join(SAMPLES, file)));
      expect(pcap.linkType, 'link type (1 = Ethernet, as tcpdump -i lo writes)').to.equal(1);
      expect(pcap.trailing, 'bytes after the last whole record').to.equal(0);
      expect(pcap.frames).to.be.greaterThan(0);
      for (const address of pcap.addresses) {
        expect(address.startsWith('127.') || address === IPV6_LOOPBACK, `address ${address}`).to.equal(true);
      }
      for (const frames of Object.values(table[file].frames ?? {})) {
        for (const f of frames) expect(f, 'a cited frame').to.be.at.most(pcap.frames);
      }
    });
  }

  it('decrypt/: each capture with its key log (or its Decryption Secrets Block), loopback only, in the README, small', () => {
    const dir = path.join(SAMPLES, 'decrypt');
    const names = readdirSync(dir);
    let total = 0;
    for (const name of names) {
      total += statSync(path.join(dir, name)).size;
      if (name.endsWith('.keys')) {
        expect(names, `decrypt/${name} has no capture`).to.include(name.replace(/\.keys$/, '.pcap'));
        const lines = readFileSync(path.join(dir, name), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
        expect(lines.length, `decrypt/${name} secrets`).to.be.greaterThan(0);
        // OpenSSL also writes `RSA <first 8 bytes of the encrypted pre-master secret> <pre-master secret>` for RSA key
        // exchange, and CLIENT_/SERVER_TRAFFIC_SECRET_N after a KeyUpdate (tlsdiag derives those itself).
        const extra = /^(RSA [0-9a-f]{16} [0-9a-f]{96}|(CLIENT|SERVER)_TRAFFIC_SECRET_N [0-9a-f]{64} [0-9a-f]{64,})$/;
        for (const line of lines) expect(KEY_LOG_LINE.test(line) || extra.test(line), `decrypt/${name}: ${line.slice(0, 30)}`).to.equal(true);
        continue;
      }
      expect(readme, `decrypt/${name} in the README's table`).to.include(`| ${name.replace(/\.pcap$/, '')} |`);
      if (name.endsWith('-dsb.pcapng')) continue;
      expect(name, 'a classic pcap').to.match(/\.pcap$/);
      expect(names, `decrypt/${name} has no key log`).to.include(name.replace(/\.pcap$/, '.keys'));
      const pcap = summarize(readFileSync(path.join(dir, name)));
      expect(pcap.linkType).to.equal(1);
      expect(pcap.trailing).to.equal(0);
      for (const address of pcap.addresses) expect(address.startsWith('127.') || address === IPV6_LOOPBACK, `decrypt/${name}: address ${address}`).to.equal(true);
    }
    expect(total).to.be.lessThan(512 * 1024);
  });

  it('has a key log only next to a listed capture, in NSS key log format', () => {
    const keys = path.join(SAMPLES, 'keys');
    for (const name of readdirSync(keys)) {
      expect(name, 'key log file name').to.match(/\.keys$/);
      expect(listed, `keys/${name} has no capture`).to.include(name.replace(/\.keys$/, '.pcap'));
      const lines = readFileSync(path.join(keys, name), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      expect(lines.length, `keys/${name} secrets`).to.be.greaterThan(0);
      for (const line of lines) expect(line, `keys/${name}`).to.match(KEY_LOG_LINE);
    }
  });
});
