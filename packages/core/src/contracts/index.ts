// The contracts a tier, index or matcher implements: types only, plus their version.
export type { BlobTier, ReadVerification, TierUsage } from './blob-tier.js';
export type { BlobRef, Entry, EntryRef } from './entry.js';
export type { EntryIndex, IndexChange, PartitionEntry } from './entry-index.js';
export type { IndexStats, TypeStats } from './index-stats.js';
export type { JsonObject, JsonValue } from './json.js';
export type { LogFields, Logger } from './logger.js';
export type { Match, MatchDifference, MatchExplanation, Matcher, MatchKind } from './matcher.js';
export type { OwnsPaths } from './owns-paths.js';
export type { AssetRequest, RequestKey } from './request.js';
export { CONTRACT_VERSION, type ContractVersion } from './version.js';
