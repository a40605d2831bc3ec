// Where rule plaintext-reply-to-tls must fire, and where it must stay silent.
import { expect } from 'chai';
import { ruleSpec } from '../support/rule-spec.js';

ruleSpec('plaintext-reply-to-tls', {
  fires: [
    { capture: 'samples/ftp-plaintext-reply.pcap', severity: 'error', check: (f) => expect(f.message).to.match(/220/) },
    { capture: 'corpus/ssl-to-http-server.pcap', stream: 0 },
    { capture: 'corpus/https-to-http.pcap', stream: 0 },
  ],
  silent: [
    'samples/vsftpd-zos-auth-tls-empty-ca-list.pcap',
    'corpus/smtp-starttls.pcap',
    'samples/clean-tls12.pcap',
    'samples/clean-tls13.pcap',
    'samples/clean-resumed-tls12.pcap',
    'corpus/tls1.2.pcap',
    'corpus/tls13_wolfssl.pcap',
    'corpus/ecdhe.pcap',
  ],
});
