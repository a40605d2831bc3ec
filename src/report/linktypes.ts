// LINKTYPE_* names (tcpdump.org link-layer header types registry) for the link types tlsdiag meets.
const NAMES: Record<number, string> = {
  0: 'NULL (BSD loopback)',
  1: 'ETHERNET',
  12: 'RAW (IP, as libpcap maps DLT_RAW)',
  14: 'RAW (IP, OpenBSD DLT_RAW)',
  101: 'RAW (IP)',
  105: 'IEEE802_11',
  108: 'LOOP (OpenBSD loopback)',
  113: 'LINUX_SLL',
  127: 'IEEE802_11_RADIOTAP',
  228: 'IPV4',
  229: 'IPV6',
  276: 'LINUX_SLL2',
};

export function linkTypeName(code: number): string {
  return NAMES[code] ?? `LINKTYPE ${code}`;
}

/** The link types decoders/link decodes (decodeLink), with libpcap's DLT_RAW aliases 12 and 14. */
const DECODED: ReadonlySet<number> = new Set([0, 1, 12, 14, 101, 108, 113, 228, 229, 276]);

export function isDecodedLinkType(code: number): boolean {
  return DECODED.has(code);
}

/** What a capture must be for tlsdiag to read its frames, in words. */
export const DECODED_LINK_TYPES_TEXT = 'Ethernet, Linux cooked (SLL, SLL2), raw IP and loopback (NULL, LOOP)';
