import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { type AssetRequest, createTieredCache, type TieredCache } from '@tiercache/core';
import { createMemoryTier } from '@tiercache/memory';
import { createPrometheusMetrics, instrumentOpenTelemetry } from '@tiercache/metrics';
import { compare } from './harness.js';

// What instrumentation costs a hit: the same L1 exact hit, bare and with each kind of listener
// attached (`hit` events are only built when someone listens). 1 KB blobs isolate the machinery.
const N = 500;
const requests: AssetRequest[] = Array.from({ length: N }, (_, i) => ({
  type: i % 2 === 0 ? 'tts' : 'image',
  prompt: `request number ${i} of the metrics benchmark`,
  params: { voice: 'nova' },
}));
const blob = new Uint8Array(1024).fill(7);

function newCache(): TieredCache {
  return createTieredCache({ tiers: [createMemoryTier({ maxBytes: 64 * 1024 * 1024 })] });
}

async function filled(cache: TieredCache): Promise<TieredCache> {
  for (const request of requests)
    await cache.put(request, blob, {
      mediaType: 'application/octet-stream',
      extension: 'bin',
      generationCost: 0.01,
    });
  return cache;
}

export async function benchMetricsOverhead(): Promise<void> {
  const bare = newCache();
  const prometheus = newCache();
  const otelNoop = newCache();
  const otelSdk = newCache();
  const both = newCache();
  const metrics = createPrometheusMetrics(prometheus);
  const bothMetrics = createPrometheusMetrics(both);
  instrumentOpenTelemetry(otelNoop);
  // A real SDK: spans batched to an in-memory exporter, metrics aggregated in memory.
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new InMemorySpanExporter(), { maxQueueSize: 100_000 })],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  instrumentOpenTelemetry(otelSdk, { tracerProvider, meterProvider });
  instrumentOpenTelemetry(both, { tracerProvider, meterProvider });
  const counters = [0, 0, 0, 0, 0];
  const next = (c: number) => requests[counters[c]!++ % N]!;
  await compare(
    `Instrumentation cost of an L1 exact hit (${N} requests, 1 KB blobs)`,
    [
      { name: 'TieredCache.get, no listeners', setup: () => filled(bare), run: () => bare.get(next(0)) },
      {
        name: '+ createPrometheusMetrics',
        setup: () => filled(prometheus),
        run: () => prometheus.get(next(1)),
      },
      {
        name: '+ instrumentOpenTelemetry, no SDK (no-op API)',
        setup: () => filled(otelNoop),
        run: () => otelNoop.get(next(2)),
      },
      {
        name: '+ instrumentOpenTelemetry, SDK (batched spans, metrics)',
        setup: () => filled(otelSdk),
        run: () => otelSdk.get(next(3)),
      },
      { name: '+ both', setup: () => filled(both), run: () => both.get(next(4)) },
    ],
    { batch: 100, samples: 200 },
  );
  await compare(
    'One Prometheus scrape (registry.metrics(): 2 types, stats() of a memory index)',
    [{ name: 'createPrometheusMetrics(...).metrics()', run: () => metrics.metrics() }],
    { samples: 200 },
  );
  metrics.close();
  bothMetrics.close();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  for (const cache of [bare, prometheus, otelNoop, otelSdk, both]) await cache.close();
}
