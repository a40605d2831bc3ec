/**
 * Non-TLS bytes made readable: the STARTTLS dialogue before a handshake, or the non-TLS answer to a
 * ClientHello (the evidence for "plaintext reply"). Credentials never leave this module.
 */

const MAX_TEXT = 200;

/** Printable rendering of the first bytes: ASCII kept, CR/LF/TAB and other bytes escaped. */
export function printable(data: Uint8Array, offset: number, length: number): string {
  const end = Math.min(offset + length, offset + MAX_TEXT);
  let out = '';
  for (let i = offset; i < end; i++) {
    const b = data[i];
    if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  if (length > MAX_TEXT) out += '…';
  return out;
}

/**
 * Commands whose arguments are secrets, by protocol: FTP `PASS`, IMAP `LOGIN user pass`,
 * `AUTHENTICATE`/`AUTH PLAIN|LOGIN` continuations, POP3 `PASS`/`APOP`, SMTP `AUTH`.
 * The verb is kept so the dialogue still reads; the rest becomes `****`.
 */
const SECRET_VERBS = /^(\s*(?:[A-Za-z0-9.]+\s+)?)(PASS|LOGIN|AUTH(?:ENTICATE)?\s+(?:PLAIN|LOGIN|CRAM-MD5|XOAUTH2|OAUTHBEARER)|APOP|ACCT)(\s+)(.*?)((?:\\r)?(?:\\n)?)$/i;

/** Only a client sends credentials: server lines ("230 Login successful.") are left alone. */
export function redactCredentials(line: string, from: 'client' | 'server'): string {
  if (from !== 'client') return line;
  const m = SECRET_VERBS.exec(line);
  if (!m) return line;
  return `${m[1]}${m[2]}${m[3]}****${m[5]}`;
}

/**
 * Decrypted FTP, SMTP, IMAP and POP3 lines: the plaintext masking, and more. After a client's
 * `AUTH`/`AUTHENTICATE` command, SASL continuation lines (SMTP `334`, IMAP `+`) carry credentials
 * in base64: each client line is `****` whole until the server answers otherwise.
 */
export class DecryptedLineMask {
  private inSasl = false;

  line(text: string, from: 'client' | 'server'): string {
    if (from === 'server') {
      if (!/^(334[ -]|\+ ?)/.test(text)) this.inSasl = false;
      return text;
    }
    if (this.inSasl) return text.replace(/^(.*?)((?:\\r)?(?:\\n)?)$/, (_m, body: string, eol: string) => (body.length > 0 ? '****' : '') + eol);
    if (/^\s*(?:[A-Za-z0-9.]+\s+)?AUTH(?:ENTICATE)?\s+\S+/i.test(text)) this.inSasl = true;
    return redactCredentials(text, from);
  }
}

/** A best guess at the dialogue's protocol from its first server or client line. */
export function guessProtocol(text: string, port: number): string {
  const t = text.trimStart();
  if (/^(AUTH TLS|AUTH SSL|USER |PASS |FEAT|PBSZ|PROT |PASV|EPSV|SYST)/i.test(t)) return 'ftp';
  if (/^2\d\d[ -].*(FTP|vsFTPd|FileZilla|ProFTPD|Pure-FTPd)/i.test(t)) return 'ftp';
  if (/^(EHLO|HELO|MAIL FROM)/i.test(t) || /^220[ -].*(SMTP|ESMTP|Postfix|Exim|Sendmail)/i.test(t)) return 'smtp';
  // IMAP: a server greeting, or a tagged command (the tag starts with a letter: "230 Login" is FTP).
  if (/^\* OK/i.test(t) || /^[A-Za-z][A-Za-z0-9.]* (STARTTLS|CAPABILITY|LOGIN|AUTHENTICATE)\b/.test(t)) return 'imap';
  if (/^\+OK/.test(t) || /^STLS/i.test(t)) return 'pop3';
  if (/^HTTP\/\d/.test(t) || /^(GET|POST|HEAD|PUT|CONNECT|OPTIONS) \S+ HTTP\//.test(t)) return 'http';
  if (/^<\?xml|^<stream:stream/.test(t)) return 'xmpp';
  if (/^(NICK|USER|CAP|:\S+ \d{3} )/.test(t) || /^:\S+ NOTICE/.test(t)) return 'irc';
  if (/^(5\d\d|4\d\d|2\d\d|1\d\d|3\d\d)[ -]/.test(t)) {
    if (port === 21 || port === 990) return 'ftp';
    if (port === 25 || port === 587) return 'smtp';
    return 'ftp';
  }
  if (port === 21) return 'ftp';
  if (port === 25 || port === 587) return 'smtp';
  if (port === 143) return 'imap';
  if (port === 110) return 'pop3';
  if (port === 389) return 'ldap';
  if (port === 5432) return 'postgresql';
  return 'unknown';
}
