import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createTieredCache, exactMatcher, isTiercacheError } from '@tiercache/core';
import { jaccardMatcher } from '@tiercache/matchers';
import { createMemoryTier } from '@tiercache/memory';
import { describe, expect, it } from 'vitest';
import { instrumentOpenTelemetry } from './opentelemetry.js';
import { createFlakyTier } from './test-support/flaky-tier.js';

const WAV = { mediaType: 'audio/wav', extension: 'wav' } as const;
const tts = (prompt: string) => ({ type: 'tts', prompt });

function sdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  /** Every data point of the metric `name`, as attributes and value. */
  async function points(name: string) {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []).map((point) => ({ attributes: point.attributes, value: point.value }));
  }
  return { spans, tracerProvider, meterProvider, points };
}

describe('instrumentOpenTelemetry', () => {
  it('records lookup and generation spans and metrics through the providers it is given', async () => {
    const { spans, tracerProvider, meterProvider, points } = sdk();
    const cache = createTieredCache({
      tiers: [createMemoryTier({ name: 'memory', maxBytes: 1 << 20 })],
      matchers: [exactMatcher(), jaccardMatcher({ threshold: 0.5 })],
    });
    const otel = instrumentOpenTelemetry(cache, { tracerProvider, meterProvider });
    const prompt = 'a private prompt about the lighthouse keeper';
    await cache.getOrGenerate(tts(prompt), async () => ({
      bytes: new TextEncoder().encode('wav'),
      ...WAV,
      generationMs: 2000,
      generationCost: 0.1,
    }));
    await cache.get(tts(prompt));

    const finished = spans.getFinishedSpans();
    expect(finished.map((span) => span.name).sort()).toEqual([
      'tiercache.generate',
      'tiercache.lookup',
      'tiercache.lookup',
    ]);
    const generate = finished.find((span) => span.name === 'tiercache.generate');
    // The span covers the generation the cache measured: 2 s, as [seconds, nanoseconds].
    const [seconds, nanos] = [generate!.duration[0], generate!.duration[1]];
    expect(seconds * 1000 + nanos / 1e6).toBe(2000);
    const hit = finished.find((span) => span.attributes['tiercache.result'] === 'hit');
    expect(hit?.attributes).toMatchObject({
      'tiercache.type': 'tts',
      'tiercache.match_kind': 'exact',
      'tiercache.tier': 'memory',
    });
    expect(JSON.stringify(finished.map((span) => span.attributes))).not.toContain('lighthouse');

    expect(await points('tiercache.requests')).toEqual(
      expect.arrayContaining([
        { attributes: { 'tiercache.type': 'tts', 'tiercache.result': 'miss' }, value: 1 },
        {
          attributes: {
            'tiercache.type': 'tts',
            'tiercache.result': 'hit',
            'tiercache.match_kind': 'exact',
            'tiercache.tier': 'memory',
          },
          value: 1,
        },
      ]),
    );
    expect(await points('tiercache.generation.saved')).toEqual([
      { attributes: { 'tiercache.type': 'tts' }, value: 2 },
    ]);
    expect(await points('tiercache.cost.saved')).toEqual([
      { attributes: { 'tiercache.type': 'tts' }, value: 0.1 },
    ]);
    expect(await points('tiercache.index.entries')).toEqual([
      { attributes: { 'tiercache.type': 'tts' }, value: 1 },
    ]);

    otel.close();
    await cache.get(tts(prompt));
    expect(spans.getFinishedSpans()).toHaveLength(3);
    await cache.close();
  });

  it('counts tier failures by tier, operation and error code', async () => {
    const { tracerProvider, meterProvider, points } = sdk();
    const flaky = createFlakyTier('flaky');
    const cache = createTieredCache({ tiers: [flaky] });
    instrumentOpenTelemetry(cache, { tracerProvider, meterProvider });
    await cache.put(tts('x'), new TextEncoder().encode('x'), WAV);
    flaky.fault = 'throw';
    expect(await cache.get(tts('x'))).toBeUndefined();
    expect(await points('tiercache.errors')).toEqual([
      {
        attributes: {
          'tiercache.tier': 'flaky',
          'tiercache.operation': 'get',
          'error.type': 'E_TIER_UNAVAILABLE',
        },
        value: 1,
      },
    ]);
    await cache.close();
  });

  it('is a no-op without an SDK, and refuses a bad maxTypes', async () => {
    const cache = createTieredCache({ tiers: [createMemoryTier({ name: 'memory', maxBytes: 1 << 20 })] });
    const otel = instrumentOpenTelemetry(cache);
    expect(await cache.get(tts('nothing'))).toBeUndefined();
    otel.close();
    try {
      instrumentOpenTelemetry(cache, { maxTypes: 1.5 });
      expect.unreachable();
    } catch (error) {
      expect(isTiercacheError(error) && error.code).toBe('E_INVALID_OPTIONS');
      expect((error as Error).message).toMatch(/^@tiercache\/metrics: option maxTypes 1\.5 is invalid/);
    }
    expect(() => instrumentOpenTelemetry(cache, { maxType: 3 } as never)).toThrow(
      '@tiercache/metrics: unknown option maxType (did you mean maxTypes?)',
    );
    await cache.close();
  });
});
