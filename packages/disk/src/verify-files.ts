import { rm, stat } from 'node:fs/promises';
import { checkOptions } from '@tiercache/core/kit';
import { hashFile, removeStaleTemps } from './atomic-file.js';
import type { DiskContext, DiskVerifyOptions, DiskVerifyResult } from './disk-context.js';
import { fingerprint, isMissing, unavailable } from './disk-layout.js';

async function olderThan(path: string, ms: number): Promise<boolean> {
  if (ms === 0) return true;
  try {
    return (await stat(path)).mtimeMs <= Date.now() - ms;
  } catch (error) {
    if (isMissing(error)) return false;
    throw unavailable('stat', path, error);
  }
}

/**
 * Audits every blob file: hashes each referenced one against the content hash it is named by
 * (the memo is not trusted here: an audit exists to catch what fingerprints cannot, like bit
 * rot), counts blobs no index entry references, and with `repair` deletes corrupt and
 * orphaned files. Files the tier does not own are never touched.
 */
export async function verifyFiles(
  context: DiskContext,
  options: DiskVerifyOptions,
): Promise<DiskVerifyResult> {
  const check = checkOptions<DiskVerifyOptions>('@tiercache/disk', options, {
    known: ['references', 'orphanMinAgeMs', 'repair', 'expected', 'onMissing'],
    expected: 'verify options with a references(ref) function',
  });
  check.function('references', { expected: 'a references(ref) function (EntryIndex.blobReferences)' });
  const orphanMinAgeMs = check.integer('orphanMinAgeMs', { default: 60_000 });
  await context.ready();
  const { layout, memo } = context;
  const repair = options.repair === true;
  const result: DiskVerifyResult = { good: 0, corrupt: 0, orphaned: 0, repaired: 0, tempFilesRemoved: 0 };
  const present = new Set<string>();
  const corruptPaths = new Set<string>();

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
        // A young unreferenced blob may be a put whose index row is not inserted yet.
        if (!(await olderThan(path, orphanMinAgeMs))) continue;
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
      corruptPaths.add(path);
      context.options.onCorrupt?.(ref);
      if (repair) await remove(path);
    }
  }

  if (options.expected !== undefined) {
    // Each entry is counted once: a corrupt file's entries are corrupt, not also missing.
    let missing = 0;
    let corruptEntries = 0;
    for (const entry of options.expected) {
      const path = layout.fileOf(entry);
      if (present.has(path)) continue;
      if (corruptPaths.has(path)) corruptEntries++;
      else missing++;
      options.onMissing?.(entry);
    }
    result.missing = missing;
    result.corruptEntries = corruptEntries;
  }
  return result;
}
