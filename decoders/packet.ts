/**
 * One frame, link layer to TCP, decoded into a caller-owned PacketView that is reused for every
 * frame: the hot path allocates nothing. Layers are decoded by the functions in link/, ip/ and
 * tcp/; this module strings them together and says how far it got.
 */
import { decodeLink } from './link/link.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, type LinkFields } from './link/types.js';
import { decodeIpv4 } from './ip/ipv4.js';
import { decodeIpv6, walkIpv6Extensions } from './ip/ipv6.js';
import { IPPROTO_TCP, type IpFields, type IpStatus, type IssueFields } from './ip/types.js';
import { addressText } from './ip/address.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, quotedDatagramOffset } from './ip/icmp.js';
import { MAX_SACK_BLOCKS, decodeQuotedTcp, decodeTcp, type TcpFields } from './tcp/tcp.js';
import { IPPROTO_UDP, decodeUdp } from './udp/udp.js';
import { decodeEthernet } from './link/ethernet.js';
import { GENEVE_PORT, IPPROTO_GRE, VXLAN_PORT, decodeGeneve, decodeGre, decodeVxlan, type TunnelFields, type TunnelKind } from './tunnel/tunnel.js';

/**
 * Tunnels unwrapped inside one another at most this deep (GRE in VXLAN is real; deeper nesting is
 * not, and the bound keeps a hostile frame from recursing).
 */
const MAX_TUNNEL_DEPTH = 4;

/**
 * How far decoding got; which PacketView fields are valid follows from it:
 * - `tcp`: every field (link, IP, TCP). A snap-length cut shows as payloadCaptured < payloadLength.
 *
 * A frame that carries a tunnel (GRE, ERSPAN in GRE, VXLAN on UDP 4789, Geneve on UDP 6081) is
 * decoded through it: every field then describes the inner packet, `tunnel` names the outermost
 * tunnel crossed, and the offsets still refer to the frame's bytes.
 * - `fragment`: link and IP fields; the fragment's bytes are transportOffset..+transportCaptured.
 *   Reassemble, then call decodeReassembled.
 * - `tcp-in-icmp`: an ICMP/ICMPv6 error quoting a TCP segment. The IP fields are the quoted
 *   datagram's, the TCP fields its ports, seq, ack, flags and window (no options, no payload).
 * - `udp`: link, IP and UDP fields: srcPort, dstPort, payloadOffset, payloadLength, payloadCaptured
 *   (decoders/udp/udp.ts); the TCP-only fields are stale.
 * - `other-ip`: link and IP fields; the transport is neither TCP nor UDP (ICMP, ESP, ...), or a UDP
 *   header cut by the snap length.
 * - `not-ip`: link fields only (ARP, LLC, an unknown address family, ...).
 * - `unknown-linktype`: nothing; tlsdiag has no decoder for the frame's link type.
 * - `truncated`: the capture ends inside a header; the issue fields say which.
 * - `malformed`: a header contradicts itself; the issue fields say how and which RFC rule.
 */
export type PacketResult = 'tcp' | 'udp' | 'fragment' | 'tcp-in-icmp' | 'other-ip' | 'not-ip' | 'unknown-linktype' | 'truncated' | 'malformed';

/**
 * The decoded headers of the last frame given to decodePacket. One instance is meant to be reused
 * for every frame (fields are overwritten, never reallocated); copy what you keep.
 */
export class PacketView implements LinkFields, IpFields, TcpFields, IssueFields, TunnelFields {
  /** The bytes the offsets below refer to: the frame's data, or a reassembled datagram. */
  bytes: Uint8Array = EMPTY;

  networkOffset = 0;
  etherType = 0;
  vlanTags = 0;
  vlanId = -1;

  ipVersion = 0;
  ipOffset = 0;
  src0 = 0;
  src1 = 0;
  src2 = 0;
  src3 = 0;
  dst0 = 0;
  dst1 = 0;
  dst2 = 0;
  dst3 = 0;
  hopLimit = 0;
  protocol = 0;
  transportOffset = 0;
  transportLength = 0;
  transportCaptured = 0;
  ipId = 0;
  isFragment = false;
  fragmentOffset = 0;
  moreFragments = false;
  lengthFromCapture = false;

  srcPort = 0;
  dstPort = 0;
  seq = 0;
  ack = 0;
  flags = 0;
  window = 0;
  tcpHeaderLength = 0;
  mss = -1;
  windowScale = -1;
  sackPermitted = false;
  hasTimestamps = false;
  timestampValue = 0;
  timestampEcho = 0;
  sackBlockCount = 0;
  readonly sackBlocks = new Uint32Array(MAX_SACK_BLOCKS * 2);
  optionsMalformed = false;
  payloadOffset = 0;
  payloadLength = 0;
  payloadCaptured = 0;

  /**
   * The fixed TCP fields (ports, seq, ack, flags, window: the first 16 bytes) were read, even when
   * the result is `malformed` (a bogus data offset) or `truncated` (the snap length cut the header).
   * Wireshark still gives such a segment a tcp.stream, so the tracker numbers it too.
   */
  tcpHeaderRead = false;

  /**
   * Result `tcp-in-icmp`: the ICMP (or ICMPv6: icmpV6) message's type and code, and its sender's
   * address (the router or firewall that sent it; the IP fields above are the quoted datagram's).
   */
  icmpType = 0;
  icmpCode = 0;
  icmpV6 = false;
  icmpFrom0 = 0;
  icmpFrom1 = 0;
  icmpFrom2 = 0;
  icmpFrom3 = 0;

  /** The ICMP message's sender as text (result `tcp-in-icmp`). */
  icmpSenderText(): string {
    return addressText(this.icmpV6 ? 6 : 4, this.icmpFrom0, this.icmpFrom1, this.icmpFrom2, this.icmpFrom3);
  }

  /** The outermost tunnel this frame was unwrapped from, '' for none. */
  tunnel: TunnelKind | '' = '';
  /**
   * The outermost UDP datagram that carried a tunnel (VXLAN, Geneve), when hasOuterUdp: its
   * addresses and ports, with no payload (payloadCaptured 0). Wireshark gives that datagram a
   * udp.stream of its own before the inner packet's, so the trackers number it too.
   */
  outerUdp: PacketView | null = null;
  hasOuterUdp = false;
  innerOffset = 0;
  innerEtherType = 0;
  tunnelKind: TunnelKind | '' = '';

  issueCode = '';
  issueMessage = '';
  issueRule = '';
  issueOffset = 0;

  /** Source address as text (made on demand: only new conversations need it). */
  sourceText(): string {
    return addressText(this.ipVersion, this.src0, this.src1, this.src2, this.src3);
  }

  destinationText(): string {
    return addressText(this.ipVersion, this.dst0, this.dst1, this.dst2, this.dst3);
  }
}

const EMPTY = new Uint8Array(0);
/** Bytes of TCP header that name a conversation (ports through window). */
const TCP_FIXED_FIELDS = 16;

/** Decodes one frame's headers into `out`. Never throws, whatever the bytes. */
export function decodePacket(linkType: number, data: Uint8Array, out: PacketView): PacketResult {
  out.bytes = data;
  out.issueCode = '';
  out.tcpHeaderRead = false;
  out.tunnel = '';
  out.hasOuterUdp = false;
  const end = data.length;
  const link = decodeLink(linkType, data, end, out);
  if (link === 'unknown-linktype') return 'unknown-linktype';
  if (link === 'truncated') {
    out.issueCode = 'link-truncated';
    out.issueMessage = 'the capture ends inside the link-layer header';
    out.issueRule = '';
    out.issueOffset = 0;
    return 'truncated';
  }
  return network(data, end, out, 0);
}

/** The IP header at out.networkOffset (out.etherType says which), and what it carries. */
function network(data: Uint8Array, end: number, out: PacketView, depth: number): PacketResult {
  let ip: IpStatus;
  if (out.etherType === ETHERTYPE_IPV4) ip = decodeIpv4(data, out.networkOffset, end, out);
  else if (out.etherType === ETHERTYPE_IPV6) ip = decodeIpv6(data, out.networkOffset, end, out);
  else {
    out.ipVersion = 0;
    return 'not-ip';
  }
  if (ip !== 'ok') return ip;
  if (out.isFragment) return 'fragment';
  if (out.protocol === IPPROTO_ICMP || out.protocol === IPPROTO_ICMPV6) return quoted(data, out);
  return transport(data, out, depth);
}

/** A tunnel in UDP: the carrying datagram's 5-tuple is kept (the outermost only), then the inner packet. */
function udpTunnel(data: Uint8Array, end: number, out: PacketView, depth: number): PacketResult {
  if (!out.hasOuterUdp) {
    let o = out.outerUdp;
    if (o === null) {
      o = new PacketView();
      out.outerUdp = o;
    }
    o.bytes = EMPTY;
    o.ipVersion = out.ipVersion;
    o.src0 = out.src0;
    o.src1 = out.src1;
    o.src2 = out.src2;
    o.src3 = out.src3;
    o.dst0 = out.dst0;
    o.dst1 = out.dst1;
    o.dst2 = out.dst2;
    o.dst3 = out.dst3;
    o.protocol = IPPROTO_UDP;
    o.srcPort = out.srcPort;
    o.dstPort = out.dstPort;
    o.payloadOffset = 0;
    o.payloadLength = 0;
    o.payloadCaptured = 0;
    o.tunnel = out.tunnelKind;
    out.hasOuterUdp = true;
  }
  return inner(data, end, out, depth);
}

/** The packet inside a tunnel header the tunnel decoder found (out.innerOffset, out.innerEtherType). */
function inner(data: Uint8Array, end: number, out: PacketView, depth: number): PacketResult {
  if (out.tunnel === '') out.tunnel = out.tunnelKind;
  if (out.innerEtherType === 0) {
    if (decodeEthernet(data, out.innerOffset, end, out) !== 'ok') {
      out.issueCode = 'tunnel-truncated';
      out.issueMessage = 'the capture ends inside the Ethernet header of a tunnelled frame';
      out.issueRule = '';
      out.issueOffset = out.innerOffset;
      return 'truncated';
    }
  } else {
    out.networkOffset = out.innerOffset;
    out.etherType = out.innerEtherType;
    out.vlanTags = 0;
    out.vlanId = -1;
  }
  return network(data, end, out, depth + 1);
}

/** The TCP header quoted by an ICMP error, or `other-ip` when there is none to read. */
function quoted(data: Uint8Array, out: PacketView): PacketResult {
  const v6 = out.protocol === IPPROTO_ICMPV6;
  const at = quotedDatagramOffset(data, out.transportOffset, out.transportCaptured, v6);
  if (at < 0) return 'other-ip';
  out.icmpType = data[out.transportOffset];
  out.icmpCode = data[out.transportOffset + 1];
  out.icmpV6 = v6;
  out.icmpFrom0 = out.src0;
  out.icmpFrom1 = out.src1;
  out.icmpFrom2 = out.src2;
  out.icmpFrom3 = out.src3;
  const end = out.transportOffset + out.transportCaptured;
  const version = data[at] >> 4;
  const status = version === 4 ? decodeIpv4(data, at, end, out) : version === 6 ? decodeIpv6(data, at, end, out) : 'malformed';
  if (status !== 'ok' || out.protocol !== IPPROTO_TCP || out.fragmentOffset !== 0) return 'other-ip';
  return decodeQuotedTcp(data, out.transportOffset, out.transportCaptured, out) ? 'tcp-in-icmp' : 'other-ip';
}

/**
 * Decodes the transport of a reassembled IP datagram. `payload` is the datagram's data after the
 * fragment header (IPv6) or the IPv4 header, `protocol` the protocol number the fragments carried.
 * The IP fields already in `out` (addresses, from the last fragment) are kept.
 */
export function decodeReassembled(payload: Uint8Array, protocol: number, out: PacketView): PacketResult {
  out.bytes = payload;
  out.issueCode = '';
  out.tcpHeaderRead = false;
  out.isFragment = false;
  out.moreFragments = false;
  out.fragmentOffset = 0;
  const end = payload.length;
  if (out.ipVersion === 6) {
    // Extension headers may follow the fragment header (destination options, RFC 8200 §4.1).
    const status = walkIpv6Extensions(payload, 0, end, end, protocol, out);
    if (status !== 'ok') return status;
  } else {
    out.protocol = protocol;
    out.transportOffset = 0;
    out.transportLength = end;
    out.transportCaptured = end;
  }
  return transport(payload, out, 0);
}

function transport(bytes: Uint8Array, out: PacketView, depth: number): PacketResult {
  out.tcpHeaderRead = false;
  if (out.protocol !== IPPROTO_TCP) {
    if (out.protocol === IPPROTO_UDP && decodeUdp(bytes, out.transportOffset, out.transportLength, out.transportCaptured, out)) {
      if (depth < MAX_TUNNEL_DEPTH) {
        const at = out.payloadOffset;
        const end = at + out.payloadCaptured;
        if ((out.dstPort === VXLAN_PORT || out.srcPort === VXLAN_PORT) && decodeVxlan(bytes, at, end, out)) return udpTunnel(bytes, end, out, depth);
        if ((out.dstPort === GENEVE_PORT || out.srcPort === GENEVE_PORT) && decodeGeneve(bytes, at, end, out)) return udpTunnel(bytes, end, out, depth);
      }
      return 'udp';
    }
    if (out.protocol === IPPROTO_GRE && depth < MAX_TUNNEL_DEPTH) {
      const end = out.transportOffset + out.transportCaptured;
      if (decodeGre(bytes, out.transportOffset, end, out)) return inner(bytes, end, out, depth);
    }
    return 'other-ip';
  }
  const status = decodeTcp(bytes, out.transportOffset, out.transportLength, out.transportCaptured, out);
  if (status === 'ok') {
    out.tcpHeaderRead = true;
    return 'tcp';
  }
  out.tcpHeaderRead = out.transportCaptured >= TCP_FIXED_FIELDS;
  return status;
}
