// The user API. Tier, index and matcher authors: `@tiercache/core/kit` and `@tiercache/core/contracts`.
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
  Savings,
  SessionStats,
  TieredCache,
  TieredCacheOptions,
} from './cache-types.js';
export type {
  AssetRequest,
  BlobRef,
  BlobTier,
  Entry,
  EntryIndex,
  EntryRef,
  IndexStats,
  JsonObject,
  JsonValue,
  LogFields,
  Logger,
  Match,
  MatchDifference,
  MatchExplanation,
  Matcher,
  MatchKind,
  RequestKey,
  TierUsage,
  TypeStats,
} from './contracts/index.js';
export {
  isTiercacheError,
  TiercacheError,
  type TiercacheErrorCode,
  type TiercacheErrorOptions,
} from './errors.js';
export type { CacheEventName, CacheEvents, CacheListener, EvictReason } from './events.js';
export { exactMatcher } from './matcher.js';
export { createMemoryIndex } from './memory-index.js';
export {
  CREDENTIAL_PATTERNS,
  createRedactor,
  type Redact,
  type RedactionPattern,
} from './redaction.js';
export {
  deriveKey,
  hashContent,
  KEY_SCHEMA_VERSION,
  MAX_PROMPT_LENGTH,
  MAX_TYPE_LENGTH,
  normalizePrompt,
} from './request.js';
export { createTieredCache } from './tiered-cache.js';
