import type { CacheStats } from '@tiercache/core';
import type { MediaStats } from './media-types.js';

/** Core's statistics cut down to what a media cache reports, plus `saved`; all 0 when disabled. */
export function toMediaStats(stats: CacheStats | undefined, saved: MediaStats['saved']): MediaStats {
  const byType: MediaStats['index']['byType'] = {};
  for (const [type, { entries, uses }] of Object.entries(stats?.index.byType ?? {})) {
    byType[type] = { entries, uses };
  }
  return {
    enabled: stats !== undefined,
    session: {
      hits: stats?.session.hits ?? 0,
      misses: stats?.session.misses ?? 0,
      canonicalHits: stats?.session.canonicalHits ?? 0,
      similarHits: stats?.session.similarHits ?? 0,
    },
    index: { entries: stats?.index.entries ?? 0, byType },
    hitRate: stats?.hitRate ?? 0,
    saved,
  };
}
