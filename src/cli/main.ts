/**
 * tlsdiag's command line. `tlsdiag FILE...` is `tlsdiag analyze FILE...`.
 *
 * Exit status: 0 every input analyzed; 1 a finding at or above --fail-on; 2 an input could not be
 * read, or a usage error; 3 an internal error (a bug: please report it).
 */
import { printable } from '../report/printable.js';
import yargs from 'yargs';
import { availableParallelism } from 'node:os';
import { promises as fsp } from 'node:fs';
import { analyzeCommand, outputClash } from '../batch/analyze-command.js';
import { DEFAULT_LIMITS, parseSize } from '../input/expansion.js';
import { FORMATS, formatFromFileName, type FormatName } from '../report/render.js';
import { RULES } from '../findings/rules/index.js';
import { explain } from '../findings/explain.js';
import { renderExplanations, renderRuleList } from '../report/explain-text.js';
import { severityRank } from '../report/run-summary.js';
import { parseTime, type ReportFilters } from '../report/filter.js';
import { traceClock } from '../report/trace-time.js';
import { TOOL_VERSION } from '../version.js';
import type { Severity } from '../findings/types.js';

export const EXIT = { ok: 0, findings: 1, input: 2, internal: 3 } as const;

interface AnalyzeArgs {
  files: string[];
  format?: string;
  output?: string;
  stream?: unknown;
  udpStream?: unknown;
  host?: unknown;
  port?: unknown;
  sni?: unknown;
  since?: string;
  until?: string;
  only?: string;
  redact: boolean;
  'fail-on'?: string;
  rules?: string[];
  color?: boolean;
  quiet: boolean;
  jobs?: number;
  'max-decompressed': string;
  'max-ratio': number;
  detail: string;
  all: boolean;
  'idle-timeout'?: number;
  tz?: string;
  'merge-streams': boolean;
  keylog?: string[];
  hex: boolean;
  'hex-bytes'?: number;
}

/** `-` while yargs parses (a NUL byte cannot be in a path). */
const STDIN_ARG = '\u0000-';
/** --hex: a record header and the first 27 bytes of its body, two lines of a dump. */
const DEFAULT_HEX_BYTES = 32;
/** A whole record at most (header and the largest body RFC 5246 §6.2.3 allows). */
const MAX_HEX_BYTES = 5 + 18432;

/** A usage error found after parsing (a value yargs cannot check): message, exit status 2. */
class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  // `tlsdiag FILE...` → `tlsdiag analyze FILE...` (any first word that is not a command or a flag).
  const commands = new Set(['analyze', 'explain', 'rules', 'help', '--help', '-h', '--version', '-V']);
  const flag = (a: string) => a.startsWith('-') && a !== '-';
  if (args.length > 0 && !commands.has(args[0]) && !(flag(args[0]) && args.every(flag))) {
    args.unshift('analyze');
  }
  // yargs drops a lone `-` (standard input): it travels under a name no path can have.
  for (let i = 0; i < args.length; i++) if (args[i] === '-') args[i] = STDIN_ARG;
  let exitCode: number = EXIT.ok;
  let usageError: string | null = null;
  let bug: Error | null = null;
  const parser = yargs(args)
    .scriptName('tlsdiag')
    .usage('tlsdiag [analyze] CAPTURE... [options]\n\nReads packet captures offline and explains why TLS handshakes failed.')
    .command(
      'analyze <files..>',
      'Analyze captures, directories and archives of captures (the default command)',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'capture files (pcap, pcapng, gzip), directories, archives (zip, tar, tar.gz), named pipes; - for standard input', demandOption: true })
          .option('format', { alias: 'f', type: 'string', choices: [...FORMATS], describe: 'report format (default: from --output\'s extension, else text)' })
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file instead of standard output' })
          .option('stream', { type: 'string', requiresArg: true, describe: 'report only these tcp.stream indexes (repeatable, or 1,5,7)' })
          .option('udp-stream', { type: 'string', requiresArg: true, describe: 'report only these udp.stream indexes: DTLS and QUIC connections (repeatable, or 0,3)' })
          .option('host', { type: 'string', requiresArg: true, describe: 'report only connections with this address at either end, or this SNI (repeatable, or a,b)' })
          .option('port', { type: 'string', requiresArg: true, describe: 'report only connections with this port at either end (repeatable, or 21,990)' })
          .option('sni', { type: 'string', requiresArg: true, describe: 'report only connections whose SNI matches; * matches any characters (*.example.com)' })
          .option('since', { type: 'string', requiresArg: true, describe: 'report only connections still going at or after this time: ISO 8601 (UTC unless it has a zone: 2024-03-04T18:26:26, 2024-03-04T19:26+01:00) or epoch seconds' })
          .option('until', { type: 'string', requiresArg: true, describe: 'report only connections that began at or before this time (as --since)' })
          .option('only', { type: 'string', choices: ['failing'], describe: 'only failing connections' })
          .option('detail', { type: 'string', choices: ['compact', 'full'], default: 'compact', describe: 'json/ndjson: compact (certificates once by hash, one-line message details) or full (every decoded field)' })
          .option('all', { type: 'boolean', default: false, describe: 'text/markdown/html: print every connection in full after the grouped findings' })
          .option('tz', { type: 'string', requiresArg: true, describe: 'trace: absolute times in this zone: UTC (default), local, +01:00, or an IANA name such as Europe/Berlin' })
          .option('merge-streams', { type: 'boolean', default: false, describe: 'trace: all connections of a capture in one list in time order (FTPS control and data interleaved), each line with its tcp.stream' })
          .option('hex', { type: 'boolean', default: false, describe: 'trace: under each TLS record\'s line, a hex dump of its first bytes (header included); json/ndjson: the same as recordHead on each event' })
          .option('hex-bytes', { type: 'number', describe: `with --hex: how many of each record's first bytes (default ${DEFAULT_HEX_BYTES}, at most ${MAX_HEX_BYTES})` })
          .option('idle-timeout', { type: 'number', describe: 'close a TCP conversation after this many seconds without a packet, in capture time (default 600)' })
          .option('keylog', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'decrypt handshakes and alerts with this NSS key log (SSLKEYLOGFILE; repeatable); pcapng Decryption Secrets Blocks are used without it' })
          .option('redact', { type: 'boolean', default: false, describe: 'replace addresses, names and certificate identities with stable pseudonyms' })
          .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info'], describe: 'exit 1 when a finding of this severity or worse is found' })
          .option('rules', { type: 'string', array: true, describe: 'run only these rules (ids)' })
          .option('color', { type: 'boolean', describe: 'colour the text report (default: when standard output is a terminal and NO_COLOR is unset)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress line, skipped files or warnings on standard error (errors are still said)' })
          .option('jobs', { alias: 'j', type: 'number', describe: 'captures analyzed at once, each on its own thread (default: the number of CPUs)' })
          .option('max-decompressed', {
            type: 'string',
            default: `${DEFAULT_LIMITS.maxBytes / 1024 ** 3}G`,
            describe: 'largest decompressed size of one archive member or .gz file (e.g. 512M, 100G)',
          })
          .option('max-ratio', { type: 'number', default: DEFAULT_LIMITS.maxRatio, describe: 'largest decompressed:compressed ratio of one member or .gz file (bombs stop there)' }),
      async (a) => {
        // yargs runs the handler even after reporting a bad value to fail(): nothing to do then.
        if (usageError === null) exitCode = await analyze(a as unknown as AnalyzeArgs, argv);
      },
    )
    .command(
      'explain <text..>',
      'Explain a log line: gsk_secure_socket_init rc = 410, error:14094417, 522 SSL connection failed, EZA2897I, alert 47 ...',
      (y) => y.positional('text', { type: 'string', array: true, demandOption: true }),
      (a) => {
        const text = (a.text as string[]).join(' ');
        const found = explain(text);
        process.stdout.write(renderExplanations(text, found));
        exitCode = found.length > 0 ? EXIT.ok : EXIT.findings;
      },
    )
    .command('rules', 'List every rule with its severity and title', () => {}, () => {
      process.stdout.write(renderRuleList(RULES));
    })
    .demandCommand(1, 'Give a capture file or directory: tlsdiag CAPTURE...')
    .strict()
    .version(TOOL_VERSION)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs reports its own parse errors and whatever a command threw; only the latter can be a bug.
      if (err && !(err instanceof UsageError) && err.name !== 'YError') bug ??= err;
      else usageError = msg || (err ? err.message : 'usage error');
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) usageError = err.message;
    else if (usageError === null) bug ??= err as Error;
  }
  if (bug !== null) throw bug;
  if (usageError !== null) {
    // The message may quote what was typed (a file name, an option value): escaped, as reports are.
    process.stderr.write(`tlsdiag: ${usageError.split('\n').map(printable).join('\n')}\nRun 'tlsdiag --help' for usage.\n`);
    return EXIT.input;
  }
  return exitCode;
}

function isFormat(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

/** A repeatable option's values: `--port 21 --port 990` and `--port 21,990` alike. */
function listOf(value: unknown): string[] {
  const all = Array.isArray(value) ? value : [value];
  return all.flatMap((v) => String(v).split(',')).map((v) => v.trim());
}

function wholeNumbers(option: string, value: unknown, max: number): number[] {
  return listOf(value).map((v) => {
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(Number.isSafeInteger(n) && n <= max)) throw new UsageError(`--${option} wants a whole number from 0 to ${max}, not "${v}"`);
    return n;
  });
}

function names(option: string, value: unknown): string[] {
  const list = listOf(value);
  if (list.some((v) => v === '')) throw new UsageError(`--${option} wants a value, not an empty one`);
  return list;
}

function time(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseTime(value);
  if (t === null) throw new UsageError(`--${option} wants an ISO 8601 time (2024-03-04T18:26:26, UTC unless it has a zone) or epoch seconds, not "${value}"`);
  return t;
}

/** The report filters from the options, checked. */
function filtersOf(a: AnalyzeArgs): ReportFilters {
  const since = time('since', a.since);
  const until = time('until', a.until);
  if (since !== undefined && until !== undefined && since > until) throw new UsageError(`--since (${a.since}) is after --until (${a.until}): no connection can match`);
  return {
    ...(a.stream !== undefined ? { streams: wholeNumbers('stream', a.stream, Number.MAX_SAFE_INTEGER) } : {}),
    ...(a.udpStream !== undefined ? { udpStreams: wholeNumbers('udp-stream', a.udpStream, Number.MAX_SAFE_INTEGER) } : {}),
    ...(a.host !== undefined ? { hosts: names('host', a.host) } : {}),
    ...(a.port !== undefined ? { ports: wholeNumbers('port', a.port, 65535) } : {}),
    ...(a.sni !== undefined ? { snis: names('sni', a.sni) } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    onlyFailing: a.only === 'failing',
  };
}

async function analyze(a: AnalyzeArgs, argv: readonly string[]): Promise<number> {
  if (a.output !== undefined && a.format === undefined && formatFromFileName(a.output) === undefined && /\.[^./\\]+$/.test(a.output)) {
    const ext = /\.[^./\\]+$/.exec(a.output)![0];
    // `-o capture.pcap` over an input: that mistake is the one to name.
    const clash = await outputClash(a.output, a.files.map((f) => (f === STDIN_ARG ? '-' : f)));
    if (clash !== null) {
      process.stderr.write(`tlsdiag: ${printable(clash)}\n`);
      return EXIT.input;
    }
    throw new UsageError(`--output ${a.output}: tlsdiag cannot write ${ext} files; use .txt, .md, .html, .json, .ndjson, .tsv or .trace, or say --format`);
  }
  const format = a.format ?? (a.output ? formatFromFileName(a.output) : undefined) ?? 'text';
  if (!isFormat(format)) throw new UsageError(`--format wants one of ${FORMATS.join(', ')}, not "${format}"`);
  const filters = filtersOf(a);
  if (a.tz !== undefined && traceClock(a.tz) === null) throw new UsageError(`--tz wants UTC, local, an offset such as +01:00, or an IANA time zone such as Europe/Berlin, not "${a.tz}"`);
  if (a.rules !== undefined) {
    const known = new Set(RULES.map((r) => r.meta.id));
    const rules = listOf(a.rules);
    const unknown = rules.filter((r) => !known.has(r));
    if (unknown.length > 0) throw new UsageError(`--rules: no rule ${unknown.map((r) => `"${r}"`).join(', ')} (tlsdiag rules lists them)`);
  }
  const jobs = a.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs wants a whole number of 1 or more, not ${a.jobs}`);
  const maxBytes = parseSize(a['max-decompressed']);
  if (maxBytes === null) throw new UsageError(`--max-decompressed wants a size such as 512M or 100G, not "${a['max-decompressed']}"`);
  const maxRatio = a['max-ratio'];
  if (!Number.isFinite(maxRatio) || maxRatio < 1) throw new UsageError(`--max-ratio wants a number of 1 or more, not ${maxRatio}`);
  const hexBytes = a['hex-bytes'];
  if (hexBytes !== undefined && !(Number.isInteger(hexBytes) && hexBytes >= 5 && hexBytes <= MAX_HEX_BYTES)) {
    throw new UsageError(`--hex-bytes wants a whole number from 5 (a record header) to ${MAX_HEX_BYTES}, not ${hexBytes}`);
  }
  if (hexBytes !== undefined && !a.hex) throw new UsageError('--hex-bytes goes with --hex');
  const idle = a['idle-timeout'];
  if (idle !== undefined && !(Number.isFinite(idle) && idle > 0)) throw new UsageError(`--idle-timeout wants a number of seconds above 0, not ${idle}`);
  const keyLogs = await readKeyLogs(a.keylog);
  const outcome = await analyzeCommand({
    inputs: a.files.map((f) => (f === STDIN_ARG ? '-' : f)),
    command: argv,
    format,
    detail: a.detail === 'full' ? 'full' : 'compact',
    all: a.all,
    idleTimeoutSeconds: idle ?? null,
    recordHeadBytes: a.hex ? (hexBytes ?? DEFAULT_HEX_BYTES) : 0,
    output: a.output ?? null,
    filters,
    tz: a.tz ?? null,
    mergeStreams: a['merge-streams'],
    redact: a.redact,
    color: a.color ?? (!a.output && process.stdout.isTTY === true && !process.env.NO_COLOR),
    quiet: a.quiet,
    jobs,
    rules: a.rules !== undefined ? listOf(a.rules) : null,
    limits: { maxBytes, maxRatio },
    progress: !a.quiet && process.stderr.isTTY === true,
    ...(keyLogs.length > 0 ? { keyLogs } : {}),
  });
  if (outcome.internal > 0) return EXIT.internal;
  if (outcome.nothing || outcome.unreadable > 0 || outcome.missingStreams !== undefined) return EXIT.input;
  const failOn = a['fail-on'] as Severity | undefined;
  if (failOn && outcome.worst !== null && severityRank(outcome.worst) >= severityRank(failOn)) return EXIT.findings;
  return EXIT.ok;
}

/** Larger than any real key log (a line is under 200 bytes): a mistaken path, not secrets. */
const MAX_KEYLOG_BYTES = 256 * 1024 * 1024;

/** Reads the --keylog files; a file that cannot be read is a usage error naming it (never its content). */
async function readKeyLogs(files: readonly string[] | undefined): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  for (const name of files ?? []) {
    if (name === '' || name === STDIN_ARG) throw new UsageError('--keylog wants a file name');
    let text: string;
    try {
      const st = await fsp.stat(name);
      if (st.isDirectory()) throw new UsageError(`--keylog ${name}: is a directory`);
      if (st.size > MAX_KEYLOG_BYTES) throw new UsageError(`--keylog ${name}: ${st.size} bytes is no key log`);
      text = await fsp.readFile(name, 'latin1');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = (err as NodeJS.ErrnoException)?.code;
      throw new UsageError(`--keylog ${name}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : 'cannot be read'}`);
    }
    out.push({ name, text });
  }
  return out;
}
