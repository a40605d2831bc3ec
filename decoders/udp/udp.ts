/**
 * The UDP header (RFC 768): ports, length, and where the payload is. Pure, never throws.
 */

export const IPPROTO_UDP = 17;
export const UDP_HEADER_LENGTH = 8;

/** The fields decodeUdp fills (the PacketView's port and payload fields, shared with TCP). */
export interface UdpFields {
  srcPort: number;
  dstPort: number;
  payloadOffset: number;
  payloadLength: number;
  payloadCaptured: number;
}

/**
 * Decodes the UDP header at `offset`. `length` is the transport length the IP header gives,
 * `captured` the bytes of it in the capture. False when the header itself is not all there.
 * The payload length is the UDP length field's, bounded by the IP length (a UDP length shorter
 * than the IP payload is trailing padding; a longer one is bounded by what IP carries).
 */
export function decodeUdp(bytes: Uint8Array, offset: number, length: number, captured: number, out: UdpFields): boolean {
  if (captured < UDP_HEADER_LENGTH || length < UDP_HEADER_LENGTH) return false;
  out.srcPort = (bytes[offset] << 8) | bytes[offset + 1];
  out.dstPort = (bytes[offset + 2] << 8) | bytes[offset + 3];
  const udpLength = (bytes[offset + 4] << 8) | bytes[offset + 5];
  // 0 is a jumbogram's length (RFC 2675 §4): the IP length rules.
  const total = udpLength >= UDP_HEADER_LENGTH && udpLength <= length ? udpLength : length;
  out.payloadOffset = offset + UDP_HEADER_LENGTH;
  out.payloadLength = total - UDP_HEADER_LENGTH;
  out.payloadCaptured = Math.max(0, Math.min(total, captured) - UDP_HEADER_LENGTH);
  return true;
}
