/**
 * LINKTYPE_* numbers as they appear in pcap and pcapng headers (tcpdump.org "Link-layer header
 * types" registry). Only the ones tlsdiag decodes are listed; libpcap's historical DLT_* aliases that
 * files still carry are mapped onto them by `normalizeLinkType`.
 */
export const LinkType = {
  /** BSD loopback: 4-byte address family in the byte order of the host that wrote the file. */
  NULL: 0,
  /** IEEE 802.3 Ethernet (also what pcap calls DLT_EN10MB). */
  ETHERNET: 1,
  /** Raw IPv4 or IPv6, version taken from the first nibble. */
  RAW: 101,
  /** OpenBSD loopback: 4-byte address family in network byte order. */
  LOOP: 108,
  /** Linux "cooked" capture v1 (16-byte header). */
  LINUX_SLL: 113,
  /** Raw IPv4 only. */
  IPV4: 228,
  /** Raw IPv6 only. */
  IPV6: 229,
  /** Linux "cooked" capture v2 (20-byte header). */
  LINUX_SLL2: 276,
} as const;

/**
 * DLT_RAW was 12 on most BSDs and 14 on OpenBSD before LINKTYPE_RAW (101) existed; libpcap maps
 * both to 101 when it reads a file, and so does Wireshark's wiretap.
 */
export function normalizeLinkType(linkType: number): number {
  if (linkType === 12 || linkType === 14) return LinkType.RAW;
  return linkType;
}

const NAMES: ReadonlyMap<number, string> = new Map([
  [LinkType.NULL, 'NULL (BSD loopback)'],
  [LinkType.ETHERNET, 'ETHERNET'],
  [LinkType.RAW, 'RAW'],
  [LinkType.LOOP, 'LOOP (OpenBSD loopback)'],
  [LinkType.LINUX_SLL, 'LINUX_SLL'],
  [LinkType.IPV4, 'IPV4'],
  [LinkType.IPV6, 'IPV6'],
  [LinkType.LINUX_SLL2, 'LINUX_SLL2'],
]);

/** Readable name for messages: `ETHERNET`, or `LINKTYPE 105` for one tlsdiag does not decode. */
export function linkTypeName(linkType: number): string {
  return NAMES.get(normalizeLinkType(linkType)) ?? `LINKTYPE ${linkType}`;
}
