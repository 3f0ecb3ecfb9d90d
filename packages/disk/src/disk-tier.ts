import { readFile, rm, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { type BlobRef, type Entry, hashContent, TiercacheError } from '@tiercache/core';
import { removeStaleTemps, writeAtomic } from './atomic-file.js';
import type { DiskContext, DiskTier } from './disk-context.js';
import { DiskLayout, fingerprint, isMissing, unavailable } from './disk-layout.js';
import { type DiskTierOptions, resolveDiskTierOptions } from './disk-options.js';
import { materializeBlob } from './materialize.js';
import { VerificationMemo } from './verification-memo.js';
import { verifyFiles } from './verify-files.js';

/**
 * An L2 blob tier of files on local disk: `<dir>/<type>/<2 hex>/<contentHash>.<ext>`, written atomically,
 * read back verified (by core, since `verifyReads` is true), delivered as private copies.
 * Several processes may share one folder. The factory is synchronous; the folder is swept
 * for leftovers of crashed writers on first use.
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
      sweep ??= sweepTemps().catch(() => undefined); // best effort: the operation reports real faults
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
    for (const type of await layout.types())
      for (const folder of await layout.fanOutFolders(type))
        await removeStaleTemps(folder.path, await layout.files(folder.path), resolved.staleTempMs);
  }

  function assertContent(entry: Entry, bytes: Uint8Array, hash: string): void {
    if (bytes.length === entry.size && hash === entry.contentHash) return;
    throw new TiercacheError(
      'E_INVALID_ENTRY',
      `@tiercache/disk: bytes for ${entry.type}/${entry.key} do not match entry.size/contentHash; they could never be served`,
      { context: { type: entry.type, key: entry.key, size: bytes.length, expectedSize: entry.size } },
    );
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
    verifyReads: true,
    dir: resolved.dir,
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
      const hash = hashContent(bytes);
      assertContent(entry, bytes, hash);
      await context.ready();
      let written: Awaited<ReturnType<typeof writeAtomic>>;
      try {
        written = await writeAtomic(path, entry.contentHash, bytes, {
          fsync: resolved.fsync,
          mode: fileMode,
        });
      } catch (error) {
        memo.forget(path);
        throw unavailable('write', path, error);
      }
      // Remember the file only if it is still ours: a concurrent writer may have renamed its
      // own version over it. The rename itself may change ctime, hence the second stat.
      const now = await stat(path, { bigint: true }).catch(() => undefined);
      if (now && now.ino === written.stats.ino && now.dev === written.stats.dev)
        memo.remember(path, fingerprint(now), hash);
      else memo.forget(path);
    },
    async has(ref) {
      const path = layout.fileOf(ref);
      await context.ready();
      try {
        return (await stat(path)).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw unavailable('stat', path, error);
      }
    },
    async delete(ref) {
      const path = layout.fileOf(ref);
      await context.ready();
      memo.forget(path);
      try {
        await rm(path);
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw unavailable('delete', path, error);
      }
    },
    async clear(type) {
      const scope = type === undefined ? resolved.dir : layout.folderOf(type);
      await context.ready();
      await eachBlob(type === undefined ? await layout.types() : [type], async (_ref, path) => {
        await rm(path, { force: true }).catch((error: unknown) => {
          throw unavailable('delete', path, error);
        });
      });
      memo.forgetUnder(scope + sep);
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
