/**
 * One rule's specification as captures: where it must fire (optionally on which stream, with which
 * severity and evidence frames) and where it must stay silent.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { corpus, sample, rulesIn } from './analyze.js';
import { SAMPLES } from './paths.js';
import type { CaptureResult } from '../../src/analyze.js';
import type { Finding } from '../../src/findings/types.js';

export interface FiresOn {
  /** `samples/NAME.pcap` or `corpus/NAME.pcap` */
  readonly capture: string;
  readonly stream?: number;
  readonly severity?: Finding['severity'];
  /** Frames the evidence must include. */
  readonly frames?: readonly number[];
  /** Further checks on the finding. */
  readonly check?: (f: Finding, r: CaptureResult) => void;
}

function load(capture: string): Promise<CaptureResult> {
  const [where, name] = capture.split('/', 2);
  return where === 'samples' ? sample(name) : corpus(name);
}

export function ruleSpec(rule: string, spec: { fires: readonly FiresOn[]; silent: readonly string[] }): void {
  describe(`rule ${rule}`, () => {
    for (const c of spec.fires) {
      it(`fires on ${c.capture}${c.stream !== undefined ? ` stream ${c.stream}` : ''}`, async function () {
        if (c.capture.startsWith('samples/') && !existsSync(path.join(SAMPLES, c.capture.slice(8)))) throw new Error(`missing sample ${c.capture}`);
        const r = await load(c.capture);
        const found = r.findings.filter((f) => f.rule === rule && (c.stream === undefined || f.stream === c.stream));
        expect(found, `${rule} in ${c.capture}; found: ${rulesIn(r).join(', ')}`).to.have.length.greaterThan(0);
        const f = found[0];
        if (c.severity) expect(f.severity).to.equal(c.severity);
        for (const fr of c.frames ?? []) expect(f.frames, `evidence frames`).to.include(fr);
        expect(f.wiresharkFilter).to.equal(`${f.transport ? 'udp' : 'tcp'}.stream eq ${f.stream}${f.frames.length ? ` && frame.number in {${f.frames.join(', ')}}` : ''}`);
        expect(f.evidence.length).to.be.greaterThan(0);
        for (const e of f.evidence) expect(e.text).to.match(new RegExp(`^frame ${e.frame}: `));
        c.check?.(f, r);
      });
    }
    for (const capture of spec.silent) {
      it(`stays silent on ${capture}`, async () => {
        const r = await load(capture);
        expect(r.error, `${capture} must be readable`).to.equal(null);
        expect(r.connections.length, `${capture} has connections`).to.be.greaterThan(0);
        expect(rulesIn(r), capture).to.not.include(rule);
      });
    }
  });
}
