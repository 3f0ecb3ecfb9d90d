import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryIndex, isTiercacheError } from '@tiercache/core';
import { createMemoryTier } from '@tiercache/memory';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIMILARITY_POLICIES, isSimilarityPolicy } from './match-policies.js';
import { createMediaCache } from './media-cache.js';
import type { MediaCacheOptions } from './media-types.js';
import { DEFAULT_PRICING, priceImage, priceTts } from './pricing.js';

const storage = () => ({ tiers: [createMemoryTier({ maxBytes: 1024 })] });

function optionsError(options: unknown): { message: string; option: unknown } {
  try {
    createMediaCache(options as MediaCacheOptions);
  } catch (error) {
    if (isTiercacheError(error, 'E_INVALID_OPTIONS'))
      return { message: error.message, option: error.context.option };
    throw error;
  }
  throw new Error('expected E_INVALID_OPTIONS');
}

describe('media cache: options and pricing', () => {
  it.each([
    [{ storage }, 'outputDir undefined'],
    [{ storage, outputDir: '' }, 'outputDir ""'],
    [{ outputDir: 'out' }, 'storage undefined'],
    [{ storage: 'cache', outputDir: 'out' }, 'storage "cache"'],
    [{ storage, outputDir: 'out', enabled: 'yes' }, 'enabled "yes"'],
    [
      { storage, outputDir: 'out', policies: { tts: { policy: 'jaccard', threshold: 1.5 } } },
      'policies.tts.threshold 1.5',
    ],
    [{ storage, outputDir: 'out', policies: { tts: { threshold: 0.9 } } }, 'policies.tts an object'],
    [{ storage, outputDir: 'out', policies: { image: 'similar' } }, 'policies.image "similar"'],
    [
      { storage, outputDir: 'out', policies: { image: { policy: 'jaccard', threshold: 0 } } },
      'policies.image.threshold 0',
    ],
    [{ storage, outputDir: 'out', policies: { tts: { policy: 'guarded' } } }, 'policies.tts an object'],
    [{ storage, outputDir: 'out', policies: { tts: { name: 'x' } } }, 'policies.tts an object'],
    [{ storage, outputDir: 'out', policies: { video: 'exact-only' } }, 'policies.video "exact-only"'],
    [
      { storage, outputDir: 'out', pricing: { tts: { openai: { perCall: -1 } } } },
      'pricing.tts.openai.perCall -1',
    ],
    [
      { storage, outputDir: 'out', pricing: { tts: { openai: { perWord: 1 } } } },
      'pricing.tts.openai.perWord 1',
    ],
    [{ storage, outputDir: 'out', pricing: { audio: {} } }, 'pricing.audio an object'],
    [{ storage, outputDir: 'out', cacheOptions: { tiers: [] } }, 'cacheOptions.tiers an array of 0'],
  ])('rejects %j naming the option and value', (options, expected) => {
    const error = optionsError(options);
    expect(error.message).toContain(`@tiercache/media: option ${expected} is invalid`);
    expect(error.option).toBe(expected.split(' ')[0]);
  });

  it('rejects an unknown option, suggesting the known one it resembles', () => {
    expect(optionsError({ storage, outputDir: 'out', outputdir: 'x' }).message).toBe(
      '@tiercache/media: unknown option outputdir (did you mean outputDir?)',
    );
  });

  it('isSimilarityPolicy accepts exactly what createMediaCache accepts as a policy', () => {
    const matcher = { name: 'm', find: () => undefined };
    for (const policy of ['exact-only', 'canonical', 'guarded', 'jaccard', matcher]) {
      expect(isSimilarityPolicy(policy)).toBe(true);
    }
    expect(isSimilarityPolicy({ policy: 'jaccard', threshold: 0.9 })).toBe(true);
    for (const policy of [
      undefined,
      'similar',
      0.9,
      { threshold: 0.9 },
      { policy: 'jaccard', threshold: 0 },
    ]) {
      expect(isSimilarityPolicy(policy)).toBe(false);
    }
  });

  it('a disabled cache needs no storage', () => {
    expect(createMediaCache({ enabled: false, outputDir: 'out' }).cache).toBeUndefined();
  });

  it('storage of the wrong shape, or a bad cache option, fails when the storage opens', async () => {
    const wrong = createMediaCache({ outputDir: 'out', storage: () => ({}) as ReturnType<typeof storage> });
    expect(() => wrong.open()).toThrow(
      '@tiercache/media: option storage must return { index?, tiers: BlobTier[] }',
    );
    const index = createMemoryIndex();
    const badTimeout = createMediaCache({
      outputDir: 'out',
      storage: () => ({ index, tiers: storage().tiers }),
      cacheOptions: { tierTimeoutMs: -1 },
    });
    expect(() => badTimeout.open()).toThrow('option tierTimeoutMs -1 is invalid');
  });

  it('exact-only for both types still serves exact hits', async () => {
    const outputDir = await mkdtemp(join(tmpdir(), 'tiercache-media-options-'));
    try {
      const media = createMediaCache({ outputDir, storage, policies: { image: 'exact-only' } });
      const generate = async () => ({
        bytes: Uint8Array.of(1, 2, 3),
        mediaType: 'image/png',
        extension: 'png',
      });
      await media.image({ prompt: 'a calm lake at sunrise, 4k' }, generate);
      expect((await media.image({ prompt: 'A calm lake, at sunrise (4K)' }, generate)).source).toBe(
        'generated',
      );
      expect((await media.image({ prompt: 'a calm lake at sunrise, 4k' }, generate)).source).toBe('exact');
      await media.close();
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  });

  it('documents its defaults: TTS canonical, images guarded; list prices per engine and model', () => {
    expect(DEFAULT_SIMILARITY_POLICIES).toEqual({ tts: 'canonical', image: 'guarded' });
    expect(priceTts(DEFAULT_PRICING, { text: 'Hello world', engine: 'espeak-ng', voice: 'en' })).toBe(0);
    expect(priceTts(DEFAULT_PRICING, { text: 'Hello', engine: 'openai-tts-1', voice: 'alloy' })).toBe(
      0.000075,
    );
    expect(priceTts(DEFAULT_PRICING, { text: 'Hello', engine: 'toString', voice: 'x' })).toBeUndefined();
    const schnell = { prompt: 'fox', model: 'black-forest-labs/FLUX.1-schnell', width: 1000, height: 1000 };
    expect(priceImage(DEFAULT_PRICING, schnell)).toBe(0.0027);
    expect(priceImage(DEFAULT_PRICING, { prompt: 'fox' })).toBeUndefined();
  });
});
