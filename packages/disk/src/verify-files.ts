import { rm, stat } from 'node:fs/promises';
import { TiercacheError } from '@tiercache/core';
import { hashFile, removeStaleTemps } from './atomic-file.js';
import type { DiskContext, DiskVerifyOptions, DiskVerifyResult } from './disk-context.js';
import { fingerprint, isMissing, unavailable } from './disk-layout.js';

/**
 * Audits every blob file against the index: hashes each one (the memo is not trusted here:
 * an audit exists to catch what fingerprints cannot, like bit rot), counts, and with
 * `repair` deletes corrupt and orphaned files. Files the tier does not own are never touched.
 */
export async function verifyFiles(
  context: DiskContext,
  options: DiskVerifyOptions,
): Promise<DiskVerifyResult> {
  if (typeof options?.references !== 'function') {
    throw new TiercacheError(
      'E_INVALID_OPTIONS',
      '@tiercache/disk: verify needs a references(ref) function',
      {
        context: { option: 'references' },
      },
    );
  }
  await context.ready();
  const { layout, memo } = context;
  const repair = options.repair === true;
  const result: DiskVerifyResult = { good: 0, corrupt: 0, orphaned: 0, repaired: 0, tempFilesRemoved: 0 };
  const present = new Set<string>();

  async function remove(path: string): Promise<void> {
    memo.forget(path);
    try {
      await rm(path);
      result.repaired++;
    } catch (error) {
      if (!isMissing(error)) throw unavailable('delete', path, error);
    }
  }

  for (const type of await layout.types()) {
    for (const folder of await layout.fanOutFolders(type)) {
      const names = await layout.files(folder.path);
      result.tempFilesRemoved += await removeStaleTemps(folder.path, names, context.options.staleTempMs);
    }
    for (const { ref, path } of await layout.blobFiles(type)) {
      if ((await options.references(ref)) === 0) {
        result.orphaned++;
        if (repair) await remove(path);
        continue;
      }
      let version: string;
      let hash: string;
      try {
        const stats = await stat(path, { bigint: true });
        version = fingerprint(stats);
        hash = await hashFile(path);
      } catch (error) {
        if (isMissing(error)) continue; // deleted while we looked: neither good nor bad
        throw unavailable('verify', path, error);
      }
      if (hash === ref.contentHash) {
        result.good++;
        present.add(path);
        memo.remember(path, version, hash);
        continue;
      }
      result.corrupt++;
      context.options.onCorrupt?.(ref);
      if (repair) await remove(path);
    }
  }

  if (options.expected !== undefined) {
    let missing = 0;
    for (const entry of options.expected) {
      if (present.has(layout.fileOf(entry))) continue;
      missing++;
      options.onMissing?.(entry);
    }
    result.missing = missing;
  }
  return result;
}
