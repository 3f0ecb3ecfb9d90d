import { isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { type HashedNgramEmbedderOptions, hashedNgramEmbedder } from './hashed-ngram-embedder.js';
import { cosine } from './vector.js';

describe('hashedNgramEmbedder', () => {
  const embed = hashedNgramEmbedder();

  it('returns a deterministic unit vector of the configured size', () => {
    const vector = embed('a calm lake at sunrise');
    expect(vector).toBeInstanceOf(Float32Array);
    expect(vector.length).toBe(256);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(embed('a calm lake at sunrise')).toEqual(vector);
    expect(hashedNgramEmbedder({ dimensions: 64 })('x').length).toBe(64);
  });

  it('places near-duplicates close and unrelated texts far apart', () => {
    const near = cosine(embed('a calm lake at sunrise, 4k'), embed('calm lake at sunrise 4K'));
    const far = cosine(embed('a calm lake at sunrise, 4k'), embed('neon city street at night'));
    expect(near).toBeGreaterThan(0.9);
    expect(far).toBeLessThan(0.5);
  });

  it('ignores case, punctuation and Unicode form, and sees inside CJK runs', () => {
    expect(cosine(embed('Café crème!'), embed('cafe\u0301 CRE\u0300ME'))).toBeCloseTo(1, 5);
    expect(cosine(embed('東京の夜景'), embed('東京の夜'))).toBeGreaterThan(0.7);
  });

  it('returns the zero vector for text without letters or digits', () => {
    expect(embed('!!! ...').every((x) => x === 0)).toBe(true);
  });

  it('rejects bad options', () => {
    for (const options of [
      { dimensions: 0 },
      { dimensions: 1.5 },
      { ngramSizes: [] },
      { ngramSizes: [0] },
      { size: 3 },
    ]) {
      let thrown: unknown;
      try {
        hashedNgramEmbedder(options as HashedNgramEmbedderOptions);
      } catch (error) {
        thrown = error;
      }
      expect(isTiercacheError(thrown, 'E_INVALID_OPTIONS')).toBe(true);
    }
  });
});
