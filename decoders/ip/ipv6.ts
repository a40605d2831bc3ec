import type { IpFields, IpStatus, IssueFields } from './types.js';
import { readU32 } from './ipv4.js';

const HEADER_LENGTH = 40;

/** Extension headers (IANA "IPv6 Extension Header Types"). */
const HOP_BY_HOP = 0; // RFC 8200 §4.3
const ROUTING = 43; // RFC 8200 §4.4
const FRAGMENT = 44; // RFC 8200 §4.5
const AUTHENTICATION = 51; // RFC 4302 §2: length in 4-byte units, minus 2
const DESTINATION_OPTIONS = 60; // RFC 8200 §4.6
const MOBILITY = 135; // RFC 6275 §6.1
const HIP = 139; // RFC 7401 §5.1
const SHIM6 = 140; // RFC 5533 §5

/** A chain longer than this is a crafted packet; stop walking and call it malformed. */
const MAX_EXTENSION_HEADERS = 16;

/**
 * IPv6 header (RFC 8200 §3) and its extension-header chain. Stops at the first header that is not
 * an extension header: TCP, UDP, ICMPv6, ESP (50, payload encrypted) or No Next Header (59).
 * A fragment header with a non-zero offset or the M flag marks the packet as a fragment and stops
 * the walk there (what follows belongs to the reassembled datagram); an atomic fragment (offset 0,
 * M clear, RFC 6946) is crossed like any other extension header.
 */
export function decodeIpv6(data: Uint8Array, offset: number, end: number, out: IpFields & IssueFields): IpStatus {
  out.ipVersion = 6;
  out.ipOffset = offset;
  if (offset + HEADER_LENGTH > end) {
    return issue(out, 'truncated', 'ipv6-truncated', 'the capture ends inside the IPv6 header', '', offset);
  }
  if (data[offset] >> 4 !== 6) {
    return issue(out, 'malformed', 'ipv6-version', 'the version field of an IPv6 header is not 6', 'RFC 8200 §3', offset);
  }
  let payloadLength = (data[offset + 4] << 8) | data[offset + 5];
  out.lengthFromCapture = false;
  if (payloadLength === 0) {
    // A jumbogram (RFC 2675) or a segmentation-offloaded send: the capture is all there is.
    payloadLength = end - offset - HEADER_LENGTH;
    out.lengthFromCapture = true;
  }
  out.hopLimit = data[offset + 7];
  out.src0 = readU32(data, offset + 8);
  out.src1 = readU32(data, offset + 12);
  out.src2 = readU32(data, offset + 16);
  out.src3 = readU32(data, offset + 20);
  out.dst0 = readU32(data, offset + 24);
  out.dst1 = readU32(data, offset + 28);
  out.dst2 = readU32(data, offset + 32);
  out.dst3 = readU32(data, offset + 36);
  out.ipId = 0;
  out.isFragment = false;
  out.fragmentOffset = 0;
  out.moreFragments = false;
  const payloadStart = offset + HEADER_LENGTH;
  return walkIpv6Extensions(data, payloadStart, end, payloadStart + payloadLength, data[offset + 6], out);
}

/**
 * Walks extension headers from `pos` (next header value `nextHeader`) up to `limit` (where the IP
 * header says the payload ends; `end` is where the capture ends). Sets protocol and the transport
 * offset/lengths. Also used on a reassembled datagram, whose first header may be an extension.
 */
export function walkIpv6Extensions(
  data: Uint8Array,
  pos: number,
  end: number,
  limit: number,
  nextHeader: number,
  out: IpFields & IssueFields,
): IpStatus {
  let nh = nextHeader;
  let at = pos;
  for (let count = 0; ; count++) {
    if (count > MAX_EXTENSION_HEADERS) {
      return issue(out, 'malformed', 'ipv6-extension-chain', 'more than 16 extension headers', 'RFC 8200 §4.1', at);
    }
    let length: number;
    switch (nh) {
      case HOP_BY_HOP:
      case ROUTING:
      case DESTINATION_OPTIONS:
      case MOBILITY:
      case HIP:
      case SHIM6:
        if (at + 2 > end) return truncatedChain(out, at);
        length = (data[at + 1] + 1) << 3;
        break;
      case AUTHENTICATION:
        if (at + 2 > end) return truncatedChain(out, at);
        length = (data[at + 1] + 2) << 2;
        break;
      case FRAGMENT: {
        if (at + 8 > end) return truncatedChain(out, at);
        if (at + 8 > limit) return overrun(out, at);
        const offsetFlags = (data[at + 2] << 8) | data[at + 3];
        const fragmentOffset = offsetFlags & 0xfff8;
        const more = (offsetFlags & 1) !== 0;
        const following = data[at];
        if (fragmentOffset !== 0 || more) {
          out.isFragment = true;
          out.fragmentOffset = fragmentOffset;
          out.moreFragments = more;
          out.ipId = readU32(data, at + 4);
          return transport(out, following, at + 8, end, limit);
        }
        nh = following;
        at += 8;
        continue;
      }
      default:
        return transport(out, nh, at, end, limit);
    }
    if (at + length > limit) return overrun(out, at);
    nh = data[at];
    at += length;
  }
}

function transport(out: IpFields & IssueFields, protocol: number, at: number, end: number, limit: number): IpStatus {
  out.protocol = protocol;
  out.transportOffset = at;
  out.transportLength = limit - at;
  out.transportCaptured = (limit < end ? limit : end) - at;
  if (out.transportCaptured < 0) out.transportCaptured = 0;
  return 'ok';
}

function truncatedChain(out: IssueFields, at: number): IpStatus {
  return issue(out, 'truncated', 'ipv6-truncated', 'the capture ends inside an IPv6 extension header', '', at);
}

function overrun(out: IssueFields, at: number): IpStatus {
  return issue(out, 'malformed', 'ipv6-extension-length', 'an extension header runs past the payload length', 'RFC 8200 §4', at);
}

function issue(out: IssueFields, status: IpStatus, code: string, message: string, rule: string, at: number): IpStatus {
  out.issueCode = code;
  out.issueMessage = message;
  out.issueRule = rule;
  out.issueOffset = at;
  return status;
}
