/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already Html.
 * Captures are hostile input (an FTP banner, a certificate subject, a file name can hold `<script>`),
 * so the safe way is the only short way: `html\`<td>${text}</td>\`` escapes `text`; markup can only
 * come from template literals in this code or from other Html values.
 *
 * Interpolations must sit in element content or inside a double-quoted attribute value; escaping
 * `& < > " '` covers both (and inline SVG, whose text the HTML parser reads the same way).
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function piece(v: HtmlValue): string {
  if (v instanceof Html) return v.value;
  if (v === null || v === undefined || v === false || v === true) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return escapeHtml(v);
  let out = '';
  for (const x of v) out += piece(x);
  return out;
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup written in this code base (the style sheet), never text from a capture. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

export function join(values: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  const sep = piece(separator);
  return new Html(values.map(piece).join(sep));
}
