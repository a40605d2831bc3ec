/**
 * Strings from a capture can carry terminal escape sequences (ESC [ 2 J …) or Unicode bidirectional
 * overrides that make a line read differently from what it holds. Before a document is rendered for
 * people (text, markdown, html) every such character becomes a visible escape: `\x1b`, `\u202e`.
 * The JSON and NDJSON keep the data as decoded (JSON escapes control characters itself).
 */

// C0 and C1 controls (tab and newline too: every report line is built by tlsdiag, not taken from
// the capture), DEL, and the bidi embedding, override and isolate characters.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNPRINTABLE = new RegExp(UNPRINTABLE.source);

export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function clean(node: unknown): unknown {
  if (typeof node === 'string') return HAS_UNPRINTABLE.test(node) ? printable(node) : node;
  if (Array.isArray(node)) return node.map(clean);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = clean(v);
    return out;
  }
  return node;
}

/** A copy in which no string holds a control or bidi-override character. */
export function printableValue<T>(value: T): T {
  return clean(value) as T;
}

