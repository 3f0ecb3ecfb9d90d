import { createTieredCache } from '@tiercache/core';
import { embeddingMatcher, exactMatcher, hashedNgramEmbedder, jaccardMatcher } from '@tiercache/matchers';
import { describe, expect, it } from 'vitest';
import { createMapTier } from '../../../../packages/core/src/test-support/map-tier.js';

const png = { mediaType: 'image/png', extension: 'png' };
const bytes = (text: string) => new TextEncoder().encode(text);
const lake = { type: 'image', prompt: 'a calm lake at sunrise, golden light, 4k', params: { model: 'flux' } };

describe('through createTieredCache', () => {
  it('serves a similar hit with its score after the exact matcher misses', async () => {
    const cache = createTieredCache({
      tiers: [createMapTier()],
      matchers: [exactMatcher(), jaccardMatcher({ thresholds: { tts: 'exact-only' } })],
    });
    await cache.put(lake, bytes('pixels'), png);
    expect(await cache.get(lake)).toMatchObject({ kind: 'exact', score: 1 });
    const similar = await cache.get({ ...lake, prompt: 'A calm lake at sunrise: golden light (4K)!' });
    expect(similar).toMatchObject({ kind: 'similar', score: 1, entry: { prompt: lake.prompt } });
    const close = await cache.get({ ...lake, prompt: 'calm lake at sunrise, golden light, 4k' });
    expect(close).toMatchObject({ kind: 'similar', score: 7 / 8 });
    expect(await cache.get({ ...lake, params: { model: 'sdxl' } })).toBeUndefined();
    const stats = await cache.stats();
    expect(stats.session).toMatchObject({ hits: 3, similarHits: 2, misses: 1 });
  });

  it('getOrGenerate generates once for near-duplicates and never for TTS near-duplicates', async () => {
    const cache = createTieredCache({
      tiers: [createMapTier()],
      matchers: [exactMatcher(), jaccardMatcher({ thresholds: { tts: 'exact-only' } })],
    });
    let generated = 0;
    const generate = async () => {
      generated++;
      return { bytes: bytes(`asset ${generated}`), ...png };
    };
    await cache.getOrGenerate(lake, generate);
    expect((await cache.getOrGenerate({ ...lake, prompt: `  ${lake.prompt}\n` }, generate)).source).toBe(
      'exact',
    );
    expect((await cache.getOrGenerate({ ...lake, prompt: lake.prompt.toUpperCase() }, generate)).source).toBe(
      'similar',
    );
    const line = { type: 'tts', prompt: 'Subscribe for more!' };
    await cache.getOrGenerate(line, generate);
    expect((await cache.getOrGenerate({ ...line, prompt: 'subscribe for more' }, generate)).source).toBe(
      'generated',
    );
    expect(generated).toBe(3);
  });

  it('works with the embedding matcher too', async () => {
    const cache = createTieredCache({
      tiers: [createMapTier()],
      matchers: [exactMatcher(), embeddingMatcher({ embed: hashedNgramEmbedder(), threshold: 0.8 })],
    });
    await cache.put(lake, bytes('pixels'), png);
    const hit = await cache.get({ ...lake, prompt: 'calm lake at sunrise, golden light, highly detailed' });
    expect(hit?.kind).toBe('similar');
    expect(hit?.score).toBeGreaterThan(0.8);
    expect(await cache.get({ ...lake, prompt: 'calm lake at sunset, golden light, 4k' })).toBeUndefined();
  });
});
