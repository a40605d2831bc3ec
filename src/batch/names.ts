/**
 * How an archive member is named in the output: `archive.zip!dir/a.pcap`. The name inside the
 * archive comes from the archive's author, so it is made safe to print and flagged when it would
 * climb out of an extraction directory (an absolute path, `..`). tlsdiag never extracts, so no
 * name ever reaches the file system; the flag tells the reader the archive is hostile or broken.
 */

export const MEMBER_SEPARATOR = '!';

export interface MemberName {
  /** Printable, relative, without `.` or `..` segments. */
  readonly display: string;
  /** Why the raw name is unsafe, or null. */
  readonly unsafe: string | null;
}

/** Control characters (C0, DEL, C1) would drive the terminal; they are shown as \xNN. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A name as the archive gives it → the name shown, and why it is unsafe. */
export function memberName(raw: string): MemberName {
  const reasons: string[] = [];
  let rest = raw;
  if (/^[A-Za-z]:/.test(rest)) {
    reasons.push('a drive letter');
    rest = rest.slice(2);
  }
  if (/^[\\/]/.test(rest)) reasons.push('an absolute path');
  const segments: string[] = [];
  let climbs = false;
  for (const segment of rest.split(/[\\/]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      climbs = true;
      continue;
    }
    segments.push(segment);
  }
  if (climbs) reasons.push('".." segments');
  const display = printable(segments.join('/')) || '(no name)';
  if (display !== segments.join('/') && segments.length > 0) reasons.push('control characters');
  if (reasons.length === 0) return { display, unsafe: null };
  return {
    display,
    unsafe: `member name "${printable(raw)}" has ${reasons.join(' and ')}: shown as "${display}", never used as a path`,
  };
}

export function memberDisplayName(archive: string, member: string): string {
  return `${archive}${MEMBER_SEPARATOR}${member}`;
}
