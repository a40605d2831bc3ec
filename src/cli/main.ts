/**
 * tlsdiag's command line. `tlsdiag FILE...` is `tlsdiag analyze FILE...`.
 *
 * Exit status: 0 every input analyzed; 1 a finding at or above --fail-on; 2 an input could not be
 * read, or a usage error; 3 an internal error (a bug: please report it).
 */
import yargs from 'yargs';
import { writeFileSync } from 'node:fs';
import { analyzeFile, type CaptureResult } from '../analyze.js';
import { expandInputs } from '../batch/inputs.js';
import { reportDocument } from '../report/document.js';
import { FORMATS, formatFromFileName, render, type FormatName } from '../report/render.js';
import { RULES } from '../findings/rules/index.js';
import { explain } from '../findings/explain.js';
import { renderExplanations, renderRuleList } from '../report/explain-text.js';
import { TOOL_VERSION } from '../version.js';
import type { Severity } from '../findings/types.js';

export const EXIT = { ok: 0, findings: 1, input: 2, internal: 3 } as const;

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

interface AnalyzeArgs {
  files: string[];
  format?: string;
  output?: string;
  stream?: number[];
  only?: string;
  redact: boolean;
  'fail-on'?: string;
  rules?: string[];
  color?: boolean;
  quiet: boolean;
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  // `tlsdiag FILE...` → `tlsdiag analyze FILE...` (any first word that is not a command or a flag).
  const commands = new Set(['analyze', 'explain', 'rules', 'help', '--help', '-h', '--version', '-V']);
  if (args.length > 0 && !commands.has(args[0]) && !(args[0].startsWith('-') && args.every((a) => a.startsWith('-')))) {
    args.unshift('analyze');
  }
  let exitCode: number = EXIT.ok;
  let usageError: string | null = null;
  const parser = yargs(args)
    .scriptName('tlsdiag')
    .usage('tlsdiag [analyze] CAPTURE... [options]\n\nReads packet captures offline and explains why TLS handshakes failed.')
    .command(
      'analyze <files..>',
      'Analyze captures, directories of captures (the default command)',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'capture files (pcap, pcapng, gzip) or directories', demandOption: true })
          .option('format', { alias: 'f', type: 'string', choices: [...FORMATS], describe: 'report format (default: from --output\'s extension, else text)' })
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file instead of standard output' })
          .option('stream', { type: 'number', array: true, describe: 'only these tcp.stream indexes (repeatable)' })
          .option('only', { type: 'string', choices: ['failing'], describe: 'only failing connections' })
          .option('redact', { type: 'boolean', default: false, describe: 'replace addresses, names and certificate identities with stable pseudonyms' })
          .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info'], describe: 'exit 1 when a finding of this severity or worse is found' })
          .option('rules', { type: 'string', array: true, describe: 'run only these rules (ids)' })
          .option('color', { type: 'boolean', describe: 'colour the text report (default: when standard output is a terminal and NO_COLOR is unset)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress or notes on standard error' }),
      async (a) => {
        exitCode = await analyzeCommand(a as unknown as AnalyzeArgs, argv);
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
      usageError = msg || (err ? err.message : 'usage error');
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (usageError === null) usageError = (err as Error)?.message ?? String(err);
  }
  if (usageError !== null) {
    process.stderr.write(`tlsdiag: ${usageError}\nRun 'tlsdiag --help' for usage.\n`);
    return EXIT.input;
  }
  return exitCode;
}

async function analyzeCommand(a: AnalyzeArgs, argv: readonly string[]): Promise<number> {
  const format = (a.format ?? (a.output ? formatFromFileName(a.output) : undefined) ?? 'text') as FormatName;
  const expanded = await expandInputs(a.files);
  const results: CaptureResult[] = [];
  let unreadable = expanded.errors.length;
  for (const e of expanded.errors) process.stderr.write(`${e.name}: ${e.message}\n`);
  if (!a.quiet) for (const s of expanded.skipped) process.stderr.write(`${s.name}: skipped (${s.reason})\n`);
  if (expanded.captures.length === 0 && expanded.errors.length === 0) {
    process.stderr.write(`tlsdiag: no capture files found in ${a.files.join(', ')}\n`);
    return EXIT.input;
  }
  for (const item of expanded.captures) {
    const r = await analyzeFile(item.path, a.rules ? { rules: a.rules } : {}, item.name);
    if (r.error) {
      unreadable++;
      process.stderr.write(`${r.file}: ${r.error.message}\n`);
    } else if (!a.quiet) {
      for (const p of r.problems) if (p.severity === 'error') process.stderr.write(`${r.file}: ${p.message}\n`);
    }
    results.push(r);
  }
  const doc = reportDocument(results, argv);
  const color = a.color ?? (!a.output && process.stdout.isTTY === true && !process.env.NO_COLOR);
  const text = render(format, doc, {
    color,
    redact: a.redact,
    ...(a.stream ? { streams: a.stream } : {}),
    onlyFailing: a.only === 'failing',
  });
  if (a.output) writeFileSync(a.output, text);
  else process.stdout.write(text);

  if (unreadable > 0) return EXIT.input;
  const failOn = a['fail-on'] as Severity | undefined;
  if (failOn) {
    const worst = Math.max(-1, ...results.flatMap((r) => r.findings.map((f) => SEVERITY_RANK[f.severity])));
    if (worst >= SEVERITY_RANK[failOn]) return EXIT.findings;
  }
  return EXIT.ok;
}
