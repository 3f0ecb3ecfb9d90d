import type { S3Client } from '@aws-sdk/client-s3';
import type { BlobTier, Entry, EntryIndex } from '@tiercache/core';
import type { CompactionResult } from './journal-compaction.js';
import type { SyncOptions } from './journal-sync.js';
import type { S3TierEventName, S3TierListener, S3TierStats, SyncResult } from './s3-events.js';

/** The S3 tier: a `BlobTier` plus what a shared bucket needs (sync, flush, stats, events). */
export interface S3Tier extends BlobTier {
  readonly bucket: string;
  readonly prefix: string;
  /** The SDK client in use (the one given, or the one built from `clientConfig`). */
  readonly client: S3Client;
  /** The entry another machine stored under `(type, key)`, from its manifest. */
  describe(type: string, key: string): Promise<Entry | undefined>;
  /**
   * Inserts into `index` every entry other machines stored since the last sync (see
   * `syncStatePath`), so similarity matchers see them. Never rejects: a bucket that cannot be
   * read gives `complete: false` and the cursor of what was done.
   */
  sync(index: EntryIndex, options?: SyncOptions): Promise<SyncResult>;
  /**
   * Folds journal records older than `journalCompactionAgeMs` into segments (see the README);
   * `sync` does it by itself past `journalCompactionThreshold` old records.
   */
  compactJournal(): Promise<CompactionResult>;
  /** Waits for queued uploads (returns early, with the count left, while the breaker is open). */
  flush(): Promise<number>;
  stats(): S3TierStats;
  on<E extends S3TierEventName>(name: E, listener: S3TierListener<E>): () => void;
  /** Flushes uploads, drops what cannot be sent, aborts requests and frees the client it made. */
  close(): Promise<void>;
}
