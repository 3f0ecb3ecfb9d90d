import {
  createMemoryIndex,
  deriveKey,
  type Entry,
  type EntryIndex,
  isTiercacheError,
  type RequestKey,
} from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { jaccardMatcher } from './jaccard-matcher.js';
import { bruteForce, entryFor, silentView } from './test-support/entries.js';
import { DEFAULT_JACCARD_THRESHOLD } from './thresholds.js';
import { jaccard, tokenize } from './tokenize.js';

const flux = { model: 'flux', size: '1024x1024' };
const image = (prompt: string, params: Record<string, string> = flux) => ({ type: 'image', prompt, params });

function indexWith(...requests: ReturnType<typeof image>[]) {
  const index = createMemoryIndex();
  const entries = requests.map((request) => index.insert(entryFor(request)));
  return { index, entries };
}

describe('jaccardMatcher', () => {
  it('reports a similar hit with its score and the matched entry and prompt', () => {
    const { index } = indexWith(image('a calm lake at sunrise, 4k'), image('a stormy sea at night'));
    const match = jaccardMatcher({ threshold: 0.8 }).find(deriveKey(image('calm lake at sunrise 4k')), index);
    expect(match).toMatchObject({ kind: 'similar', score: 5 / 6 });
    expect(match?.entry.prompt).toBe('a calm lake at sunrise, 4k');
  });

  it('uses DEFAULT_JACCARD_THRESHOLD by default', () => {
    const { index } = indexWith(image('a calm lake at sunrise, 4k'));
    const matcher = jaccardMatcher();
    expect(5 / 6).toBeLessThan(DEFAULT_JACCARD_THRESHOLD);
    expect(matcher.find(deriveKey(image('calm lake at sunrise 4k')), index)).toBeUndefined(); // 5/6
    expect(
      jaccardMatcher({ threshold: 5 / 6 }).find(deriveKey(image('calm lake at sunrise 4k')), index),
    ).toBeDefined();
    expect(matcher.find(deriveKey(image('A calm lake at sunrise 4K')), index)?.score).toBe(1);
  });

  it('never matches across params partitions, however similar the prompt', () => {
    const { index } = indexWith(image('a calm lake at sunrise', { model: 'sdxl', size: '1024x1024' }));
    const matcher = jaccardMatcher({ threshold: 0.5 });
    expect(matcher.find(deriveKey(image('a calm lake at sunrise!')), index)).toBeUndefined();
    index.insert(entryFor({ type: 'tts', prompt: 'a calm lake at sunrise', params: flux }));
    expect(matcher.find(deriveKey(image('a calm lake at sunrise!')), index)).toBeUndefined();
  });

  it('never similar-matches a type set to exact-only, and applies per-type thresholds', () => {
    const { index } = indexWith(image('a calm lake at sunrise'));
    index.insert(entryFor({ type: 'tts', prompt: 'Subscribe for more videos!' }));
    const matcher = jaccardMatcher({ threshold: 0.99, thresholds: { tts: 'exact-only', image: 0.75 } });
    expect(
      matcher.find(deriveKey({ type: 'tts', prompt: 'subscribe for more videos' }), index),
    ).toBeUndefined();
    expect(matcher.find(deriveKey(image('a calm lake at sunrise, mist')), index)?.score).toBe(5 / 6);
  });

  it('skips the request’s own entry: that one is the exact matcher’s answer', () => {
    const { index } = indexWith(image('a calm lake'), image('calm lake'));
    const match = jaccardMatcher({ threshold: 0.5 }).find(deriveKey(image('a calm lake')), index);
    expect(match?.entry.prompt).toBe('calm lake');
  });

  it('breaks ties by the smallest key', () => {
    const { index, entries } = indexWith(image('red fox running'), image('blue fox running'));
    const match = jaccardMatcher({ threshold: 0.5 }).find(deriveKey(image('fox running')), index);
    const smallest = [...entries].sort((a, b) => (a.key < b.key ? -1 : 1))[0]!;
    expect(match).toMatchObject({ score: 2 / 3, entry: { key: smallest.key } });
  });

  it('never similar-matches a prompt without letters or digits, in either direction', () => {
    const { index } = indexWith(image('!!!'), image('...'));
    const matcher = jaccardMatcher({ threshold: 0.01 });
    expect(matcher.find(deriveKey(image('???')), index)).toBeUndefined();
    index.insert(entryFor(image('lake')));
    expect(matcher.find(deriveKey(image('?!')), index)).toBeUndefined();
    expect(matcher.find(deriveKey(image('lake!')), index)?.entry.prompt).toBe('lake');
  });

  it('matches across Unicode forms: decomposed accents, full-width, CJK, emoji', () => {
    const { index } = indexWith(
      image('Café au lait, crème brûlée'),
      image('東京の夜景 ネオン 4K'),
      image('happy dog 🐶 in the park'),
    );
    const matcher = jaccardMatcher({ threshold: 0.99 });
    expect(
      matcher.find(deriveKey(image('cafe\u0301 au lait cre\u0300me bru\u0302le\u0301e')), index)?.score,
    ).toBe(1);
    expect(matcher.find(deriveKey(image('東京の夜景　ネオン　４Ｋ')), index)?.entry.prompt).toBe(
      '東京の夜景 ネオン 4K',
    );
    expect(matcher.find(deriveKey(image('happy dog 🐱 in the park')), index)?.score).toBe(1);
  });

  it('k = 2 shingles tell "dog bites man" from "man bites dog"', () => {
    const { index } = indexWith(image('dog bites man'));
    const query = deriveKey(image('man bites dog'));
    expect(jaccardMatcher({ threshold: 1 }).find(query, index)?.score).toBe(1);
    expect(jaccardMatcher({ threshold: 0.1, shingleSize: 2 }).find(query, index)).toBeUndefined();
  });

  it('handles very long prompts (10k words) with the exact score', () => {
    const words = Array.from({ length: 10_000 }, (_, i) => `w${(i * 7919) % 6000}`);
    const stored = words.join(' ');
    const edited = words.map((w, i) => (i % 40 === 0 ? `x${i}` : w)).join(' ');
    const index = createMemoryIndex();
    // Longer than a request may be, so the entries and the request key are built by hand.
    const entry: Entry = { ...entryFor(image('long')), key: 'a'.repeat(64), prompt: stored };
    index.insert(entry);
    const request: RequestKey = { ...deriveKey(image('long')), key: 'b'.repeat(64), prompt: edited };
    const expected = jaccard(tokenize(stored), tokenize(edited));
    for (const shingleSize of [1, 2]) {
      const match = jaccardMatcher({ threshold: 0.5, shingleSize }).find(request, index);
      const exact =
        shingleSize === 1
          ? expected
          : jaccard(tokenize(stored, { shingleSize }), tokenize(edited, { shingleSize }));
      expect(match?.score).toBe(exact);
    }
  });

  it('follows inserts, deletes and clears made through the index', () => {
    const index = createMemoryIndex();
    const matcher = jaccardMatcher({ threshold: 0.6 });
    const query = deriveKey(image('calm lake at dawn'));
    expect(matcher.find(query, index)).toBeUndefined();
    const lake = index.insert(entryFor(image('a calm lake at dawn')));
    expect(matcher.find(query, index)?.entry.key).toBe(lake.key);
    index.delete('image', lake.key);
    expect(matcher.find(query, index)).toBeUndefined();
    index.insert(entryFor(image('a calm lake at dawn')));
    index.clear();
    expect(matcher.find(query, index)).toBeUndefined();
    expect(matcher.memoryUsage()).toMatchObject({ prompts: 0 });
  });

  it('notices changes another process made (revision moved, no event) and catches up', () => {
    const index = createMemoryIndex();
    const otherProcess = silentView(index);
    const matcher = jaccardMatcher({ threshold: 0.6 });
    const query = deriveKey(image('calm lake at dawn'));
    index.insert(entryFor(image('stormy sea')));
    expect(matcher.find(query, otherProcess)).toBeUndefined();
    const lake = index.insert(entryFor(image('a calm lake at dawn')));
    expect(matcher.find(query, otherProcess)?.entry.key).toBe(lake.key);
    index.delete('image', lake.key);
    expect(matcher.find(query, otherProcess)).toBeUndefined();
    expect(matcher.memoryUsage().prompts).toBe(1);
  });

  it('does not lose a change made elsewhere just before a change it is told about', () => {
    const index = createMemoryIndex();
    let muted = false;
    // This process hears about its own writes only; `muted` writes stand for another process.
    const view: EntryIndex = {
      ...silentView(index),
      subscribe: (listener) => index.subscribe((change) => (muted ? undefined : listener(change))),
    };
    const matcher = jaccardMatcher({ threshold: 0.6 });
    const query = deriveKey(image('calm lake at dawn'));
    index.insert(entryFor(image('stormy sea')));
    expect(matcher.find(query, view)).toBeUndefined();
    muted = true;
    const lake = index.insert(entryFor(image('a calm lake at dawn')));
    muted = false;
    index.insert(entryFor(image('a desert road')));
    expect(matcher.find(query, view)?.entry.key).toBe(lake.key);
  });

  it('compacts its lists after many deletes and still answers exactly', () => {
    const index = createMemoryIndex();
    const matcher = jaccardMatcher({ threshold: 0.5 });
    const entries = Array.from({ length: 3000 }, (_, i) =>
      index.insert(entryFor(image(`scene ${i} lake ${i % 7}`))),
    );
    matcher.find(deriveKey(image('warm up')), index);
    const before = matcher.memoryUsage();
    for (const entry of entries.slice(0, 2900)) index.delete('image', entry.key);
    const after = matcher.memoryUsage();
    expect(after.prompts).toBe(100);
    expect(after.bytes).toBeLessThan(before.bytes);
    const request = image('scene 2950 lake 3 mist');
    const match = matcher.find(deriveKey(request), index);
    expect(match && { key: match.entry.key, score: match.score }).toEqual(bruteForce(index, request, 0.5));
    expect(match?.entry.prompt).toBe('scene 2950 lake 3');
  });

  it('reports memory use per built partition', () => {
    const { index } = indexWith(image('a'), image('b'), image('c', { model: 'sdxl' }));
    const matcher = jaccardMatcher();
    expect(matcher.memoryUsage()).toEqual({ bytes: 0, partitions: 0, prompts: 0 });
    matcher.find(deriveKey(image('a b')), index);
    const usage = matcher.memoryUsage();
    expect(usage).toMatchObject({ partitions: 1, prompts: 2 });
    expect(usage.bytes).toBeGreaterThan(0);
  });

  it('rejects bad options with E_INVALID_OPTIONS naming the option', () => {
    const cases: [Parameters<typeof jaccardMatcher>[0], RegExp][] = [
      [{ threshold: 1.5 }, /option threshold 1\.5 is invalid/],
      [{ threshold: Number.NaN }, /option threshold NaN/],
      [{ threshold: 0 }, /option threshold 0 /],
      [{ thresholds: { tts: 2 } }, /option thresholds\.tts 2/],
      [{ thresholds: { tts: 'never' as 'exact-only' } }, /option thresholds\.tts "never"/],
      [{ shingleSize: 0 }, /option shingleSize 0/],
    ];
    for (const [options, message] of cases) {
      let thrown: unknown;
      try {
        jaccardMatcher(options);
      } catch (error) {
        thrown = error;
      }
      expect(isTiercacheError(thrown, 'E_INVALID_OPTIONS')).toBe(true);
      expect((thrown as Error).message).toMatch(/^@tiercache\/matchers: /);
      expect((thrown as Error).message).toMatch(message);
    }
  });
});
