/**
 * Every Prometheus metric `createPrometheusMetrics` registers, by name. Dashboards and alerts
 * may rely on these: renaming one is a breaking change.
 */
export const METRIC_NAMES = {
  hits: 'tiercache_hits_total',
  misses: 'tiercache_misses_total',
  hitDuration: 'tiercache_hit_duration_seconds',
  missDuration: 'tiercache_miss_duration_seconds',
  stores: 'tiercache_stores_total',
  generationDuration: 'tiercache_generation_duration_seconds',
  generationsAvoided: 'tiercache_generations_avoided_total',
  generationSecondsSaved: 'tiercache_generation_seconds_saved_total',
  costSaved: 'tiercache_cost_saved_total',
  coalesced: 'tiercache_coalesced_total',
  evictions: 'tiercache_evictions_total',
  errors: 'tiercache_errors_total',
  timeouts: 'tiercache_timeouts_total',
  indexUp: 'tiercache_index_up',
  indexEntries: 'tiercache_index_entries',
  indexBytes: 'tiercache_index_bytes',
  indexUses: 'tiercache_index_uses',
  tierEntries: 'tiercache_tier_entries',
  tierBytes: 'tiercache_tier_bytes',
  breakerState: 'tiercache_tier_breaker_state',
  uploadQueueDepth: 'tiercache_upload_queue_depth',
  uploadQueueBytes: 'tiercache_upload_queue_bytes',
  tierRequestFailures: 'tiercache_tier_request_failures_total',
  tierRequestTimeouts: 'tiercache_tier_request_timeouts_total',
  tierRequestRetries: 'tiercache_tier_request_retries_total',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];
