/**
 * A connection that never opened because an ICMP destination unreachable answered its SYN: a
 * firewall's reject ("administratively filtered"), a router without a route, a host without the
 * port. There was no TLS to judge; the ICMP message is the reason, and names who sent it.
 */
import type { Rule } from '../types.js';
import type { Source } from '../types.js';
import { makeFinding } from '../evidence.js';
import { RFC } from '../sources.js';

const ID = 'connection-unreachable';
/** The knowledge base's entry on the code a filter answers with (its remedy is the first below). */
export const KNOWLEDGE_IDS = { products: [] as string[], remedies: [] as string[], about: ['rfc1812-communication-administratively-prohibited'] };

/** Linux maps ICMP unreachable codes to errno in icmp_err_convert (hard errors end connect() at once). */
const LINUX_ICMP: Source = { title: 'Linux net/ipv4/icmp.c, icmp_err_convert[]', publisher: 'Linux kernel', ref: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/ipv4/icmp.c' };
const SAMPLE: Source = { title: 'tlsdiag samples/connection-filtered-icmp.pcap (scripts/record/record-icmp.sh)', publisher: 'tlsdiag', ref: 'samples/README.md' };

/** Codes that say a filter rejected the packet (9, 10: RFC 1122; 13: RFC 1812; ICMPv6 1, 5, 6: RFC 4443 §3.1). */
function filtered(version: 4 | 6, code: number): boolean {
  return version === 4 ? code === 9 || code === 10 || code === 13 : code === 1 || code === 5 || code === 6;
}

export const rule: Rule = {
  meta: {
    id: ID,
    title: 'Connection refused by ICMP unreachable',
    severity: 'error',
    summary:
      'The client\'s SYN was answered by an ICMP (or ICMPv6) destination unreachable, and nothing came from the ' +
      'server: the TCP connection never opened, so no TLS handshake took place. "Administratively filtered" or ' +
      '"prohibited" is a firewall or router ACL rejecting the connection; "host" or "network unreachable" is routing; ' +
      '"port unreachable" a host with nothing listening that answers with ICMP instead of a RST. The ICMP message\'s ' +
      'sender says which device to look at.',
    products: [
      { product: 'Linux (connect)', text: 'EHOSTUNREACH "No route to host" (filtered, prohibited, host unreachable); ECONNREFUSED "Connection refused" (port unreachable)', side: 'client', source: LINUX_ICMP },
      { product: 'curl 7.88', text: 'curl: (7) Failed to connect to 127.0.0.1 port 4450 after 1 ms: Couldn\'t connect to server', side: 'client', source: SAMPLE },
    ],
    remedies: [
      { where: 'the device that sent the ICMP message', action: 'Its address is in the finding: for "administratively filtered/prohibited", find the firewall or ACL rule that rejects this client, server and port, and allow it' },
      { where: 'routing', action: 'For "network/host unreachable" or "no route", check the route from the sender of the message towards the server' },
      { where: 'the server', action: 'For "port unreachable", check that the service listens on this address and port' },
    ],
    references: [RFC.icmpUnreachable, RFC.icmpFiltered, RFC.icmpv6Unreachable],
  },
  detect(connection) {
    const { conversation } = connection;
    const end = conversation.end;
    if (end === null || end.kind !== 'icmp-unreachable' || end.icmp === undefined || end.frame === undefined) return [];
    const icmp = end.icmp;
    const name = icmp.version === 6 ? 'ICMPv6' : 'ICMP';
    const server = conversation.server.ip.includes(':') ? `[${conversation.server.ip}]:${conversation.server.port}` : `${conversation.server.ip}:${conversation.server.port}`;
    const evidence = [
      { frame: conversation.firstFrame, text: `frame ${conversation.firstFrame}: client SYN to ${server}` },
      {
        frame: end.frame,
        text: `frame ${end.frame}: ${name} destination unreachable (type ${icmp.type}, code ${icmp.code}: ${icmp.meaning}) from ${icmp.sender}, quoting the SYN`,
      },
    ];
    const why = filtered(icmp.version, icmp.code)
      ? `a firewall or router ACL at ${icmp.sender} rejected the connection`
      : icmp.sender === conversation.server.ip
        ? `the server's host refused it`
        : `${icmp.sender} could not deliver it`;
    const message =
      `The client's SYN to ${server} was answered in frame ${end.frame} by ${name} "${icmp.meaning}" from ${icmp.sender}, ` +
      `and the server never answered: the connection did not open, so no TLS handshake took place. ` +
      `The message says ${why}.`;
    return [makeFinding(rule.meta, connection, message, evidence)];
  },
};
