import { readdir } from 'node:fs/promises';
import { isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import type { TtsRequest, WarmItem, WarmProgress } from './media-types.js';
import { useMediaStack } from './test-support/media-stack.js';

const hello: TtsRequest = { text: 'Hello world', engine: 'test-engine', voice: 'en-us' };

describe('media cache: statistics and warming', () => {
  const stack = useMediaStack();

  it("reports camelCase figures and saved (by type, from the pricing table or the generator's generationCost)", async () => {
    const media = stack.open({ pricing: { tts: { 'test-engine': { perCharacter: 0.001 } } } });
    const tts = await media.tts(hello, stack.tts);
    await media.tts(hello, stack.tts);
    const image = await media.image({ prompt: 'a calm lake at sunrise, 4k' }, async (request) => ({
      ...(await stack.image(request)),
      generationCost: 0.04,
    }));
    await media.image({ prompt: 'calm lake at sunrise, highly detailed' }, stack.image);
    await media.image({ prompt: 'A calm lake, at sunrise (4K)' }, stack.image);
    expect(tts.entry?.generationCost).toBe(0.011);
    expect(image.entry?.generationCost).toBe(0.04);

    const stats = await media.stats();
    expect(stats.session).toStrictEqual({ hits: 3, misses: 2, canonicalHits: 1, similarHits: 1 });
    expect(stats.index).toStrictEqual({
      entries: 2,
      byType: { image: { entries: 1, uses: 3 }, tts: { entries: 1, uses: 2 } },
    });
    expect(stats.hitRate).toBe(0.6);
    const ttsMs = tts.entry?.generationMs ?? 0;
    const imageMs = image.entry?.generationMs ?? 0;
    expect(stats.saved).toStrictEqual({
      generations: 3,
      generationMs: ttsMs + 2 * imageMs,
      generationCost: 0.091,
      byType: {
        tts: { generations: 1, generationMs: ttsMs, generationCost: 0.011 },
        image: { generations: 2, generationMs: 2 * imageMs, generationCost: 0.08 },
      },
    });
    expect(stats.enabled).toBe(true);
  });

  it("getCacheStats() is the original system's dictionary, key for key, with canonical_hits", async () => {
    const media = stack.open();
    await media.tts(hello, stack.tts);
    await media.tts(hello, stack.tts);
    await media.tts({ ...hello, text: 'hello world' }, stack.tts);
    await media.image({ prompt: 'a calm lake at sunrise, 4k' }, stack.image);
    await media.image({ prompt: 'calm lake at sunrise, highly detailed' }, stack.image);
    await media.image({ prompt: 'a foggy harbor at dusk' }, stack.image);
    // The shape of the original `get_cache_stats()` (SPEC.md, the seed session's example),
    // every figure a number: no camelCase key, nothing added but `canonical_hits`.
    expect(await media.getCacheStats()).toStrictEqual({
      session: { hits: 3, misses: 3, canonical_hits: 1, similarity_hits: 1 },
      database: {
        total_entries: 3,
        by_type: {
          tts: { count: 1, total_uses: 3, avg_uses_per_entry: 3 },
          image: { count: 2, total_uses: 3, avg_uses_per_entry: 1.5 },
        },
      },
      hit_rate: 0.5,
    });
  });

  it('a disabled cache reports zeros in both shapes', async () => {
    const media = stack.open({ enabled: false });
    await media.tts(hello, stack.tts);
    expect(await media.stats()).toMatchObject({ enabled: false, hitRate: 0, index: { entries: 0 } });
    expect(await media.getCacheStats()).toStrictEqual({
      session: { hits: 0, misses: 0, canonical_hits: 0, similarity_hits: 0 },
      database: { total_entries: 0, by_type: {} },
      hit_rate: 0,
    });
  });

  it('statistics open the storage, so a fresh process sees the stored entries', async () => {
    await stack.open().tts(hello, stack.tts);
    const stats = await stack.open().getCacheStats();
    expect(stats.database.total_entries).toBe(1);
    expect(stats.session).toStrictEqual({ hits: 0, misses: 0, canonical_hits: 0, similarity_hits: 0 });
  });

  it('warms a list with bounded concurrency, reports progress per item and continues past failures', async () => {
    const media = stack.open();
    await media.tts({ ...hello, text: 'already cached' }, stack.tts);
    const quota = new Error('quota exceeded');
    const items: WarmItem[] = [
      { kind: 'tts', request: { ...hello, text: 'already cached' } },
      { kind: 'tts', request: { ...hello, text: 'Subscribe for more!' } },
      { kind: 'tts', request: { ...hello, text: 'this one fails' } },
      { kind: 'image', request: { prompt: 'a calm lake at sunrise, 4k' } },
      { kind: 'tts', request: { ...hello, text: '   ' } },
      { kind: 'image', request: { prompt: 'a foggy harbor at dusk' } },
    ];
    let running = 0;
    let mostRunning = 0;
    const bounded =
      <R>(generate: (request: R) => ReturnType<typeof stack.image>) =>
      async (request: R) => {
        mostRunning = Math.max(mostRunning, ++running);
        try {
          await new Promise((resolve) => setImmediate(resolve));
          return await generate(request);
        } finally {
          running--;
        }
      };
    const progress: WarmProgress[] = [];
    const report = await media.warm(
      items,
      {
        tts: bounded(async (request: TtsRequest) => {
          if (request.text === 'this one fails') throw quota;
          return stack.tts(request);
        }),
        image: bounded(stack.image),
      },
      { concurrency: 2, onProgress: (event) => progress.push(event) },
    );
    expect(report).toMatchObject({ total: 6, exact: 1, canonical: 0, similar: 0, generated: 3, skipped: 0 });
    expect(report.failed.map(({ index, prompt }) => [index, prompt])).toEqual([
      [2, 'this one fails'],
      [4, '   '],
    ]);
    expect(report.failed[0]?.error).toBe(quota);
    expect(isTiercacheError(report.failed[1]?.error, 'E_INVALID_REQUEST')).toBe(true);
    expect(progress.map((event) => event.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every((event) => event.total === 6)).toBe(true);
    expect(progress.map((event) => event.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(progress.find((event) => event.index === 2)).toMatchObject({ source: 'failed', error: quota });
    expect(mostRunning).toBeLessThanOrEqual(2);
    // Warmed items are now exact hits; warming an indexed item did not count a use.
    expect((await media.tts({ ...hello, text: 'Subscribe for more!' }, stack.tts)).source).toBe('exact');
    expect((await media.stats()).index.byType.tts?.uses).toBe(3);
    expect(await readdir(stack.outputDir)).toHaveLength(2);
  });

  it('counts a warm item that the same request written differently answers as canonical', async () => {
    const media = stack.open();
    await media.image({ prompt: 'a calm lake at sunrise, 4k' }, stack.image);
    const report = await media.warm([{ kind: 'image', request: { prompt: 'Calm lake at sunrise 4k' } }], {
      image: stack.image,
    });
    expect(report).toMatchObject({ total: 1, exact: 0, canonical: 1, similar: 0, generated: 0 });
    expect(stack.calls.image).toBe(1);
  });

  it('refuses a warm list whose kind has no generator, before generating anything', async () => {
    const media = stack.open();
    const items: WarmItem[] = [{ kind: 'image', request: { prompt: 'a red fox' } }];
    await expect(media.warm(items, { tts: stack.tts })).rejects.toThrow(
      '@tiercache/media: warm generators.image',
    );
    await expect(media.warm(items, { image: stack.image }, { concurrency: 0 })).rejects.toThrow(
      'warm options.concurrency 0 is invalid',
    );
    expect(stack.calls.image).toBe(0);
  });
});
