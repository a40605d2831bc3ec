/**
 * Address text, made only when a conversation is new: dotted-quad IPv4, and IPv6 in the RFC 5952
 * canonical form (lower-case hex, no leading zeros, the longest run of two or more zero groups
 * shortened to `::`, the first such run on a tie; IPv4-mapped addresses in mixed notation, §5).
 */
export function ipv4Text(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

export function ipv6Text(w0: number, w1: number, w2: number, w3: number): string {
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return `::ffff:${ipv4Text(w3)}`;
  const groups = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never shortened (RFC 5952 §4.2.2)
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups.slice(bestStart + bestLength).map(hex).join(':');
  return `${head}::${tail}`;
}

function hex(group: number): string {
  return group.toString(16);
}

/** Text of an address held as words (see IpFields): IPv4 uses the first word only. */
export function addressText(version: number, w0: number, w1: number, w2: number, w3: number): string {
  return version === 6 ? ipv6Text(w0, w1, w2, w3) : ipv4Text(w0);
}
