import type { CacheStats, SessionStats } from './cache-types.js';
import type { Entry } from './entry.js';
import type { MatchKind } from './matcher.js';

/** This process's hit/miss counts and what the hits avoided paying. */
export class SessionCounters {
  readonly #session: SessionStats = {
    hits: 0,
    misses: 0,
    similarity_hits: 0,
    canonical_hits: 0,
    coalesced: 0,
  };
  readonly #saved = { generations: 0, generation_ms: 0, cost: 0 };

  recordHit(kind: MatchKind, entry: Entry): void {
    this.#session.hits++;
    if (kind === 'similar') this.#session.similarity_hits++;
    else if (kind === 'canonical') this.#session.canonical_hits++;
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
    this.#saved.generation_ms += entry.generationMs ?? 0;
    this.#saved.cost += entry.generationCost ?? 0;
  }

  snapshot(): Pick<CacheStats, 'session' | 'hit_rate' | 'saved'> {
    const { hits, misses } = this.#session;
    const requests = hits + misses;
    return {
      session: { ...this.#session },
      hit_rate: requests === 0 ? 0 : Math.round((hits / requests) * 10_000) / 10_000,
      saved: { ...this.#saved, cost: Math.round(this.#saved.cost * 1e6) / 1e6 },
    };
  }
}
