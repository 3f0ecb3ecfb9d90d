import type { CacheStats, Savings, SessionStats } from './cache-types.js';
import type { Entry } from './contracts/entry.js';
import type { MatchKind } from './contracts/matcher.js';

/** This process's hit/miss counts and what the hits avoided paying. */
export class SessionCounters {
  readonly #session: SessionStats = {
    hits: 0,
    misses: 0,
    similarHits: 0,
    canonicalHits: 0,
    coalesced: 0,
  };
  readonly #saved: Savings = { generations: 0, generationMs: 0, generationCost: 0 };

  recordHit(kind: MatchKind, entry: Entry): void {
    this.#session.hits++;
    if (kind === 'similar') this.#session.similarHits++;
    else if (kind === 'canonical') this.#session.canonicalHits++;
    this.#recordSaving(entry);
  }

  recordMiss(): void {
    this.#session.misses++;
  }

  /** A caller that shared another caller's generation: no generation paid, not a cache hit. */
  recordCoalesced(entry: Entry): void {
    this.#session.coalesced++;
    this.#recordSaving(entry);
  }

  #recordSaving(entry: Entry): void {
    this.#saved.generations++;
    this.#saved.generationMs += entry.generationMs ?? 0;
    this.#saved.generationCost += entry.generationCost ?? 0;
  }

  snapshot(): Pick<CacheStats, 'session' | 'hitRate' | 'saved'> {
    const { hits, misses } = this.#session;
    const requests = hits + misses;
    return {
      session: { ...this.#session },
      hitRate: requests === 0 ? 0 : Math.round((hits / requests) * 10_000) / 10_000,
      saved: { ...this.#saved, generationCost: Math.round(this.#saved.generationCost * 1e6) / 1e6 },
    };
  }
}
