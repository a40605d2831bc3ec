// The JSON contract: every corpus capture's and every sample's document validates against
// docs/report.schema.json, redacted or not, and so does every NDJSON line (#/definitions/ndjsonLine).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { render } from '../../src/report/render.js';
import { analyzeFile } from '../../src/analyze.js';
import { ROOT, SAMPLES } from '../support/paths.js';
import { corpusPaths, documentOf, documentOfResults, hostileCapture, samplePaths } from './support.js';

const schema = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'report.schema.json'), 'utf8')) as { $id: string };
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validateReport = ajv.getSchema(schema.$id)!;
const validateLine = ajv.getSchema(`${schema.$id}#/definitions/ndjsonLine`)!;

function problems(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)
    .join('\n');
}

describe('report: JSON schema', () => {
  const inputs = () => [...corpusPaths(), ...samplePaths()];

  it('covers the whole corpus and every sample', () => {
    expect(corpusPaths().length).to.be.greaterThan(70);
    expect(samplePaths().length).to.be.greaterThan(10);
  });

  it('every capture\'s document validates, one capture at a time', async () => {
    for (const file of inputs()) {
      const json = JSON.parse(render('json', await documentOf([file]), { color: false, redact: false }));
      expect(validateReport(json), `${path.basename(file)}\n${problems(validateReport.errors)}`).to.equal(true);
    }
  });

  it('every capture\'s full-detail document validates too', async () => {
    for (const file of inputs()) {
      const json = JSON.parse(render('json', await documentOf([file]), { color: false, redact: false, detail: 'full' }));
      expect(validateReport(json), `${path.basename(file)}\n${problems(validateReport.errors)}`).to.equal(true);
    }
  });

  it('the redacted document of every capture validates', async () => {
    const json = JSON.parse(render('json', await documentOf(inputs()), { color: false, redact: true }));
    expect(validateReport(json), problems(validateReport.errors)).to.equal(true);
  });

  it('an unreadable capture and a built one validate', async () => {
    const doc = await documentOf([path.join(ROOT, 'package.json')]);
    const withBuilt = { ...doc, captures: [...doc.captures, ...documentOfResults([await hostileCapture()]).captures] };
    const json = JSON.parse(render('json', withBuilt, { color: false, redact: false }));
    expect(validateReport(json), problems(validateReport.errors)).to.equal(true);
  });

  it('a connection closed for idleness (end.kind "idle") validates, in both details and in NDJSON', async () => {
    // ftps-session-not-reused-522: the control connection is idle for more than 10 ms between frames.
    const r = await analyzeFile(path.join(SAMPLES, 'ftps-session-not-reused-522.pcap'), { idleTimeoutSeconds: 0.01 });
    const doc = documentOfResults([r]);
    for (const detail of ['compact', 'full'] as const) {
      const json = JSON.parse(render('json', doc, { color: false, redact: false, detail }));
      expect(json.captures[0].connections.some((c: { end: { kind: string } }) => c.end.kind === 'idle')).to.equal(true);
      expect(validateReport(json), problems(validateReport.errors)).to.equal(true);
    }
    for (const line of render('ndjson', doc, { color: false, redact: true }).trim().split('\n')) {
      expect(validateLine(JSON.parse(line)), problems(validateLine.errors)).to.equal(true);
    }
  });

  it('the schema rejects what the contract forbids (it is not a schema that accepts anything)', async () => {
    const json = JSON.parse(render('json', await documentOf([samplePaths()[0]]), { color: false, redact: false }));
    json.captures[0].connections[0].status = 'fine';
    expect(validateReport(json)).to.equal(false);
    delete json.captures[0].connections[0].status;
    json.captures[0].verdict.surprise = 1;
    expect(validateReport(json)).to.equal(false);
  });

  it('every NDJSON line of every capture validates', async () => {
    const doc = await documentOf([...inputs(), path.join(ROOT, 'package.json')]);
    for (const redact of [false, true]) {
      const lines = render('ndjson', doc, { color: false, redact }).split('\n');
      expect(lines.pop()).to.equal('');
      for (const line of lines) {
        const value = JSON.parse(line);
        expect(validateLine(value), `${value.capture.file}\n${problems(validateLine.errors)}`).to.equal(true);
      }
    }
  });
});
