import type { CacheStats, Entry } from '@tiercache/core';
import type { MediaCacheStats, SavedTotals } from './media-types.js';

const zero = (): SavedTotals => ({ calls: 0, generation_seconds: 0, money: 0 });
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Adds up, per asset type, what the entries served this session cost to generate. */
export class SavingsLedger {
  readonly #byType = new Map<string, { calls: number; ms: number; money: number }>([
    ['tts', { calls: 0, ms: 0, money: 0 }],
    ['image', { calls: 0, ms: 0, money: 0 }],
  ]);

  record(entry: Entry): void {
    let totals = this.#byType.get(entry.type);
    if (!totals) {
      totals = { calls: 0, ms: 0, money: 0 };
      this.#byType.set(entry.type, totals);
    }
    totals.calls++;
    totals.ms += entry.generationMs ?? 0;
    totals.money += entry.generationCost ?? 0;
  }

  snapshot(): MediaCacheStats['saved'] {
    const saved: MediaCacheStats['saved'] = { by_type: {}, ...zero() };
    let ms = 0;
    let money = 0;
    for (const [type, totals] of this.#byType) {
      saved.by_type[type] = {
        calls: totals.calls,
        generation_seconds: round(totals.ms / 1000, 3),
        money: round(totals.money, 6),
      };
      saved.calls += totals.calls;
      ms += totals.ms;
      money += totals.money;
    }
    saved.generation_seconds = round(ms / 1000, 3);
    saved.money = round(money, 6);
    return saved;
  }
}

/** Core's statistics cut down to exactly the original system's keys, plus `saved`. */
export function toMediaStats(
  stats: CacheStats | undefined,
  saved: MediaCacheStats['saved'],
): MediaCacheStats {
  const byType: MediaCacheStats['database']['by_type'] = {};
  for (const [type, { entries, uses }] of Object.entries(stats?.index.byType ?? {})) {
    byType[type] = {
      count: entries,
      total_uses: uses,
      avg_uses_per_entry: entries === 0 ? 0 : Math.round((uses / entries) * 100) / 100,
    };
  }
  return {
    enabled: stats !== undefined,
    session: {
      hits: stats?.session.hits ?? 0,
      misses: stats?.session.misses ?? 0,
      similarity_hits: stats?.session.similarHits ?? 0,
    },
    database: { total_entries: stats?.index.entries ?? 0, by_type: byType },
    hit_rate: stats?.hitRate ?? 0,
    saved,
  };
}
