/**
 * The likely implementation on each side of a connection, with a confidence and the basis of the
 * guess (#12), from what the capture shows: protocol greetings and error lines in the plaintext
 * dialogue, and the shape of the hellos (src/findings/knowledge/software.ts, each shape citing its
 * source). Nothing matches: `unknown`. A shape only known from a published list, with no capture of it
 * here, is `low` and says `unconfirmed`.
 *
 * Computed once per transcript (a WeakMap keyed by the transcript, so the rules and the report ask for
 * it freely and nothing outlives the connection).
 */
import type { Transcript } from '../session/transcript.js';
import type { Source } from './types.js';
import type { ClientHelloBody } from '../../decoders/tls/types.js';
import { BANNER_SIGNATURES, HELLO_SIGNATURES, OPENSSL_SERVER_HELLO, type GuessConfidence, type HelloShape, type HelloSignature, type TlsFamily } from './knowledge/software.js';

export type { TlsFamily } from './knowledge/software.js';

export interface SoftwareGuess {
  /** `OpenSSL 3.x`, `vsftpd 3.0.3 (OpenSSL)`, or `unknown`. */
  readonly name: string;
  /** The TLS stack, when known: what remedies are matched against. */
  readonly family: TlsFamily | null;
  /** The application around it (`vsftpd`, `curl`), when the capture names one. */
  readonly app: string | null;
  readonly confidence: GuessConfidence | null;
  /** What the guess rests on, each with its frame. */
  readonly basis: readonly { readonly frame: number; readonly cue: string; readonly text: string; readonly signature: string; readonly unconfirmed?: true }[];
  /** Where the shapes used come from. */
  readonly sources: readonly Source[];
}

export interface SoftwareGuesses {
  readonly client: SoftwareGuess;
  readonly server: SoftwareGuess;
}

const UNKNOWN: SoftwareGuess = { name: 'unknown', family: null, app: null, confidence: null, basis: [], sources: [] };

const memo = new WeakMap<Transcript, SoftwareGuesses>();

export function identifySoftware(t: Transcript): SoftwareGuesses {
  let g = memo.get(t);
  if (g === undefined) {
    g = { client: identifySide(t, 'client'), server: identifySide(t, 'server') };
    memo.set(t, g);
  }
  return g;
}

const RANK: Record<GuessConfidence, number> = { high: 3, medium: 2, low: 1 };

interface Clue {
  readonly name: string;
  readonly family: TlsFamily | null;
  readonly app: string | null;
  readonly confidence: GuessConfidence;
  readonly frame: number;
  readonly cue: string;
  readonly text: string;
  readonly signature: string;
  readonly unconfirmed: boolean;
  readonly source: Source;
}

function identifySide(t: Transcript, side: 'client' | 'server'): SoftwareGuess {
  const clues: Clue[] = [];
  for (const e of t.events) {
    if (e.from !== side) continue;
    if (e.type === 'plaintext') {
      for (const b of BANNER_SIGNATURES) {
        if (b.side !== side) continue;
        const m = b.pattern.exec(e.text);
        if (m === null || clues.some((c) => c.signature === b.id)) continue;
        clues.push({ name: b.name(m), family: b.family, app: b.app ?? null, confidence: b.confidence, frame: e.frame, cue: b.cue, text: b.basis, signature: b.id, unconfirmed: b.status === 'unconfirmed', source: b.source });
      }
    } else if (e.type === 'handshake' && side === 'client' && e.body?.kind === 'ClientHello' && !clues.some((c) => c.signature.startsWith('hello:'))) {
      const s = helloSignature(e.body, e.fingerprint);
      if (s) clues.push({ name: s.name, family: s.family, app: null, confidence: s.confidence, frame: e.frame, cue: 'ClientHello shape', text: s.basis, signature: `hello:${s.id}`, unconfirmed: s.status === 'unconfirmed', source: s.source });
    } else if (e.type === 'handshake' && side === 'server' && e.body?.kind === 'ServerHello' && !e.body.helloRetryRequest && e.body.negotiatedVersion === 0x0303) {
      const exts = e.body.extensions;
      if (exts.length > 0 && exts[0].type === 0xff01 && !clues.some((c) => c.signature.startsWith('hello:'))) {
        const s = OPENSSL_SERVER_HELLO;
        clues.push({ name: s.name, family: s.family, app: null, confidence: s.confidence, frame: e.frame, cue: 'ServerHello shape', text: s.basis, signature: `hello:${s.id}`, unconfirmed: false, source: s.source });
      }
    }
  }
  if (clues.length === 0) return UNKNOWN;
  // The strongest clue names the software; clues of the same stack (or an application without a stack) support it.
  const best = clues.reduce((a, b) => (RANK[b.confidence] > RANK[a.confidence] ? b : a));
  const family = best.family ?? clues.find((c) => c.family !== null)?.family ?? null;
  const agree = clues.filter((c) => c.family === null || family === null || c.family === family);
  const app = agree.find((c) => c.app !== null)?.app ?? null;
  // A more specific version from another clue of the same stack (the 500 OOPS error string: OpenSSL 3.x).
  let name = best.name;
  const versioned = agree.find((c) => c !== best && /OpenSSL \d/.test(c.name) && !/OpenSSL \d/.test(best.name) && /OpenSSL/.test(best.name));
  if (versioned) name = name.replace('OpenSSL', versioned.name.match(/OpenSSL [^ )]+/)![0]);
  // A weak clue against a stronger one does not lower the guess (a ServerHello shape against a greeting).
  const conflicting = clues.filter((c) => !agree.includes(c) && RANK[c.confidence] >= RANK[best.confidence]).length;
  const confidence = conflicting > 0 && best.confidence === 'high' ? 'medium' : conflicting > 0 ? 'low' : best.confidence;
  return {
    name,
    family,
    app,
    confidence,
    basis: clues.map((c) => ({ frame: c.frame, cue: c.cue, text: c.family !== family && c.family !== null ? `${c.text} (suggests ${c.name} instead)` : c.text, signature: c.signature, ...(c.unconfirmed ? { unconfirmed: true as const } : {}) })),
    sources: [...new Set(clues.map((c) => c.source))],
  };
}

/**
 * The table's first hello shape that matches, memoised by the hello's shape (its JA4 original-order
 * string, JA3 string and whether GREASE opens the cipher list, which JA4 and JA3 leave out): a
 * capture of many connections from few kinds of client tests the table a few times. Bounded.
 */
const SHAPE_MEMO = new Map<string, HelloSignature | null>();
function helloSignature(b: ClientHelloBody, fp: unknown): HelloSignature | undefined {
  const f = fp as { ja4_ro?: string; ja3_full?: string } | undefined;
  const key = f?.ja4_ro !== undefined ? `${isGrease(b.cipherSuites[0]?.code ?? 0) ? 1 : 0}|${f.ja4_ro}|${f.ja3_full}` : null;
  if (key !== null) {
    const hit = SHAPE_MEMO.get(key);
    if (hit !== undefined) return hit ?? undefined;
  }
  const h = shapeOf(b);
  const s = HELLO_SIGNATURES.find((x) => x.side === 'client' && x.test(h));
  if (key !== null) {
    if (SHAPE_MEMO.size >= 512) SHAPE_MEMO.clear();
    SHAPE_MEMO.set(key, s ?? null);
  }
  return s;
}

const isGrease = (v: number) => (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);

function shapeOf(b: ClientHelloBody): HelloShape {
  const extensions: number[] = [];
  let groups: number[] = [];
  let pointFormats: number[] = [];
  let versions: number[] = [];
  for (const e of b.extensions) {
    extensions.push(e.type);
    const v = e.value;
    if (v?.kind === 'supported_groups') groups = v.groups.map((g) => g.code);
    else if (v?.kind === 'ec_point_formats') pointFormats = v.formats.slice();
    else if (v?.kind === 'supported_versions') versions = v.versions.filter((x) => !isGrease(x));
  }
  if (versions.length === 0) versions = [b.version];
  return { ciphers: b.cipherSuites.map((c) => c.code), extensions, groups, pointFormats, versions, compression: b.compressionMethods };
}

/** `OpenSSL 3.x (medium: ...; frame 4)`: one phrase for the reports. */
export function guessText(g: SoftwareGuess): string {
  if (g.confidence === null) return 'unknown';
  const basis = g.basis.map((b) => `${b.cue}${b.unconfirmed ? ', unconfirmed' : ''} frame ${b.frame}`).join(', ');
  return `${g.name} (${g.confidence}: ${basis})`;
}
