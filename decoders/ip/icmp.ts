/**
 * ICMP and ICMPv6 error messages quote the start of the datagram that caused them (RFC 792,
 * RFC 4443 §2.4(c)): the quoted IP header and the first bytes of its transport header follow the
 * 8-byte ICMP header. Wireshark dissects that quoted TCP header and counts it in the conversation it
 * names (a "fragmentation needed" for a large Certificate flight lands in the TLS conversation), so
 * tlsdiag reads it too.
 */

const ICMP_HEADER_LENGTH = 8;

/** ICMPv4 types whose body quotes the offending datagram (RFC 792; redirect per RFC 792 too). */
function isIcmpv4Error(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** ICMPv6 error types (RFC 4443 §3): destination unreachable, packet too big, time exceeded, parameter problem. */
function isIcmpv6Error(type: number): boolean {
  return type >= 1 && type <= 4;
}

/** IANA protocol numbers of ICMP (RFC 792) and ICMPv6 (RFC 4443). */
export const IPPROTO_ICMP = 1;
export const IPPROTO_ICMPV6 = 58;

/**
 * Offset of the quoted IP header in an ICMP error message at `offset` (with `captured` bytes of it
 * present), or -1 when the message is not an error or quotes nothing.
 */
export function quotedDatagramOffset(data: Uint8Array, offset: number, captured: number, icmpv6: boolean): number {
  if (captured <= ICMP_HEADER_LENGTH) return -1;
  const type = data[offset];
  if (icmpv6 ? !isIcmpv6Error(type) : !isIcmpv4Error(type)) return -1;
  return offset + ICMP_HEADER_LENGTH;
}
