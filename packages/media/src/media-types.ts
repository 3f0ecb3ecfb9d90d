import type {
  BlobTier,
  Entry,
  EntryIndex,
  JsonObject,
  JsonValue,
  MatchExplanation,
  Matcher,
  MatchKind,
  Savings,
  SessionStats,
  TieredCache,
  TieredCacheOptions,
} from '@tiercache/core';
import type { PricingTable } from './pricing.js';

/**
 * A named matching policy:
 * - `'exact-only'`: only the same request (after whitespace normalization);
 * - `'canonical'`: also the same request written differently (case, punctuation, digits vs
 *   number words; for speech the spoken form, for images tag order, articles, synonyms);
 * - `'guarded'`: canonical, plus prompts that differ only in ignorable words (articles,
 *   fillers, quality boosters; for speech only disfluencies), never in a negation, number,
 *   symbol, colour, count or word order;
 * - `'jaccard'`: the original rule, word-set Jaccard at `DEFAULT_JACCARD_THRESHOLD` or above.
 *   It serves different pictures and sentences (see the README's probe-set figures); kept for
 *   comparison, never a default.
 */
export type PolicyName = 'exact-only' | 'canonical' | 'guarded' | 'jaccard';

/**
 * How one request type may be answered, from the app's settings down to the matcher: a policy
 * name, the Jaccard rule with its own threshold (in (0, 1]), or any `Matcher` (an embedding
 * matcher, a guarded matcher with custom word lists), which then answers that type only.
 */
export type SimilarityPolicy = PolicyName | { policy: 'jaccard'; threshold: number } | Matcher;

/** Matching policy per media type; a type left out gets its `DEFAULT_SIMILARITY_POLICIES` entry. */
export interface MediaPolicies {
  /**
   * A similar sentence is different spoken words: speech gets canonical hits only unless you
   * opt in to `'guarded'`.
   * @default DEFAULT_SIMILARITY_POLICIES.tts ('canonical')
   */
  tts?: SimilarityPolicy;
  /** @default DEFAULT_SIMILARITY_POLICIES.image ('guarded') */
  image?: SimilarityPolicy;
}

/** What the `storage` factory opens: an entry index (memory index when omitted) and blob tiers. */
export interface MediaStorage {
  index?: EntryIndex;
  tiers: BlobTier[];
}

/** Options of `createMediaCache`. Validated once, at construction. */
export interface MediaCacheOptions {
  /**
   * Opens the storage on first use, so a disabled cache never touches the disk.
   * Required when `enabled` is true.
   */
  storage?: () => MediaStorage;
  /**
   * Folder where caller-owned files are delivered, as `<outputDir>/<fileId>.<ext>`, unless a call
   * gives `destPath`. Created when missing; a folder inside the cache's own files is refused
   * (`E_INVALID_DESTINATION`) before anything is generated.
   */
  outputDir: string;
  /**
   * `false` runs every generator directly and does no cache work or I/O at all.
   * @default true
   */
  enabled?: boolean;
  /**
   * The similarity policy of each type; any `Matcher` is accepted per type.
   * @default DEFAULT_SIMILARITY_POLICIES
   */
  policies?: MediaPolicies;
  /**
   * Prices per engine (TTS) and model (image), merged over `DEFAULT_PRICING`, in USD. Recorded as
   * the entry's generation cost when the generator reports no `generationCost` of its own.
   * @default DEFAULT_PRICING
   */
  pricing?: Partial<PricingTable>;
  /**
   * Passed to `createTieredCache` (`ttlMs`, `tierTimeoutMs`, `tierTimeouts`, `now`).
   * @default {}
   */
  cacheOptions?: Omit<TieredCacheOptions, 'tiers' | 'index' | 'matchers'>;
}

/**
 * A text-to-speech request. Every field except `text` is key material (it changes the audio);
 * an `undefined` field counts as absent, so `{ speed: options.speed }` needs no guard.
 */
export interface TtsRequest {
  text: string;
  engine: string;
  /** Any JSON voice configuration: a name, or an object of settings. */
  voice: JsonValue;
  speed?: number | undefined;
  format?: string | undefined;
  [setting: string]: JsonValue | undefined;
}

/** An image request. Every field is key material; `undefined` fields count as absent. */
export interface ImageRequest {
  prompt: string;
  negativePrompt?: string | undefined;
  model?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  steps?: number | undefined;
  seed?: number | undefined;
  [setting: string]: JsonValue | undefined;
}

/** What a generator resolves to. */
export interface GeneratedMedia {
  /** The file content; empty output is refused and never cached. */
  bytes: Uint8Array;
  /** IANA media type, e.g. `audio/wav`. */
  mediaType: string;
  /** File extension without a dot: 1-16 lowercase letters or digits (`wav`, `png`). */
  extension: string;
  metadata?: JsonObject;
  /** What this generation cost in USD (the entry's `generationCost`); wins over the pricing table. */
  generationCost?: number;
}

export type TtsGenerator = (request: TtsRequest) => Promise<GeneratedMedia>;
export type ImageGenerator = (request: ImageRequest) => Promise<GeneratedMedia>;

export interface DeliveryOptions {
  /**
   * Where to write the caller's file instead of `<outputDir>/<fileId>.<ext>`. Its folder is
   * created when missing. A NUL byte, an existing folder, or a path inside the cache's own files
   * (index, blobs, temporary files) is refused with `E_INVALID_DESTINATION` before anything is
   * generated.
   * @default `<outputDir>/<fileId>.<ext>`
   */
  destPath?: string;
}

export interface MediaResult {
  /** A new UUID on every call, hit or not. */
  fileId: string;
  /** The caller's own file: editing or deleting it never touches the cache. */
  path: string;
  source: MatchKind | 'generated';
  /** Similarity of the matched prompt (canonical and similar hits only). */
  score?: number;
  /** The stored prompt that answered (canonical and similar hits only). */
  matchedPrompt?: string;
  /** Why a canonical or similar hit answered: the words that differed and the rule that allowed each. */
  explanation?: MatchExplanation;
  /** The cache entry; `null` when the cache is disabled or could not store the output. */
  entry: Entry | null;
  /** Whether the content is in the cache now. */
  cached: boolean;
}

export type WarmItem = { kind: 'tts'; request: TtsRequest } | { kind: 'image'; request: ImageRequest };

export interface WarmGenerators {
  tts?: TtsGenerator;
  image?: ImageGenerator;
}

/** One finished warm item. */
export interface WarmProgress {
  done: number;
  total: number;
  /** Position of the item in the list given to `warm`. */
  index: number;
  kind: 'tts' | 'image';
  /** `exact`: already cached; `similar`: a similar entry answers it; `failed`: see `error`. */
  source: MatchKind | 'generated' | 'failed';
  error?: unknown;
}

export interface WarmOptions {
  /**
   * Generations running at once.
   * @default 2
   */
  concurrency?: number;
  onProgress?: (progress: WarmProgress) => void;
}

export interface WarmFailure {
  index: number;
  kind: 'tts' | 'image';
  /** The text or prompt of the failed item (when it had one). */
  prompt: string | undefined;
  /** The error the generator or the validation threw, unchanged. */
  error: unknown;
}

export interface WarmReport {
  total: number;
  exact: number;
  /** Items a canonical match (the same request written differently) answers. */
  canonical: number;
  similar: number;
  generated: number;
  /** Items not processed because the cache is disabled. */
  skipped: number;
  failed: WarmFailure[];
}

/** What this media cache reports: this session, the index, and what was saved. */
export interface MediaStats {
  /** `false` when the cache is disabled; every figure is then 0. */
  enabled: boolean;
  /** This process: `hits` includes the canonical and similar ones. */
  session: Omit<SessionStats, 'coalesced'>;
  /** What the index holds; a use is the generation plus every hit. */
  index: { entries: number; byType: Record<string, { entries: number; uses: number }> };
  /** `hits / (hits + misses)`, 0 before any request. */
  hitRate: number;
  /** This session, in total and per type. */
  saved: Savings & { byType: Record<string, Savings> };
}

/**
 * The original system's statistics dictionary, key for key (`get_cache_stats()`), with the
 * session's `canonical_hits` beside `similarity_hits`.
 */
export interface OriginalCacheStats {
  session: { hits: number; misses: number; canonical_hits: number; similarity_hits: number };
  database: {
    total_entries: number;
    by_type: Record<string, { count: number; total_uses: number; avg_uses_per_entry: number }>;
  };
  hit_rate: number;
}

export interface MediaCache {
  tts(request: TtsRequest, generate: TtsGenerator, options?: DeliveryOptions): Promise<MediaResult>;
  image(request: ImageRequest, generate: ImageGenerator, options?: DeliveryOptions): Promise<MediaResult>;
  /** Pre-generates known requests; continues past failures and reports them. */
  warm(items: WarmItem[], generators: WarmGenerators, options?: WarmOptions): Promise<WarmReport>;
  /** This session's figures, the index's and what was saved (opens the storage). */
  stats(): Promise<MediaStats>;
  /** The original system's statistics dictionary, for code written against it (opens the storage). */
  getCacheStats(): Promise<OriginalCacheStats>;
  /** The underlying cache, opened on first access; `undefined` when disabled. */
  readonly cache: TieredCache | undefined;
  /** Opens the storage now (maintenance commands need it before any request). */
  open(): TieredCache | undefined;
  /** Waits for background work and closes the storage; later calls throw `E_CLOSED`. */
  close(): Promise<void>;
}
