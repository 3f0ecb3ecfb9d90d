export { MAX_ENTRIES_LIMIT, type MemoryTierOptions } from './memory-options.js';
export { createMemoryTier } from './memory-tier.js';
