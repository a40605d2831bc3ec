// The bounds every capture reader enforces. They exist so that a corrupt or hostile length field
// can neither make a reader buffer without end nor send it hunting through garbage.

/** Size of the chunks read from a capture file: big enough that per-chunk costs vanish. */
export const CHUNK_SIZE = 1 << 20;

/**
 * No record or block may be larger than this (256 MiB). It is twice the largest snapshot length
 * libpcap allows for any link type (128 MiB, for D-Bus), so no real capture comes near it; a
 * length beyond it is corruption, and refusing it caps the memory one record can claim.
 */
export const ABSURD_LENGTH = 256 * 1024 * 1024;

/**
 * libpcap's and Wireshark's maximum snapshot length for ordinary link types (MAXIMUM_SNAPLEN,
 * WTAP_MAX_PACKET_SIZE_STANDARD). libpcap accepts any record up to its maximum for the link type
 * whatever the file header's snaplen says, and rejects anything larger as "invalid packet capture
 * length" (sf-pcap.c).
 */
const STANDARD_MAX_SNAPLEN = 262_144;

/** The link types libpcap allows more (pcap-common.c, max_snaplen_for_dlt); numbers from the LINKTYPE_ registry. */
const LARGER_MAX_SNAPLEN: ReadonlyMap<number, number> = new Map([
  [231, 128 * 1024 * 1024], // LINKTYPE_DBUS: a D-Bus message may be 128 MiB
  [249, 1024 * 1024], // LINKTYPE_USBPCAP
  [279, 8 * 1024 * 1024], // LINKTYPE_EBHSCR
]);

/** libpcap's largest record for the link type. */
export function libpcapMaxSnaplen(linkType: number): number {
  return LARGER_MAX_SNAPLEN.get(linkType) ?? STANDARD_MAX_SNAPLEN;
}

/**
 * The largest captured length a classic pcap record of this file may claim: libpcap's maximum for
 * the link type (so that every file libpcap reads is read here too), or the file's own snaplen
 * when that is larger (a writer never records more than its snaplen).
 */
export function maxCapturedLength(snaplen: number, linkType: number): number {
  return Math.min(Math.max(snaplen, libpcapMaxSnaplen(linkType)), ABSURD_LENGTH);
}
