/**
 * The TLS record layer header (RFC 5246 §6.2.1; RFC 6101 §5.2.1 for SSL 3.0; RFC 8446 §5.1):
 * ContentType type; ProtocolVersion version; uint16 length. Pure functions over explicit offsets;
 * nothing here allocates on the "all is well" path except the header object itself.
 */
import type { DecodeProblem, RecordHeader } from './types.js';
import { NO_PROBLEMS, problem } from './problems.js';
import { isTlsContentType, CONTENT_ALERT, CONTENT_APPLICATION_DATA, CONTENT_CHANGE_CIPHER_SPEC, CONTENT_HANDSHAKE } from './registry/content-types.js';
import { versionName } from './registry/versions.js';
import { sniffSslv2 } from './sslv2.js';

export const RECORD_HEADER_LENGTH = 5;
/** RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048. */
export const MAX_RECORD_LENGTH = 16384 + 2048;
/** RFC 5246 §6.2.1: TLSPlaintext.length MUST NOT exceed 2^14. */
export const MAX_PLAINTEXT_LENGTH = 16384;
/** RFC 8446 §5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256. */
export const MAX_TLS13_CIPHERTEXT_LENGTH = 16384 + 256;

/**
 * Classifies bytes at the start of a direction's stream (or at a record boundary).
 * 'tls': a plausible record header: content type 20..25, version major 3 with minor 0..4 (no
 * DTLS versions), length 1..MAX_RECORD_LENGTH. 'sslv2': a plausible SSLv2 record carrying a
 * CLIENT-HELLO (or a SERVER-HELLO when `expectServer`). 'need-more': the bytes present agree with
 * one of those but are too few to decide. 'no': not TLS.
 */
export function sniffTls(buf: Uint8Array, offset: number, length: number, expectServer?: boolean): 'tls' | 'sslv2' | 'need-more' | 'no' {
  const avail = Math.min(length, buf.length - offset);
  if (offset < 0 || avail <= 0) return 'need-more';
  const b0 = buf[offset];
  if (isTlsContentType(b0)) {
    if (avail < 2) return 'need-more';
    if (buf[offset + 1] !== 3) return 'no';
    if (avail < 3) return 'need-more';
    if (buf[offset + 2] > 4) return 'no';
    if (avail < 5) return 'need-more';
    const len = (buf[offset + 3] << 8) | buf[offset + 4];
    return len >= 1 && len <= MAX_RECORD_LENGTH ? 'tls' : 'no';
  }
  return sniffSslv2(buf, offset, avail, expectServer === true);
}

/** The 5-byte record header at `offset`; null when fewer than 5 bytes are present. */
export function parseRecordHeader(buf: Uint8Array, offset: number): RecordHeader | null {
  if (offset < 0 || buf.length - offset < RECORD_HEADER_LENGTH) return null;
  return {
    contentType: buf[offset],
    version: (buf[offset + 1] << 8) | buf[offset + 2],
    length: (buf[offset + 3] << 8) | buf[offset + 4],
  };
}

/**
 * Record-level checks that need no connection state: content type known, length within the
 * ciphertext bound, no empty handshake/alert/CCS fragments, version plausible. Problems only;
 * the shared empty array is returned when all is well.
 */
export function checkRecordHeader(h: RecordHeader): readonly DecodeProblem[] {
  const ctOk = isTlsContentType(h.contentType);
  const major = h.version >> 8;
  const minor = h.version & 0xff;
  const versionOk = major === 3 && minor <= 3;
  const lengthOk = h.length <= MAX_RECORD_LENGTH && (h.length > 0 || h.contentType === CONTENT_APPLICATION_DATA || !ctOk);
  if (ctOk && versionOk && lengthOk) return NO_PROBLEMS;

  const out: DecodeProblem[] = [];
  if (!ctOk) {
    out.push(problem('error', 'unknown-content-type', 'record.type',
      `record content type ${h.contentType} is not a TLS content type (20-25); a receiver must answer it with unexpected_message`,
      'RFC 5246 §6', 0));
  }
  if (major !== 3) {
    out.push(problem('error', 'bad-record-version', 'record.version',
      `record version ${versionName(h.version)} (0x${h.version.toString(16).padStart(4, '0')}) is not an SSL 3.0/TLS version ({3,x})`,
      'RFC 5246 Appendix E.1', 1));
  } else if (minor === 4) {
    out.push(problem('warning', 'record-version-mismatch', 'record.version',
      'record version is 0x0304; TLS 1.3 records carry legacy_record_version 0x0303 (0x0301 allowed for an initial ClientHello)',
      'RFC 8446 §5.1', 1));
  } else if (minor > 4) {
    out.push(problem('error', 'bad-record-version', 'record.version',
      `record version {3,${minor}} names no SSL/TLS version`, 'RFC 5246 Appendix E.1', 1));
  }
  if (h.length > MAX_RECORD_LENGTH) {
    out.push(problem('error', 'bad-record-length', 'record.length',
      `record length ${h.length} exceeds 2^14 + 2048 = ${MAX_RECORD_LENGTH}; a receiver must answer it with record_overflow`,
      'RFC 5246 §6.2.3', 3));
  } else if (h.length === 0 && (h.contentType === CONTENT_HANDSHAKE || h.contentType === CONTENT_ALERT || h.contentType === CONTENT_CHANGE_CIPHER_SPEC)) {
    out.push(problem('error', 'bad-record-length', 'record.length',
      'zero-length handshake, alert or change_cipher_spec fragment; implementations must not send these',
      'RFC 5246 §6.2.1', 3));
  }
  return out;
}
