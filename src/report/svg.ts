/**
 * A connection's handshake as an inline SVG sequence diagram: a client lane and a server lane, one
 * arrow per flight (the records one side's frame completed), the failing step highlighted. Drawn
 * with presentation attributes only (no CSS, no fonts, no markers with document-wide ids), so the
 * SVG is the same inside the HTML report, pasted alone, or printed.
 */
import type { ConnectionDocument } from './document.js';
import type { TranscriptEvent } from '../session/transcript.js';
import { eventLabel, failingStep, recordLabel } from './ladder.js';
import type { TlsSummary } from '../session/transcript.js';
import { html, join, type Html } from './html-safe.js';

const WIDTH = 790;
const CLIENT_X = 202;
const SERVER_X = 664;
/** Half the width of a lane's title box. */
const BOX = 120;
const GUTTER_X = 12;
const HEADER = 62;
const LINE = 15;
/** Characters of label per line between the lanes, at 12 px sans-serif (≈ 6.9 px a character). */
const LABEL_CHARS = Math.floor((SERVER_X - CLIENT_X - 40) / 6.9);
/** Longer transcripts show their first and last arrows (and every failing one) with a gap marker. */
const MAX_ARROWS = 60;
const HEAD_ARROWS = 36;
const TAIL_ARROWS = 20;

type Tone = 'handshake' | 'data' | 'alert' | 'failure' | 'tcp' | 'plaintext';

const STROKE: Record<Tone, string> = {
  handshake: '#24425e',
  data: '#8793a0',
  alert: '#b26a00',
  failure: '#c62828',
  tcp: '#8793a0',
  plaintext: '#6b4fa8',
};

interface Arrow {
  readonly from: 'client' | 'server';
  readonly frame: number;
  readonly offset: number;
  readonly tone: Tone;
  readonly dashed: boolean;
  readonly label: string;
}

function toneOf(e: TranscriptEvent, failure: boolean): Tone {
  if (failure) return 'failure';
  switch (e.type) {
    case 'alert':
      return 'alert';
    case 'application_data':
    case 'heartbeat':
      return 'data';
    case 'tcp':
      return 'tcp';
    case 'plaintext':
      return 'plaintext';
    default:
      return 'handshake';
  }
}

/** Consecutive events of one side, one frame, one record layer and one tone become one arrow. */
export function arrows(events: readonly TranscriptEvent[], tls: TlsSummary | null): Arrow[] {
  const out: Arrow[] = [];
  const t0 = events.length ? events[0].time : 0;
  const failing = failingStep(events, tls);
  const toneAt = (k: number): Tone => toneOf(events[k], k === failing);
  let i = 0;
  while (i < events.length) {
    const e = events[i];
    const tone = toneAt(i);
    const record = recordLabel(e);
    const labels: string[] = [];
    let j = i;
    while (
      j < events.length &&
      events[j].frame === e.frame &&
      events[j].from === e.from &&
      recordLabel(events[j]) === record &&
      toneAt(j) === tone &&
      tone !== 'failure' &&
      events[j].type !== 'tcp' &&
      events[j].type !== 'plaintext'
    ) {
      labels.push(eventLabel(events[j]));
      j++;
    }
    if (j === i) {
      labels.push(eventLabel(e));
      j = i + 1;
    }
    const prefix = record && record !== 'TCP' && record !== 'plaintext' ? `${record} · ` : '';
    out.push({
      from: e.from,
      frame: e.frame,
      offset: Math.max(0, e.time - t0),
      tone,
      dashed: e.type === 'tcp' || e.type === 'plaintext',
      label: prefix + countRepeats(labels).join(', '),
    });
    i = j;
  }
  return out;
}

/** `encrypted handshake message ×5` instead of five times the same words. */
function countRepeats(labels: readonly string[]): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < labels.length) {
    let n = 1;
    while (k + n < labels.length && labels[k + n] === labels[k]) n++;
    out.push(n > 1 ? `${labels[k]} ×${n}` : labels[k]);
    k += n;
  }
  return out;
}

/** Greedy word wrap at `width` characters; a word longer than a line is cut. */
export function wrapLabel(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ' ' + w;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** Which arrows to draw: all of a short transcript; else head, tail and every failure, in order. */
function shown(list: readonly Arrow[]): (Arrow | { gap: number })[] {
  if (list.length <= MAX_ARROWS) return [...list];
  const keep = new Set<number>();
  for (let k = 0; k < HEAD_ARROWS; k++) keep.add(k);
  for (let k = list.length - TAIL_ARROWS; k < list.length; k++) keep.add(k);
  list.forEach((a, k) => a.tone === 'failure' && keep.add(k));
  const out: (Arrow | { gap: number })[] = [];
  let skipped = 0;
  list.forEach((a, k) => {
    if (keep.has(k)) {
      if (skipped) out.push({ gap: skipped });
      skipped = 0;
      out.push(a);
    } else skipped++;
  });
  return out;
}

function lane(x: number, title: string, endpoint: string): Html {
  // A long IPv6 endpoint is squeezed into the box rather than drawn across the other lane.
  const fit = endpoint.length > 36 ? html` textLength="${2 * BOX - 12}" lengthAdjust="spacingAndGlyphs"` : '';
  return html`<rect x="${x - BOX}" y="8" width="${2 * BOX}" height="44" rx="6" fill="#eef2f6" stroke="#9aa7b4"/><text x="${x}" y="26" text-anchor="middle" font-weight="700" font-size="13" fill="#1b2733">${title}</text><text x="${x}" y="43" text-anchor="middle" font-size="11" fill="#4a5866"${fit}>${endpoint}</text>`;
}

function arrowHead(x: number, y: number, rightward: boolean, color: string): Html {
  const back = rightward ? x - 10 : x + 10;
  return html`<polygon points="${x},${y} ${back},${y - 5} ${back},${y + 5}" fill="${color}"/>`;
}

/**
 * The diagram of one connection. `title` is read by screen readers and shown as a tooltip.
 */
export function sequenceDiagram(c: ConnectionDocument, title: string): Html {
  const list = arrows(c.events, c.tls);
  const parts: Html[] = [];
  let y = HEADER + 10;
  for (const item of shown(list)) {
    if ('gap' in item) {
      parts.push(
        html`<text x="${(CLIENT_X + SERVER_X) / 2}" y="${y + 14}" text-anchor="middle" font-size="12" font-style="italic" fill="#5f6b77">⋯ ${item.gap} more not drawn (see the transcript) ⋯</text>`,
      );
      y += 26;
      continue;
    }
    const lines = wrapLabel(item.label, LABEL_CHARS);
    const arrowY = y + lines.length * LINE + 8;
    const color = STROKE[item.tone];
    const failure = item.tone === 'failure';
    const rightward = item.from === 'client';
    const [x1, x2] = rightward ? [CLIENT_X, SERVER_X] : [SERVER_X, CLIENT_X];
    if (failure) parts.push(html`<rect x="4" y="${y - 2}" width="${WIDTH - 8}" height="${arrowY - y + 14}" rx="4" fill="#fdecea" stroke="#f1b0aa"/>`);
    parts.push(
      html`<text x="${GUTTER_X}" y="${arrowY - 2}" font-size="12" font-weight="${failure ? 700 : 400}" fill="${failure ? STROKE.failure : '#1b2733'}">frame ${item.frame}</text>`,
      html`<text x="${GUTTER_X}" y="${arrowY + 11}" font-size="10.5" fill="#5f6b77">+${item.offset.toFixed(3)} s</text>`,
    );
    lines.forEach((l, k) => {
      parts.push(
        html`<text x="${(CLIENT_X + SERVER_X) / 2}" y="${y + (k + 1) * LINE - 2}" text-anchor="middle" font-size="12" font-weight="${failure ? 700 : 400}" fill="${failure ? STROKE.failure : '#1b2733'}">${l}</text>`,
      );
    });
    const headGap = rightward ? -1 : 1;
    parts.push(
      html`<line x1="${x1}" y1="${arrowY}" x2="${x2 + headGap * 9}" y2="${arrowY}" stroke="${color}" stroke-width="${failure ? 2.5 : item.tone === 'data' || item.tone === 'tcp' ? 1.2 : 1.6}"${item.dashed ? html` stroke-dasharray="6 4"` : ''}/>`,
      arrowHead(x2, arrowY, rightward, color),
    );
    if (failure) {
      const cx = x2 + (rightward ? -22 : 22);
      parts.push(
        html`<circle cx="${cx}" cy="${arrowY - 12}" r="7" fill="${STROKE.failure}"/><path d="M ${cx - 3} ${arrowY - 15} L ${cx + 3} ${arrowY - 9} M ${cx + 3} ${arrowY - 15} L ${cx - 3} ${arrowY - 9}" stroke="#fff" stroke-width="1.8"/>`,
      );
    }
    y = arrowY + 16;
  }
  if (list.length === 0) {
    parts.push(html`<text x="${(CLIENT_X + SERVER_X) / 2}" y="${y + 14}" text-anchor="middle" font-size="12" fill="#5f6b77">no TLS records or TCP events in this connection</text>`);
    y += 26;
  }
  const height = y + 6;
  const lifelines = html`<line x1="${CLIENT_X}" y1="${HEADER - 10}" x2="${CLIENT_X}" y2="${height - 4}" stroke="#b9c3cc" stroke-dasharray="3 3"/><line x1="${SERVER_X}" y1="${HEADER - 10}" x2="${SERVER_X}" y2="${height - 4}" stroke="#b9c3cc" stroke-dasharray="3 3"/>`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="sequence" role="img" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"><title>${title}</title>${lifelines}${lane(CLIENT_X, 'Client', c.client)}${lane(SERVER_X, 'Server', c.server)}${join(parts)}</svg>`;
}
