import { link, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hashFile } from './atomic-file.js';
import { type DiskLayout, errorCode, isMissing, LEGACY_BLOB_FILE, unavailable } from './disk-layout.js';

/**
 * Migrates blobs of the layout before content addressing, `<type>/<requestKey>.<ext>`, in
 * place: each file is hashed and linked to its content-addressed name (`blobPath`), then its
 * old name is removed. Linking never replaces, so a blob already there (identical content
 * under another key) is kept and the duplicate simply goes; a crash between the two steps
 * leaves both names, and the next run finishes. Processes may run it concurrently. Index rows
 * keep their content hash, so they find their blob under the new name. Resolves how many
 * files were migrated.
 */
export async function migrateLegacyBlobs(layout: DiskLayout): Promise<number> {
  let migrated = 0;
  for (const type of await layout.types()) {
    const folder = layout.folderOf(type);
    for (const name of await layout.files(folder)) {
      const match = LEGACY_BLOB_FILE.exec(name);
      if (!match) continue;
      const path = join(folder, name);
      let contentHash: string;
      try {
        contentHash = await hashFile(path);
      } catch (error) {
        if (isMissing(error)) continue; // another process migrated it meanwhile
        throw unavailable('migrate', path, error);
      }
      const target = layout.fileOf({ type, contentHash, extension: match[1] ?? '' });
      try {
        await mkdir(dirname(target), { recursive: true });
        await link(path, target);
      } catch (error) {
        if (isMissing(error)) continue;
        if (errorCode(error) !== 'EEXIST') throw unavailable('migrate', path, error);
      }
      await rm(path, { force: true });
      migrated++;
    }
  }
  return migrated;
}
