/**
 * What the IP decoders write into the caller's (reused) packet view. Addresses are kept as 32-bit
 * words so that flow lookup needs no string; text is made only when a conversation is new
 * (see address.ts).
 */
export interface IpFields {
  /** 4 or 6; 0 before an IP header was decoded. */
  ipVersion: number;
  /** Offset of the IP header in the bytes decoded. */
  ipOffset: number;
  /**
   * Source address as unsigned 32-bit words in network order: IPv4 uses src0 only (src1..3 are 0);
   * IPv6 uses all four.
   */
  src0: number;
  src1: number;
  src2: number;
  src3: number;
  /** Destination address, same layout as the source. */
  dst0: number;
  dst1: number;
  dst2: number;
  dst3: number;
  /** IPv4 TTL or IPv6 hop limit. */
  hopLimit: number;
  /** Transport protocol: IPv4 protocol field, or the IPv6 next header after the extension chain. */
  protocol: number;
  /** Offset of the transport header (after IPv4 options / IPv6 extension headers). */
  transportOffset: number;
  /** Transport bytes the IP header says the datagram (or fragment) carries. */
  transportLength: number;
  /** Transport bytes present in the capture: less than transportLength when the snap length cut the frame. */
  transportCaptured: number;
  /** IPv4 identification, or the IPv6 fragment header's identification (0 when not fragmented). */
  ipId: number;
  /** This datagram is one fragment of a larger one (IPv4 MF or offset; IPv6 fragment header, not atomic). */
  isFragment: boolean;
  /** Fragment offset in bytes. */
  fragmentOffset: number;
  moreFragments: boolean;
  /** IPv4 total length (or IPv6 payload length) was 0: segmentation offload or a jumbogram; the captured length was used. */
  lengthFromCapture: boolean;
}

/**
 * Where a decoder stopped on bad bytes. Codes and texts are constants (no allocation per packet);
 * the rule names the RFC clause that the bytes break.
 */
export interface IssueFields {
  /** Stable code, e.g. `ipv4-header-length`; '' when the packet decoded cleanly. */
  issueCode: string;
  issueMessage: string;
  /** RFC clause, e.g. `RFC 791 §3.1`; '' for plain truncation. */
  issueRule: string;
  /** Byte offset in the frame where the problem was found. */
  issueOffset: number;
}

/**
 * `ok`: fields set. `truncated`: the capture ends inside the IP header (or its extension chain).
 * `malformed`: the header contradicts itself; the issue fields say how.
 */
export type IpStatus = 'ok' | 'truncated' | 'malformed';

/** IANA "Assigned Internet Protocol Numbers". */
export const IPPROTO_TCP = 6;
