import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3TierWarning } from './s3-events.js';

/** Options of `createS3Tier`. Validated once, at construction. */
export interface S3TierOptions {
  /** The bucket; it must exist. Several machines share it by using the same bucket and prefix. */
  bucket: string;
  /**
   * Key prefix of everything this tier writes: `''` or a string ending in `/` (`cache/prod/`).
   * @default ''
   */
  prefix?: string;
  /**
   * A ready client. The tier retries and times out requests itself, so give it `maxAttempts: 1`.
   * The tier never destroys a client it did not create. Exclusive with `clientConfig`.
   * @default undefined (a client built from `clientConfig`)
   */
  client?: S3Client;
  /**
   * Passed to `new S3Client(...)`: `region`, `endpoint`, `forcePathStyle`, `credentials`...
   * Without credentials the default AWS chain applies (environment, profile, instance role).
   * The tier adds `maxAttempts: 1` and checksums `WHEN_REQUIRED` unless you set them.
   * @default {}
   */
  clientConfig?: S3ClientConfig;
  /**
   * Tier name, unique within one cache; used in stats and events.
   * @default 's3'
   */
  name?: string;
  /**
   * Longest one read, metadata, list or delete request may take (headers and body), in ms.
   * @default 2000
   */
  requestTimeoutMs?: number;
  /**
   * Longest one blob upload request may take, in ms.
   * @default 30000
   */
  uploadTimeoutMs?: number;
  /**
   * Longest `close()` waits for queued uploads to reach the bucket, in ms; then requests still
   * in flight are aborted and uploads not sent are dropped (counted, one `E_UPLOADS_ABANDONED`
   * warning). With an unreachable bucket `close()` settles within this bound.
   * @default 10000
   */
  closeTimeoutMs?: number;
  /**
   * Retries after a failed attempt (network error, timeout, HTTP 5xx, 429), so at most
   * `maxRetries + 1` attempts. 4xx answers are never retried.
   * @default 2
   */
  maxRetries?: number;
  /**
   * Backoff before retry `n` (from 1) is a random delay in `[0, min(retryMaxDelayMs, retryBaseDelayMs * 2^n)]`.
   * @default 50
   */
  retryBaseDelayMs?: number;
  /**
   * Cap of one backoff delay, in ms.
   * @default 1000
   */
  retryMaxDelayMs?: number;
  /**
   * Hash every download while it streams in and compare it with the blob's name (its content
   * hash), so core does not hash the bytes again (the tier declares `readVerification: 'by-tier'`). A
   * download that does not match is a miss, and the object is deleted only when the store
   * itself proves it bad. Turning it off moves that one SHA-256 pass per hit to core, which
   * then deletes any copy that fails its check through `delete`, including one merely damaged
   * on the way: leave it on for a bucket other machines share.
   * @default true
   */
  verifyDownloads?: boolean;
  /**
   * Consecutive failed operations (after their retries) that open the circuit breaker.
   * @default 5
   */
  breakerThreshold?: number;
  /**
   * How long an open breaker skips the tier (operations fail at once with `E_TIER_UNAVAILABLE`)
   * before one probe operation is let through, in ms.
   * @default 30000
   */
  breakerCooldownMs?: number;
  /**
   * Uploads waiting or running at most; beyond it new uploads are dropped and counted.
   * @default 128
   */
  queueCapacity?: number;
  /**
   * Bytes held by waiting or running uploads at most; beyond it new uploads are dropped.
   * @default 134217728 (128 MiB)
   */
  queueMaxBytes?: number;
  /**
   * Uploads running at the same time.
   * @default 4
   */
  uploadConcurrency?: number;
  /**
   * How far back (ms) each `sync` re-reads the journal before its cursor, so entries written
   * by machines whose clock runs behind are still found.
   * @default 300000 (5 minutes)
   */
  syncOverlapMs?: number;
  /**
   * Journal records older than this (ms) are folded by compaction into one segment object per
   * asset type, which holds their entries, so a machine syncing from scratch reads a few
   * segments instead of one record and one manifest per entry. At least `syncOverlapMs`.
   * @default 86400000 (1 day)
   */
  journalCompactionAgeMs?: number;
  /**
   * A `sync` that lists at least this many records older than `journalCompactionAgeMs` compacts
   * the journal before it returns; 0 leaves compaction to `compactJournal()`.
   * @default 1000
   */
  journalCompactionThreshold?: number;
  /**
   * Shared secret (at least 16 bytes) that signs manifests with HMAC-SHA256. With a key, this
   * tier signs every entry it records, and ignores (never describes, syncs or serves) entries
   * whose manifest is not signed with it, so a writer without the key cannot poison the
   * farm's cache. Without one, nothing is signed or checked. Never printed or written anywhere.
   * @default undefined
   */
  signingKey?: string | Uint8Array;
  /**
   * Send `If-None-Match: *` on writes that create a blob or a manifest, so the store refuses to
   * replace an existing one (AWS S3, Cloudflare R2 and MinIO honour it: the first manifest of a
   * key wins in the bucket). Stores that ignore it (s3rver) let the last manifest win; every
   * machine's own index still decides what it serves, and blobs named by content cannot hold
   * other bytes. Turn it off for a store that rejects the header.
   * @default true
   */
  conditionalWrites?: boolean;
  /**
   * File that keeps the sync cursor between runs (CLI, restarts); written atomically. Keep one
   * per local index; delete it when you delete the index. Without it the cursor lives in memory.
   * @default undefined
   */
  syncStatePath?: string;
  /**
   * Receives the tier's warnings (read-only switch, queue full, corrupt object removed). They
   * never contain credentials.
   * @default the logger of the cache the tier joins (`TieredCacheOptions.logger`, handed over
   * through `setLogger`), as `logger.warn({ code, tier }, message)`; silent without one
   */
  onWarning?: (warning: S3TierWarning) => void;
  /**
   * Clock in ms, used for journal names and the breaker.
   * @default Date.now
   */
  now?: () => number;
}

export interface ResolvedS3TierOptions {
  bucket: string;
  prefix: string;
  name: string;
  requestTimeoutMs: number;
  uploadTimeoutMs: number;
  closeTimeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  verifyDownloads: boolean;
  breakerThreshold: number;
  breakerCooldownMs: number;
  queueCapacity: number;
  queueMaxBytes: number;
  uploadConcurrency: number;
  syncOverlapMs: number;
  journalCompactionAgeMs: number;
  journalCompactionThreshold: number;
  signingKey: Uint8Array | undefined;
  conditionalWrites: boolean;
  syncStatePath: string | undefined;
  onWarning: ((warning: S3TierWarning) => void) | undefined;
  now: () => number;
}

export { resolveS3TierOptions } from './resolve-s3-options.js';
