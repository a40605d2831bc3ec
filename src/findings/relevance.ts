/**
 * Remedies and product messages that fit the products actually present (#12). A rule offers every
 * remedy and product line its knowledge entries hold; this orders and labels them by the software
 * identified on each side (src/findings/software.ts):
 *
 * - `identified`: for a product found on a side it applies to: first;
 * - `generic`: for any TLS stack (no product named): next, so a reader without a mainframe sees
 *   "add the issuing CA to the client's trust store" before any product's settings;
 * - `possible`: for a product on a side that is unknown (or only guessed at low confidence): after
 *   the generic ones, labelled "if the client is IBM z/OS (System SSL): ...";
 * - `not-applicable`: for a product on sides identified as other products: text, Markdown and HTML
 *   leave it out; JSON keeps it with this relevance.
 *
 * Product messages also have to fit the failure seen: a line that renders one alert is dropped
 * under a different alert (no certificate_required(116) lines under a TLS 1.2 handshake_failure(40)).
 */
import type { Transcript } from '../session/transcript.js';
import { FAMILY_NAMES, type TlsFamily } from './knowledge/software.js';
import { identifySoftware, type SoftwareGuess, type SoftwareGuesses } from './software.js';
import type { Finding, ProductMessage, Relevance, Remedy } from './types.js';

interface Actor {
  readonly family: TlsFamily | null;
  readonly app: string | null;
  /** The product as a reader knows it: `IBM z/OS (System SSL)`. */
  readonly label: string;
  readonly side: 'client' | 'server' | 'either';
}

/**
 * Which side runs z/OS in the rules whose z/OS remedies say "z/OS" without a side: the client that
 * rejects the server's chain or an empty CA list, the server that asks for or rejects a client
 * certificate.
 */
const ZOS_SIDE: Record<string, 'client' | 'server'> = {
  'server-certificate-rejected': 'client',
  'empty-ca-list-rejected': 'client',
  'empty-ca-list': 'client',
  'client-certificate-missing': 'server',
  'client-certificate-rejected': 'server',
  'ftps-session-not-reused': 'client',
};

const ZOS_LABEL = 'IBM z/OS (System SSL)';

/** The product a remedy's `where` or a message's `product` names, if any. */
export function actorOf(text: string, rule: string, declaredSide: 'client' | 'server' | 'either' = 'either', detail = ''): Actor | null {
  // A remedy whose place is generic ("the partner") but whose action names z/OS is for a z/OS partner.
  if (detail !== '' && /z\/OS|System SSL|AT-TLS|RACF/.test(detail) && actorOf(text, rule, declaredSide) === null) {
    return { family: 'system-ssl', app: null, label: ZOS_LABEL, side: 'either' };
  }
  const sideWord = /\bclient\b/i.test(text) ? 'client' : /\bserver\b/i.test(text) ? 'server' : declaredSide;
  if (/z\/OS|System SSL|RACF|AT-TLS|CICS|\bIMS\b|\bMQ\b/i.test(text)) {
    return { family: 'system-ssl', app: null, label: ZOS_LABEL, side: sideWord !== 'either' ? sideWord : ZOS_SIDE[rule] ?? 'either' };
  }
  if (/XCOM/i.test(text)) return { family: null, app: 'XCOM', label: 'XCOM Data Transport', side: sideWord };
  if (/vsftpd/i.test(text)) return { family: 'openssl', app: 'vsftpd', label: 'vsftpd', side: 'server' };
  if (/FileZilla/i.test(text)) return { family: 'gnutls', app: 'FileZilla', label: 'FileZilla', side: sideWord };
  if (/\bcurl\b/i.test(text)) return { family: 'openssl', app: 'curl', label: 'curl', side: 'client' };
  if (/Python/i.test(text)) return { family: 'openssl', app: 'Python', label: 'Python', side: sideWord };
  if (/Node\.js/i.test(text)) return { family: 'openssl', app: 'Node.js', label: 'Node.js', side: sideWord };
  if (/lftp/i.test(text)) return { family: 'gnutls', app: 'lftp', label: 'lftp (GnuTLS)', side: 'client' };
  if (/OpenSSL/i.test(text)) return { family: 'openssl', app: null, label: 'OpenSSL', side: sideWord };
  if (/GnuTLS/i.test(text)) return { family: 'gnutls', app: null, label: 'GnuTLS', side: sideWord };
  if (/Java|JSSE|keytool/i.test(text)) return { family: 'jsse', app: null, label: 'Java (JSSE)', side: sideWord };
  if (/Schannel|Windows/i.test(text)) return { family: 'schannel', app: null, label: 'Windows Schannel', side: sideWord };
  if (/\bNSS\b|Firefox/i.test(text)) return { family: 'nss', app: null, label: FAMILY_NAMES.nss, side: sideWord };
  if (/BoringSSL|Chrome/i.test(text)) return { family: 'boringssl', app: null, label: FAMILY_NAMES.boringssl, side: sideWord };
  if (/\bGo\b/.test(text)) return { family: 'go', app: null, label: FAMILY_NAMES.go, side: sideWord };
  return null;
}

type Fit = 'match' | 'unknown' | 'other';

function fit(a: Actor, g: SoftwareGuess): Fit {
  if (g.confidence === null) return 'unknown';
  if (a.app !== null && g.app === a.app) return 'match';
  if (a.app === null && a.family !== null && g.family === a.family) return 'match';
  // An application on a stack that matches: the application itself is not known.
  if (a.app !== null && g.app === null && (a.family === null || g.family === null || g.family === a.family)) return 'unknown';
  // A low-confidence guess does not rule a product out.
  if (g.confidence === 'low') return 'unknown';
  return 'other';
}

function relevanceOf(a: Actor | null, guesses: SoftwareGuesses): { relevance: Relevance; side?: 'client' | 'server' } {
  if (a === null) return { relevance: 'generic' };
  const sides = a.side === 'either' ? (['client', 'server'] as const) : ([a.side] as const);
  const fits = sides.map((s) => [s, fit(a, guesses[s])] as const);
  const match = fits.find(([, f]) => f === 'match');
  if (match) return { relevance: 'identified', side: match[0] };
  const unknown = fits.filter(([, f]) => f === 'unknown');
  if (unknown.length > 0) return { relevance: 'possible', ...(unknown.length === 1 ? { side: unknown[0][0] } : {}) };
  return { relevance: 'not-applicable' };
}

/** The side that checked the certificate, in the rules about a rejected certificate. */
const VERIFIER: Record<string, 'client' | 'server'> = {
  'server-certificate-rejected': 'client',
  'client-certificate-rejected': 'server',
};

function sideOf(m: ProductMessage): 'client' | 'server' | 'either' {
  if (m.side !== 'either') return m.side;
  return /\(client\)/.test(m.product) ? 'client' : /\(server\)/.test(m.product) ? 'server' : 'either';
}

const ORDER: Record<Relevance, number> = { identified: 0, generic: 1, possible: 2, 'not-applicable': 3 };

/** The label of a product-specific remedy: `if the client is IBM z/OS (System SSL)`. */
function condition(a: Actor, side: 'client' | 'server' | undefined): string {
  return `if the ${side ?? (a.side === 'either' ? 'client or server' : a.side)} is ${a.label}`;
}

/** The alert a finding is about: the connection's first fatal alert in clear, if any. */
function alertCode(t: Transcript): number | null {
  return t.tls?.alert && t.tls.alert.level !== 'encrypted' ? t.tls.alert.code : null;
}

/**
 * Fitted lists by the lists a rule gave (usually its meta's, the same arrays for every finding) and
 * what the fit depends on: each combination is worked out once. The keys come from the knowledge
 * base and the few guesses possible, so the memo stays small; it is bounded all the same.
 */
const FITTED = new WeakMap<readonly unknown[], Map<string, { remedies: Remedy[]; products: ProductMessage[]; productsOf: readonly ProductMessage[] }>>();

/** A finding with its remedies and product messages ordered, labelled and matched to this connection. */
export function fitFinding(f: Finding, t: Transcript): Finding {
  if (f.remedies.length === 0 && f.products.length === 0) return f;
  const guesses = identifySoftware(t);
  const http = t.events.some((e) => e.type === 'plaintext' && e.from === 'server' && e.protocol === 'http');
  const g = (x: SoftwareGuess) => `${x.family}/${x.app}/${x.confidence}`;
  const key = `${f.rule}|${g(guesses.client)}|${g(guesses.server)}|${alertCode(t)}|${http}`;
  let byKey = FITTED.get(f.remedies);
  if (byKey === undefined) {
    byKey = new Map();
    FITTED.set(f.remedies, byKey);
  }
  const memo = byKey.get(key);
  if (memo !== undefined && memo.productsOf === f.products) return { ...f, remedies: memo.remedies, products: memo.products };
  const fitted = fitLists(f, t, guesses, http);
  if (byKey.size >= 256) byKey.clear();
  byKey.set(key, { ...fitted, productsOf: f.products });
  return { ...f, ...fitted };
}

function fitLists(f: Finding, t: Transcript, guesses: SoftwareGuesses, http: boolean): { remedies: Remedy[]; products: ProductMessage[] } {
  const remedies = f.remedies.map((r, i) => {
    const a = actorOf(r.where, f.rule, 'either', r.action);
    const { relevance, side } = relevanceOf(a, guesses);
    const out: Remedy = { ...r, relevance, ...(a && (relevance === 'possible' || relevance === 'not-applicable') ? { appliesTo: condition(a, side) } : {}) };
    return [out, i] as const;
  });
  remedies.sort((x, y) => ORDER[x[0].relevance!] - ORDER[y[0].relevance!] || x[1] - y[1]);
  const alert = alertCode(t);
  const verifier = VERIFIER[f.rule];
  const products: ProductMessage[] = [];
  const ranked: [ProductMessage, number][] = [];
  f.products.forEach((m, i) => {
    // A rendering of one alert does not belong under another.
    if (m.alert !== undefined && alert !== null && m.alert !== alert) return;
    // A certificate check that failed on one side is not logged by the other's verification code.
    if (verifier !== undefined && m.alert === undefined && sideOf(m) === (verifier === 'client' ? 'server' : 'client')) return;
    // OpenSSL's `http request` is what it logs when HTTP arrives instead of TLS: not for an FTP or SMTP reply.
    if (/http request/i.test(m.text) && !http) return;
    const a = actorOf(m.product, f.rule, m.side);
    const { relevance } = relevanceOf(a, guesses);
    ranked.push([{ ...m, relevance }, i]);
  });
  ranked.sort((x, y) => ORDER[x[0].relevance!] - ORDER[y[0].relevance!] || x[1] - y[1]);
  for (const [m] of ranked) products.push(m);
  return { remedies: remedies.map(([r]) => r), products };
}

/** What text, Markdown and HTML show: everything but what is for products absent from both sides. */
export function shownRemedies(f: Pick<Finding, 'remedies'>): readonly Remedy[] {
  return f.remedies.filter((r) => r.relevance !== 'not-applicable');
}

export function shownProducts(f: Pick<Finding, 'products'>): readonly ProductMessage[] {
  return f.products.filter((m) => m.relevance !== 'not-applicable');
}
