export type { CompactionResult } from './journal-compaction.js';
export type { SyncOptions } from './journal-sync.js';
export type {
  BreakerState,
  DropReason,
  S3TierEventName,
  S3TierEvents,
  S3TierListener,
  S3TierStats,
  S3TierWarning,
  SyncResult,
} from './s3-events.js';
export type { S3TierOptions } from './s3-options.js';
export { createS3Tier, type S3Tier } from './s3-tier.js';
