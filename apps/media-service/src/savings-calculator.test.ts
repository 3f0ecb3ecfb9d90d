// The cost-savings calculator is pure: exact figures from hand-made inputs, and agreement with
// @tiercache/media's own pricing functions on the quantities it measures from entries.
import type { Entry } from '@tiercache/core';
import { DEFAULT_PRICING, priceImage, priceTts } from '@tiercache/media';
import { describe, expect, it } from 'vitest';
import { type AllTimeFigures, computeSavings, figuresFromIndex } from './savings-calculator.js';

const figures: AllTimeFigures = {
  byType: {
    // Two lines: 10 characters used 4 times (3 hits), 20 characters used 3 times (2 hits).
    tts: {
      entries: 2,
      hits: 5,
      bytes: 3000,
      characters: 30,
      hitCharacters: 70,
      megapixels: 0,
      hitMegapixels: 0,
      generationMs: 300,
      savedGenerationMs: 700,
      generationCost: 0,
      savedGenerationCost: 0,
    },
    // One 1000×500 image used 4 times.
    image: {
      entries: 1,
      hits: 3,
      bytes: 5000,
      characters: 0,
      hitCharacters: 0,
      megapixels: 0.5,
      hitMegapixels: 1.5,
      generationMs: 1000,
      savedGenerationMs: 3000,
      generationCost: 0.01,
      savedGenerationCost: 0.03,
    },
  },
};

describe('computeSavings', () => {
  it('prices the avoided characters and megapixels and projects at the all-time hit rate', () => {
    const result = computeSavings(
      figures,
      { tts: { perCharacter: 15 / 1_000_000 }, image: { perMegapixel: 0.04 } },
      { videos: 10, requestsPerVideo: 8 },
    );
    expect(result).toEqual({
      requests: 11,
      generations: 8,
      hitRate: 8 / 11,
      generationMs: 3700,
      generationCost: 0.03,
      listPriceSaved: 0.06105,
      listPriceSpent: 0.02045,
      byType: {
        tts: { generations: 5, generationMs: 700, listPriceSaved: 0.00105, listPriceSpent: 0.00045 },
        image: { generations: 3, generationMs: 3000, listPriceSaved: 0.06, listPriceSpent: 0.02 },
      },
      projection: {
        videos: 10,
        requestsPerVideo: 8,
        // 80 requests × 8/11, each saving the average past hit: $0.06105 / 8 and 3.7 s / 8.
        generations: 58.181818182,
        generationMs: 26909.090909091,
        listPriceSaved: 0.444,
      },
    });
  });

  it('adds a per-call price once per avoided call, and prices free engines at zero', () => {
    const perCall = computeSavings(
      figures,
      { tts: { perCall: 0.01 }, image: {} },
      { videos: 0, requestsPerVideo: 8 },
    );
    expect(perCall.listPriceSaved).toBe(0.05);
    expect(perCall.listPriceSpent).toBe(0.02);
    expect(perCall.byType.image).toEqual({
      generations: 3,
      generationMs: 3000,
      listPriceSaved: 0,
      listPriceSpent: 0,
    });
    expect(perCall.projection).toMatchObject({ generations: 0, listPriceSaved: 0, generationMs: 0 });
  });

  it('an empty cache saves nothing and divides by nothing', () => {
    const result = computeSavings(
      { byType: {} },
      { tts: { perCharacter: 1 }, image: { perMegapixel: 1 } },
      { videos: 100, requestsPerVideo: 8 },
    );
    expect(result).toMatchObject({
      requests: 0,
      generations: 0,
      hitRate: 0,
      listPriceSaved: 0,
      listPriceSpent: 0,
    });
    expect(result.projection).toMatchObject({ generations: 0, listPriceSaved: 0, generationMs: 0 });
  });
});

function entry(fields: Partial<Entry> & Pick<Entry, 'type' | 'prompt' | 'params' | 'useCount'>): Entry {
  return {
    key: `${fields.type}-${fields.prompt}`,
    paramsHash: 'p',
    contentHash: 'c',
    size: 100,
    mediaType: fields.type === 'tts' ? 'audio/wav' : 'image/png',
    extension: fields.type === 'tts' ? 'wav' : 'png',
    metadata: {},
    createdAt: 0,
    lastUsedAt: 0,
    expiresAt: null,
    generationCost: null,
    generationMs: null,
    ...fields,
  };
}

describe('figuresFromIndex', () => {
  const line = 'Café ☕ for more!';
  const entries = [
    entry({ type: 'tts', prompt: line, params: '{"engine":"espeak-ng"}', useCount: 3, generationMs: 120 }),
    entry({
      type: 'image',
      prompt: 'a calm lake',
      params: '{"height":360,"model":"local-renderer/v1","width":640}',
      useCount: 2,
      generationMs: 40,
      generationCost: 0.002,
    }),
    // No size in the request: priced at 1024×1024, as priceImage does.
    entry({ type: 'image', prompt: 'a pier', params: '{"model":"m"}', useCount: 1 }),
  ];
  const stats = {
    entries: 3,
    bytes: 300,
    byType: {
      tts: { entries: 1, uses: 3, bytes: 100 },
      image: { entries: 2, uses: 3, bytes: 200 },
    },
  };

  it('measures characters and megapixels the way @tiercache/media prices them', () => {
    const result = figuresFromIndex(stats, entries);
    expect(result.byType.tts).toMatchObject({
      entries: 1,
      hits: 2,
      characters: 16,
      hitCharacters: 32,
      savedGenerationMs: 240,
    });
    expect(result.byType.image).toMatchObject({
      entries: 2,
      hits: 1,
      bytes: 200,
      savedGenerationMs: 40,
      generationCost: 0.002,
      savedGenerationCost: 0.002,
    });
    expect(result.byType.image?.megapixels).toBeCloseTo(0.2304 + 1.048576, 12);
    expect(result.byType.image?.hitMegapixels).toBeCloseTo(0.2304, 12);

    const prices = {
      tts: DEFAULT_PRICING.tts['openai-tts-1']!,
      image: DEFAULT_PRICING.image['black-forest-labs/FLUX.1-dev']!,
    };
    const savings = computeSavings(result, prices, { videos: 1, requestsPerVideo: 1 });
    const oneLine = priceTts(DEFAULT_PRICING, { text: line, engine: 'openai-tts-1', voice: null }) ?? 0;
    const oneLake =
      priceImage(DEFAULT_PRICING, {
        prompt: 'a calm lake',
        model: 'black-forest-labs/FLUX.1-dev',
        width: 640,
        height: 360,
      }) ?? 0;
    expect(savings.byType.tts?.listPriceSaved).toBeCloseTo(2 * oneLine, 9);
    expect(savings.byType.image?.listPriceSaved).toBeCloseTo(oneLake, 9);
    expect(savings.generationCost).toBe(0.002);
  });
});
