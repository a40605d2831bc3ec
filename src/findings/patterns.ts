/**
 * Wire patterns more than one rule looks for, so that the rules agree on what they mean.
 */
import type { HandshakeEvent, Transcript } from '../session/transcript.js';
import type { EvidenceItem } from './types.js';
import { versionName } from '../../decoders/tls/registry/versions.js';

/** The server's plaintext CertificateRequest with an empty certificate_authorities list, if any. */
export function emptyCaListRequest(t: Transcript): HandshakeEvent | undefined {
  return t.events.find(
    (e): e is HandshakeEvent =>
      e.type === 'handshake' && e.from === 'server' && e.message === 'CertificateRequest' && e.body?.kind === 'CertificateRequest' && e.body.context === undefined && e.body.authoritiesLength === 0,
  );
}

/** Whether an empty CA list breaks the negotiated version's rules (RFC 6101/2246 say <3..2^16-1>). */
export function emptyCaListIsViolation(version: number | null): boolean {
  return version === 0x0300 || version === 0x0301;
}

export interface EmptyCaListContext {
  /** One sentence on whether the negotiated version allows an empty list. */
  readonly legality: string;
  /** Whether TLS followed an FTP AUTH TLS exchange (the vsftpd case). */
  readonly ftp: boolean;
  /** Further evidence: the FTP upgrade, the server's plaintext complaint after the failure. */
  readonly extraEvidence: EvidenceItem[];
}

export function emptyCaListContext(t: Transcript, cr: HandshakeEvent, refused: boolean): EmptyCaListContext {
  const v = t.tls?.negotiatedVersion ?? cr.recordVersion;
  const legality = emptyCaListIsViolation(v)
    ? `Under ${versionName(v)} an empty list is a protocol violation (${v === 0x0300 ? 'RFC 6101 §5.6.4' : 'RFC 2246 §7.4.4'}: certificate_authorities<3..2^16-1>), so a strict client is right to refuse it.`
    : `${versionName(v)} allows an empty list (${v === 0x0302 ? 'RFC 4346' : 'RFC 5246'} §7.4.4: certificate_authorities<0..2^16-1>: "the client MAY send any certificate")` +
      (refused
        ? '; this client refused it all the same. The published IBM System SSL cases negotiated SSL 3.0 (XCOM) or TLS 1.0 (z/OS FTP), where the list must not be empty.'
        : '; whether IBM System SSL accepts it under this version is not documented (the published failures negotiated SSL 3.0 or TLS 1.0).');
  const ftp = t.tls?.upgradedFrom === 'ftp';
  const extra: EvidenceItem[] = [];
  const auth = t.events.find((e) => e.type === 'plaintext' && e.from === 'client' && /^AUTH (TLS|SSL)/i.test(e.text));
  if (auth) extra.push({ frame: auth.frame, text: `frame ${auth.frame}: client sent "${auth.type === 'plaintext' ? auth.text.replace(/\\r\\n$/, '') : ''}" (FTP upgrade to TLS)` });
  // vsftpd writes its OpenSSL error in plaintext after the handshake fails ("500 OOPS: ...").
  const oops = t.events.find((e) => e.type === 'plaintext' && e.from === 'server' && e.frame > cr.frame && /OOPS|error:[0-9A-F]{8}/i.test(e.text));
  if (oops && oops.type === 'plaintext') extra.push({ frame: oops.frame, text: `frame ${oops.frame}: server wrote "${oops.text.replace(/\\r\\n$/, '')}" in plaintext` });
  return { legality, ftp, extraEvidence: extra };
}
