import type { LinkFields, LinkStatus } from './types.js';

/** IEEE 802.1Q customer tag. */
const ETHERTYPE_8021Q = 0x8100;
/** IEEE 802.1ad service tag (QinQ outer tag). */
const ETHERTYPE_8021AD = 0x88a8;
/** Pre-standard QinQ outer tag still emitted by some switches (Cisco, Juniper). */
const ETHERTYPE_QINQ_LEGACY = 0x9100;

/**
 * Stacks deeper than this are not real traffic; stop rather than walk a frame of repeated
 * 0x8100 words.
 */
const MAX_TAGS = 8;

export function isVlanEtherType(etherType: number): boolean {
  return etherType === ETHERTYPE_8021Q || etherType === ETHERTYPE_8021AD || etherType === ETHERTYPE_QINQ_LEGACY;
}

/**
 * Crosses the VLAN tags that start at `offset`, given the EtherType that announced the first one.
 * Each tag is 2 bytes of TCI (PCP, DEI, 12-bit VLAN id) and the next EtherType. Writes the inner
 * EtherType and the offset after the last tag into `out`.
 */
export function skipVlanTags(data: Uint8Array, offset: number, end: number, etherType: number, out: LinkFields): LinkStatus {
  let type = etherType;
  let pos = offset;
  let tags = 0;
  while (isVlanEtherType(type)) {
    if (tags === MAX_TAGS) break;
    if (pos + 4 > end) return 'truncated';
    if (tags === 0) out.vlanId = ((data[pos] << 8) | data[pos + 1]) & 0x0fff;
    type = (data[pos + 2] << 8) | data[pos + 3];
    pos += 4;
    tags++;
  }
  out.vlanTags = tags;
  out.etherType = type;
  out.networkOffset = pos;
  return 'ok';
}
