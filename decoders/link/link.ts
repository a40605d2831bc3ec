import { LinkType, normalizeLinkType } from './linktypes.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, type LinkFields, type LinkStatus } from './types.js';
import { decodeEthernet } from './ethernet.js';
import { decodeSll, decodeSll2 } from './sll.js';
import { decodeLoop, decodeNull } from './loopback.js';
import { decodeFixedIp, decodeRawIp } from './raw.js';

/**
 * Finds the network layer of one frame, whatever its link type. A switch rather than a table of
 * functions: the link type is the same for every frame of an interface, so the branch predicts.
 */
export function decodeLink(linkType: number, data: Uint8Array, end: number, out: LinkFields): LinkStatus {
  switch (linkType) {
    case LinkType.ETHERNET:
      return decodeEthernet(data, 0, end, out);
    case LinkType.LINUX_SLL:
      return decodeSll(data, 0, end, out);
    case LinkType.LINUX_SLL2:
      return decodeSll2(data, 0, end, out);
    case LinkType.RAW:
      return decodeRawIp(data, 0, end, out);
    case LinkType.IPV4:
      return decodeFixedIp(0, ETHERTYPE_IPV4, out);
    case LinkType.IPV6:
      return decodeFixedIp(0, ETHERTYPE_IPV6, out);
    case LinkType.NULL:
      return decodeNull(data, 0, end, out);
    case LinkType.LOOP:
      return decodeLoop(data, 0, end, out);
    default: {
      const normalized = normalizeLinkType(linkType);
      if (normalized !== linkType) return decodeLink(normalized, data, end, out);
      return 'unknown-linktype';
    }
  }
}
