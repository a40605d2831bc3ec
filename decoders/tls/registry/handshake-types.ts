/**
 * TLS HandshakeType registry (IANA "TLS HandshakeType"), named as the RFCs name the messages.
 * 0-2, 11-16, 20: RFC 5246 §7.4 (RFC 6101 §5.6 for SSL 3.0); 3: RFC 6347; 4: RFC 5077 / RFC 8446;
 * 5, 8, 24, 254: RFC 8446 §4; 6: TLS 1.3 drafts (HelloRetryRequest had its own type before
 * draft 22); 9, 10: RFC 9147; 17: RFC 9261; 21, 22: RFC 6066; 23: RFC 4680; 25: RFC 8879;
 * 26: RFC 8870; 67: NextProtocol (draft-agl-tls-nextprotoneg, never IANA-assigned).
 */
export const HS_HELLO_REQUEST = 0;
export const HS_CLIENT_HELLO = 1;
export const HS_SERVER_HELLO = 2;
export const HS_HELLO_VERIFY_REQUEST = 3;
export const HS_NEW_SESSION_TICKET = 4;
export const HS_END_OF_EARLY_DATA = 5;
export const HS_HELLO_RETRY_REQUEST_DRAFT = 6;
export const HS_ENCRYPTED_EXTENSIONS = 8;
export const HS_CERTIFICATE = 11;
export const HS_SERVER_KEY_EXCHANGE = 12;
export const HS_CERTIFICATE_REQUEST = 13;
export const HS_SERVER_HELLO_DONE = 14;
export const HS_CERTIFICATE_VERIFY = 15;
export const HS_CLIENT_KEY_EXCHANGE = 16;
export const HS_FINISHED = 20;
export const HS_CERTIFICATE_URL = 21;
export const HS_CERTIFICATE_STATUS = 22;
export const HS_SUPPLEMENTAL_DATA = 23;
export const HS_KEY_UPDATE = 24;
export const HS_COMPRESSED_CERTIFICATE = 25;
export const HS_MESSAGE_HASH = 254;

const NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'HelloRequest'],
  [1, 'ClientHello'],
  [2, 'ServerHello'],
  [3, 'HelloVerifyRequest'],
  [4, 'NewSessionTicket'],
  [5, 'EndOfEarlyData'],
  [6, 'HelloRetryRequest'],
  [8, 'EncryptedExtensions'],
  [9, 'RequestConnectionId'],
  [10, 'NewConnectionId'],
  [11, 'Certificate'],
  [12, 'ServerKeyExchange'],
  [13, 'CertificateRequest'],
  [14, 'ServerHelloDone'],
  [15, 'CertificateVerify'],
  [16, 'ClientKeyExchange'],
  [17, 'ClientCertificateRequest'],
  [20, 'Finished'],
  [21, 'CertificateURL'],
  [22, 'CertificateStatus'],
  [23, 'SupplementalData'],
  [24, 'KeyUpdate'],
  [25, 'CompressedCertificate'],
  [26, 'EKTKey'],
  [67, 'NextProtocol'],
  [254, 'MessageHash'],
]);

/** `ClientHello`, `CertificateRequest`, ... or `unknown(N)`. */
export function handshakeTypeName(n: number): string {
  return NAMES.get(n) ?? `unknown(${n})`;
}

/** True for handshake types in the registry (used to judge whether bytes look like a handshake header). */
export function isKnownHandshakeType(n: number): boolean {
  return NAMES.has(n);
}
