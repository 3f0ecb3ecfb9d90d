import type { Savings } from '@tiercache/core';
import type { MediaCacheStats } from '@tiercache/media';

export type { Savings };

/** The savings of `getCacheStats()` (the original system's dictionary) in the app's names. */
export function savingsOf(stats: MediaCacheStats): Savings {
  return {
    generations: stats.saved.calls,
    generationMs: Math.round(stats.saved.generation_seconds * 1000),
    generationCost: stats.saved.money,
  };
}
