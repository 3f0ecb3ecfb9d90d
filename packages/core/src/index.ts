export {
  assertBlobRef,
  assertEntryRef,
  blobPath,
  blobRefOf,
  CONTENT_HASH_PATTERN,
  sameBlob,
} from './blob-ref.js';
export type { BlobTier, TierUsage } from './blob-tier.js';
export type {
  CacheHit,
  CacheResult,
  CacheStats,
  Destination,
  FileHit,
  FileResult,
  GeneratedAsset,
  PruneOptions,
  PruneResult,
  PutInfo,
  RejectResult,
  SessionStats,
  TieredCache,
  TieredCacheOptions,
} from './cache-types.js';
export { compareForEviction, IndexChangeFeed } from './change-feed.js';
export {
  type DestinationCheckOptions,
  type OwnsPaths,
  resolveOwnedPaths,
  unwritableDestination,
  validateDestination,
  writeDestination,
} from './destination.js';
export type { BlobRef, Entry, EntryRef } from './entry.js';
export type { EntryIndex, IndexChange, IndexStats, PartitionEntry, TypeStats } from './entry-index.js';
export { validateEntry } from './entry-validation.js';
export {
  describeValue,
  invalidOption,
  isTiercacheError,
  TiercacheError,
  type TiercacheErrorCode,
  type TiercacheErrorOptions,
} from './errors.js';
export type { CacheEventName, CacheEvents, CacheListener, EvictReason } from './events.js';
export { canonicalJson, type JsonObject, type JsonValue } from './json.js';
export { assertLogger, type LogFields, type Logger, safeLog, silentLogger } from './logger.js';
export {
  exactMatcher,
  type Match,
  type MatchDifference,
  type MatchExplanation,
  type Matcher,
  type MatchKind,
  withExplanation,
} from './matcher.js';
export { createMemoryIndex } from './memory-index.js';
export {
  CREDENTIAL_PATTERNS,
  createRedactor,
  type Redact,
  type RedactionPattern,
} from './redaction.js';
export {
  type AssetRequest,
  assertAssetType,
  deriveKey,
  hashContent,
  KEY_SCHEMA_VERSION,
  MAX_PROMPT_LENGTH,
  MAX_TYPE_LENGTH,
  normalizePrompt,
  type RequestKey,
} from './request.js';
export { createTieredCache } from './tiered-cache.js';
