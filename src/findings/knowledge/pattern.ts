/**
 * Builders for the patterns that recognise pasted log lines. Product lines wrap and get re-spaced
 * when copied out of job logs and terminals, so a literal phrase matches any run of whitespace
 * where it has one, and letter case never matters.
 */

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The words of `text` in order, any whitespace between them, whole words at both ends. */
export function phrase(text: string): RegExp {
  return new RegExp(phraseSource(text), 'i');
}

export function phraseSource(text: string): string {
  const trimmed = text.trim();
  const body = trimmed.split(/\s+/).map(escapeRegExp).join('\\s+');
  const head = /^\w/.test(trimmed) ? '\\b' : '';
  const tail = /\w$/.test(trimmed) ? '\\b' : '';
  return `${head}${body}${tail}`;
}

/** A case-insensitive pattern from regex source (one place decides the flags). */
export function pattern(source: string): RegExp {
  return new RegExp(source, 'i');
}
