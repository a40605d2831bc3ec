/**
 * Shared by the rules: turning transcript events into evidence sentences, and a rule's metadata plus
 * this case's evidence into a Finding with its Wireshark filter.
 */
import type { Direction } from '../flow/types.js';
import type { AlertEvent, HandshakeEvent, TranscriptEvent } from '../session/transcript.js';
import { versionName } from '../../decoders/tls/registry/versions.js';
import type { ConnectionView, EvidenceItem, Finding, RuleMeta } from './types.js';

/** `transport` 'udp' for a DTLS or QUIC connection: its stream is a udp.stream index. */
export function wiresharkFilter(stream: number, frames: readonly number[], transport: 'tcp' | 'udp' = 'tcp', others: readonly number[] = []): string {
  const streams = others.length === 0 ? `${transport}.stream eq ${stream}` : `(${[stream, ...others].map((s) => `${transport}.stream eq ${s}`).join(' || ')})`;
  if (frames.length === 0) return streams;
  // Wireshark 3.6 deprecated and 4.0 rejects whitespace-separated set members: {6, 9}, not {6 9}.
  return `${streams} && frame.number in {${frames.join(', ')}}`;
}

export function makeFinding(
  meta: RuleMeta,
  connection: ConnectionView,
  message: string,
  evidence: readonly EvidenceItem[],
  overrides: Partial<Pick<Finding, 'severity' | 'title' | 'products' | 'remedies' | 'relatedStreams'>> = {},
): Finding {
  const frames = [...new Set(evidence.map((e) => e.frame).filter((f) => f > 0))].sort((a, b) => a - b);
  const stream = connection.conversation.stream;
  // Evidence from another connection (an FTPS control connection's reply) widens the filter to it.
  const others = [...new Set(evidence.map((e) => e.stream).filter((s): s is number => s !== undefined && s !== stream))].sort((a, b) => a - b);
  return {
    rule: meta.id,
    severity: overrides.severity ?? meta.severity,
    title: overrides.title ?? meta.title,
    stream,
    frames,
    evidence: [...evidence].sort((a, b) => a.frame - b.frame),
    message,
    products: overrides.products ?? meta.products,
    remedies: overrides.remedies ?? meta.remedies,
    references: meta.references,
    wiresharkFilter: wiresharkFilter(stream, frames, connection.conversation.transport ?? 'tcp', others),
    ...(connection.transcript.transport ? { transport: connection.transcript.transport } : {}),
    ...(overrides.relatedStreams ? { relatedStreams: overrides.relatedStreams } : {}),
  };
}

export function sideName(dir: Direction): string {
  return dir === 'client' ? 'client' : 'server';
}

export function versionText(v: number | null | undefined): string {
  return v === null || v === undefined ? 'unknown version' : versionName(v);
}

/** `fatal illegal_parameter(47)` */
export function alertText(a: AlertEvent): string {
  if (a.encrypted) return a.inferred ? 'an encrypted alert (inferred from its 19-byte record)' : 'an encrypted alert';
  return `${a.level ?? 'unknown-level'} ${a.description ?? 'unknown'}(${a.code ?? '?'})`;
}

/** `frame 9: client alert fatal illegal_parameter(47)` */
export function alertEvidence(a: AlertEvent): EvidenceItem {
  return { frame: a.frame, text: `frame ${a.frame}: ${sideName(a.from)} alert ${alertText(a)}, record version ${versionText(a.recordVersion)}` };
}

export function handshakeEvidence(e: HandshakeEvent, detail?: string): EvidenceItem {
  return { frame: e.frame, text: `frame ${e.frame}: ${sideName(e.from)} ${e.message}${detail ? `, ${detail}` : ''}` };
}

/** The tcp FIN/RST events of one side after a frame. */
export function closeAfter(events: readonly TranscriptEvent[], frame: number, from?: Direction) {
  return events.find((e) => e.type === 'tcp' && e.flag !== 'gap' && e.frame >= frame && (from === undefined || e.from === from)) as
    | Extract<TranscriptEvent, { type: 'tcp' }>
    | undefined;
}

export function handshakes(events: readonly TranscriptEvent[], from?: Direction, message?: string): HandshakeEvent[] {
  return events.filter(
    (e): e is HandshakeEvent => e.type === 'handshake' && (from === undefined || e.from === from) && (message === undefined || e.message === message),
  );
}

export function alerts(events: readonly TranscriptEvent[], from?: Direction): AlertEvent[] {
  return events.filter((e): e is AlertEvent => e.type === 'alert' && (from === undefined || e.from === from));
}

/** The first fatal alert, or failing that the first alert that is not close_notify. */
export function failingAlert(events: readonly TranscriptEvent[], from?: Direction): AlertEvent | undefined {
  const all = alerts(events, from);
  return all.find((a) => a.level === 'fatal') ?? all.find((a) => !a.encrypted && a.code !== 0 && a.code !== 90 && a.code !== 100);
}
