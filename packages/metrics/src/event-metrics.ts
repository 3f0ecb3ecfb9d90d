import { Counter, Histogram, type Registry } from 'prom-client';
import { INDEX_LABEL, type TypeLabels } from './bounded-labels.js';
import { METRIC_NAMES } from './metric-names.js';
import type { MetricsSource } from './metrics-source.js';
import type { ResolvedPrometheusMetricsOptions } from './prometheus-options.js';

/**
 * Counters and histograms fed by the cache's events as they happen. Labels are bounded: the
 * type (capped, see `TypeLabels`), match kind, tier and error code, never a prompt or a key.
 * Returns the unsubscribe function.
 */
export function recordEvents(
  source: MetricsSource,
  options: ResolvedPrometheusMetricsOptions,
  types: TypeLabels,
): () => void {
  const registers = [options.registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers });

  const hits = counter(
    METRIC_NAMES.hits,
    'Requests answered from the cache, by type, match kind (exact, canonical, similar) and serving tier.',
    ['type', 'kind', 'tier'],
  );
  const misses = counter(METRIC_NAMES.misses, 'Requests the cache could not answer, by type.', ['type']);
  const hitDuration = histogram(
    METRIC_NAMES.hitDuration,
    'Time to answer a hit (matching and reading the bytes), in seconds.',
    ['type', 'tier'],
    options.lookupBuckets,
  );
  const missDuration = histogram(
    METRIC_NAMES.missDuration,
    'Time a lookup took to find nothing, in seconds.',
    ['type'],
    options.lookupBuckets,
  );
  const stores = counter(METRIC_NAMES.stores, 'Entries newly stored, by type.', ['type']);
  const generationDuration = histogram(
    METRIC_NAMES.generationDuration,
    'Time the generation of a newly stored entry took, in seconds.',
    ['type'],
    options.generationBuckets,
  );
  const avoided = counter(METRIC_NAMES.generationsAvoided, 'Generations a hit made unnecessary, by type.', [
    'type',
  ]);
  const secondsSaved = counter(
    METRIC_NAMES.generationSecondsSaved,
    'Generation time hits saved (what generating the served entry took), in seconds.',
    ['type'],
  );
  const costSaved = counter(
    METRIC_NAMES.costSaved,
    'Generation cost hits saved, in the unit the app records costs in (e.g. USD).',
    ['type'],
  );
  const evictions = counter(
    METRIC_NAMES.evictions,
    'Entries that left the index (tier="index") or blobs that left a tier, by reason.',
    ['type', 'reason', 'tier'],
  );
  const errors = counter(
    METRIC_NAMES.errors,
    'Failures of a tier, the index (tier="index") or a matcher that the cache carried on without, by error code.',
    ['tier', 'operation', 'code'],
  );
  const timeouts = counter(METRIC_NAMES.timeouts, 'Tier operations that took longer than their timeout.', [
    'tier',
    'operation',
  ]);
  // Created at zero so that rates exist (and alerts can fire) before the first failure.
  for (const tier of source.tiers) {
    errors.inc({ tier: tier.name, operation: 'get', code: 'E_TIER_UNAVAILABLE' }, 0);
    timeouts.inc({ tier: tier.name, operation: 'get' }, 0);
  }

  const unsubscribe = [
    source.on('hit', ({ type, kind, tier, entry, durationMs }) => {
      const label = types.label(type);
      hits.inc({ type: label, kind, tier });
      hitDuration.observe({ type: label, tier }, durationMs / 1000);
      avoided.inc({ type: label });
      if (entry.generationMs !== null) secondsSaved.inc({ type: label }, entry.generationMs / 1000);
      if (entry.generationCost !== null) costSaved.inc({ type: label }, entry.generationCost);
    }),
    source.on('miss', ({ type, durationMs }) => {
      const label = types.label(type);
      misses.inc({ type: label });
      missDuration.observe({ type: label }, durationMs / 1000);
    }),
    source.on('store', ({ entry, inserted }) => {
      if (!inserted) return;
      const label = types.label(entry.type);
      stores.inc({ type: label });
      if (entry.generationMs !== null) generationDuration.observe({ type: label }, entry.generationMs / 1000);
    }),
    source.on('evict', ({ type, reason, tier }) => {
      evictions.inc({ type: types.label(type), reason, tier: tier ?? INDEX_LABEL });
    }),
    source.on('error', ({ operation, tier, error }) => {
      const where = tier ?? INDEX_LABEL;
      errors.inc({ tier: where, operation, code: error.code });
      if (error.code === 'E_TIER_TIMEOUT') timeouts.inc({ tier: where, operation });
    }),
  ];
  return () => {
    for (const stop of unsubscribe) stop();
  };
}

/** Removes the metrics of `names` from `registry` (so that a closed instance can be recreated). */
export function unregister(registry: Registry, names: readonly string[]): void {
  for (const name of names) registry.removeSingleMetric(name);
}
