// Where the tests find the project's own files and the shared corpus, wherever mocha runs from.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Project root (this file compiles to dist/test/support/paths.js). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const CORPUS = path.join(SHARED, 'corpus', 'zeek');
export const GOLDEN = path.join(SHARED, 'corpus', 'golden');
export const SAMPLES = path.join(ROOT, 'samples');
