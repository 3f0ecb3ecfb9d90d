import type { TieredCache } from '@tiercache/core';

export type RequestSource = 'exact' | 'canonical' | 'similar' | 'generated';

/** Latency of one source's requests in a run, in ms; `null` figures when it had none. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

/** What the cache's events said during one run. */
export interface RunEvents {
  latencyMs: Record<RequestSource, LatencySummary>;
  /** Lookups that found nothing usable (each is followed by a generation unless it failed). */
  misses: number;
  /** Tier, index or matcher failures the cache carried on without. */
  errors: number;
  evictions: number;
  /** Hits served per tier (memory, disk, s3). */
  tierHits: Record<string, number>;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** Nearest-rank percentile: always a latency that was actually observed. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return round3(sorted[Math.min(rank, sorted.length) - 1] ?? 0);
}

export function summarizeLatency(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: percentile(sorted, 100),
  };
}

/**
 * Listens to one cache for the length of a run. Hit latency is the cache's own `durationMs`
 * (lookup plus delivery of the caller's file). A generated request has no single event, so its
 * latency runs from the start of its miss (the miss event's time minus its `durationMs`) to the
 * `store` of the same key: lookup, generation and storing, as the caller waited for them.
 */
export class MetricsRecorder {
  readonly #samples: Record<RequestSource, number[]> = {
    exact: [],
    canonical: [],
    similar: [],
    generated: [],
  };
  readonly #missStarted = new Map<string, number>();
  readonly #tierHits: Record<string, number> = {};
  readonly #unsubscribe: (() => void)[] = [];
  #misses = 0;
  #errors = 0;
  #evictions = 0;

  /** Subscribes to `cache`; without a cache (disabled) it records nothing. */
  constructor(cache: TieredCache | undefined) {
    if (!cache) return;
    this.#unsubscribe.push(
      cache.on('hit', (event) => {
        this.#samples[event.kind].push(event.durationMs);
        this.#tierHits[event.tier] = (this.#tierHits[event.tier] ?? 0) + 1;
      }),
      cache.on('miss', (event) => {
        this.#misses++;
        this.#missStarted.set(`${event.type}/${event.key}`, performance.now() - event.durationMs);
      }),
      cache.on('store', (event) => {
        const id = `${event.entry.type}/${event.entry.key}`;
        const started = this.#missStarted.get(id);
        if (started === undefined) return;
        this.#missStarted.delete(id);
        this.#samples.generated.push(performance.now() - started);
      }),
      cache.on('error', () => {
        this.#errors++;
      }),
      cache.on('evict', () => {
        this.#evictions++;
      }),
    );
  }

  /** Stops listening and returns what was seen. */
  finish(): RunEvents {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    return {
      latencyMs: {
        exact: summarizeLatency(this.#samples.exact),
        canonical: summarizeLatency(this.#samples.canonical),
        similar: summarizeLatency(this.#samples.similar),
        generated: summarizeLatency(this.#samples.generated),
      },
      misses: this.#misses,
      errors: this.#errors,
      evictions: this.#evictions,
      tierHits: { ...this.#tierHits },
    };
  }
}
