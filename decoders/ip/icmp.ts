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

/** ICMPv4 destination unreachable (RFC 792; codes 6-12 RFC 1122, 13-15 RFC 1812) and ICMPv6 (RFC 4443 §3.1). */
const ICMPV4_UNREACHABLE = 3;
const ICMPV6_UNREACHABLE = 1;
/** ICMPv4 code 4, "fragmentation needed": path MTU discovery, not a refusal. */
const ICMPV4_FRAGMENTATION_NEEDED = 4;

const V4_CODES: readonly string[] = [
  'network unreachable',
  'host unreachable',
  'protocol unreachable',
  'port unreachable',
  'fragmentation needed',
  'source route failed',
  'destination network unknown',
  'destination host unknown',
  'source host isolated',
  'network administratively prohibited',
  'host administratively prohibited',
  'network unreachable for type of service',
  'host unreachable for type of service',
  'communication administratively filtered',
  'host precedence violation',
  'precedence cutoff in effect',
];

const V6_CODES: readonly string[] = [
  'no route to destination',
  'communication with destination administratively prohibited',
  'beyond scope of source address',
  'address unreachable',
  'port unreachable',
  'source address failed ingress/egress policy',
  'reject route to destination',
  'error in source routing header',
];

/**
 * A destination-unreachable message that refuses a connection: ICMPv4 type 3 (except "fragmentation
 * needed", which asks for smaller packets) or ICMPv6 type 1.
 */
export function isUnreachable(type: number, code: number, icmpv6: boolean): boolean {
  return icmpv6 ? type === ICMPV6_UNREACHABLE : type === ICMPV4_UNREACHABLE && code !== ICMPV4_FRAGMENTATION_NEEDED;
}

/** The code's meaning, as Wireshark words it, for a destination-unreachable message. */
export function unreachableText(code: number, icmpv6: boolean): string {
  const names = icmpv6 ? V6_CODES : V4_CODES;
  return names[code] ?? `code ${code}`;
}
