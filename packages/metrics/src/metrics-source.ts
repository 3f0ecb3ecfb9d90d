import type { CacheStats, TieredCache } from '@tiercache/core';

/** What metrics need of a cache: its events, its stats and its tiers (a `TieredCache` fits). */
export type MetricsSource = Pick<TieredCache, 'on' | 'stats' | 'tiers'>;

/**
 * One `stats()` call per scrape: every gauge collected during a scrape starts its collection
 * in the same tick, so they share the call in flight instead of each querying the index.
 * A failing index answers `undefined`: a scrape must never fail because the cache is degraded.
 */
export function sharedStats(source: MetricsSource): () => Promise<CacheStats | undefined> {
  let pending: Promise<CacheStats | undefined> | undefined;
  return () => {
    pending ??= source
      .stats()
      .catch(() => undefined)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
