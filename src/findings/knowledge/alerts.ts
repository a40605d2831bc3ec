/**
 * One knowledge entry per registered TLS alert, with what each TLS stack logs when it receives it.
 * The OpenSSL codes and strings are computed (openssl-codes.ts), not listed, so every alert gets
 * the same treatment and the spot values in the tests check the computation.
 */
import type { ProductMessage, Source } from '../types.js';
import { ALERT_REGISTRY, alertWords, type AlertFact } from './alert-registry.js';
import {
  ALERT_MACRO_PREFIX, GNUTLS_NAME_BY_ALERT, SCHANNEL_BY_ALERT, SCHANNEL_MACRO_ALIASES,
} from './alert-renderings.js';
import { nodeErrorCode, opensslAlertErrors } from './openssl-codes.js';
import { escapeRegExp, pattern, phraseSource } from './pattern.js';
import {
  GNUTLS_ALERT_C, GNUTLS_ERRORS_C, NODE_CRYPTO_ERRORS, OPENJDK_ALERT, OPENSSL_30_ERRSTR, OPENSSL_ERR_TXT,
  OPENSSL_ISSUE_24300, OPENSSL_PR_19950, OPENSSL_PR_31993, PUBLIC_LOG_REPORTS, SCHANNEL_ALERT_CODES,
  WIRESHARK_TLS_UTILS,
} from './sources.js';
import type { KnowledgeEntry, RuleId } from './types.js';

export function alertEntryId(code: number): string {
  return `tls-alert-${code}`;
}

/** Wireshark shows `Description: Illegal Parameter (47)`; matching is case-insensitive, so words suffice. */
function alertPatterns(fact: AlertFact): RegExp[] {
  const { code, name } = fact;
  const upper = name.toUpperCase();
  const macroNames = [upper, SCHANNEL_MACRO_ALIASES.get(code)].filter((n): n is string => n !== undefined);
  const list: RegExp[] = [
    pattern(`\\bSSL alert number\\s+${code}\\b`),
    pattern(`\\balert\\s*(?:number\\s*|no\\.?\\s*|code\\s*|#\\s*|\\[\\s*|\\(\\s*)?[:=]?\\s*${code}\\b(?!\\.\\d)`),
    pattern(`\\bReceived fatal alert:\\s*${name}\\b`),
    pattern(`\\b${name}\\b`),
    pattern(`\\b${ALERT_MACRO_PREFIX}(?:${macroNames.join('|')})\\b`),
    pattern(`\\bDescription:\\s*${phraseSource(alertWords(name))}`),
    pattern(`\\btls\\.alert_message\\.desc\\s*==\\s*${code}\\b`),
  ];
  const openssl = opensslAlertErrors(code);
  const low3 = openssl.openssl1.slice(5);
  list.push(pattern(`\\b(?:error:)?14[0-9A-F]{3}${low3}\\b`));
  list.push(pattern(`\\b(?:error:)?${openssl.openssl3}\\b`));
  if (openssl.macro !== undefined) {
    list.push(pattern(phraseSource(openssl.reason)));
    list.push(pattern(`\\b${openssl.macro}\\b`));
    for (const later of openssl.laterReasons) {
      list.push(pattern(phraseSource(later)));
      list.push(pattern(`\\b${escapeRegExp(nodeErrorCode(later))}\\b`));
    }
  }
  if (openssl.nodeCode !== undefined) list.push(pattern(`\\b${openssl.nodeCode}\\b`));
  const gnutls = GNUTLS_NAME_BY_ALERT.get(code);
  // GnuTLS applications print the alert name after GNUTLS_E_FATAL_ALERT_RECEIVED's text; the names
  // alone ("Handshake failed", "Internal error") are too common to match without that context.
  if (gnutls !== undefined) list.push(pattern(`\\balert has been received\\.?[\\s:(]*${phraseSource(gnutls)}`));
  return list;
}

function alertMessages(fact: AlertFact): ProductMessage[] {
  const { code, name } = fact;
  const openssl = opensslAlertErrors(code);
  const messages: ProductMessage[] = [];
  if (openssl.macro !== undefined) {
    messages.push({
      // missing_extension(109) and certificate_required(116) came with TLS 1.3: OpenSSL 1.1.1 on.
      product: code === 109 || code === 116 ? 'OpenSSL 1.1.1' : 'OpenSSL 1.0.x/1.1.x',
      text: `error:${openssl.openssl1}:SSL routines:ssl3_read_bytes:${openssl.reason}:...:SSL alert number ${code}`,
      side: 'either',
      source: OPENSSL_ERR_TXT,
    });
    messages.push({
      product: 'OpenSSL 3.0',
      text: `error:${openssl.openssl3}:SSL routines:ssl3_read_bytes:${openssl.reason}:...:SSL alert number ${code}`,
      side: 'either',
      source: OPENSSL_30_ERRSTR,
    });
    for (const later of openssl.laterReasons) {
      messages.push({
        product: 'OpenSSL 3.x (newer releases)',
        text: `error:${openssl.openssl3}:SSL routines::${later}`,
        side: 'either',
        source: later.startsWith('ssl/tls') ? OPENSSL_PR_19950 : OPENSSL_PR_31993,
      });
    }
  }
  if (openssl.nodeCode !== undefined) {
    messages.push({ product: 'Node.js', text: openssl.nodeCode, side: 'either', source: NODE_CRYPTO_ERRORS });
  }
  messages.push({
    product: 'Java (JSSE)',
    text: `javax.net.ssl.SSLHandshakeException: Received fatal alert: ${name}`,
    side: 'either',
    source: OPENJDK_ALERT,
  });
  const schannel = SCHANNEL_BY_ALERT.get(code);
  if (schannel !== undefined) {
    messages.push({ product: 'Windows Schannel', text: `${schannel.name} ${schannel.hex}`, side: 'either', source: SCHANNEL_ALERT_CODES });
  }
  const gnutls = GNUTLS_NAME_BY_ALERT.get(code);
  if (gnutls !== undefined) {
    messages.push({ product: 'GnuTLS', text: `A TLS fatal alert has been received. (${gnutls})`, side: 'either', source: GNUTLS_ALERT_C });
  }
  return messages;
}

function alertNotes(fact: AlertFact): string[] {
  const notes: string[] = [];
  if (fact.status !== undefined) notes.push(fact.status);
  const openssl = opensslAlertErrors(fact.code);
  if (openssl.macro === undefined) {
    notes.push(`OpenSSL defines no reason string for this alert and prints reason(${openssl.reasonCode}).`);
  } else {
    notes.push(
      `OpenSSL records a received alert as reason ${openssl.reasonCode} (1000 + alert): ${openssl.macro}. ` +
        `OpenSSL 1.0.x prints the function upper-case (SSL3_READ_BYTES); the function field also changes with the read path ` +
        `(1.0.x SSL23_GET_SERVER_HELLO gives error:14077${openssl.openssl1.slice(5)}).`,
    );
  }
  if (openssl.laterReasons.length > 0) {
    notes.push(
      `Newer OpenSSL 3.x prints "${openssl.laterReasons[0]}" instead of "${openssl.reason}" (3.0.x still prints the sslv3 form); ` +
        `which 3.x release changed it is not confirmed in the stored sources.`,
    );
  }
  if (fact.code === 120 || fact.code === 115) {
    notes.push('Early OpenSSL 3.0 releases printed reason(1120) for this family of alerts (OpenSSL issue 24300); 3.0.19 prints the string.');
  }
  notes.push('The alert number and name are on the wire in clear text only while the handshake is unencrypted: up to ServerHello in TLS 1.3, up to ChangeCipherSpec before that.');
  return notes;
}

function alertEntry(fact: AlertFact): KnowledgeEntry {
  const seeAlso: Source[] = [OPENSSL_ERR_TXT, OPENJDK_ALERT, WIRESHARK_TLS_UTILS];
  if (SCHANNEL_BY_ALERT.has(fact.code)) seeAlso.push(SCHANNEL_ALERT_CODES);
  if (GNUTLS_NAME_BY_ALERT.has(fact.code)) seeAlso.push(GNUTLS_ALERT_C);
  if (fact.code === 120 || fact.code === 115) seeAlso.push(OPENSSL_ISSUE_24300);
  return {
    id: alertEntryId(fact.code),
    product: 'TLS',
    kind: 'alert',
    title: `${fact.name}(${fact.code}) alert`,
    text: `${fact.name}(${fact.code})`,
    meaning: fact.meaning,
    patterns: alertPatterns(fact),
    wirePatterns: fact.wire,
    rules: fact.rules,
    remedies: fact.remedies ?? [],
    source: fact.defined,
    confidence: fact.confidence,
    code: { value: fact.code, names: [fact.name] },
    notes: alertNotes(fact),
    messages: alertMessages(fact),
    seeAlso,
  };
}

export const ALERT_ENTRIES: readonly KnowledgeEntry[] = ALERT_REGISTRY.map(alertEntry);

/**
 * Schannel maps several alerts to one SEC_E_ code, so a pasted Schannel code gets its own entry
 * naming every alert behind it rather than matching one alert arbitrarily.
 */
function schannelEntries(): KnowledgeEntry[] {
  const byName = new Map<string, { hex: string; alerts: AlertFact[] }>();
  for (const fact of ALERT_REGISTRY) {
    const code = SCHANNEL_BY_ALERT.get(fact.code);
    if (code === undefined) continue;
    const group = byName.get(code.name) ?? { hex: code.hex, alerts: [] };
    group.alerts.push(fact);
    byName.set(code.name, group);
  }
  const entries: KnowledgeEntry[] = [];
  for (const [name, { hex, alerts }] of byName) {
    const rules: RuleId[] = [...new Set(alerts.flatMap((a) => a.rules))];
    const list = alerts.map((a) => `${a.name}(${a.code})`).join(', ');
    entries.push({
      id: `schannel-${name.toLowerCase().replace(/_/g, '-')}`,
      product: 'Windows Schannel',
      kind: 'error-string',
      title: `Schannel ${name} (${hex})`,
      text: `${name} ${hex}`,
      meaning: `Schannel returns ${name} when it receives ${alerts.length === 1 ? 'the alert' : 'one of the alerts'} ${list} from the peer.`,
      patterns: [pattern(`\\b${name}\\b`), pattern(`\\b(?:0x)?${hex.slice(2)}\\b`)],
      wirePatterns: alerts.map((a) => `The peer sends ${a.name}(${a.code}).`),
      rules,
      remedies: [],
      source: SCHANNEL_ALERT_CODES,
      confidence: 'confirmed',
      code: { value: Number.parseInt(hex, 16), names: [name] },
      notes: [
        'The Microsoft table maps received alerts to these codes; Schannel can return the same codes for failures it detects itself, so a capture is needed to tell which side decided.',
      ],
    });
  }
  return entries;
}

export const SCHANNEL_ENTRIES: readonly KnowledgeEntry[] = schannelEntries();

export const GNUTLS_ENTRIES: readonly KnowledgeEntry[] = [
  {
    id: 'gnutls-fatal-alert-received',
    product: 'GnuTLS',
    kind: 'error-string',
    title: 'GnuTLS: A TLS fatal alert has been received',
    text: 'A TLS fatal alert has been received.',
    meaning: 'GNUTLS_E_FATAL_ALERT_RECEIVED: the peer sent a fatal alert. Which alert is in gnutls_alert_get(); applications usually print its name next to this text.',
    patterns: [pattern(phraseSource('A TLS fatal alert has been received')), pattern('\\bGNUTLS_E_FATAL_ALERT_RECEIVED\\b')],
    wirePatterns: ['The peer sends a fatal alert; the alert record is in the capture (in clear text while the handshake is unencrypted).'],
    rules: ['handshake-aborted'],
    remedies: [],
    source: GNUTLS_ERRORS_C,
    confidence: 'confirmed',
    seeAlso: [GNUTLS_ALERT_C, PUBLIC_LOG_REPORTS],
  },
];
