import { checkOptions, type OptionChecker } from '@tiercache/core/kit';
import { Registry } from 'prom-client';
import { metricsErrors } from './metrics-errors.js';

/** Options of `createPrometheusMetrics`. Validated once, at construction. */
export interface PrometheusMetricsOptions {
  /**
   * Where the metrics are registered; pass the app's registry to serve them beside its own.
   * One cache per registry: the metric names are fixed (see `METRIC_NAMES`).
   * @default a new `Registry` of its own (read it from `PrometheusMetrics.registry`)
   */
  registry?: Registry;
  /**
   * Most distinct values of the `type` label; later types are counted as `other`.
   * @default 20
   */
  maxTypes?: number;
  /**
   * Buckets of `tiercache_hit_duration_seconds` and `tiercache_miss_duration_seconds`, in seconds.
   * @default [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
   */
  lookupBuckets?: number[];
  /**
   * Buckets of `tiercache_generation_duration_seconds`, in seconds.
   * @default [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
   */
  generationBuckets?: number[];
}

export interface ResolvedPrometheusMetricsOptions {
  registry: Registry;
  maxTypes: number;
  lookupBuckets: number[];
  generationBuckets: number[];
}

export const DEFAULT_LOOKUP_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];
export const DEFAULT_GENERATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

type Check = OptionChecker<PrometheusMetricsOptions>;

function buckets(
  check: Check,
  option: 'lookupBuckets' | 'generationBuckets',
  value: unknown,
  fallback: number[],
) {
  if (value === undefined) return fallback;
  const ascending =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((bound, i) => isFinitePositive(bound) && (i === 0 || bound > value[i - 1]));
  if (!ascending)
    throw check.errors.invalidOption(
      option,
      value,
      'a non-empty array of ascending positive numbers of seconds',
    );
  return [...(value as number[])];
}

const isFinitePositive = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

// Duck-typed: the app's prom-client may be another copy than this package's.
const isRegistry = (value: Partial<Registry> | undefined) =>
  typeof value?.registerMetric === 'function' && typeof value.metrics === 'function';

/** Throws `E_INVALID_OPTIONS` naming the first bad option; returns options with defaults filled in. */
export function resolvePrometheusMetricsOptions(
  options: PrometheusMetricsOptions = {},
): ResolvedPrometheusMetricsOptions {
  const check = checkOptions<PrometheusMetricsOptions>(metricsErrors.packageName, options, {
    known: ['registry', 'maxTypes', 'lookupBuckets', 'generationBuckets'],
  });
  const { registry } = options;
  if (registry !== undefined && !isRegistry(registry))
    throw check.errors.invalidOption('registry', registry, 'a prom-client Registry');
  return {
    registry: registry ?? new Registry(),
    maxTypes: check.integer('maxTypes', { min: 1, default: 20 }),
    lookupBuckets: buckets(check, 'lookupBuckets', options.lookupBuckets, DEFAULT_LOOKUP_BUCKETS),
    generationBuckets: buckets(
      check,
      'generationBuckets',
      options.generationBuckets,
      DEFAULT_GENERATION_BUCKETS,
    ),
  };
}
