import { checkOptions } from '@tiercache/core/kit';

/** Options of `createMemoryTier`. Validated once, at construction. */
export interface MemoryTierOptions {
  /**
   * Most bytes the tier holds (the sum of blob byte lengths). Least recently used blobs are
   * evicted to stay under it; a single blob larger than this is not kept at all.
   * Required: an unbounded memory cache of media is an out-of-memory error waiting to happen.
   */
  maxBytes: number;
  /**
   * Most blobs the tier holds, whatever their size. lru-cache preallocates bookkeeping
   * arrays of this length, hence the upper bound of 10,000,000.
   * @default undefined (bounded by `maxBytes` only)
   */
  maxEntries?: number;
  /**
   * Longest a blob stays in memory, in ms, even when its entry never expires (`expiresAt`
   * null) or expires later. Useful to bound staleness when other processes share the index.
   * @default undefined (blobs live until their entry expires or they are evicted)
   */
  maxAgeMs?: number;
  /**
   * Tier name, unique within one cache; used in stats and events.
   * @default 'memory'
   */
  name?: string;
  /**
   * Clock in ms since the Unix epoch. Must be the clock the cache uses (`TieredCacheOptions.now`),
   * because `Entry.expiresAt` is an absolute time on it.
   * @default Date.now
   */
  now?: () => number;
}

export interface ResolvedMemoryTierOptions {
  maxBytes: number;
  maxEntries: number | undefined;
  maxAgeMs: number | undefined;
  name: string;
  now: () => number;
}

export const MAX_ENTRIES_LIMIT = 10_000_000;

/** Throws `E_INVALID_OPTIONS` naming the first bad option; returns options with defaults filled in. */
export function resolveMemoryTierOptions(options: MemoryTierOptions): ResolvedMemoryTierOptions {
  const check = checkOptions<MemoryTierOptions>('@tiercache/memory', options, {
    known: ['maxBytes', 'maxEntries', 'maxAgeMs', 'name', 'now'],
    // Names people reach for first; a silent typo would leave the tier without the limit they meant.
    hints: { ttl: 'maxAgeMs', ttlMs: 'maxAgeMs', max: 'maxEntries', maxSize: 'maxBytes' },
    expected: 'an object with maxBytes',
  });
  return {
    maxBytes: check.integer('maxBytes', { min: 1 }),
    maxEntries: check.integer('maxEntries', { min: 1, max: MAX_ENTRIES_LIMIT, optional: true }),
    maxAgeMs: check.integer('maxAgeMs', { min: 1, optional: true }),
    name: check.string('name', { default: 'memory', maxLength: 64 }),
    now: check.function<() => number>('now', {
      default: Date.now,
      expected: 'a function returning ms since the epoch',
    }),
  };
}
