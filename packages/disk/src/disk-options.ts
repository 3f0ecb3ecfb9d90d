import { resolve } from 'node:path';
import type { BlobRef } from '@tiercache/core';
import { checkOptions } from '@tiercache/core/kit';

/** How `materialize` hands a cached file to the caller. */
export type DeliveryMode = 'copy' | 'hardlink-readonly';
/** When `materialize` hashes the cached file. */
export type VerifyMode = 'always' | 'on-change';

/** Options of `createDiskTier`. Validated once, at construction. */
export interface DiskTierOptions {
  /**
   * Cache folder; created on first write. Blobs live in `<dir>/<type>/<key>.<ext>`; the SQLite
   * index may keep `cache.db` beside them. The tier only touches `<type>` folders and files
   * named like its blobs or its temporary files, but it owns the whole folder (`ownedPaths`):
   * a cache refuses to deliver a file anywhere inside it (`E_INVALID_DESTINATION`).
   */
  dir: string;
  /**
   * Tier name, unique within one cache; used in stats and events.
   * @default 'disk'
   */
  name?: string;
  /**
   * Flush each new file (and its folder) to stable storage before it becomes visible. Without
   * it a power loss can leave a renamed file empty or short; reads are verified, so such a file
   * is detected and dropped, never served. With it every put waits for the disk (milliseconds).
   * @default false
   */
  fsync?: boolean;
  /**
   * `copy`: the caller gets its own file, a copy-on-write clone where the filesystem supports
   * it (btrfs, XFS, APFS), else a plain copy. `hardlink-readonly`: the caller gets a hard link
   * to the cached file, which is made read-only (0444). Faster for big files, but the caller
   * shares the inode: anyone who chmods the link and writes to it corrupts the cache (reads
   * are still verified). Falls back to a copy across filesystems.
   * @default 'copy'
   */
  delivery?: DeliveryMode;
  /**
   * `on-change`: `materialize` hashes a file only when this tier instance has not already
   * verified (or written) it with the same stat fingerprint (device, inode, size, mtime,
   * ctime). `always`: every delivery hashes its copy, which also catches silent bit rot.
   * @default 'on-change'
   */
  verify?: VerifyMode;
  /**
   * Called when `materialize` finds (and deletes) a corrupt file, and for each corrupt file
   * `verify` finds (deleted only with `repair`).
   * @default undefined
   */
  onCorrupt?: (ref: BlobRef) => void;
  /**
   * A temporary file older than this (ms) is a leftover of a crashed writer and is removed
   * on first use and by `verify`. Younger ones may belong to another process still writing.
   * @default 600_000 (10 minutes)
   */
  staleTempMs?: number;
}

export interface ResolvedDiskTierOptions {
  dir: string;
  name: string;
  fsync: boolean;
  delivery: DeliveryMode;
  verify: VerifyMode;
  onCorrupt: ((ref: BlobRef) => void) | undefined;
  staleTempMs: number;
}

/** Throws `E_INVALID_OPTIONS` naming the first bad option; returns options with defaults filled in. */
export function resolveDiskTierOptions(options: DiskTierOptions): ResolvedDiskTierOptions {
  const check = checkOptions<DiskTierOptions>('@tiercache/disk', options, {
    known: ['dir', 'name', 'fsync', 'delivery', 'verify', 'onCorrupt', 'staleTempMs'],
    expected: 'an object with dir',
  });
  const dir = check.string('dir', {
    maxLength: 4096,
    test: (path) => !path.includes('\0'),
    expected: 'a folder path',
  });
  return {
    dir: resolve(dir),
    name: check.string('name', { default: 'disk', maxLength: 64 }),
    fsync: check.boolean('fsync', { default: false }),
    delivery: check.oneOf('delivery', ['copy', 'hardlink-readonly'], { default: 'copy' }),
    verify: check.oneOf('verify', ['always', 'on-change'], { default: 'on-change' }),
    onCorrupt: check.function<(ref: BlobRef) => void>('onCorrupt', { optional: true }),
    staleTempMs: check.integer('staleTempMs', {
      default: 600_000,
      expected: 'an integer number of ms, 0 or more',
    }),
  };
}
