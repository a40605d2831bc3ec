// Every rule, in the order their findings are listed for a connection of equal standing.
import type { Rule } from '../types.js';
import { rule as emptyCaListRejected } from './empty-ca-list-rejected.js';
import { rule as emptyCaList } from './empty-ca-list.js';
import { rule as noSharedCipher } from './no-shared-cipher.js';
import { rule as protocolVersionRejected } from './protocol-version-rejected.js';
import { rule as plaintextReplyToTls } from './plaintext-reply-to-tls.js';
import { rule as handshakeAborted } from './handshake-aborted.js';
import { rule as serverCertificateRejected } from './server-certificate-rejected.js';
import { rule as certificateExpired } from './certificate-expired.js';
import { rule as clientCertificateMissing } from './client-certificate-missing.js';
import { rule as clientCertificateRejected } from './client-certificate-rejected.js';
import { rule as encryptedAlertInHandshake } from './encrypted-alert-in-handshake.js';
import { rule as sslv3Negotiated } from './sslv3-negotiated.js';
import { rule as sslv2Negotiated } from './sslv2-negotiated.js';
import { rule as malformedHandshake } from './malformed-handshake.js';
import { rule as ftpsSessionNotReused } from './ftps-session-not-reused.js';
import { rule as handshakeFailed } from './handshake-failed.js';
import { rule as connectionUnreachable } from './connection-unreachable.js';

export const RULES: readonly Rule[] = [
  emptyCaListRejected,
  emptyCaList,
  noSharedCipher,
  protocolVersionRejected,
  plaintextReplyToTls,
  handshakeAborted,
  serverCertificateRejected,
  certificateExpired,
  clientCertificateMissing,
  clientCertificateRejected,
  encryptedAlertInHandshake,
  sslv3Negotiated,
  sslv2Negotiated,
  malformedHandshake,
  ftpsSessionNotReused,
  connectionUnreachable,
  handshakeFailed,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
