// Text for `tlsdiag explain` and `tlsdiag rules`.
import type { Explanation } from '../findings/explain.js';
import type { Rule } from '../findings/types.js';
import { ruleById } from '../findings/rules/index.js';

export function renderExplanations(input: string, found: readonly Explanation[]): string {
  if (found.length === 0) {
    return `Nothing in tlsdiag's knowledge base matches "${input}".\nTry a shorter part of the line: a return code (rc = 410), an OpenSSL error code (error:14094417), an alert name or number.\n`;
  }
  const out: string[] = [];
  for (const { entry, matched } of found) {
    out.push(`${entry.product}: ${entry.title}`);
    out.push(`  matched: "${matched}"`);
    out.push(`  ${entry.text}`);
    out.push(wrap(entry.meaning, '  '));
    if (entry.wirePatterns.length) {
      out.push('  On the wire:');
      for (const w of entry.wirePatterns) out.push(wrap(w, '    - ', '      '));
    }
    if (entry.rules.length) {
      out.push('  Detected by:');
      for (const id of entry.rules) out.push(`    - ${id}${ruleById(id) ? `: ${ruleById(id)!.meta.title}` : ''}`);
    }
    if (entry.remedies.length) {
      out.push('  What to change:');
      for (const r of entry.remedies) out.push(wrap(`${r.where}: ${r.action}${r.caveat ? ` (${r.caveat})` : ''}`, '    - ', '      '));
    }
    const src = entry.source;
    out.push(`  Source: ${src.title}${src.section ? `, ${src.section}` : ''}${src.ref ? ` (${src.ref})` : ''}${entry.confidence !== 'confirmed' ? ` [${entry.confidence}]` : ''}`);
    out.push('');
  }
  return out.join('\n');
}

/** `error`, or `warning/error` for a rule whose findings become errors when the handshake failed. */
function severityColumn(r: Rule): string {
  return r.meta.severityWhenFailed !== undefined && r.meta.severityWhenFailed !== r.meta.severity ? `${r.meta.severity}/${r.meta.severityWhenFailed}` : r.meta.severity;
}

export function renderRuleList(rules: readonly Rule[]): string {
  const w = Math.max(...rules.map((r) => r.meta.id.length));
  const sw = Math.max(...rules.map((r) => severityColumn(r).length));
  const escalated = rules.some((r) => severityColumn(r) !== r.meta.severity);
  const list = rules.map((r) => `${r.meta.id.padEnd(w)}  ${severityColumn(r).padEnd(sw)}  ${r.meta.title}`).join('\n') + '\n';
  return escalated ? `${list}\nwarning/error: a warning, reported as an error on a connection whose handshake failed.\n` : list;
}

function wrap(text: string, first: string, rest: string = first, width = 100): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = first;
  for (const word of words) {
    if (line.length + word.length + 1 > width && line.trim().length > 0) {
      lines.push(line.trimEnd());
      line = rest;
    }
    line += (line.endsWith(' ') || line === first || line === rest ? '' : ' ') + word;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}
