import type { BlobRef, BlobTier, Entry, TierUsage } from '@tiercache/core';
import type { DiskLayout } from './disk-layout.js';
import type { ResolvedDiskTierOptions } from './disk-options.js';
import type { VerificationMemo } from './verification-memo.js';

/** What `verify` needs to judge each file. */
export interface DiskVerifyOptions {
  /**
   * How many index entries reference a blob (`EntryIndex.blobReferences`); a blob with none is
   * an orphan: the blob of a writer that lost a race, or of an entry that went away.
   */
  references: (ref: BlobRef) => number | Promise<number>;
  /**
   * An unreferenced blob younger than this (by modification time, in ms) is not an orphan yet:
   * it may be the blob of a put whose index row is about to be inserted.
   * @default 60_000
   */
  orphanMinAgeMs?: number;
  /**
   * Delete corrupt and orphaned files. Without it `verify` only counts (stale temporary
   * files are removed either way, as on every open).
   * @default false
   */
  repair?: boolean;
  /**
   * Entries whose blobs should be on disk (e.g. every index entry). Each one is counted once:
   * with a corrupt file as `corruptEntries`, without a file as `missing`; without this option
   * neither is reported.
   * @default undefined
   */
  expected?: Iterable<Entry>;
  /**
   * Called for each expected entry without an intact file (missing, or corrupt: `repair`
   * deletes that file), so the caller can drop the dangling index row.
   * @default undefined
   */
  onMissing?: (entry: Entry) => void;
}

export interface DiskVerifyResult {
  /** Referenced files whose bytes hash to the content hash they are named by. */
  good: number;
  /** Referenced files whose bytes do not hash to the content hash they are named by. */
  corrupt: number;
  /** Expected entries without a file; present only when `expected` was given. */
  missing?: number;
  /** Expected entries whose file is corrupt (one file may serve several); only with `expected`. */
  corruptEntries?: number;
  /** Blob files no entry references. */
  orphaned: number;
  /** Corrupt and orphaned files deleted (only with `repair`). */
  repaired: number;
  /** Temporary files of crashed writers removed. */
  tempFilesRemoved: number;
}

/** The L2 disk tier: a `BlobTier` that always materializes, reports usage and can be audited. */
export interface DiskTier extends BlobTier {
  /** The absolute cache folder. */
  readonly dir: string;
  materialize(ref: BlobRef, destPath: string): Promise<boolean>;
  usage(): Promise<TierUsage>;
  /** Scans every blob file against the index; see `DiskVerifyOptions`. */
  verify(options: DiskVerifyOptions): Promise<DiskVerifyResult>;
}

/** Shared state of one tier instance, handed to the modules that implement its methods. */
export interface DiskContext {
  readonly options: ResolvedDiskTierOptions;
  readonly layout: DiskLayout;
  readonly memo: VerificationMemo;
  /** Resolves once the first-use sweep of stale temporary files has run. */
  ready(): Promise<void>;
  /** Deletes `path` if it still has `fingerprint` (never a file a writer just replaced). */
  removeCorrupt(ref: BlobRef, path: string, fingerprint: string): Promise<boolean>;
}
