import {
  type Attributes,
  type MeterProvider,
  metrics,
  SpanKind,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { checkOptions } from '@tiercache/core/kit';
import { INDEX_LABEL, TypeLabels } from './bounded-labels.js';
import { metricsErrors } from './metrics-errors.js';
import { type MetricsSource, sharedStats } from './metrics-source.js';

/** The instrumentation scope name of spans and metrics. */
export const INSTRUMENTATION_NAME = '@tiercache/metrics';

/** Options of `instrumentOpenTelemetry`. */
export interface OpenTelemetryOptions {
  /**
   * Where spans go.
   * @default the global tracer provider (`trace.getTracerProvider()`): a no-op until the
   * application registers an OpenTelemetry SDK
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go.
   * @default the global meter provider (`metrics.getMeterProvider()`): a no-op until the
   * application registers an OpenTelemetry SDK
   */
  meterProvider?: MeterProvider;
  /**
   * Most distinct values of the `tiercache.type` attribute; later types are `other`.
   * @default 20
   */
  maxTypes?: number;
}

export interface OpenTelemetryInstrumentation {
  /** Stops recording: unsubscribes from the cache and removes the observable callback. */
  close(): void;
}

/**
 * Spans and metrics of one cache through `@opentelemetry/api` only: a `tiercache.lookup` span
 * per hit or miss and a `tiercache.generate` span per stored generation (both timed from the
 * cache's own measure, children of the span active at the call), failures as `tiercache.error`
 * events on the active span, and the same counts as the Prometheus metrics (`tiercache.requests`,
 * `tiercache.lookup.duration`, `tiercache.generation.duration`, `tiercache.generation.saved`,
 * `tiercache.cost.saved`, `tiercache.errors`, `tiercache.index.entries`, `tiercache.index.size`).
 */
export function instrumentOpenTelemetry(
  source: MetricsSource,
  options: OpenTelemetryOptions = {},
): OpenTelemetryInstrumentation {
  const check = checkOptions<OpenTelemetryOptions>(metricsErrors.packageName, options, {
    known: ['tracerProvider', 'meterProvider', 'maxTypes'],
  });
  const maxTypes = check.integer('maxTypes', { min: 1, default: 20 });
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME);
  const types = new TypeLabels(maxTypes);

  const requests = meter.createCounter('tiercache.requests', {
    description: 'Requests looked up in the cache, by type and result (hit or miss).',
  });
  const lookupDuration = meter.createHistogram('tiercache.lookup.duration', {
    description: 'Time a lookup took, hit or miss.',
    unit: 's',
  });
  const generationDuration = meter.createHistogram('tiercache.generation.duration', {
    description: 'Time the generation of a newly stored entry took.',
    unit: 's',
  });
  const generationSaved = meter.createCounter('tiercache.generation.saved', {
    description: 'Generation time hits saved.',
    unit: 's',
  });
  const costSaved = meter.createCounter('tiercache.cost.saved', {
    description: 'Generation cost hits saved, in the unit the app records costs in.',
  });
  const errors = meter.createCounter('tiercache.errors', {
    description: 'Failures of a tier, the index or a matcher that the cache carried on without.',
  });
  const entries = meter.createObservableGauge('tiercache.index.entries', {
    description: 'Entries in the index, by type.',
  });
  const size = meter.createObservableGauge('tiercache.index.size', {
    description: 'Bytes of the entries in the index, by type.',
    unit: 'By',
  });
  const stats = sharedStats(source);
  const observeIndex = async (
    observer: Parameters<Parameters<typeof meter.addBatchObservableCallback>[0]>[0],
  ) => {
    const index = (await stats())?.index;
    if (!index) return;
    for (const [type, figures] of Object.entries(index.byType)) {
      const attributes = { 'tiercache.type': types.label(type) };
      observer.observe(entries, figures.entries, attributes);
      observer.observe(size, figures.bytes, attributes);
    }
  };
  meter.addBatchObservableCallback(observeIndex, [entries, size]);

  /** A span of work that has just ended and took `durationMs` (measured by the cache). */
  function endedSpan(name: string, durationMs: number, attributes: Attributes): void {
    const end = Date.now();
    tracer.startSpan(name, { kind: SpanKind.INTERNAL, startTime: end - durationMs, attributes }).end(end);
  }

  const unsubscribe = [
    source.on('hit', ({ type, kind, tier, entry, durationMs }) => {
      const attributes = {
        'tiercache.type': types.label(type),
        'tiercache.result': 'hit',
        'tiercache.match_kind': kind,
        'tiercache.tier': tier,
      };
      requests.add(1, attributes);
      lookupDuration.record(durationMs / 1000, attributes);
      endedSpan('tiercache.lookup', durationMs, attributes);
      const typeOnly = { 'tiercache.type': attributes['tiercache.type'] };
      if (entry.generationMs !== null) generationSaved.add(entry.generationMs / 1000, typeOnly);
      if (entry.generationCost !== null) costSaved.add(entry.generationCost, typeOnly);
    }),
    source.on('miss', ({ type, durationMs }) => {
      const attributes = { 'tiercache.type': types.label(type), 'tiercache.result': 'miss' };
      requests.add(1, attributes);
      lookupDuration.record(durationMs / 1000, attributes);
      endedSpan('tiercache.lookup', durationMs, attributes);
    }),
    source.on('store', ({ entry, inserted }) => {
      if (!inserted || entry.generationMs === null) return;
      const attributes = { 'tiercache.type': types.label(entry.type) };
      generationDuration.record(entry.generationMs / 1000, attributes);
      endedSpan('tiercache.generate', entry.generationMs, attributes);
    }),
    source.on('error', ({ operation, tier, error }) => {
      const attributes = {
        'tiercache.tier': tier ?? INDEX_LABEL,
        'tiercache.operation': operation,
        'error.type': error.code,
      };
      errors.add(1, attributes);
      const active = trace.getActiveSpan();
      active?.addEvent('tiercache.error', { ...attributes, 'exception.message': error.message });
    }),
  ];
  return {
    close() {
      for (const stop of unsubscribe.splice(0)) stop();
      meter.removeBatchObservableCallback(observeIndex, [entries, size]);
    },
  };
}
