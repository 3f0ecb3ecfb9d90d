import type { IndexCall } from './cache-parts.js';
import type { CacheStats } from './cache-types.js';
import type { EntryIndex } from './contracts/entry-index.js';
import type { SessionCounters } from './session-counters.js';
import type { TierAccess } from './tier-access.js';

export interface StatsSources {
  index: EntryIndex;
  tiers: TierAccess;
  session: SessionCounters;
  indexCall: IndexCall;
}

/** `TieredCache.stats()`: the session's counts, the index's figures and each tier's. */
export async function collectStats({ index, tiers, session, indexCall }: StatsSources): Promise<CacheStats> {
  const indexStats = indexCall('stats', () => index.stats(), { entries: 0, bytes: 0, byType: {} });
  const indexFigures = {
    ...indexStats,
    dedupSavedBytes:
      indexStats.contentBytes === undefined ? null : indexStats.bytes - indexStats.contentBytes,
  };
  const tierStats: CacheStats['tiers'] = {};
  for (const tier of tiers.tiers) {
    const usage = await tiers.usage(tier);
    tierStats[tier.name] = {
      hits: tiers.hits.get(tier.name) ?? 0,
      errors: tiers.errors.get(tier.name) ?? 0,
      entries: usage?.entries ?? null,
      bytes: usage?.bytes ?? null,
    };
  }
  return { ...session.snapshot(), index: indexFigures, tiers: tierStats };
}
