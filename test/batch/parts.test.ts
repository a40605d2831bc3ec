// A report printed capture by capture is the report of the whole document: parts joined as the
// renderers join captures, framed as they frame them.
import path from 'node:path';
import { expect } from 'chai';
import { analyzeFile } from '../../src/analyze.js';
import { captureDocument, reportDocument, type CaptureDocument } from '../../src/report/document.js';
import { render } from '../../src/report/render.js';
import { PartJoiner, canStream, frameOf, jsonHead, jsonTail, renderPart } from '../../src/batch/parts.js';
import type { PartRender, StreamedFormat } from '../../src/batch/types.js';
import { CORPUS } from '../support/paths.js';

const FILES = ['tls1.2.pcap', 'tls-1.2-handshake-failure.pcap', 'missing-intermediate.pcap'].map((f) => path.join(CORPUS, f));
const COMMAND = ['x.pcap', '--format', 'whatever'];

async function results() {
  return Promise.all(FILES.map((f) => analyzeFile(f, {}, path.basename(f))));
}

function streamed(captures: readonly CaptureDocument[], spec: PartRender): string {
  const joiner = new PartJoiner(spec.format);
  let out = spec.format === 'json' ? jsonHead(COMMAND) : '';
  for (const c of captures) out += joiner.next(renderPart(c, spec)!);
  return out + (spec.format === 'json' ? jsonTail(!joiner.empty, {}) : joiner.end('', frameOf(spec, COMMAND, false)));
}

describe('batch: the report capture by capture', () => {
  for (const format of ['trace', 'ndjson', 'json'] as StreamedFormat[]) {
    it(`prints exactly the whole document's ${format} report`, async () => {
      const r = await results();
      const spec: PartRender = { format, color: false, filters: {} };
      expect(canStream(spec)).to.equal(true);
      const whole = render(format, reportDocument(r, COMMAND), { color: false, redact: false });
      expect(streamed(r.map(captureDocument), spec)).to.equal(whole);
    });
  }

  it('prints exactly the text report of one capture, filters applied', async () => {
    const [r] = await results();
    for (const filters of [{}, { onlyFailing: true }, { streams: [0] }]) {
      const spec: PartRender = { format: 'text', color: true, filters };
      const whole = render('text', reportDocument([r], COMMAND), { ...filters, color: true, redact: false });
      expect(streamed([captureDocument(r)], spec)).to.equal(whole);
    }
  });

  it('prints an empty captures array as JSON.stringify does', () => {
    const doc = reportDocument([], COMMAND);
    expect(jsonHead(COMMAND) + jsonTail(false, {})).to.equal(JSON.stringify(doc, null, 2) + '\n');
    expect(JSON.parse(jsonHead(COMMAND) + jsonTail(false, { summary: { a: [1] } }))).to.deep.equal({ ...doc, summary: { a: [1] } });
  });

  it('does not stream a format whose output has no per-capture parts', () => {
    expect(canStream({ format: 'html' as StreamedFormat, color: false, filters: {} })).to.equal(false);
  });
});
