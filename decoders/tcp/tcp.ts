import type { IssueFields } from '../ip/types.js';

/** TCP control bits (RFC 9293 §3.1; CWR/ECE from RFC 3168 §23.2; NS from RFC 3540, now reserved). */
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  NS: 0x100,
} as const;

/** Option kinds (IANA "TCP Option Kind Numbers"). */
const OPT_END = 0; // RFC 9293 §3.2
const OPT_NOP = 1; // RFC 9293 §3.2
const OPT_MSS = 2; // RFC 9293 §3.2, length 4
const OPT_WINDOW_SCALE = 3; // RFC 7323 §2.2, length 3
const OPT_SACK_PERMITTED = 4; // RFC 2018 §2, length 2
const OPT_SACK = 5; // RFC 2018 §3, length 2 + 8n
const OPT_TIMESTAMPS = 8; // RFC 7323 §3.2, length 10

const MIN_HEADER_LENGTH = 20;
/** Ports, sequence and acknowledgment numbers, data offset, flags and window. */
const FIXED_FIELDS_LENGTH = 16;
/** 40 bytes of options hold at most 4 SACK blocks (RFC 2018 §3). */
export const MAX_SACK_BLOCKS = 4;

/** What decodeTcp writes into the caller's (reused) packet view. */
export interface TcpFields {
  srcPort: number;
  dstPort: number;
  /** Sequence and acknowledgment numbers as unsigned 32-bit values. */
  seq: number;
  ack: number;
  /** Control bits, TcpFlag values or'ed (12 bits: NS and the reserved bits included). */
  flags: number;
  /** Window field as sent (unscaled). */
  window: number;
  /** Header length in bytes, options included. */
  tcpHeaderLength: number;
  /** MSS option value, or -1 when absent. */
  mss: number;
  /** Window scale shift count, or -1 when absent. */
  windowScale: number;
  sackPermitted: boolean;
  hasTimestamps: boolean;
  timestampValue: number;
  timestampEcho: number;
  /** SACK blocks in this segment; edges in sackBlocks[2i] (left) and [2i+1] (right). */
  sackBlockCount: number;
  readonly sackBlocks: Uint32Array;
  /** An option's length byte was impossible; options after it were not read. */
  optionsMalformed: boolean;
  /** Offset of the segment's payload in the bytes decoded. */
  payloadOffset: number;
  /** Payload bytes the IP length announces. */
  payloadLength: number;
  /** Payload bytes present in the capture (less than payloadLength when the snap length cut it). */
  payloadCaptured: number;
}

export type TcpStatus = 'ok' | 'truncated' | 'malformed';

/**
 * TCP header (RFC 9293 §3.1) at `offset`. `length` is the segment length the IP layer announces,
 * `captured` the bytes of it present in the capture.
 */
export function decodeTcp(
  data: Uint8Array,
  offset: number,
  length: number,
  captured: number,
  out: TcpFields & IssueFields,
): TcpStatus {
  if (captured < FIXED_FIELDS_LENGTH) {
    return issue(out, 'truncated', 'tcp-truncated', 'the capture ends inside the TCP header', '', offset);
  }
  // The fixed fields are filled before anything else is checked: a segment with a bogus data
  // offset, or cut by the snap length inside its header, still names its conversation (Wireshark
  // numbers it in a tcp.stream all the same once the first 16 bytes are there).
  out.srcPort = (data[offset] << 8) | data[offset + 1];
  out.dstPort = (data[offset + 2] << 8) | data[offset + 3];
  out.seq = readU32(data, offset + 4);
  out.ack = readU32(data, offset + 8);
  out.flags = ((data[offset + 12] & 0x0f) << 8) | data[offset + 13];
  out.window = (data[offset + 14] << 8) | data[offset + 15];
  const headerLength = (data[offset + 12] >> 4) << 2;
  out.tcpHeaderLength = headerLength;
  out.payloadOffset = offset + captured;
  out.payloadLength = 0;
  out.payloadCaptured = 0;
  if (length < MIN_HEADER_LENGTH) {
    return issue(out, 'malformed', 'tcp-short-segment', 'the IP payload is shorter than a TCP header', 'RFC 9293 §3.1', offset);
  }
  if (captured < MIN_HEADER_LENGTH) {
    return issue(out, 'truncated', 'tcp-truncated', 'the capture ends inside the TCP header', '', offset);
  }
  if (headerLength < MIN_HEADER_LENGTH) {
    return issue(out, 'malformed', 'tcp-data-offset', 'data offset is below the minimum of 5 words', 'RFC 9293 §3.1', offset + 12);
  }
  if (headerLength > length) {
    return issue(out, 'malformed', 'tcp-data-offset', 'data offset runs past the end of the segment', 'RFC 9293 §3.1', offset + 12);
  }
  if (headerLength > captured) {
    return issue(out, 'truncated', 'tcp-truncated', 'the capture ends inside the TCP options', '', offset + MIN_HEADER_LENGTH);
  }
  out.payloadOffset = offset + headerLength;
  out.payloadLength = length - headerLength;
  out.payloadCaptured = captured - headerLength;
  out.mss = -1;
  out.windowScale = -1;
  out.sackPermitted = false;
  out.hasTimestamps = false;
  out.sackBlockCount = 0;
  out.optionsMalformed = false;
  if (headerLength > MIN_HEADER_LENGTH) decodeOptions(data, offset + MIN_HEADER_LENGTH, offset + headerLength, out);
  return 'ok';
}

/**
 * The part of a TCP header an ICMP error quotes: at least the first 16 bytes (ports, sequence and
 * acknowledgment numbers, flags, window) are needed, as Wireshark needs them to name the
 * conversation. Options and payload are not read. Returns false when fewer bytes are quoted.
 */
export function decodeQuotedTcp(data: Uint8Array, offset: number, captured: number, out: TcpFields): boolean {
  if (captured < FIXED_FIELDS_LENGTH) return false;
  out.srcPort = (data[offset] << 8) | data[offset + 1];
  out.dstPort = (data[offset + 2] << 8) | data[offset + 3];
  out.seq = readU32(data, offset + 4);
  out.ack = readU32(data, offset + 8);
  out.flags = ((data[offset + 12] & 0x0f) << 8) | data[offset + 13];
  out.window = (data[offset + 14] << 8) | data[offset + 15];
  out.tcpHeaderLength = (data[offset + 12] >> 4) << 2;
  out.payloadOffset = offset + captured;
  out.payloadLength = 0;
  out.payloadCaptured = 0;
  return true;
}


/**
 * Options between `pos` and `end`. An option whose length byte is below 2 or runs past the header
 * stops the walk (RFC 9293 §3.2: the length covers kind and length bytes); kinds tlsdiag does not
 * use are skipped by their length.
 */
function decodeOptions(data: Uint8Array, pos: number, end: number, out: TcpFields): void {
  let at = pos;
  while (at < end) {
    const kind = data[at];
    if (kind === OPT_END) return;
    if (kind === OPT_NOP) {
      at++;
      continue;
    }
    if (at + 2 > end) {
      out.optionsMalformed = true;
      return;
    }
    const length = data[at + 1];
    if (length < 2 || at + length > end) {
      out.optionsMalformed = true;
      return;
    }
    switch (kind) {
      case OPT_MSS:
        if (length === 4) out.mss = (data[at + 2] << 8) | data[at + 3];
        else out.optionsMalformed = true;
        break;
      case OPT_WINDOW_SCALE:
        if (length === 3) out.windowScale = data[at + 2];
        else out.optionsMalformed = true;
        break;
      case OPT_SACK_PERMITTED:
        if (length === 2) out.sackPermitted = true;
        else out.optionsMalformed = true;
        break;
      case OPT_SACK: {
        if ((length - 2) % 8 !== 0) {
          out.optionsMalformed = true;
          break;
        }
        const blocks = (length - 2) >> 3;
        let count = 0;
        for (let i = 0; i < blocks && count < MAX_SACK_BLOCKS; i++) {
          const b = at + 2 + i * 8;
          out.sackBlocks[count * 2] = readU32(data, b);
          out.sackBlocks[count * 2 + 1] = readU32(data, b + 4);
          count++;
        }
        out.sackBlockCount = count;
        break;
      }
      case OPT_TIMESTAMPS:
        if (length === 10) {
          out.hasTimestamps = true;
          out.timestampValue = readU32(data, at + 2);
          out.timestampEcho = readU32(data, at + 6);
        } else out.optionsMalformed = true;
        break;
      default:
        break;
    }
    at += length;
  }
}

function readU32(data: Uint8Array, at: number): number {
  return ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
}

function issue(out: IssueFields, status: TcpStatus, code: string, message: string, rule: string, at: number): TcpStatus {
  out.issueCode = code;
  out.issueMessage = message;
  out.issueRule = rule;
  out.issueOffset = at;
  return status;
}
