/**
 * The members of an uncompressed tar file on disk: header to header by seeking over the data, so
 * listing costs one small read per member; each member is then read by range by its analyzer.
 */
import { classifyMember, listArchiveFile, readAt, type ArchiveListing } from './archive.js';
import { memberDisplayName, memberName } from './names.js';
import { SNIFF_BYTES, sniff } from './sniff.js';
import { BLOCK, MAX_EXTENSION_BYTES, TarOverrides, decodeTarHeader, isExtension, notAFile, paddedSize } from './tar.js';

export function listTar(path: string, archive: string): Promise<ArchiveListing> {
  return listArchiveFile(path, async (fh, fileSize, listing) => {
    const overrides = new TarOverrides();
    let at = 0;
    for (;;) {
      if (at >= fileSize) {
        listing.notes.push('no end-of-archive marker (the tar may be cut short)');
        break;
      }
      const block = decodeTarHeader(await readAt(fh, at, BLOCK));
      if (block.type === 'end') break;
      if (block.type === 'bad') {
        listing.error = `${block.reason} at byte ${at}: the rest of the archive is not read`;
        break;
      }
      const dataStart = at + BLOCK;
      let header = block.header;
      if (isExtension(header.kind)) {
        if (header.size > MAX_EXTENSION_BYTES) {
          listing.error = `an extended header of ${header.size} bytes at byte ${at}: the rest of the archive is not read`;
          break;
        }
        overrides.absorb(header.kind, await readAt(fh, dataStart, header.size));
        at = dataStart + paddedSize(header.size);
        continue;
      }
      header = overrides.apply(header);
      at = dataStart + paddedSize(header.size);
      if (header.kind === 'directory') continue;
      const why = notAFile(header.kind, header.typeflag);
      if (why !== null) {
        listing.members.push({ type: 'skipped', name: memberDisplayName(archive, memberName(header.name).display), reason: why });
        continue;
      }
      const head = await readAt(fh, dataStart, Math.min(SNIFF_BYTES, header.size));
      listing.members.push(
        classifyMember(archive, header.name, sniff(head), { kind: 'range', path, start: dataStart, length: header.size, method: 'stored', crc32: null }, header.size, header.size),
      );
    }
  });
}
