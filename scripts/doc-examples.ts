/**
 * Keeps the "Example" sections of the rule pages (docs/rules/ID.md) true: each example is the text
 * report of a real capture, cut down to the findings of the page's own rule, produced by the same
 * code as `tlsdiag` (analyzeFile, then render with format 'text', no colour, no redaction).
 *
 *   node dist/scripts/doc-examples.js            rewrite every stale example in place
 *   node dist/scripts/doc-examples.js --check    write nothing; list the stale pages, exit 1 if any
 *   node dist/scripts/doc-examples.js ID ...     only these pages (either mode)
 *
 * (build first: `npx tsc -p .`). Exit status: 0 when done (or, with --check, when nothing is stale);
 * 1 when a page is stale under --check or has a problem in either mode; 2 for an unknown option.
 *
 * A page marks each generated example with two HTML comments (invisible once rendered):
 *
 *   <!-- example: samples/vsftpd-zos-auth-tls-empty-ca-list.pcap -->
 *   ...everything here is replaced...
 *   <!-- /example -->
 *
 * The opening marker names the capture: `samples/PATH` is under the repository's samples/,
 * `corpus/PATH` is the shared Zeek corpus (../shared/corpus/zeek/PATH beside the repository).
 * `stream=N` (repeatable) keeps only those tcp.streams, as the CLI's `--stream N` does;
 * `keylog=samples/PATH` decrypts with that NSS key log, as `--keylog` does. Between the
 * markers the script writes the command line that prints the report, then a ```text fence holding
 * every finding block of the page's rule: from its `  ERROR|WARNING|INFO title  [RULE, stream N]` line
 * to its `Wireshark:` line. A "What the products log" or "What to change" list longer than
 * LIST_LINES + 1 lines keeps its first whole entries within LIST_LINES lines and ends with
 * `      [... N more lines ...]`: the page's own sections give those lists in full.
 *
 * Every rule runs, not only the page's rule, because rules give way to each other: an example shows
 * what a user sees. A marker whose capture no longer gives a finding of the page's rule is an
 * error in both modes (pick a capture that does from samples/README.md's JSON block), and so is a
 * code fence in a page's "## Example" section outside any marker: such an example would go stale
 * unseen. test/docs/rule-examples.test.ts runs checkExamples() so that CI catches a stale page.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeFile } from '../src/analyze.js';
import { reportDocument } from '../src/report/document.js';
import { render } from '../src/report/render.js';
import { RULES } from '../src/findings/rules/index.js';
import { KeyLog } from '../src/tls-keys/keylog.js';

/** This file runs as dist/scripts/doc-examples.js: the repository is two levels up. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lines of a long product or remedy list shown before the cut. */
export const LIST_LINES = 4;

const OPEN_MARKER = /^<!-- example: (\S+)((?: +[a-z]+=\S+)*) *-->$/;
const CLOSE_MARKER = '<!-- /example -->';
const ANY_MARKER = /^<!-- *\/?example\b/;
/** The first line of a finding block in the text report (src/report/text.ts renderFinding). */
const FINDING_HEAD = /^ {2}(ERROR|WARNING|INFO) .*  \[([a-z0-9-]+), stream (\d+)\]$/;
/** List headers of a finding block whose entries may be cut. */
const CUT_LISTS = new Set(['    What the products log:', '    What to change:']);

export interface Locations {
  /** The repository root: docs/rules/ and samples/ are under it. */
  readonly root: string;
  /** The shared folder beside the repository; its corpus/zeek/ holds the Zeek captures. */
  readonly shared: string;
}

export const DEFAULT_LOCATIONS: Locations = { root: ROOT, shared: path.resolve(ROOT, '..', 'shared') };

/** What an opening marker asks for. */
export interface ExampleSpec {
  /** The capture as written in the marker: `samples/NAME.pcap` or `corpus/NAME.pcap`. */
  readonly capture: string;
  /** tcp.stream indexes to keep; all when empty. */
  readonly streams: readonly number[];
  /** A key log under samples/ (`samples/keys/NAME.keys`), as --keylog; absent for none. */
  readonly keylog?: string;
}

/** One marked example of a page: its spec and the lines between its markers. */
export interface ExampleBlock {
  readonly spec: ExampleSpec;
  /** 0-based index of the opening marker's line. */
  readonly openLine: number;
  /** 0-based index of the closing marker's line. */
  readonly closeLine: number;
}

export interface ParsedPage {
  readonly blocks: readonly ExampleBlock[];
  /** Marker syntax errors and unmarked example fences, one sentence each with its line number. */
  readonly problems: readonly string[];
}

/** Finds the marked examples of a page, and what is wrong with its markers. Pure. */
export function parseExamples(text: string): ParsedPage {
  const lines = text.split('\n');
  const blocks: ExampleBlock[] = [];
  const problems: string[] = [];
  let open: { spec: ExampleSpec | null; line: number } | null = null;
  let inExampleSection = false;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open === null && !inFence && line.startsWith('## ')) inExampleSection = /^## Examples?\b/.test(line);
    if (ANY_MARKER.test(line)) {
      if (line === CLOSE_MARKER) {
        if (open === null) problems.push(`line ${i + 1}: ${CLOSE_MARKER} without an opening marker`);
        else if (open.spec !== null) blocks.push({ spec: open.spec, openLine: open.line, closeLine: i });
        open = null;
        continue;
      }
      if (open !== null) problems.push(`line ${i + 1}: an example marker inside the example opened on line ${open.line + 1}`);
      const parsed = parseOpenMarker(line);
      if (typeof parsed === 'string') problems.push(`line ${i + 1}: ${parsed}`);
      open = { spec: typeof parsed === 'string' ? null : parsed, line: i };
      continue;
    }
    if (open !== null) continue;
    if (line.startsWith('```')) {
      if (!inFence && inExampleSection) problems.push(`line ${i + 1}: a code fence in the Example section outside <!-- example: ... --> markers`);
      inFence = !inFence;
    }
  }
  if (open !== null) problems.push(`line ${open.line + 1}: example marker never closed with ${CLOSE_MARKER}`);
  return { blocks, problems };
}

function parseOpenMarker(line: string): ExampleSpec | string {
  const m = OPEN_MARKER.exec(line);
  if (m === null) return `malformed example marker: ${line}`;
  const capture = m[1];
  if (!/^(samples|corpus)\/[^\s]+$/.test(capture) || capture.split('/').includes('..')) {
    return `the capture must be samples/PATH or corpus/PATH, not ${capture}`;
  }
  const streams: number[] = [];
  let keylog: string | undefined;
  for (const attr of m[2].trim().split(/ +/).filter((a) => a.length > 0)) {
    const [name, value] = attr.split('=', 2);
    if (name === 'keylog' && /^samples\/[^\s]+$/.test(value) && !value.split('/').includes('..')) {
      keylog = value;
      continue;
    }
    if (name !== 'stream' || !/^\d+$/.test(value)) return `unknown marker attribute ${attr} (only stream=N and keylog=samples/PATH)`;
    streams.push(Number(value));
  }
  return { capture, streams, ...(keylog !== undefined ? { keylog } : {}) };
}

/** Where a marker's capture is on disk. */
export function capturePath(capture: string, where: Locations = DEFAULT_LOCATIONS): string {
  const [top, ...rest] = capture.split('/');
  return top === 'corpus' ? path.join(where.shared, 'corpus', 'zeek', ...rest) : path.join(where.root, 'samples', ...rest);
}

/** The capture as a user types it from the repository root. */
function commandPath(capture: string): string {
  return capture.startsWith('corpus/') ? `../shared/corpus/zeek/${capture.slice('corpus/'.length)}` : capture;
}

/** The finding blocks of one rule in a text report, each as its lines (no trailing blank line). */
export function findingBlocks(report: string, rule: string): string[][] {
  const lines = report.split('\n');
  const blocks: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = FINDING_HEAD.exec(lines[i]);
    if (head === null || head[2] !== rule) continue;
    const block: string[] = [];
    for (; i < lines.length && lines[i] !== ''; i++) block.push(lines[i]);
    blocks.push(block);
  }
  return blocks;
}

/**
 * Cuts each long product or remedy list of a finding block at an entry boundary: a remedy wraps
 * over several lines, and half a sentence would read as the tool's output. Cutting a single line
 * would save nothing, so a list of LIST_LINES + 1 lines stays whole.
 */
export function cutLists(block: readonly string[]): { lines: string[]; cut: boolean } {
  const out: string[] = [];
  let cut = false;
  for (let i = 0; i < block.length; i++) {
    out.push(block[i]);
    if (!CUT_LISTS.has(block[i])) continue;
    let end = i + 1;
    while (end < block.length && block[end].startsWith('      ')) end++;
    const entries = block.slice(i + 1, end);
    i = end - 1;
    if (entries.length <= LIST_LINES + 1) {
      out.push(...entries);
      continue;
    }
    // An entry starts at a line indented by exactly six spaces; its wrapped lines are indented deeper.
    let kept = 1;
    while (kept < entries.length && entries[kept].startsWith('       ')) kept++;
    for (let next = kept; next <= LIST_LINES; next++) {
      if (next === entries.length || !entries[next].startsWith('       ')) kept = next;
    }
    out.push(...entries.slice(0, kept));
    if (kept < entries.length) {
      out.push(`      [... ${entries.length - kept} more lines ...]`);
      cut = true;
    }
  }
  return { lines: out, cut };
}

/** The report tlsdiag prints for one capture, as text, rendered in-process. */
async function textReport(spec: ExampleSpec, where: Locations): Promise<string> {
  const shown = commandPath(spec.capture);
  let keyLog: KeyLog | undefined;
  if (spec.keylog !== undefined) {
    keyLog = new KeyLog();
    keyLog.addText(await fsp.readFile(path.join(where.root, spec.keylog), 'latin1'), spec.keylog);
  }
  const result = await analyzeFile(capturePath(spec.capture, where), keyLog !== undefined ? { keyLog } : {}, shown);
  if (result.error !== null) throw new Error(`${spec.capture}: ${result.error.message}`);
  const command = [shown, ...spec.streams.flatMap((s) => ['--stream', String(s)]), ...(spec.keylog !== undefined ? ['--keylog', spec.keylog] : [])];
  const doc = reportDocument([result], command);
  return render('text', doc, { color: false, redact: false, ...(spec.streams.length > 0 ? { streams: spec.streams } : {}) });
}

/** The lines that belong between an example's markers, or why there are none. */
export async function exampleLines(rule: string, spec: ExampleSpec, where: Locations = DEFAULT_LOCATIONS): Promise<string[] | string> {
  let report: string;
  try {
    report = await textReport(spec, where);
  } catch (err) {
    return `cannot analyze ${spec.capture}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const blocks = findingBlocks(report, rule);
  if (blocks.length === 0) {
    const scope = spec.streams.length > 0 ? ` in stream ${spec.streams.join(', ')}` : '';
    return `${spec.capture} gives no ${rule} finding${scope}: choose a capture that does (samples/README.md)`;
  }
  const cutBlocks = blocks.map(cutLists);
  const anyCut = cutBlocks.some((b) => b.cut);
  const streamArgs = spec.streams.map((s) => ` --stream ${s}`).join('') + (spec.keylog !== undefined ? ` --keylog ${spec.keylog}` : '');
  const which = blocks.length === 1 ? `the ${rule} finding` : `the ${blocks.length} ${rule} findings`;
  const cutNote = anyCut ? ', long lists cut' : '';
  const body: string[] = [];
  cutBlocks.forEach((b, k) => {
    if (k > 0) body.push('');
    body.push(...b.lines);
  });
  return [`\`node bin/tlsdiag.js ${commandPath(spec.capture)}${streamArgs}\` prints (${which}${cutNote}):`, '', '```text', ...body, '```'];
}

export interface PageResult {
  /** Path relative to the repository root, e.g. docs/rules/empty-ca-list.md. */
  readonly page: string;
  readonly rule: string;
  readonly examples: number;
  /** Whether some example's text differs from what the analysis prints now. */
  readonly stale: boolean;
  /** The first differing line of each stale example, for the reader of --check. */
  readonly differences: readonly string[];
  /** Errors: bad markers, unmarked examples, captures that no longer give the rule's finding. */
  readonly problems: readonly string[];
  /** The page with every example regenerated (examples with problems left as they were). */
  readonly text: string;
}

/** Regenerates the marked examples of one page's text. Pure apart from reading the captures. */
export async function regeneratePage(rule: string, text: string, page: string, where: Locations = DEFAULT_LOCATIONS): Promise<PageResult> {
  const parsed = parseExamples(text);
  const problems = [...parsed.problems];
  if (parsed.blocks.length > 0 && !RULES.some((r) => r.meta.id === rule)) problems.push(`${rule} is not a rule id (src/findings/rules/index.ts)`);
  const lines = text.split('\n');
  const out: string[] = [];
  const differences: string[] = [];
  let from = 0;
  for (const block of parsed.blocks) {
    out.push(...lines.slice(from, block.openLine + 1));
    const current = lines.slice(block.openLine + 1, block.closeLine);
    const fresh = await exampleLines(rule, block.spec, where);
    if (typeof fresh === 'string') {
      problems.push(`line ${block.openLine + 1}: ${fresh}`);
      out.push(...current);
    } else {
      const diff = firstDifference(current, fresh);
      if (diff !== null) differences.push(`line ${block.openLine + 1} (${block.spec.capture}): ${diff}`);
      out.push(...fresh);
    }
    from = block.closeLine;
  }
  out.push(...lines.slice(from));
  return { page, rule, examples: parsed.blocks.length, stale: differences.length > 0, differences, problems, text: out.join('\n') };
}

function firstDifference(current: readonly string[], fresh: readonly string[]): string | null {
  const n = Math.max(current.length, fresh.length);
  for (let i = 0; i < n; i++) {
    if (current[i] === fresh[i]) continue;
    const was = current[i] === undefined ? '(nothing)' : JSON.stringify(current[i]);
    const now = fresh[i] === undefined ? '(nothing)' : JSON.stringify(fresh[i]);
    return `example line ${i + 1} is ${was}, the analysis prints ${now}`;
  }
  return null;
}

export interface RunOptions {
  readonly where?: Locations;
  /** Page ids (file names without .md); every page of docs/rules/ when absent or empty. */
  readonly pages?: readonly string[];
}

async function pageIds(where: Locations, wanted: readonly string[] | undefined): Promise<string[]> {
  if (wanted !== undefined && wanted.length > 0) return [...wanted];
  const names = await fsp.readdir(path.join(where.root, 'docs', 'rules'));
  return names
    .filter((n) => n.endsWith('.md'))
    .map((n) => n.slice(0, -'.md'.length))
    .sort();
}

/** Checks every rule page (or the pages named) against the analysis, writing nothing. */
export async function checkExamples(options: RunOptions = {}): Promise<PageResult[]> {
  const where = options.where ?? DEFAULT_LOCATIONS;
  const results: PageResult[] = [];
  for (const id of await pageIds(where, options.pages)) {
    const page = path.join('docs', 'rules', `${id}.md`);
    const text = await fsp.readFile(path.join(where.root, page), 'utf8');
    results.push(await regeneratePage(id, text, page, where));
  }
  return results;
}

/** Rewrites the stale pages among those checkExamples() reads; returns every page's result. */
export async function updateExamples(options: RunOptions = {}): Promise<PageResult[]> {
  const where = options.where ?? DEFAULT_LOCATIONS;
  const results = await checkExamples(options);
  for (const r of results) if (r.stale) await fsp.writeFile(path.join(where.root, r.page), r.text);
  return results;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`doc-examples: unknown option ${unknown.join(' ')}\nusage: node dist/scripts/doc-examples.js [--check] [RULE-ID ...]\n`);
    return 2;
  }
  const pages = argv.filter((a) => !a.startsWith('-'));
  const results = check ? await checkExamples({ pages }) : await updateExamples({ pages });
  let failed = false;
  for (const r of results) {
    for (const p of r.problems) process.stderr.write(`${r.page}: ${p}\n`);
    if (r.problems.length > 0) failed = true;
    if (!r.stale) continue;
    if (check) {
      failed = true;
      process.stdout.write(`${r.page}: example stale\n`);
      for (const d of r.differences) process.stdout.write(`  ${d}\n`);
    } else {
      process.stdout.write(`${r.page}: example regenerated\n`);
    }
  }
  const examples = results.reduce((n, r) => n + r.examples, 0);
  const stale = results.filter((r) => r.stale).length;
  const scope = `${count(examples, 'example')} in ${count(results.length, 'page')}`;
  process.stdout.write(check ? `${scope} checked, ${count(stale, 'page')} stale\n` : `${scope}, ${count(stale, 'page')} rewritten\n`);
  return failed ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`doc-examples: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
