export type { DiskTier, DiskVerifyOptions, DiskVerifyResult } from './disk-context.js';
export type { DeliveryMode, DiskTierOptions, VerifyMode } from './disk-options.js';
export { createDiskTier } from './disk-tier.js';
