import type { IpFields, IpStatus, IssueFields } from './types.js';

const MIN_HEADER_LENGTH = 20;
const FLAG_MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;

/**
 * IPv4 header (RFC 791 §3.1). Options are skipped by the IHL; the total length decides where the
 * payload ends, so Ethernet padding after a short datagram is not taken for payload, and a capture
 * shorter than the total length is reported through transportCaptured < transportLength.
 */
export function decodeIpv4(data: Uint8Array, offset: number, end: number, out: IpFields & IssueFields): IpStatus {
  out.ipVersion = 4;
  out.ipOffset = offset;
  if (offset + MIN_HEADER_LENGTH > end) {
    return issue(out, 'truncated', 'ipv4-truncated', 'the capture ends inside the IPv4 header', '', offset);
  }
  const versionIhl = data[offset];
  if (versionIhl >> 4 !== 4) {
    return issue(out, 'malformed', 'ipv4-version', 'the version field of an IPv4 header is not 4', 'RFC 791 §3.1', offset);
  }
  const headerLength = (versionIhl & 0x0f) << 2;
  if (headerLength < MIN_HEADER_LENGTH) {
    return issue(out, 'malformed', 'ipv4-header-length', 'IHL is below the minimum of 5 words', 'RFC 791 §3.1', offset);
  }
  let totalLength = (data[offset + 2] << 8) | data[offset + 3];
  out.lengthFromCapture = false;
  if (totalLength === 0) {
    // Captured on the sending host before TCP segmentation offload filled the length in.
    totalLength = end - offset;
    out.lengthFromCapture = true;
  }
  if (totalLength < headerLength) {
    return issue(out, 'malformed', 'ipv4-total-length', 'total length is smaller than the header length', 'RFC 791 §3.1', offset + 2);
  }
  if (offset + headerLength > end) {
    return issue(out, 'truncated', 'ipv4-truncated', 'the capture ends inside the IPv4 options', '', offset);
  }
  const flagsFragment = (data[offset + 6] << 8) | data[offset + 7];
  out.ipId = (data[offset + 4] << 8) | data[offset + 5];
  out.moreFragments = (flagsFragment & FLAG_MORE_FRAGMENTS) !== 0;
  out.fragmentOffset = (flagsFragment & FRAGMENT_OFFSET_MASK) << 3;
  out.isFragment = out.moreFragments || out.fragmentOffset !== 0;
  out.hopLimit = data[offset + 8];
  out.protocol = data[offset + 9];
  out.src0 = readU32(data, offset + 12);
  out.src1 = 0;
  out.src2 = 0;
  out.src3 = 0;
  out.dst0 = readU32(data, offset + 16);
  out.dst1 = 0;
  out.dst2 = 0;
  out.dst3 = 0;
  const transportOffset = offset + headerLength;
  const datagramEnd = offset + totalLength;
  out.transportOffset = transportOffset;
  out.transportLength = totalLength - headerLength;
  out.transportCaptured = (datagramEnd < end ? datagramEnd : end) - transportOffset;
  return 'ok';
}

export function readU32(data: Uint8Array, at: number): number {
  return ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
}

function issue(out: IssueFields, status: IpStatus, code: string, message: string, rule: string, at: number): IpStatus {
  out.issueCode = code;
  out.issueMessage = message;
  out.issueRule = rule;
  out.issueOffset = at;
  return status;
}
