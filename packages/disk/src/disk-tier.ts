import { readFile, rm, rmdir, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { type BlobRef, type Entry, hashContent } from '@tiercache/core';
import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import { removeStaleTemps, writeIfAbsent } from './atomic-file.js';
import type { DiskContext, DiskTier } from './disk-context.js';
import { diskErrors } from './disk-errors.js';
import { DiskLayout, fingerprint, isMissing, removeIfPresent, unavailable } from './disk-layout.js';
import { type DiskTierOptions, resolveDiskTierOptions } from './disk-options.js';
import { readRecord, recordKeys, writeRecord } from './entry-records.js';
import { migrateLegacyBlobs } from './legacy-layout.js';
import { materializeBlob } from './materialize.js';
import { VerificationMemo } from './verification-memo.js';
import { verifyFiles } from './verify-files.js';

/**
 * An L2 blob tier of files on local disk, content-addressed: `<dir>/<type>/<2 hex>/<contentHash>.<ext>`,
 * written once and atomically, read back verified (by core: `readVerification: 'by-cache'`),
 * delivered as private copies; plus one small JSON record per entry,
 * `<dir>/<type>/entries/<key>.json`, from which a lost index can be rebuilt (`entries`).
 * Several processes may share one folder. The factory is synchronous; on first use the folder
 * is migrated from the per-key layout of earlier releases and swept for leftovers of crashed
 * writers.
 */
export function createDiskTier(options: DiskTierOptions): DiskTier {
  const resolved = resolveDiskTierOptions(options);
  const layout = new DiskLayout(resolved.dir);
  const memo = new VerificationMemo();
  const fileMode = resolved.delivery === 'hardlink-readonly' ? 0o444 : 0o644;
  let sweep: Promise<void> | undefined;

  const context: DiskContext = {
    options: resolved,
    layout,
    memo,
    ready() {
      // Best effort: the operation itself reports real faults.
      sweep ??= migrateLegacyBlobs(layout)
        .then(sweepTemps)
        .catch(() => undefined);
      return sweep;
    },
    async removeCorrupt(ref, path, expected) {
      memo.forget(path);
      try {
        if (fingerprint(await stat(path, { bigint: true })) !== expected) return false;
        await rm(path);
      } catch (error) {
        if (isMissing(error)) return false;
        throw unavailable('delete', path, error);
      }
      resolved.onCorrupt?.(ref);
      return true;
    },
  };

  async function sweepTemps(): Promise<void> {
    for (const type of await layout.types()) {
      const folders = [layout.folderOf(type), layout.recordFolderOf(type)];
      for (const folder of await layout.fanOutFolders(type)) folders.push(folder.path);
      for (const folder of folders)
        await removeStaleTemps(folder, await layout.files(folder), resolved.staleTempMs);
    }
  }

  function assertContent(entry: Entry, bytes: Uint8Array, hash: string): void {
    if (bytes.length === entry.size && hash === entry.contentHash) return;
    throw diskErrors.invalidEntry(
      `bytes for ${entry.type}/${entry.key} do not match entry.size/contentHash; they could never be served`,
      { context: { type: entry.type, key: entry.key, size: bytes.length, expectedSize: entry.size } },
    );
  }

  async function exists(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw unavailable('stat', path, error);
    }
  }

  async function eachBlob(
    types: string[],
    visit: (ref: BlobRef, path: string) => Promise<void>,
  ): Promise<void> {
    for (const type of types)
      for (const { ref, path } of await layout.blobFiles(type)) await visit(ref, path);
  }

  return {
    name: resolved.name,
    contractVersion: CONTRACT_VERSION,
    readVerification: 'by-cache',
    dir: resolved.dir,
    // The whole folder: blobs, temporary files, and the index that usually sits beside them.
    ownedPaths: () => [resolved.dir],
    async get(ref) {
      const path = layout.fileOf(ref);
      await context.ready();
      try {
        const buffer = await readFile(path);
        // A plain Uint8Array over the same memory: callers' slice() then copies, as they expect.
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw unavailable('read', path, error);
      }
    },
    async put(entry, bytes) {
      const path = layout.fileOf(entry);
      const record = layout.recordOf(entry);
      await context.ready();
      // Same name, same bytes: a blob already here is never rewritten (a corrupt one is found
      // and deleted by verified reads, and the next put writes it again).
      if (!(await exists(path))) {
        const hash = hashContent(bytes);
        assertContent(entry, bytes, hash);
        let written: boolean;
        try {
          written = await writeIfAbsent(path, entry.contentHash, bytes, {
            fsync: resolved.fsync,
            mode: fileMode,
          });
        } catch (error) {
          memo.forget(path);
          throw unavailable('write', path, error);
        }
        // Stat after the temporary link is gone: unlinking it changed the file's ctime.
        const now = written ? await stat(path, { bigint: true }).catch(() => undefined) : undefined;
        if (now) memo.remember(path, fingerprint(now), hash);
      }
      await writeRecord(record, entry, resolved.fsync);
    },
    async has(ref) {
      const path = layout.fileOf(ref);
      await context.ready();
      return exists(path);
    },
    async delete(ref) {
      const path = layout.fileOf(ref);
      await context.ready();
      memo.forget(path);
      return removeIfPresent(path);
    },
    async deleteEntry(ref) {
      const path = layout.recordOf(ref);
      await context.ready();
      return removeIfPresent(path);
    },
    async clear(type) {
      const scope = type === undefined ? resolved.dir : layout.folderOf(type);
      await context.ready();
      const types = type === undefined ? await layout.types() : [type];
      await eachBlob(types, async (_ref, path) => {
        await rm(path, { force: true }).catch((error: unknown) => {
          throw unavailable('delete', path, error);
        });
      });
      for (const each of types) {
        const folder = layout.recordFolderOf(each);
        for (const key of await recordKeys(folder))
          await removeIfPresent(layout.recordOf({ type: each, key }));
        // Emptied folders go too; one that still holds something (a write in progress) stays.
        const folders = [...(await layout.fanOutFolders(each)).map((fanOut) => fanOut.path), folder];
        for (const empty of folders) await rmdir(empty).catch(() => undefined);
      }
      memo.forgetUnder(scope + sep);
    },
    async *entries(type) {
      await context.ready();
      for (const each of type === undefined ? await layout.types() : [type]) {
        for (const key of await recordKeys(layout.recordFolderOf(each))) {
          const entry = await readRecord(layout.recordOf({ type: each, key }), { type: each, key });
          if (entry && (await exists(layout.fileOf(entry)))) yield entry;
        }
      }
    },
    materialize: (ref, destPath) => materializeBlob(context, ref, destPath),
    async usage() {
      await context.ready();
      let entries = 0;
      let bytes = 0;
      await eachBlob(await layout.types(), async (_ref, path) => {
        try {
          const stats = await stat(path);
          entries++;
          bytes += stats.size;
        } catch (error) {
          if (!isMissing(error)) throw unavailable('stat', path, error);
        }
      });
      return { entries, bytes };
    },
    verify: (verifyOptions) => verifyFiles(context, verifyOptions),
  };
}
