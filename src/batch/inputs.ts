/**
 * From command-line arguments to the ordered plan of a run: files as given, directories walked
 * recursively (in name order, so runs are repeatable), archives listed (zip and tar on disk) or
 * left to be streamed (tar.gz). Everything is recognised by its first bytes, never its name.
 *
 * A file named on the command line is always analyzed unless it is an archive (so a file that is no
 * capture fails loudly); a file inside a directory or an archive that is no capture is skipped.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fsMessage } from '../analyze.js';
import { readAt, type ArchiveListing } from './archive.js';
import { SNIFF_BYTES, sniff, type Sniffed } from './sniff.js';
import { listTar } from './tar-file.js';
import type { CaptureJob } from './types.js';
import { listZip } from './zip-file.js';

export type PlanItem =
  | { readonly type: 'capture'; readonly job: CaptureJob }
  | { readonly type: 'skipped'; readonly name: string; readonly reason: string }
  /** An input or member that cannot be read: an error of the run. */
  | { readonly type: 'error'; readonly name: string; readonly message: string }
  /** A warning about an archive (no central directory …): said, but no error. */
  | { readonly type: 'note'; readonly name: string; readonly message: string }
  /** A tar.gz: its members are found while it streams, when the run reaches it. */
  | { readonly type: 'tar-stream'; readonly name: string; readonly path: string; readonly size: number }
  /**
   * Bytes that can be read once, front to back, and never sought: standard input (`-`, path null),
   * a named pipe, /dev/stdin when it is a pipe. Analyzed as a stream (gzip known by its magic bytes).
   */
  | { readonly type: 'piped'; readonly job: CaptureJob; readonly path: string | null };

/** Names of the process's own standard input. */
const STDIN_PATHS: ReadonlySet<string> = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** What `-` is called in messages and reports. */
export const STDIN_NAME = '(standard input)';

export interface Plan {
  readonly items: PlanItem[];
  /** Bytes on disk the run will read (for progress). */
  diskBytes: number;
  /** Captures known before the run (tar.gz members are found as they stream). */
  captures: number;
  /** tar.gz archives still to be streamed. */
  streams: number;
}

export async function planInputs(args: readonly string[]): Promise<Plan> {
  const plan: Plan = { items: [], diskBytes: 0, captures: 0, streams: 0 };
  let stdinSeen = false;
  for (const arg of args) {
    if (arg === '-') {
      if (stdinSeen) plan.items.push({ type: 'error', name: STDIN_NAME, message: 'standard input (-) is given more than once: it can be read only once' });
      else if (process.stdin.isTTY === true) {
        plan.items.push({ type: 'error', name: STDIN_NAME, message: 'standard input is a terminal, not a capture: pipe one in (tcpdump -w - | tlsdiag -, tlsdiag - < capture.pcap)' });
      } else add(plan, piped(STDIN_NAME, null));
      stdinSeen = true;
      continue;
    }
    let st;
    try {
      st = await fsp.stat(arg);
    } catch (err) {
      plan.items.push({ type: 'error', name: arg, message: fsMessage(err) });
      continue;
    }
    if (st.isDirectory()) await walk(arg, plan);
    else if (st.isFIFO() || st.isSocket() || st.isCharacterDevice()) {
      // /dev/stdin can be a socket (a parent process's pipe), which cannot be opened by name: read
      // it as the process's standard input.
      const own = STDIN_PATHS.has(arg);
      if (own && stdinSeen) plan.items.push({ type: 'error', name: arg, message: 'standard input is given more than once: it can be read only once' });
      else add(plan, piped(arg, own ? null : arg));
      stdinSeen ||= own;
    }
    else await addFile(arg, st.size, true, plan);
  }
  return plan;
}

/** A capture read as it streams, never sought (its first bytes cannot be sniffed ahead and put back). */
function piped(name: string, p: string | null): PlanItem {
  return { type: 'piped', path: p, job: { name, size: null, source: { kind: 'stream' }, diskBytes: 0, notes: [] } };
}

function add(plan: Plan, item: PlanItem): void {
  plan.items.push(item);
  if (item.type === 'capture' || item.type === 'piped') {
    plan.captures++;
    plan.diskBytes += item.job.diskBytes;
  } else if (item.type === 'tar-stream') {
    plan.streams++;
    plan.diskBytes += item.size;
  }
}

async function walk(dir: string, plan: Plan): Promise<void> {
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    add(plan, { type: 'error', name: dir, message: fsMessage(err) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      await walk(p, plan);
    } else if (e.isFile() || e.isSymbolicLink()) {
      // A link is followed to a file, never to a directory (no loops).
      let st;
      try {
        st = await fsp.stat(p);
      } catch (err) {
        add(plan, { type: 'error', name: p, message: fsMessage(err) });
        continue;
      }
      if (st.isFile()) await addFile(p, st.size, false, plan);
    }
  }
}

async function sniffFile(p: string): Promise<Sniffed | { kind: 'error'; message: string }> {
  let fh;
  try {
    fh = await fsp.open(p, 'r');
    return sniff(await readAt(fh, 0, SNIFF_BYTES));
  } catch (err) {
    return { kind: 'error', message: fsMessage(err) };
  } finally {
    await fh?.close();
  }
}

async function addFile(p: string, size: number, named: boolean, plan: Plan): Promise<void> {
  const kind = await sniffFile(p);
  const capture = () => add(plan, { type: 'capture', job: { name: p, size, source: { kind: 'file', path: p }, diskBytes: size, notes: [] } });
  switch (kind.kind) {
    case 'capture':
      return capture();
    case 'zip':
      return addListing(p, await listZip(p, p), plan);
    case 'tar':
      return addListing(p, await listTar(p, p), plan);
    case 'tar.gz':
      return add(plan, { type: 'tar-stream', name: p, path: p, size });
    case 'error':
      return add(plan, { type: 'error', name: p, message: kind.message });
    case 'unreadable':
      // Named on the command line, the analysis says what is wrong with it.
      return named ? capture() : add(plan, { type: 'error', name: p, message: kind.reason });
    case 'other':
      return named ? capture() : add(plan, { type: 'skipped', name: p, reason: kind.reason });
  }
}

function addListing(archive: string, listing: ArchiveListing, plan: Plan): void {
  for (const message of listing.notes) add(plan, { type: 'note', name: archive, message });
  for (const m of listing.members) add(plan, m.type === 'capture' ? { type: 'capture', job: m.job } : m);
  if (listing.error !== null) add(plan, { type: 'error', name: archive, message: listing.error });
}
