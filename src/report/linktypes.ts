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
