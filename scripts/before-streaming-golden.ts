/**
 * Rewrites test/golden/before-streaming.json from the collecting path (analyzeFile, then render(),
 * which drives the same writers over a whole capture held in memory), for when the content of a
 * connection or finding changes on purpose (#12 added fingerprints, the software guesses and remedy
 * relevance). The scale test then checks that the streamed pipeline prints the same thing.
 *
 *   npx tsc -p . && node dist/scripts/before-streaming-golden.js
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../src/analyze.js';
import { reportDocument } from '../src/report/document.js';
import { render } from '../src/report/render.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = path.join(ROOT, '..', 'shared', 'corpus', 'zeek');
const SAMPLES = path.join(ROOT, 'samples');
const OUT = path.join(ROOT, 'test', 'golden', 'before-streaming.json');

const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');
const tcp = <T extends { transport?: string }>(xs: T[]) => xs.filter((x) => x.transport === undefined);

const golden = JSON.parse(readFileSync(OUT, 'utf8')) as { about: string; captures: Record<string, unknown> };
const files = [
  ...readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f)).map((f) => path.join(CORPUS, f)),
  ...readdirSync(SAMPLES).filter((f) => f.endsWith('.pcap')).map((f) => path.join(SAMPLES, f)),
];
const captures: Record<string, unknown> = {};
for (const file of files) {
  const r = await analyzeFile(file, {}, file);
  const doc = JSON.parse(render('json', reportDocument([r], []), { color: false, redact: false, detail: 'full' })) as { captures: { connections: { transport?: string }[]; findings: { transport?: string }[] }[] };
  const cap = doc.captures[0];
  captures[path.basename(file)] = {
    connections: tcp(cap.connections).length,
    connectionsSha256: sha(tcp(cap.connections)),
    findings: tcp(cap.findings).length,
    findingsSha256: sha(tcp(cap.findings)),
  };
}
writeFileSync(OUT, JSON.stringify({ ...golden, captures }, null, 1) + '\n');
console.log(`wrote ${OUT}: ${files.length} captures`);
