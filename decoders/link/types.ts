/**
 * What a link-layer decoder writes into the caller's (reused) packet view. Link decoders find where
 * the network layer starts and which protocol it is; they copy nothing and allocate nothing.
 */
export interface LinkFields {
  /** Offset in the frame's bytes where the network-layer header starts. */
  networkOffset: number;
  /**
   * EtherType of the network layer: 0x0800 IPv4, 0x86dd IPv6. Other values mean "not IP" (ARP,
   * LLC, an address family tlsdiag does not follow); 0 when the link header gives no EtherType.
   */
  etherType: number;
  /** 802.1Q / 802.1ad / 0x9100 tags crossed before the network layer (0 when untagged). */
  vlanTags: number;
  /** VLAN identifier of the outermost tag, or -1 when untagged. */
  vlanId: number;
}

/**
 * `ok`: networkOffset and etherType are set. `truncated`: the frame ends inside the link header.
 * `unknown-linktype`: tlsdiag has no decoder for this LINKTYPE.
 */
export type LinkStatus = 'ok' | 'truncated' | 'unknown-linktype';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
