import { isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { canonicalMatcher } from './canonical-matcher.js';
import { embeddingMatcher } from './embedding-matcher.js';
import { similarityGuard } from './guard.js';
import { guardedMatcher } from './guarded-matcher.js';
import { hashedNgramEmbedder } from './hashed-ngram-embedder.js';
import { jaccardMatcher } from './jaccard-matcher.js';

// A misspelt option must not be dropped silently: the matcher would then run on its default
// threshold or word lists, and serve (or refuse) hits the caller never asked for.
const embed = hashedNgramEmbedder();
const cases: [string, () => unknown, string, string][] = [
  ['jaccardMatcher', () => jaccardMatcher({ threshhold: 0.9 } as never), 'threshhold', 'threshold'],
  ['embeddingMatcher', () => embeddingMatcher({ embed, treshold: 0.9 } as never), 'treshold', 'threshold'],
  ['canonicalMatcher', () => canonicalMatcher({ form: { tts: 'speech' } } as never), 'form', 'forms'],
  ['guardedMatcher', () => guardedMatcher({ langauge: 'en' } as never), 'langauge', 'language'],
  ['similarityGuard', () => similarityGuard({ word: {} } as never), 'word', 'words'],
];

describe('matcher options', () => {
  it.each(cases)('%s refuses an unknown option and suggests the known one', (_, create, bad, good) => {
    let caught: unknown;
    try {
      create();
    } catch (error) {
      caught = error;
    }
    expect(isTiercacheError(caught, 'E_INVALID_OPTIONS')).toBe(true);
    const message = (caught as Error).message;
    expect(message).toMatch(/^@tiercache\/matchers: unknown option /);
    expect(message).toContain(bad);
    expect(message).toContain(`did you mean ${good}?`);
  });

  it('refuses options that are not an object', () => {
    expect(() => jaccardMatcher(42 as never)).toThrow(/@tiercache\/matchers: option/);
    expect(() => embeddingMatcher(null as never)).toThrow(/@tiercache\/matchers: option/);
  });

  it('still accepts every documented option', () => {
    expect(
      jaccardMatcher({ threshold: 0.9, thresholds: { tts: 'exact-only' }, shingleSize: 2, name: 'j' }).name,
    ).toBe('j');
    expect(canonicalMatcher({ language: 'en', words: {}, forms: { tts: 'speech' }, name: 'c' }).name).toBe(
      'c',
    );
    expect(guardedMatcher({ language: 'en', forms: { image: 'image' }, name: 'g' }).name).toBe('g');
    expect(embeddingMatcher({ embed, threshold: 0.9, guard: false, name: 'e' }).name).toBe('e');
  });
});
