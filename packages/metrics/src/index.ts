export { INDEX_LABEL, OTHER_TYPE } from './bounded-labels.js';
export {
  type ExpositionFamily,
  type ExpositionSample,
  parseExposition,
  sampleValue,
} from './exposition-parser.js';
export { METRIC_NAMES, type MetricName } from './metric-names.js';
export type { MetricsSource } from './metrics-source.js';
export {
  INSTRUMENTATION_NAME,
  instrumentOpenTelemetry,
  type OpenTelemetryInstrumentation,
  type OpenTelemetryOptions,
} from './opentelemetry.js';
export { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js';
export {
  DEFAULT_GENERATION_BUCKETS,
  DEFAULT_LOOKUP_BUCKETS,
  type PrometheusMetricsOptions,
} from './prometheus-options.js';
export { BREAKER_STATES, type BreakerState, readTierHealth, type TierHealth } from './tier-health.js';
