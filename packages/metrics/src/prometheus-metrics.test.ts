import { createTieredCache, exactMatcher, isTiercacheError, type TieredCache } from '@tiercache/core';
import { jaccardMatcher } from '@tiercache/matchers';
import { createMemoryTier } from '@tiercache/memory';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from './exposition-parser.js';
import { METRIC_NAMES } from './metric-names.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js';
import { createFlakyTier } from './test-support/flaky-tier.js';
import { testS3Tier } from './test-support/s3-bucket.js';

const open: { cache: TieredCache; metrics: PrometheusMetrics }[] = [];
afterEach(async () => {
  for (const { cache, metrics } of open.splice(0)) {
    metrics.close();
    await cache.close();
  }
});

const WAV = { mediaType: 'audio/wav', extension: 'wav' } as const;
const bytes = (text: string) => new TextEncoder().encode(text);
const tts = (prompt: string) => ({ type: 'tts', prompt, params: { voice: 'nova' } });

function instrumented(cache: TieredCache, options = {}) {
  const metrics = createPrometheusMetrics(cache, options);
  open.push({ cache, metrics });
  return metrics;
}

async function scrape(metrics: PrometheusMetrics) {
  return parseExposition(await metrics.metrics());
}

describe('createPrometheusMetrics', () => {
  it('counts hits by type, match kind and tier, misses, savings and generation time', async () => {
    const s3 = await testS3Tier();
    const cache = createTieredCache({
      tiers: [createMemoryTier({ name: 'memory', maxBytes: 1 << 20 }), s3],
      matchers: [exactMatcher(), jaccardMatcher({ threshold: 0.5 })],
    });
    const metrics = instrumented(cache);
    const secret = 'the quiet harbour at dawn with gulls';
    const generated = await cache.getOrGenerate(tts(secret), async () => ({
      bytes: bytes('narration'),
      ...WAV,
      generationCost: 0.25,
      generationMs: 1500,
    }));
    expect(generated.source).toBe('generated');
    expect((await cache.get(tts(secret)))?.kind).toBe('exact');
    expect((await cache.get(tts(`${secret} today`)))?.kind).toBe('similar');
    expect(await cache.get({ type: 'image', prompt: 'never stored' })).toBeUndefined();
    await s3.flush();

    const text = await metrics.metrics();
    expect(text).not.toContain('harbour');
    expect(text).not.toContain(generated.entry.key);
    const families = parseExposition(text);
    expect(families.get(METRIC_NAMES.hits)?.type).toBe('counter');
    expect(sampleValue(families, METRIC_NAMES.hits, { type: 'tts', kind: 'exact', tier: 'memory' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.hits, { type: 'tts', kind: 'similar', tier: 'memory' })).toBe(
      1,
    );
    // The generation's own lookup missed, and so did the image request.
    expect(sampleValue(families, METRIC_NAMES.misses, { type: 'tts' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.misses, { type: 'image' })).toBe(1);
    const hitCount = `${METRIC_NAMES.hitDuration}_count`;
    expect(sampleValue(families, METRIC_NAMES.hitDuration, { type: 'tts', tier: 'memory' }, hitCount)).toBe(
      2,
    );
    expect(sampleValue(families, METRIC_NAMES.stores, { type: 'tts' })).toBe(1);
    const generation = (suffix: string, labels = {}) =>
      sampleValue(
        families,
        METRIC_NAMES.generationDuration,
        { type: 'tts', ...labels },
        `${METRIC_NAMES.generationDuration}${suffix}`,
      );
    expect(generation('_count')).toBe(1);
    expect(generation('_sum')).toBe(1.5);
    expect(generation('_bucket', { le: '1' })).toBe(0);
    expect(generation('_bucket', { le: '2.5' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.generationsAvoided, { type: 'tts' })).toBe(2);
    expect(sampleValue(families, METRIC_NAMES.generationSecondsSaved, { type: 'tts' })).toBe(3);
    expect(sampleValue(families, METRIC_NAMES.costSaved, { type: 'tts' })).toBe(0.5);
    expect(sampleValue(families, METRIC_NAMES.indexUp)).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.indexEntries, { type: 'tts' })).toBe(1);
    // The generation and both hits, as the index recorded them.
    expect(sampleValue(families, METRIC_NAMES.indexUses, { type: 'tts' })).toBe(3);
    expect(sampleValue(families, METRIC_NAMES.indexBytes, { type: 'tts' })).toBe('narration'.length);
    expect(sampleValue(families, METRIC_NAMES.tierBytes, { tier: 'memory' })).toBe('narration'.length);
    // The S3 tier's own health, read from its stats() by duck typing.
    expect(sampleValue(families, METRIC_NAMES.breakerState, { tier: 's3', state: 'closed' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.breakerState, { tier: 's3', state: 'open' })).toBe(0);
    expect(sampleValue(families, METRIC_NAMES.uploadQueueDepth, { tier: 's3' })).toBe(0);
    expect(sampleValue(families, METRIC_NAMES.tierRequestFailures, { tier: 's3' })).toBe(0);
    for (const name of families.keys()) expect(name).toMatch(/^tiercache_/);
  });

  it('counts tier failures and timeouts by tier, operation and code; the lookup goes on', async () => {
    const flaky = createFlakyTier('flaky');
    const backup = createMemoryTier({ name: 'backup', maxBytes: 1 << 20 });
    const cache = createTieredCache({ tiers: [flaky, backup], tierTimeouts: { flaky: 50 } });
    const metrics = instrumented(cache);
    await cache.put(tts('a'), bytes('a'), WAV);
    flaky.fault = 'throw';
    expect((await cache.get(tts('a')))?.tier).toBe('backup');
    flaky.fault = 'hang';
    expect((await cache.get(tts('a')))?.tier).toBe('backup');
    const families = await scrape(metrics);
    const errors = { tier: 'flaky', operation: 'get' };
    expect(sampleValue(families, METRIC_NAMES.errors, { ...errors, code: 'E_TIER_UNAVAILABLE' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.errors, { ...errors, code: 'E_TIER_TIMEOUT' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.timeouts, errors)).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.timeouts, { tier: 'backup', operation: 'get' })).toBe(0);
    expect(families.has(METRIC_NAMES.breakerState)).toBe(true);
    expect(families.get(METRIC_NAMES.breakerState)?.samples).toEqual([]);
  });

  it('bounds the type label and registers into the registry the app passes', async () => {
    const registry = new Registry();
    const cache = createTieredCache({ tiers: [createMemoryTier({ name: 'memory', maxBytes: 1 << 20 })] });
    instrumented(cache, { registry, maxTypes: 2 });
    for (const type of ['tts', 'image', 'video', 'music']) await cache.get({ type, prompt: 'x' });
    const families = parseExposition(await registry.metrics());
    expect(sampleValue(families, METRIC_NAMES.misses, { type: 'tts' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.misses, { type: 'image' })).toBe(1);
    expect(sampleValue(families, METRIC_NAMES.misses, { type: 'other' })).toBe(2);
    expect(families.get(METRIC_NAMES.misses)?.samples).toHaveLength(3);
  });

  it('close() stops counting and frees the names; a second instance on one registry is refused', async () => {
    const registry = new Registry();
    const cache = createTieredCache({ tiers: [createMemoryTier({ name: 'memory', maxBytes: 1 << 20 })] });
    const first = createPrometheusMetrics(cache, { registry });
    expect(() => createPrometheusMetrics(cache, { registry })).toThrow(
      /^@tiercache\/metrics: option registry already holds tiercache_hits_total/,
    );
    first.close();
    expect(registry.getSingleMetric(METRIC_NAMES.hits)).toBeUndefined();
    const second = instrumented(cache, { registry });
    await cache.get(tts('after'));
    expect(sampleValue(await scrape(second), METRIC_NAMES.misses, { type: 'tts' })).toBe(1);
  });

  it.each([
    [{ maxTypes: 0 }, /option maxTypes 0 is invalid/],
    [{ lookupBuckets: [1, 0.5] }, /option lookupBuckets .*ascending/],
    [{ generationBuckets: [] }, /option generationBuckets .*non-empty/],
    [{ registry: {} }, /option registry .*prom-client Registry/],
    [{ buckets: [1] }, /unknown option buckets/],
  ])('refuses bad options %j with E_INVALID_OPTIONS', (options, message) => {
    const cache = createTieredCache({ tiers: [createMemoryTier({ name: 'memory', maxBytes: 1 << 20 })] });
    try {
      createPrometheusMetrics(cache, options as never);
      expect.unreachable();
    } catch (error) {
      expect(isTiercacheError(error) && error.code).toBe('E_INVALID_OPTIONS');
      expect((error as Error).message).toMatch(/^@tiercache\/metrics: /);
      expect((error as Error).message).toMatch(message);
    }
  });
});
