import type { LinkFields, LinkStatus } from './types.js';
import { skipVlanTags } from './vlan.js';

/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113), tcpdump.org "LINKTYPE_LINUX_SLL" page:
 * packet type (2), ARPHRD type (2), link-layer address length (2), address (8, padded),
 * protocol type (2). The protocol type is an EtherType for ordinary traffic.
 */
const SLL_HEADER_LENGTH = 16;
const SLL_PROTOCOL_OFFSET = 14;

/**
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276), tcpdump.org "LINKTYPE_LINUX_SLL2" page:
 * protocol type (2), reserved (2), interface index (4), ARPHRD type (2), packet type (1),
 * address length (1), address (8, padded).
 */
const SLL2_HEADER_LENGTH = 20;
const SLL2_PROTOCOL_OFFSET = 0;

export function decodeSll(data: Uint8Array, offset: number, end: number, out: LinkFields): LinkStatus {
  return decodeCooked(data, offset, end, out, SLL_HEADER_LENGTH, SLL_PROTOCOL_OFFSET);
}

export function decodeSll2(data: Uint8Array, offset: number, end: number, out: LinkFields): LinkStatus {
  return decodeCooked(data, offset, end, out, SLL2_HEADER_LENGTH, SLL2_PROTOCOL_OFFSET);
}

function decodeCooked(
  data: Uint8Array,
  offset: number,
  end: number,
  out: LinkFields,
  headerLength: number,
  protocolOffset: number,
): LinkStatus {
  out.vlanTags = 0;
  out.vlanId = -1;
  if (offset + headerLength > end) return 'truncated';
  const protocol = (data[offset + protocolOffset] << 8) | data[offset + protocolOffset + 1];
  // A capture on a trunk interface without VLAN offload keeps the tag after the cooked header.
  return skipVlanTags(data, offset + headerLength, end, protocol, out);
}
