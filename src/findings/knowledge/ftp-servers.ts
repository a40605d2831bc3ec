/**
 * FTPS servers other than vsftpd that enforce TLS session reuse on data connections, as public
 * reports quote them. Kept so their lines are recognised; none is confirmed from vendor documents.
 */
import { pattern, phraseSource } from './pattern.js';
import { FTPS_REUSE_REPORTS } from './sources.js';
import type { KnowledgeEntry } from './types.js';

export const FTP_SERVER_ENTRIES: readonly KnowledgeEntry[] = [
  {
    id: 'filezilla-server-425-tls-session-not-resumed',
    product: 'FileZilla Server',
    kind: 'message',
    title: '425 Unable to build data connection: TLS session of data connection not resumed.',
    text: '425 Unable to build data connection: TLS session of data connection not resumed.',
    meaning: 'FileZilla Server refused a data connection whose TLS session was not a resumption of the control connection’s session.',
    patterns: [pattern(phraseSource('TLS session of data connection not resumed'))],
    wirePatterns: ['A data connection with a full TLS handshake (no resumption of the control session), closed by the server.'],
    rules: ['ftps-session-not-reused'],
    remedies: [{ where: 'the FTP client', action: 'Resume the control connection’s TLS session on data connections (and, for clients with several control connections, keep one session cache per connection).' }],
    source: FTPS_REUSE_REPORTS,
    confidence: 'partial',
    notes: ['Quoted from user reports (rclone, jlaffaye/ftp); not checked against FileZilla Server documentation.'],
  },
  {
    id: 'proftpd-tlsoptions-nosessionreuserequired',
    product: 'ProFTPD (mod_tls)',
    kind: 'option',
    title: 'ProFTPD TLSOptions NoSessionReuseRequired',
    text: 'TLSOptions NoSessionReuseRequired',
    meaning: 'Relaxes ProFTPD’s requirement that TLS data connections reuse the control connection’s session.',
    patterns: [pattern('\\bNoSessionReuseRequired\\b')],
    wirePatterns: ['Without this option, a data connection with a full TLS handshake is refused by ProFTPD.'],
    rules: ['ftps-session-not-reused'],
    remedies: [],
    source: FTPS_REUSE_REPORTS,
    confidence: 'partial',
    notes: ['Quoted from a user report (nUpdate issue 86) and product configuration pages; the mod_tls documentation is not in the stored sources.'],
  },
];
