import { constants, copyFileSync, lstatSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { chmod, copyFile, link, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { type BlobRef, isTiercacheError } from '@tiercache/core';
import { hashFile, tempPathFor } from './atomic-file.js';
import type { DiskContext } from './disk-context.js';
import { diskErrors } from './disk-errors.js';
import { errorCode, fingerprint, isMissing, unavailable } from './disk-layout.js';

/**
 * Stat of the cached file, or `undefined` when it is absent. Synchronous on purpose: a stat
 * of a local, recently used file takes microseconds, while a threadpool round trip costs
 * tens of them, and a delivery takes two (the 1.5x-of-bare-copy budget of a hit).
 */
async function statOrNothing(path: string) {
  try {
    return statSync(path, { bigint: true });
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw unavailable('stat', path, error);
  }
}

/**
 * Up to this size a copy runs synchronously: it takes less time than the threadpool round trip
 * an asynchronous copy adds (a few tens of µs, far more on a loaded machine), so small hits
 * are not slowed down by the machinery around them. Bigger files are copied off the event loop.
 */
const SYNC_COPY_BYTES = 512 * 1024;

/** Puts the cached file at `temp`: a hard link (read-only mode) or a clone/copy. */
async function place(context: DiskContext, source: string, temp: string, size: bigint): Promise<void> {
  if (context.options.delivery === 'hardlink-readonly') {
    try {
      await link(source, temp);
      return;
    } catch (error) {
      // Hard links cannot cross filesystems (or exist on some); a copy still serves the caller.
      if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP'].includes(errorCode(error) ?? '')) throw error;
    }
  }
  // FICLONE: a copy-on-write clone where the filesystem can, a plain copy where it cannot.
  // EXCL (the temporary name is new anyway) spares libuv's ftruncate of the target, which on
  // ext4 (auto_da_alloc) makes close() start writeback of the fresh copy: up to 3x the copy.
  const mode = constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL;
  if (size <= SYNC_COPY_BYTES) copyFileSync(source, temp, mode);
  else await copyFile(source, temp, mode);
}

/**
 * Renames the verified temporary file to `destPath`. A file already there is removed first:
 * ext4 (auto_da_alloc) flushes the new file's data when a rename replaces another file,
 * which made a delivery over an existing path cost 1.5-3x a bare copy. `destPath` is thus
 * absent for an instant before it holds the new file, but it never holds a partial one, and
 * it keeps its old content when the delivery fails before this point.
 */
function moveIntoPlace(temp: string, destPath: string): void {
  // Synchronous like the stats: two metadata operations of microseconds each.
  const existing = lstatSync(destPath, { throwIfNoEntry: false });
  // A folder stays, so that the rename fails as before instead of this removing anything.
  if (existing && !existing.isDirectory()) {
    try {
      unlinkSync(destPath);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  renameSync(temp, destPath);
}

/**
 * Delivers the cached blob as the caller's own file at `destPath`, verified against
 * `ref.contentHash`. The file appears complete or not at all (temporary file + rename).
 * Hashing is skipped when this instance already verified the very same file version.
 */
export async function materializeBlob(
  context: DiskContext,
  ref: BlobRef,
  destPath: string,
): Promise<boolean> {
  const expectedHash = ref.contentHash;
  const source = context.layout.fileOf(ref);
  if (typeof destPath !== 'string' || destPath.length === 0) {
    throw diskErrors.invalidRequest('materialize needs a destination path', {
      context: { field: 'destPath' },
    });
  }
  await context.ready();
  // A second attempt only when a writer replaced the file while we copied a bad version.
  const first = await attempt(context, ref, source, destPath, expectedHash);
  return first === 'replaced'
    ? (await attempt(context, ref, source, destPath, expectedHash)) === true
    : first;
}

async function attempt(
  context: DiskContext,
  ref: BlobRef,
  source: string,
  destPath: string,
  expectedHash: string,
): Promise<boolean | 'replaced'> {
  const { memo, options } = context;
  let before = await statOrNothing(source);
  if (!before) return false;
  if (options.delivery === 'hardlink-readonly' && (before.mode & 0o222n) !== 0n) {
    // Written by a copy-mode instance: make it read-only before anyone links to it.
    await chmod(source, 0o444).catch(() => undefined);
    before = await statOrNothing(source);
    if (!before) return false;
  }
  // Long destination names leave room for the temporary suffix within NAME_MAX.
  const temp = tempPathFor(destPath, basename(destPath).slice(0, 100));
  let delivered = false;
  try {
    try {
      await place(context, source, temp, before.size);
    } catch (error) {
      if (isMissing(error) && !(await statOrNothing(source))) return false;
      throw unavailable('deliver', destPath, error);
    }
    const after = await statOrNothing(source);
    const version = fingerprint(before);
    const unchanged = after !== undefined && fingerprint(after) === version;
    const trusted =
      options.verify === 'on-change' && unchanged && memo.hashOf(source, version) === expectedHash;
    if (!trusted) {
      const actual = await hashFile(temp);
      if (actual !== expectedHash) {
        if (unchanged) await context.removeCorrupt(ref, source, version);
        return unchanged || after === undefined ? false : 'replaced';
      }
      if (unchanged) memo.remember(source, version, actual);
    }
    if (options.delivery === 'copy' && (before.mode & 0o200n) === 0n) await chmod(temp, 0o644);
    moveIntoPlace(temp, destPath);
    delivered = true;
    return true;
  } catch (error) {
    throw isTiercacheError(error) ? error : unavailable('deliver', destPath, error);
  } finally {
    if (!delivered) await rm(temp, { force: true });
  }
}
