import { invalidOption, TiercacheError } from '@tiercache/core';

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
  ttlMs?: number;
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
  ttlMs: number | undefined;
  name: string;
  now: () => number;
}

const KNOWN_OPTIONS = new Set(['maxBytes', 'maxEntries', 'ttlMs', 'name', 'now']);
// Names people reach for first; a silent typo would leave the tier without the limit they meant.
const SUGGESTIONS: Record<string, string> = { ttl: 'ttlMs', max: 'maxEntries', maxSize: 'maxBytes' };
export const MAX_ENTRIES_LIMIT = 10_000_000;

function fail(option: string, value: unknown, expected: string): never {
  throw invalidOption('@tiercache/memory', option, value, expected);
}

function positiveInteger(option: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    fail(option, value, `an integer from 1 to ${max.toLocaleString('en-US')}`);
  }
  return value;
}

/** Throws `E_INVALID_OPTIONS` naming the first bad option; returns options with defaults filled in. */
export function resolveMemoryTierOptions(options: MemoryTierOptions): ResolvedMemoryTierOptions {
  if (typeof options !== 'object' || options === null) fail('object', options, 'an object with maxBytes');
  for (const option of Object.keys(options)) {
    if (KNOWN_OPTIONS.has(option)) continue;
    const hint = SUGGESTIONS[option] ? ` (did you mean ${SUGGESTIONS[option]}?)` : '';
    throw new TiercacheError('E_INVALID_OPTIONS', `@tiercache/memory: unknown option ${option}${hint}`, {
      context: { option },
    });
  }
  const { maxEntries, ttlMs, name = 'memory', now = Date.now } = options;
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) {
    fail('name', name, 'a non-empty string of at most 64 characters');
  }
  if (typeof now !== 'function') fail('now', now, 'a function returning ms since the epoch');
  return {
    maxBytes: positiveInteger('maxBytes', options.maxBytes),
    maxEntries:
      maxEntries === undefined ? undefined : positiveInteger('maxEntries', maxEntries, MAX_ENTRIES_LIMIT),
    ttlMs: ttlMs === undefined ? undefined : positiveInteger('ttlMs', ttlMs),
    name,
    now,
  };
}
