/**
 * The fingerprint field of a hello event (decoders/tls/fingerprint.ts), spread into the event by
 * each session (TLS over TCP `t`, DTLS `d`, QUIC `q`).
 */
import { helloFingerprint, type Ja4Protocol } from '../../decoders/tls/fingerprint.js';
import type { HandshakeEvent } from './transcript.js';

export function fingerprintOf(body: { readonly kind: string }, protocol: Ja4Protocol): Pick<HandshakeEvent, 'fingerprint'> {
  const fingerprint = helloFingerprint(body, protocol);
  return fingerprint ? { fingerprint } : {};
}
