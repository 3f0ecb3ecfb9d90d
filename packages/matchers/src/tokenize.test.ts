import { describe, expect, it } from 'vitest';
import { jaccard, tokenize } from './tokenize.js';

const sorted = (set: Set<string>) => [...set].sort();

describe('tokenize', () => {
  it('lowercases and splits on anything that is not a letter or digit', () => {
    expect(sorted(tokenize('A calm lake, at SUNRISE -- 4k!'))).toEqual([
      '4k',
      'a',
      'at',
      'calm',
      'lake',
      'sunrise',
    ]);
  });

  it('keeps a set: repeated words count once', () => {
    expect(tokenize('very very very good').size).toBe(2);
  });

  it('gives composed and decomposed accents the same token, inside the word', () => {
    const composed = tokenize('Café crème');
    const decomposed = tokenize('Cafe\u0301 cre\u0300me');
    expect(sorted(composed)).toEqual(['café', 'crème']);
    expect(sorted(decomposed)).toEqual(sorted(composed));
  });

  it('keeps combining marks that have no precomposed form inside the word', () => {
    expect(sorted(tokenize('नमस्ते दुनिया'))).toEqual(['दुनिया', 'नमस्ते']);
  });

  it('folds compatibility forms with NFKC (full-width letters, ligatures)', () => {
    expect(sorted(tokenize('ＡＢＣ ﬁne'))).toEqual(['abc', 'fine']);
  });

  it('treats a run of CJK characters as one word and punctuation between runs as a separator', () => {
    expect(sorted(tokenize('東京の夜景、4K'))).toEqual(['4k', '東京の夜景']);
  });

  it('drops emoji: they are neither letters nor digits', () => {
    expect(sorted(tokenize('dog 🐶 park'))).toEqual(['dog', 'park']);
  });

  it('yields the empty set for punctuation only', () => {
    expect(tokenize('!!! ... ???').size).toBe(0);
  });

  it('builds word shingles; k = 1 ignores order, k = 2 does not', () => {
    const a = 'dog bites man';
    const b = 'man bites dog';
    expect(jaccard(tokenize(a), tokenize(b))).toBe(1);
    expect(sorted(tokenize(a, { shingleSize: 2 }))).toEqual(['bites man', 'dog bites']);
    expect(jaccard(tokenize(a, { shingleSize: 2 }), tokenize(b, { shingleSize: 2 }))).toBe(0);
  });

  it('gives a text shorter than the shingle one shingle of all its words', () => {
    expect(sorted(tokenize('calm lake', { shingleSize: 3 }))).toEqual(['calm lake']);
  });

  it('rejects a shingle size that is not a small positive integer', () => {
    for (const shingleSize of [0, 1.5, Number.NaN, 9]) {
      expect(() => tokenize('x', { shingleSize })).toThrow(/@tiercache\/matchers: option shingleSize/);
    }
  });
});

describe('jaccard', () => {
  it('is |a ∩ b| / |a ∪ b|', () => {
    expect(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBe(0.5);
  });

  it('scores empty sets 0, never 1', () => {
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(new Set(['a']), new Set())).toBe(0);
  });
});
