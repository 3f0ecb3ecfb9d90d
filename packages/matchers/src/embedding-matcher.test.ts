import { createMemoryIndex, deriveKey, isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { embeddingMatcher } from './embedding-matcher.js';
import { hashedNgramEmbedder } from './hashed-ngram-embedder.js';
import { entryFor, silentView } from './test-support/entries.js';
import { cosine } from './vector.js';

const image = (prompt: string, model = 'flux') => ({ type: 'image', prompt, params: { model } });

/** An embedder that counts its calls, to check embeddings are cached per entry. */
function countingEmbedder() {
  const inner = hashedNgramEmbedder();
  const calls: string[] = [];
  return {
    calls,
    embed: async (text: string) => {
      calls.push(text);
      return Array.from(inner(text));
    },
  };
}

describe('embeddingMatcher', () => {
  it('finds the most similar prompt by cosine and reports kind, score and entry', async () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a calm lake at sunrise, 4k')));
    index.insert(entryFor(image('neon city street at night')));
    const embed = hashedNgramEmbedder();
    const matcher = embeddingMatcher({ embed, threshold: 0.5 });
    const query = 'calm lake at sunrise, highly detailed';
    const match = await matcher.find(deriveKey(image(query)), index);
    expect(match).toMatchObject({ kind: 'similar', entry: { prompt: 'a calm lake at sunrise, 4k' } });
    expect(match?.score).toBeCloseTo(cosine(embed('a calm lake at sunrise, 4k'), embed(query)), 5);
    expect(match?.explanation).toMatchObject({ matcher: 'embedding', policy: 'embedding+guard' });
    expect(match?.explanation?.differences).toEqual(
      expect.arrayContaining([
        { requested: null, stored: '4k', rule: 'booster' },
        { requested: 'highly', stored: null, rule: 'booster' },
      ]),
    );
    const same = await matcher.find(deriveKey(image('Calm lake at sunrise; 4K')), index);
    expect(same).toMatchObject({ kind: 'canonical' });
  });

  it('passes every hit through the guard: a close vector of a different picture is refused', async () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a red car parked by the sea, 4k')));
    index.insert(entryFor(image('a cat chasing a mouse')));
    const embed = hashedNgramEmbedder();
    const guarded = embeddingMatcher({ embed, threshold: 0.5 });
    const unguarded = embeddingMatcher({ embed, threshold: 0.5, guard: false });
    for (const prompt of ['a yellow car parked by the sea, 4k', 'a mouse chasing a cat']) {
      expect(await guarded.find(deriveKey(image(prompt)), index)).toBeUndefined();
      const wrong = await unguarded.find(deriveKey(image(prompt)), index);
      expect(wrong).toMatchObject({ kind: 'similar', explanation: { policy: 'embedding' } });
    }
    // The nearest vector may be refused while a farther one passes.
    index.insert(entryFor(image('a red car parked by the sea, 8k, masterpiece, trending on artstation')));
    const next = await guarded.find(deriveKey(image('red car parked by the sea, hd')), index);
    expect(next?.entry.prompt).toMatch(/^a red car parked by the sea/);
  });

  it('embeds each entry once, and reuses the vector of a query that was just stored', async () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a calm lake')));
    const { embed, calls } = countingEmbedder();
    const matcher = embeddingMatcher({ embed, threshold: 0.5 });
    await matcher.find(deriveKey(image('calm lake')), index);
    await matcher.find(deriveKey(image('the calm lake')), index);
    expect(calls.filter((text) => text === 'a calm lake')).toHaveLength(1);
    index.insert(entryFor(image('the calm lake')));
    await matcher.find(deriveKey(image('calm lake')), index);
    expect(calls.filter((text) => text === 'the calm lake')).toHaveLength(1);
    expect(matcher.memoryUsage()).toMatchObject({ partitions: 1, prompts: 2 });
  });

  it('keeps partitions and exact-only types apart', async () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a calm lake', 'sdxl')));
    index.insert(entryFor({ type: 'tts', prompt: 'Subscribe for more!' }));
    const matcher = embeddingMatcher({
      embed: hashedNgramEmbedder(),
      threshold: 0.5,
      thresholds: { tts: 'exact-only' },
    });
    expect(await matcher.find(deriveKey(image('a calm lake!')), index)).toBeUndefined();
    expect(
      await matcher.find(deriveKey({ type: 'tts', prompt: 'subscribe for more' }), index),
    ).toBeUndefined();
  });

  it('follows deletes and notices changes made by another process', async () => {
    const index = createMemoryIndex();
    const matcher = embeddingMatcher({ embed: hashedNgramEmbedder(), threshold: 0.8 });
    const query = deriveKey(image('calm lake at dawn'));
    const lake = index.insert(entryFor(image('a calm lake at dawn')));
    expect((await matcher.find(query, index))?.entry.key).toBe(lake.key);
    index.delete('image', lake.key);
    expect(await matcher.find(query, index)).toBeUndefined();
    const view = silentView(index);
    await matcher.find(query, view);
    index.insert(entryFor(image('a calm lake at dawn')));
    expect((await matcher.find(query, view))?.entry.key).toBe(lake.key);
  });

  it('never matches a prompt the embedder maps to the zero vector', async () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('...')));
    const matcher = embeddingMatcher({ embed: hashedNgramEmbedder(), threshold: 0.01 });
    expect(await matcher.find(deriveKey(image('!!!')), index)).toBeUndefined();
  });

  it('rejects an embedder that returns vectors of changing length or non-numbers', async () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a calm lake')));
    let calls = 0;
    const ragged = embeddingMatcher({ embed: () => (calls++ === 0 ? [1, 0] : [1, 0, 0]) });
    await expect(ragged.find(deriveKey(image('calm lake')), index)).rejects.toMatchObject({
      code: 'E_INVALID_EMBEDDING',
    });
    const broken = embeddingMatcher({ embed: () => [Number.NaN] });
    await expect(broken.find(deriveKey(image('calm lake')), index)).rejects.toMatchObject({
      code: 'E_INVALID_EMBEDDING',
    });
  });

  it('validates its options', () => {
    for (const options of [
      {},
      { embed: hashedNgramEmbedder(), threshold: 1.5 },
      { embed: hashedNgramEmbedder(), guard: 'on' },
    ]) {
      let thrown: unknown;
      try {
        embeddingMatcher(options as Parameters<typeof embeddingMatcher>[0]);
      } catch (error) {
        thrown = error;
      }
      expect(isTiercacheError(thrown, 'E_INVALID_OPTIONS')).toBe(true);
    }
  });
});
