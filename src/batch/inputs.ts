/**
 * From command-line arguments to the list of captures to analyze: files as given, directories walked
 * recursively (in name order, so runs are repeatable), members recognised as captures by their magic
 * bytes. A file named on the command line is always analyzed (and fails loudly if it is not a
 * capture); a file found inside a directory that is not a capture is listed as skipped.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { sniffCaptureMagic } from '../input/read.js';
import { fsMessage } from '../analyze.js';

export interface InputItem {
  /** Path on disk. */
  readonly path: string;
  /** Name shown in reports. */
  readonly name: string;
  readonly size: number;
}

export interface SkippedItem {
  readonly name: string;
  readonly reason: string;
}

export interface ExpandedInputs {
  readonly captures: InputItem[];
  readonly skipped: SkippedItem[];
  /** Arguments that could not be opened at all: each is an error of the run. */
  readonly errors: { readonly name: string; readonly message: string }[];
}

/** Directory entries that are never captures and not worth a "skipped" line. */
const QUIET_SKIP = /^(\.|README|LICENSE)|\.(md|txt|json|keys|key|pem|crt|conf|sh|ts|js)$/i;

export async function expandInputs(args: readonly string[]): Promise<ExpandedInputs> {
  const out: ExpandedInputs = { captures: [], skipped: [], errors: [] };
  for (const arg of args) {
    let st;
    try {
      st = await fsp.stat(arg);
    } catch (err) {
      out.errors.push({ name: arg, message: fsMessage(err) });
      continue;
    }
    if (st.isDirectory()) await walk(arg, out);
    else out.captures.push({ path: arg, name: arg, size: st.size });
  }
  return out;
}

async function walk(dir: string, out: ExpandedInputs): Promise<void> {
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    out.errors.push({ name: dir, message: fsMessage(err) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      await walk(p, out);
    } else if (e.isFile()) {
      const kind = await sniffFile(p);
      if (kind.capture) out.captures.push({ path: p, name: p, size: kind.size });
      else if (!QUIET_SKIP.test(e.name)) out.skipped.push({ name: p, reason: kind.reason });
    }
  }
}

async function sniffFile(p: string): Promise<{ capture: boolean; size: number; reason: string }> {
  let fh;
  try {
    fh = await fsp.open(p, 'r');
    const st = await fh.stat();
    const buf = new Uint8Array(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    const kind = sniffCaptureMagic(buf.subarray(0, bytesRead));
    if (kind === null) return { capture: false, size: st.size, reason: bytesRead === 0 ? 'empty file' : 'not a capture' };
    return { capture: true, size: st.size, reason: '' };
  } catch (err) {
    return { capture: false, size: 0, reason: fsMessage(err) };
  } finally {
    await fh?.close();
  }
}
