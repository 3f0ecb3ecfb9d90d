import type { BlobTier } from './contracts/blob-tier.js';
import type { Entry } from './contracts/entry.js';
import type { EntryIndex } from './contracts/entry-index.js';
import type { IndexStats } from './contracts/index-stats.js';
import type { JsonObject } from './contracts/json.js';
import type { Logger } from './contracts/logger.js';
import type { MatchExplanation, Matcher, MatchKind } from './contracts/matcher.js';
import type { AssetRequest } from './contracts/request.js';
import type { CacheEventName, CacheListener } from './events.js';

/** Options of `createTieredCache`. Validated once, at construction. */
export interface TieredCacheOptions {
  /** Blob tiers, fastest first (memory, disk, S3). At least one; names must be unique. */
  tiers: BlobTier[];
  /**
   * Where entries are recorded.
   * @default createMemoryIndex()
   */
  index?: EntryIndex;
  /**
   * Matchers, tried in order; the first answer wins.
   * @default [exactMatcher()]
   */
  matchers?: Matcher[];
  /**
   * Longest one tier operation may take, in ms, before it counts as failed (and the cache
   * carries on as if the tier missed).
   * @default 5000
   */
  tierTimeoutMs?: number;
  /**
   * Per-tier overrides of `tierTimeoutMs`, by tier name.
   * @default {}
   */
  tierTimeouts?: Record<string, number>;
  /**
   * Time to live of new entries in ms (`PutInfo.ttlMs` overrides it per entry); `null` keeps
   * them until evicted.
   * @default null
   */
  ttlMs?: number | null;
  /**
   * With an index several processes share (SQLite), how long a process's claim to generate a
   * missing key lasts, and so the longest the others wait for its entry before generating
   * themselves. A claim whose process has exited ends at once.
   * @default 120000
   */
  claimMs?: number;
  /**
   * Hits served by a tier that keeps bytes in memory (`BlobTier.sharesReadBytes`: the memory
   * tier) hand out the stored bytes themselves instead of a copy: a hit costs no copy whatever
   * the blob's size. Those bytes are read-only: the memory tier is keyed by content hash and
   * never rewrites a blob, so they stay the entry's bytes as long as no caller writes into
   * them; a caller that did would change what later hits of that content receive. Opt in only
   * when every consumer treats hit bytes as read-only. Other tiers' hits are fresh copies anyway.
   * @default false (every hit's bytes are the caller's own copy)
   */
  zeroCopyHits?: boolean;
  /**
   * Where the cache and its tiers report failures and warnings, with their codes: a pino
   * logger fits. Each `error` event is logged as a warning (the cache carried on), and tiers
   * with `setLogger` (S3) log their own warnings here.
   * @default silentLogger (nothing is logged)
   */
  logger?: Logger;
  /**
   * Clock, in ms since the epoch.
   * @default Date.now
   */
  now?: () => number;
}

/** What `put` needs besides the bytes. */
export interface PutInfo {
  /** IANA media type, e.g. `audio/wav`. */
  mediaType: string;
  /** File extension without dot, e.g. `wav`. */
  extension: string;
  metadata?: JsonObject;
  /** Overrides `TieredCacheOptions.ttlMs` for this entry; `null` never expires. */
  ttlMs?: number | null;
  /** What generating it cost (any currency unit, used consistently). */
  generationCost?: number;
  /** How long generating it took, in ms. `getOrGenerate` measures it when omitted. */
  generationMs?: number;
}

/** What a generator passed to `getOrGenerate` resolves to. */
export interface GeneratedAsset extends PutInfo {
  bytes: Uint8Array;
}

export interface CacheHit {
  kind: MatchKind;
  /** 1 for exact and canonical hits, the similarity for similar ones. */
  score: number;
  /** Why a canonical or similar hit answered (see `MatchExplanation`); absent on exact hits. */
  explanation?: MatchExplanation;
  entry: Entry;
  bytes: Uint8Array;
  /** Name of the tier that served the bytes. */
  tier: string;
}

/** A hit delivered as a file the caller owns (see `TieredCache.getFile`). */
export interface FileHit {
  kind: MatchKind;
  score: number;
  explanation?: MatchExplanation;
  entry: Entry;
  /** The destination path, now holding the content. */
  path: string;
  tier: string;
}

/** What `getOrGenerateFile` delivered: `CacheResult` with a file instead of bytes. */
export interface FileResult {
  source: MatchKind | 'generated';
  score: number;
  explanation?: MatchExplanation;
  entry: Entry;
  /** The destination path, now holding the content (the caller's own file). */
  path: string;
  tier: string | null;
  cached: boolean;
}

export interface CacheResult {
  source: MatchKind | 'generated';
  score: number;
  /** Why a canonical or similar hit answered; absent on exact hits and generations. */
  explanation?: MatchExplanation;
  entry: Entry;
  bytes: Uint8Array;
  /** Tier that served a hit; `null` when generated. */
  tier: string | null;
  /** False when a generated asset could not be stored (a tier or the index failed). */
  cached: boolean;
}

/** What `TieredCache.reject` did. */
export interface RejectResult {
  /** `recorded`: the pairing is now refused; `deleted`: the request's own entry was removed. */
  action: 'recorded' | 'deleted';
  type: string;
  /** The key of the request the entry must not answer. */
  requestKey: string;
  /** The key of the rejected entry. */
  entryKey: string;
  /** The rejected entry as the index held it; `null` when it is not (or no longer) indexed. */
  entry: Entry | null;
  /** False when the pairing was already recorded, or the entry to delete was already gone. */
  isNew: boolean;
}

export interface PruneOptions {
  /** Evict least recently used entries until the indexed bytes are at most this. */
  maxBytes?: number;
  /** Evict least recently used entries until at most this many remain. */
  maxEntries?: number;
  /** The time expiry is judged against. @default the cache clock */
  now?: number;
}

export interface PruneResult {
  expired: number;
  evicted: number;
  bytesFreed: number;
}

export interface SessionStats {
  /** Requests served from the cache, exact and similar. */
  hits: number;
  misses: number;
  /** The part of `hits` that were similar, not exact. */
  similarHits: number;
  /** The part of `hits` that were the same request written differently (canonical matches). */
  canonicalHits: number;
  /** Callers that waited for another caller's generation of the same key instead of generating. */
  coalesced: number;
}

export interface CacheStats {
  session: SessionStats;
  /**
   * The index's figures. `dedupSavedBytes` is what storing identical content once saves
   * (`bytes - contentBytes`); `null` when the index cannot tell. `rejections`: pairings
   * recorded with `reject`, by every process sharing the index (when it supports them).
   */
  index: IndexStats & { dedupSavedBytes: number | null };
  /** hits / (hits + misses) of this session; 0 before any request. */
  hitRate: number;
  tiers: Record<string, { hits: number; errors: number; entries: number | null; bytes: number | null }>;
  /** What this session's hits and coalesced calls avoided, from what `put` was told. */
  saved: Savings;
}

/** What cache hits avoided: generations not run, their time and their cost. */
export interface Savings {
  generations: number;
  /** Sum of the `Entry.generationMs` of the entries served. */
  generationMs: number;
  /** Sum of the `Entry.generationCost` of the entries served, in the caller's currency unit. */
  generationCost: number;
}

/**
 * Where a file is delivered: a path, or a function that picks the path once the entry is
 * known (its extension, its key), for callers that name files after what they receive.
 */
export type Destination = string | ((entry: Entry) => string);

export interface TieredCache {
  get(request: AssetRequest): Promise<CacheHit | undefined>;
  /**
   * Like `get`, but writes the content to `destPath` as the caller's own file: a tier that
   * can materialize (disk) clones or copies its verified file without loading it into memory.
   * The caller may edit or delete that file; the cache is unaffected. A destination that is
   * not a file path in an existing folder, or lies inside the cache's own files (see
   * `ownedPaths`), is refused with `E_INVALID_DESTINATION` before anything is read.
   */
  getFile(request: AssetRequest, destination: Destination): Promise<FileHit | undefined>;
  put(request: AssetRequest, bytes: Uint8Array, info: PutInfo): Promise<Entry>;
  getOrGenerate(request: AssetRequest, generate: () => Promise<GeneratedAsset>): Promise<CacheResult>;
  /**
   * `getOrGenerate` delivering a file the caller owns at `destPath`: hits are materialized
   * (cloned or copied, verified) without loading them into memory; a generation is shared with
   * concurrent callers of the same key, stored, and written to `destPath`. A bad destination
   * string fails with `E_INVALID_DESTINATION` before anything is generated; a destination
   * function's answer is checked once the entry is known, before the file is written.
   */
  getOrGenerateFile(
    request: AssetRequest,
    destination: Destination,
    generate: () => Promise<GeneratedAsset>,
  ): Promise<FileResult>;
  /**
   * Removes one request's entry: the index row first, then per-entry records in the tiers,
   * then the blob once no other entry references the same content.
   */
  delete(request: AssetRequest): Promise<boolean>;
  /**
   * Feedback: `entry` (an entry of the request's type, or its key) must not answer `request`.
   * A canonical or similar pairing is recorded in the index and never served again by any
   * process sharing it (the lookup goes on to the next matcher, else generates). Rejecting the
   * request's own entry (an exact hit) deletes that entry, so the next request regenerates it.
   * Throws `E_INVALID_REQUEST` for a bad request or entry, `E_UNSUPPORTED` when a pairing
   * must be recorded and the index has no `reject`, `E_INDEX_UNAVAILABLE` when the index fails.
   */
  reject(request: AssetRequest, entry: Entry | string): Promise<RejectResult>;
  clear(type?: string): Promise<number>;
  prune(options?: PruneOptions): Promise<PruneResult>;
  stats(): Promise<CacheStats>;
  on<E extends CacheEventName>(name: E, listener: CacheListener<E>): () => void;
  /**
   * The files and folders the tiers and the index own (absolute, symlinks resolved): no
   * destination may lie inside them.
   */
  ownedPaths(): Promise<string[]>;
  /** Resolves when background work (backfills) has finished. */
  idle(): Promise<void>;
  /** Waits for background work, then closes tiers and the index. */
  close(): Promise<void>;
  readonly index: EntryIndex;
  readonly tiers: readonly BlobTier[];
}

export type { IndexStats };
