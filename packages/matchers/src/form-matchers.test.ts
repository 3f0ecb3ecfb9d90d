import { createMemoryIndex, deriveKey, isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { canonicalMatcher } from './canonical-matcher.js';
import { similarityGuard } from './guard.js';
import { guardedMatcher } from './guarded-matcher.js';
import { entryFor, silentView } from './test-support/entries.js';

const image = (prompt: string, model = 'flux') => ({ type: 'image', prompt, params: { model } });
const tts = (prompt: string) => ({ type: 'tts', prompt, params: { voice: 'amy' } });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('canonicalMatcher', () => {
  it('answers the same request written differently, with kind canonical, score 1 and an explanation', () => {
    const index = createMemoryIndex();
    const stored = index.insert(entryFor(tts('Take 2 tablets every 4 hours.')));
    const matcher = canonicalMatcher();
    const match = matcher.find(deriveKey(tts('take two tablets every four hours')), index);
    expect(match).toMatchObject({ kind: 'canonical', score: 1, entry: { key: stored.key } });
    expect(match?.explanation).toMatchObject({
      matcher: 'canonical',
      policy: 'canonical',
      requestedPrompt: 'take two tablets every four hours',
      matchedPrompt: 'Take 2 tablets every 4 hours.',
    });
    expect(match?.explanation?.differences).toEqual(
      expect.arrayContaining([
        { requested: 'take', stored: 'Take', rule: 'case' },
        { requested: 'two', stored: '2', rule: 'number-word' },
        { requested: 'hours', stored: 'hours.', rule: 'punctuation' },
      ]),
    );
    expect(matcher.find(deriveKey(tts('Take four tablets every two hours.')), index)).toBeUndefined();
    expect(matcher.find(deriveKey(tts('Take 2 tablets every 4 hours?')), index)).toBeUndefined();
  });

  it('never answers across params partitions, and gives images no similar hit', () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a red car, 4k', 'sdxl')));
    index.insert(entryFor(image('a red car')));
    const matcher = canonicalMatcher();
    expect(matcher.find(deriveKey(image('red car, 4k')), index)).toBeUndefined();
    expect(matcher.find(deriveKey(image('Red car!')), index)).toMatchObject({ kind: 'canonical' });
  });

  it('follows deletes and notices changes made by another process', () => {
    const index = createMemoryIndex();
    const matcher = canonicalMatcher();
    const query = deriveKey(image('A calm lake, dawn'));
    const lake = index.insert(entryFor(image('dawn, a calm lake')));
    expect(matcher.find(query, index)?.entry.key).toBe(lake.key);
    index.delete('image', lake.key);
    expect(matcher.find(query, index)).toBeUndefined();
    const view = silentView(index);
    expect(matcher.find(query, view)).toBeUndefined();
    index.insert(entryFor(image('dawn, a calm lake')));
    expect(matcher.find(query, view)?.entry.key).toBe(lake.key);
    index.delete('image', lake.key);
    expect(matcher.find(query, view)).toBeUndefined();
  });

  it('matches prompts without a form (punctuation only, very long) exactly only, without throwing', () => {
    // Core refuses a 10 MB prompt with a typed error before any matcher runs.
    expect(
      isTiercacheError(
        thrown(() => deriveKey(image('x'.repeat(10 * 2 ** 20)))),
        'E_INVALID_REQUEST',
      ),
    ).toBe(true);
    const index = createMemoryIndex();
    const huge = 'a red car '.repeat(1_600);
    index.insert(entryFor(image(huge)));
    index.insert(entryFor(image('?!')));
    index.insert(entryFor(tts('...')));
    const matcher = canonicalMatcher();
    expect(matcher.find(deriveKey(image(`${huge}!`)), index)).toBeUndefined();
    expect(matcher.find(deriveKey(image('? !')), index)).toBeUndefined();
    expect(matcher.find(deriveKey(tts('…')), index)).toBeUndefined();
    // Mixed scripts compare by their own letters: a Cyrillic "а" is not a Latin "a".
    index.insert(entryFor(image('cat, кот, 猫')));
    expect(matcher.find(deriveKey(image('猫, CAT, кот')), index)).toMatchObject({ kind: 'canonical' });
    expect(matcher.find(deriveKey(image('cаt, кот, 猫')), index)).toBeUndefined();
  });
});

describe('guardedMatcher', () => {
  it('serves an image whose prompt differs only in ignorable words, and explains each one', () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a lighthouse on a cliff at night, 4k')));
    const matcher = guardedMatcher();
    const match = matcher.find(
      deriveKey(image('an image of a lighthouse on a cliff at night, highly detailed')),
      index,
    );
    expect(match).toMatchObject({ kind: 'similar', explanation: { matcher: 'guarded', policy: 'guarded' } });
    expect(match?.score).toBeGreaterThan(0);
    expect(match?.score).toBeLessThan(1);
    const rules = new Set(match?.explanation?.differences.map((difference) => difference.rule));
    expect([...rules].sort()).toEqual(['article', 'booster', 'filler']);
    expect(matcher.find(deriveKey(image('lighthouse on a cliff at night')), index)).toMatchObject({
      kind: 'similar',
    });
  });

  it.each([
    ['a lighthouse on a cliff at dawn, 4k', 'another word'],
    ['a lighthouse on a cliff at night, no people, 4k', 'negation'],
    ['two lighthouses on a cliff at night, 4k', 'count'],
    ['a red lighthouse on a cliff at night, 4k', 'colour'],
    ['a cliff on a lighthouse at night, 4k', 'order'],
    ['a lighthouse on a cliff at night, 16:9, 4k', 'ratio'],
    ['a lighthouse on a cliff at night 🌙, 4k', 'emoji'],
  ])('refuses %s (%s)', (prompt) => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a lighthouse on a cliff at night, 4k')));
    expect(guardedMatcher().find(deriveKey(image(prompt)), index)).toBeUndefined();
  });

  it('leaves speech to canonical hits unless opted in, and then ignores disfluencies only', () => {
    const index = createMemoryIndex();
    index.insert(entryFor(tts('Um, welcome back to the show.')));
    expect(guardedMatcher().find(deriveKey(tts('welcome back to the show')), index)).toBeUndefined();
    const speech = guardedMatcher({ forms: { tts: 'speech', image: 'image' } });
    expect(speech.find(deriveKey(tts('welcome back to the show')), index)).toMatchObject({
      kind: 'similar',
    });
    expect(speech.find(deriveKey(tts('welcome back to the show')), index)?.explanation?.differences).toEqual([
      { requested: 'show', stored: 'show.', rule: 'punctuation' },
      { requested: null, stored: 'Um,', rule: 'disfluency' },
    ]);
    expect(speech.find(deriveKey(tts('Welcome back to the show, folks.')), index)).toBeUndefined();
  });

  it('takes overridden word lists, and rejects bad ones naming the option', () => {
    const index = createMemoryIndex();
    index.insert(entryFor(image('a lighthouse, cinematic')));
    const custom = guardedMatcher({ words: { boosters: ['cinematic'] } });
    expect(custom.find(deriveKey(image('a lighthouse')), index)).toMatchObject({ kind: 'similar' });
    expect(guardedMatcher().find(deriveKey(image('a lighthouse')), index)).toBeUndefined();
    const cases: [unknown, string][] = [
      [{ words: { boosters: ['no'] } }, 'words.boosters[0]'],
      [{ words: { fillers: ['without people'] } }, 'words.fillers[0]'],
      [{ words: { boosters: ['16'] } }, 'words.boosters[0]'],
      [{ words: { boosters: 'cinematic' } }, 'words.boosters'],
      [{ words: { boosters: ['Cinematic'] } }, 'words.boosters[0]'],
      [{ words: { colours: [] } }, 'words.colours'],
      [{ words: { synonyms: { not: 'very' } } }, 'words.synonyms.not'],
      [{ language: 'xx' }, 'language'],
      [{ forms: { image: 'picture' } }, 'forms.image'],
    ];
    for (const [options, option] of cases) {
      const error = thrown(() => guardedMatcher(options as Parameters<typeof guardedMatcher>[0]));
      expect(isTiercacheError(error, 'E_INVALID_OPTIONS'), option).toBe(true);
      expect((error as Error).message).toMatch(/^@tiercache\/matchers: /);
      expect((error as Error).message).toContain(option);
    }
  });

  it('is the same decision as the exported guard', () => {
    const guard = similarityGuard();
    expect(guard.check('image', 'a fox, 8k', 'the fox')).toMatchObject({ allowed: true, kind: 'similar' });
    expect(guard.check('image', 'A fox.', 'a fox')).toMatchObject({ allowed: true, kind: 'canonical' });
    expect(guard.check('image', 'a fox', 'a red fox')).toEqual({ allowed: false, reason: 'content-differs' });
    expect(guard.check('image', '4k', '4k')).toEqual({ allowed: false, reason: 'no-content' });
    expect(guard.check('video', 'a fox', 'a fox')).toEqual({ allowed: false, reason: 'no-form' });
  });
});
