// The finding engine as a whole: its rules, their knowledge, and the corpus-wide promises.
import { expect } from 'chai';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../../src/findings/rules/index.js';
import { knowledgeEntry } from '../../src/findings/knowledge-bridge.js';
import { RULE_IDS } from '../../src/findings/knowledge/types.js';
import { corpus } from '../support/analyze.js';
import { CORPUS, GOLDEN, ROOT } from '../support/paths.js';

describe('finding engine', () => {
  it('has one file, one docs page and one test file per rule, with unique ids', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).to.equal(ids.length);
    const files = readdirSync(path.join(ROOT, 'src/findings/rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).to.deep.equal([...ids].sort());
    for (const id of ids) {
      expect(existsSync(path.join(ROOT, 'docs/rules', `${id}.md`)), `docs/rules/${id}.md`).to.equal(true);
      expect(existsSync(path.join(ROOT, 'test/rules', `${id}.test.ts`)), `test/rules/${id}.test.ts`).to.equal(true);
      expect((RULE_IDS as readonly string[]).includes(id), `${id} in the knowledge base's rule list`).to.equal(true);
    }
  });

  it("quotes only knowledge entries that exist and that a source supports", async () => {
    for (const id of RULES.map((r) => r.meta.id)) {
      const mod = (await import(`../../src/findings/rules/${id}.js`)) as { KNOWLEDGE_IDS?: { products: readonly string[]; remedies: readonly string[] } };
      expect(mod.KNOWLEDGE_IDS, `${id} exports KNOWLEDGE_IDS`).to.not.equal(undefined);
      for (const k of [...mod.KNOWLEDGE_IDS!.products, ...mod.KNOWLEDGE_IDS!.remedies]) {
        const e = knowledgeEntry(k);
        expect(e, `${id} quotes ${k}`).to.not.equal(undefined);
      }
    }
  });

  it('gives every error rule a remedy and every rule a summary and a reference or source', () => {
    for (const r of RULES) {
      expect(r.meta.summary.length, r.meta.id).to.be.greaterThan(80);
      if (r.meta.severity === 'error') expect(r.meta.remedies.length, `${r.meta.id} remedies`).to.be.greaterThan(0);
      expect(r.meta.references.length + r.meta.products.length, r.meta.id).to.be.greaterThan(0);
    }
  });

  describe('no error-severity finding where every handshake succeeded', () => {
    // The oracle is tshark's, not tlsdiag's: a capture whose every TLS stream carries application
    // data records (content type 23) in both directions, and no alert record before them.
    const golden = readdirSync(GOLDEN).filter((f) => f.endsWith('.json'));
    const succeeded: string[] = [];
    for (const g of golden) {
      const d = JSON.parse(readFileSync(path.join(GOLDEN, g), 'utf8')) as { file: string; tls: { stream: number; src: string; records: { ct?: number; alert?: unknown }[] }[] };
      const streams = new Map<number, { dirs: Set<string>; alertFirst: boolean }>();
      for (const fr of d.tls) {
        const s = streams.get(fr.stream) ?? { dirs: new Set<string>(), alertFirst: false };
        for (const rec of fr.records) {
          if (rec.ct === 23) s.dirs.add(fr.src);
          if (rec.ct === 21 && s.dirs.size < 2) s.alertFirst = true;
        }
        streams.set(fr.stream, s);
      }
      if (streams.size > 0 && [...streams.values()].every((s) => s.dirs.size === 2 && !s.alertFirst)) succeeded.push(d.file);
    }
    it('finds such captures in the corpus', () => expect(succeeded.length).to.be.greaterThan(20));
    for (const f of succeeded) {
      it(f, async () => {
        if (!existsSync(path.join(CORPUS, f))) return;
        const r = await corpus(f);
        const errors = r.findings.filter((x) => x.severity === 'error').map((x) => `${x.rule} (stream ${x.stream})`);
        expect(errors, f).to.deep.equal([]);
      });
    }
  });
});

describe('one alert registry', () => {
  it("the knowledge base's alerts are the decoders' registry: same codes, same names", async () => {
    const { ALERT_REGISTRY } = await import('../../src/findings/knowledge/alert-registry.js');
    const { allAlerts } = await import('../../decoders/tls/registry/alerts.js');
    const decoders = new Map(allAlerts().map((a) => [a.code, a.name]));
    expect(ALERT_REGISTRY.map((a) => a.code).sort((a, b) => a - b)).to.deep.equal([...decoders.keys()].sort((a, b) => a - b));
    for (const a of ALERT_REGISTRY) expect(a.name, `alert ${a.code}`).to.equal(decoders.get(a.code));
  });
});
