import type { Registry } from 'prom-client';
import { TypeLabels } from './bounded-labels.js';
import { recordEvents, unregister } from './event-metrics.js';
import { METRIC_NAMES } from './metric-names.js';
import { metricsErrors } from './metrics-errors.js';
import type { MetricsSource } from './metrics-source.js';
import { type PrometheusMetricsOptions, resolvePrometheusMetricsOptions } from './prometheus-options.js';
import { collectAtScrape } from './scrape-metrics.js';

export interface PrometheusMetrics {
  /** The registry holding the metrics: serve `await registry.metrics()` as `registry.contentType`. */
  readonly registry: Registry;
  /** The Prometheus text exposition of the registry (every metric in it, not only the cache's). */
  metrics(): Promise<string>;
  /** Stops listening to the cache and removes this package's metrics from the registry. */
  close(): void;
}

/**
 * Prometheus metrics of one cache, on prom-client: counters and histograms fed by the cache's
 * events (`hit`, `miss`, `store`, `evict`, `error`), gauges read from `stats()` and from the
 * tiers' own `stats()` (breaker, upload queue) when Prometheus scrapes. Every name starts with
 * `tiercache_` (see `METRIC_NAMES`). Throws `E_INVALID_OPTIONS` for bad options.
 */
export function createPrometheusMetrics(
  source: MetricsSource,
  options: PrometheusMetricsOptions = {},
): PrometheusMetrics {
  const resolved = resolvePrometheusMetricsOptions(options);
  const types = new TypeLabels(resolved.maxTypes);
  const names = Object.values(METRIC_NAMES);
  const taken = names.filter((name) => resolved.registry.getSingleMetric(name) !== undefined);
  if (taken.length > 0) {
    throw metricsErrors.invalidOptions(
      `option registry already holds ${taken[0]}; use one registry per cache (or close the previous metrics)`,
      { context: { option: 'registry', metric: taken[0] } },
    );
  }
  const stop = recordEvents(source, resolved, types);
  collectAtScrape(source, resolved, types);
  let closed = false;
  return {
    registry: resolved.registry,
    metrics: () => resolved.registry.metrics(),
    close() {
      if (closed) return;
      closed = true;
      stop();
      unregister(resolved.registry, names);
    },
  };
}
