/**
 * Tunnel headers that carry whole frames or datagrams, as port mirrors and cloud traffic mirroring
 * deliver them: GRE (RFC 2784, with the key and sequence number of RFC 2890), ERSPAN types I, II
 * and III inside GRE, VXLAN (RFC 7348, UDP 4789) and Geneve (RFC 8926, UDP 6081). Each decoder
 * says where the inner packet starts and whether it begins with an Ethernet header or an IP
 * header; decoders/packet.ts then decodes the inner packet as it would a frame. Pure, never throws.
 */

/** IANA protocol number of GRE. */
export const IPPROTO_GRE = 47;
/** IANA UDP ports: VXLAN (RFC 7348 §5) and Geneve (RFC 8926 §3.3). */
export const VXLAN_PORT = 4789;
export const GENEVE_PORT = 6081;

/** GRE protocol types (EtherTypes): Transparent Ethernet Bridging, ERSPAN II (and I), ERSPAN III. */
const ETHERTYPE_TEB = 0x6558;
const ETHERTYPE_ERSPAN = 0x88be;
const ETHERTYPE_ERSPAN3 = 0x22eb;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
const GRE_SEQUENCE = 0x1000;
const GRE_VERSION_MASK = 0x0007;

export type TunnelKind = 'gre' | 'erspan-1' | 'erspan-2' | 'erspan-3' | 'vxlan' | 'geneve';

/** What a tunnel decoder found. `inner` is 'ethernet' or the inner EtherType (IPv4, IPv6). */
export interface TunnelFields {
  /** Offset of the inner packet (its Ethernet header, or its IP header). */
  innerOffset: number;
  /** 0 for an Ethernet frame, else the EtherType of the IP header that starts at innerOffset. */
  innerEtherType: number;
  tunnelKind: TunnelKind | '';
}

/** Human names for notes and documents. */
export const TUNNEL_NAMES: Readonly<Record<TunnelKind, string>> = {
  gre: 'GRE',
  'erspan-1': 'ERSPAN type I',
  'erspan-2': 'ERSPAN type II',
  'erspan-3': 'ERSPAN type III',
  vxlan: 'VXLAN',
  geneve: 'Geneve',
};

function u16(data: Uint8Array, at: number): number {
  return (data[at] << 8) | data[at + 1];
}

function innerIp(etherType: number): boolean {
  return etherType === ETHERTYPE_IPV4 || etherType === ETHERTYPE_IPV6;
}

/**
 * A GRE header at `offset` (the IP payload, `end` its captured end). GRE version 0 only (version 1
 * is PPTP's enhanced GRE, which carries PPP); no source routing (RFC 1701's R bit, obsolete). An
 * ERSPAN protocol type with the sequence bit is type II (8-byte header), without it type I (no
 * header, Cisco's first format); type III has a 12-byte header, 20 with its platform subheader.
 */
export function decodeGre(data: Uint8Array, offset: number, end: number, out: TunnelFields): boolean {
  if (offset + 4 > end) return false;
  const flags = u16(data, offset);
  if ((flags & GRE_VERSION_MASK) !== 0 || (flags & GRE_ROUTING) !== 0) return false;
  const type = u16(data, offset + 2);
  let at = offset + 4;
  if ((flags & GRE_CHECKSUM) !== 0) at += 4;
  if ((flags & GRE_KEY) !== 0) at += 4;
  if ((flags & GRE_SEQUENCE) !== 0) at += 4;
  if (at > end) return false;
  if (innerIp(type)) return found(out, 'gre', at, type);
  if (type === ETHERTYPE_TEB) return found(out, 'gre', at, 0);
  if (type === ETHERTYPE_ERSPAN) {
    if ((flags & GRE_SEQUENCE) === 0) return found(out, 'erspan-1', at, 0);
    // Type II: Ver(4) = 1, VLAN, COS, En, T, Session ID; Reserved, Index.
    if (at + 8 > end || data[at] >> 4 !== 1) return false;
    return found(out, 'erspan-2', at + 8, 0);
  }
  if (type === ETHERTYPE_ERSPAN3) {
    // Type III: Ver(4) = 2, ...; Timestamp; SGT, P, FT(5), Hw ID, D, Gra, O; O: 8-byte platform subheader.
    if (at + 12 > end || data[at] >> 4 !== 2) return false;
    const last = data[at + 11];
    const frameType = (data[at + 10] >> 2) & 0x1f;
    const next = at + 12 + ((last & 0x01) !== 0 ? 8 : 0);
    if (next > end) return false;
    // FT 0 is an Ethernet frame; FT 2 an IP packet (the "IP" frame type of the ERSPAN draft).
    if (frameType === 0) return found(out, 'erspan-3', next, 0);
    if (frameType === 2 && next < end) {
      const version = data[next] >> 4;
      return version === 4 ? found(out, 'erspan-3', next, ETHERTYPE_IPV4) : version === 6 ? found(out, 'erspan-3', next, ETHERTYPE_IPV6) : false;
    }
    return false;
  }
  return false;
}

/** A VXLAN header (8 bytes: flags, reserved, VNI, reserved) at the UDP payload; an Ethernet frame follows. */
export function decodeVxlan(data: Uint8Array, offset: number, end: number, out: TunnelFields): boolean {
  if (offset + 8 > end) return false;
  return found(out, 'vxlan', offset + 8, 0);
}

/**
 * A Geneve header (RFC 8926 §3.4): version 0, options length in 4-byte words, protocol type; the
 * options are skipped. Ethernet (0x6558) or IP follows.
 */
export function decodeGeneve(data: Uint8Array, offset: number, end: number, out: TunnelFields): boolean {
  if (offset + 8 > end) return false;
  const first = data[offset];
  if (first >> 6 !== 0) return false;
  const at = offset + 8 + (first & 0x3f) * 4;
  if (at > end) return false;
  const type = u16(data, offset + 2);
  if (type === ETHERTYPE_TEB) return found(out, 'geneve', at, 0);
  if (innerIp(type)) return found(out, 'geneve', at, type);
  return false;
}

function found(out: TunnelFields, kind: TunnelKind, at: number, etherType: number): boolean {
  out.tunnelKind = kind;
  out.innerOffset = at;
  out.innerEtherType = etherType;
  return true;
}
