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
  const hits = new Counter({
    name: METRIC_NAMES.hits,
    help: 'Requests answered from the cache, by type, match kind (exact, canonical, similar) and serving tier.',
    labelNames: ['type', 'kind', 'tier'] as const,
    registers,
  });
  const misses = new Counter({
    name: METRIC_NAMES.misses,
    help: 'Requests the cache could not answer, by type.',
    labelNames: ['type'] as const,
    registers,
  });
  const hitDuration = new Histogram({
    name: METRIC_NAMES.hitDuration,
    help: 'Time to answer a hit (matching and reading the bytes), in seconds.',
    labelNames: ['type', 'tier'] as const,
    buckets: options.lookupBuckets,
    registers,
  });
  const missDuration = new Histogram({
    name: METRIC_NAMES.missDuration,
    help: 'Time a lookup took to find nothing, in seconds.',
    labelNames: ['type'] as const,
    buckets: options.lookupBuckets,
    registers,
  });
  const stores = new Counter({
    name: METRIC_NAMES.stores,
    help: 'Entries newly stored, by type.',
    labelNames: ['type'] as const,
    registers,
  });
  const generationDuration = new Histogram({
    name: METRIC_NAMES.generationDuration,
    help: 'Time the generation of a newly stored entry took, in seconds.',
    labelNames: ['type'] as const,
    buckets: options.generationBuckets,
    registers,
  });
  const avoided = new Counter({
    name: METRIC_NAMES.generationsAvoided,
    help: 'Generations a hit made unnecessary, by type.',
    labelNames: ['type'] as const,
    registers,
  });
  const secondsSaved = new Counter({
    name: METRIC_NAMES.generationSecondsSaved,
    help: 'Generation time hits saved (what generating the served entry took), in seconds.',
    labelNames: ['type'] as const,
    registers,
  });
  const costSaved = new Counter({
    name: METRIC_NAMES.costSaved,
    help: 'Generation cost hits saved, in the unit the app records costs in (e.g. USD).',
    labelNames: ['type'] as const,
    registers,
  });
  const evictions = new Counter({
    name: METRIC_NAMES.evictions,
    help: 'Entries that left the index (tier="index") or blobs that left a tier, by reason.',
    labelNames: ['type', 'reason', 'tier'] as const,
    registers,
  });
  const errors = new Counter({
    name: METRIC_NAMES.errors,
    help: 'Failures of a tier, the index (tier="index") or a matcher that the cache carried on without, by error code.',
    labelNames: ['tier', 'operation', 'code'] as const,
    registers,
  });
  const timeouts = new Counter({
    name: METRIC_NAMES.timeouts,
    help: 'Tier operations that took longer than their timeout.',
    labelNames: ['tier', 'operation'] as const,
    registers,
  });
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
