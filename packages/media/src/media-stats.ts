import type { CacheStats } from '@tiercache/core';
import type { MediaStats } from './media-types.js';

/** Core's statistics cut down to what a media cache reports, plus `saved`; all 0 when disabled. */
export function toMediaStats(stats: CacheStats | undefined, saved: MediaStats['saved']): MediaStats {
  const byType: MediaStats['index']['byType'] = {};
  for (const [type, figures] of Object.entries(stats?.database.by_type ?? {})) {
    byType[type] = { entries: figures.count, uses: figures.total_uses };
  }
  return {
    enabled: stats !== undefined,
    session: {
      hits: stats?.session.hits ?? 0,
      misses: stats?.session.misses ?? 0,
      canonicalHits: stats?.session.canonical_hits ?? 0,
      similarHits: stats?.session.similarity_hits ?? 0,
    },
    index: { entries: stats?.database.total_entries ?? 0, byType },
    hitRate: stats?.hit_rate ?? 0,
    saved,
  };
}
