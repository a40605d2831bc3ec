import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, type LinkFields, type LinkStatus } from './types.js';

/**
 * Raw IP (LINKTYPE_RAW 101, and the DLT_RAW values 12/14 that map onto it): no link header; the
 * IP version nibble tells IPv4 from IPv6. Any other nibble is "not IP".
 */
export function decodeRawIp(data: Uint8Array, offset: number, end: number, out: LinkFields): LinkStatus {
  out.vlanTags = 0;
  out.vlanId = -1;
  out.networkOffset = offset;
  if (offset >= end) return 'truncated';
  const version = data[offset] >> 4;
  out.etherType = version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : 0;
  return 'ok';
}

/** LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229): raw IP whose version the link type fixes. */
export function decodeFixedIp(offset: number, etherType: number, out: LinkFields): LinkStatus {
  out.vlanTags = 0;
  out.vlanId = -1;
  out.networkOffset = offset;
  out.etherType = etherType;
  return 'ok';
}
