// Run by hostile-sizes.test.ts in a child process under a heap cap (--max-old-space-size), so that the
// bound is the process's own and not what earlier tests in the same mocha run left on the heap:
// analyzes `count` SYN-only connections and prints what it saw as one JSON line.
import { Readable } from 'node:stream';
import { analyzeCapture } from '../../src/analyze.js';
import { synFlood } from './hostile-captures.js';

const count = Number(process.argv[2] ?? 1_000_000);
let connections = 0;
let last = -1;
let ordered = true;
const t0 = performance.now();
const outcome = await analyzeCapture(Readable.from([synFlood(count)]), 'syn-flood.pcap', {}, null, (c) => {
  if (c.conversation.stream < last) ordered = false;
  last = c.conversation.stream;
  connections++;
});
process.stdout.write(
  JSON.stringify({
    error: outcome.error,
    connections,
    ordered,
    ms: performance.now() - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
