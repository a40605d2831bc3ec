#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/src/cli (built by `npm ci` through the prepare script).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // main() turns every expected failure into a message and an exit status; this is the last net.
    process.stderr.write(`tlsdiag: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
