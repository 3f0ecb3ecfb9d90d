import type { MediaStats, OriginalCacheStats } from './media-types.js';

/**
 * The original system's statistics dictionary, built from media's figures: the one place the
 * snake_case names exist. `avg_uses_per_entry` is rounded to 2 decimals as the original did.
 */
export function toOriginalStats(stats: MediaStats): OriginalCacheStats {
  const byType: OriginalCacheStats['database']['by_type'] = {};
  for (const [type, { entries, uses }] of Object.entries(stats.index.byType)) {
    byType[type] = {
      count: entries,
      total_uses: uses,
      avg_uses_per_entry: entries === 0 ? 0 : Math.round((uses / entries) * 100) / 100,
    };
  }
  return {
    session: {
      hits: stats.session.hits,
      misses: stats.session.misses,
      canonical_hits: stats.session.canonicalHits,
      similarity_hits: stats.session.similarHits,
    },
    database: { total_entries: stats.index.entries, by_type: byType },
    hit_rate: stats.hitRate,
  };
}
