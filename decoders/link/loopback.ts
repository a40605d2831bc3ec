import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, type LinkFields, type LinkStatus } from './types.js';

const LOOPBACK_HEADER_LENGTH = 4;

/** AF_INET is 2 on every BSD, Linux, macOS and Windows. */
const AF_INET = 2;
/**
 * AF_INET6 differs by operating system: 24 on NetBSD/OpenBSD/BSD/OS, 28 on FreeBSD and
 * DragonFly, 30 on macOS (tcpdump.org "LINKTYPE_NULL" page lists all three as IPv6).
 */
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

/**
 * BSD loopback (LINKTYPE_NULL, 0): a 4-byte address family in the byte order of the host that
 * wrote the capture, which the file does not record. An address family always fits in 16 bits,
 * so a value with any of its upper 16 bits set was written by a host of the other byte order.
 */
export function decodeNull(data: Uint8Array, offset: number, end: number, out: LinkFields): LinkStatus {
  if (offset + LOOPBACK_HEADER_LENGTH > end) return 'truncated';
  let family = ((data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3]) >>> 0;
  if ((family & 0xffff0000) !== 0) {
    family = ((data[offset + 3] << 24) | (data[offset + 2] << 16) | (data[offset + 1] << 8) | data[offset]) >>> 0;
  }
  return finish(family, offset, out);
}

/** OpenBSD loopback (LINKTYPE_LOOP, 108): the same 4-byte address family, always in network order. */
export function decodeLoop(data: Uint8Array, offset: number, end: number, out: LinkFields): LinkStatus {
  if (offset + LOOPBACK_HEADER_LENGTH > end) return 'truncated';
  const family = ((data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3]) >>> 0;
  return finish(family, offset, out);
}

function finish(family: number, offset: number, out: LinkFields): LinkStatus {
  out.vlanTags = 0;
  out.vlanId = -1;
  out.networkOffset = offset + LOOPBACK_HEADER_LENGTH;
  out.etherType = etherTypeOfFamily(family);
  return 'ok';
}

function etherTypeOfFamily(family: number): number {
  switch (family) {
    case AF_INET:
      return ETHERTYPE_IPV4;
    case AF_INET6_BSD:
    case AF_INET6_FREEBSD:
    case AF_INET6_DARWIN:
      return ETHERTYPE_IPV6;
    default:
      return 0;
  }
}
