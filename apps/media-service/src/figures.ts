import type { MediaCacheStats } from '@tiercache/media';

/**
 * What the cache saved, in the names every figure of the app uses (run record, `--json`,
 * dashboard): generations avoided, their generation time in ms and their recorded cost.
 */
export interface Savings {
  generations: number;
  generationMs: number;
  generationCost: number;
}

/** The savings of `getCacheStats()` (the original system's dictionary) in the app's names. */
export function savingsOf(stats: MediaCacheStats): Savings {
  return {
    generations: stats.saved.calls,
    generationMs: Math.round(stats.saved.generation_seconds * 1000),
    generationCost: stats.saved.money,
  };
}
