import type { LinkFields, LinkStatus } from './types.js';
import { skipVlanTags } from './vlan.js';

const ETHERNET_HEADER_LENGTH = 14;
/** EtherType values up to 1500 are IEEE 802.3 length fields, not protocol numbers. */
const MAX_8023_LENGTH = 1500;

/**
 * Ethernet II (IEEE 802.3 with EtherType): 6 bytes destination, 6 bytes source, 2 bytes EtherType,
 * then any 802.1Q / 802.1ad tags. An 802.3 length field (LLC frames: STP, CDP, NetBIOS) yields
 * etherType 0, "not IP".
 */
export function decodeEthernet(data: Uint8Array, offset: number, end: number, out: LinkFields): LinkStatus {
  out.vlanTags = 0;
  out.vlanId = -1;
  if (offset + ETHERNET_HEADER_LENGTH > end) return 'truncated';
  const type = (data[offset + 12] << 8) | data[offset + 13];
  if (type <= MAX_8023_LENGTH) {
    out.etherType = 0;
    out.networkOffset = offset + ETHERNET_HEADER_LENGTH;
    return 'ok';
  }
  return skipVlanTags(data, offset + ETHERNET_HEADER_LENGTH, end, type, out);
}
