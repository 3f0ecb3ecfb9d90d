import { checkOptions } from '@tiercache/core/kit';
import { matchersErrors } from './matchers-errors.js';

export interface HashedNgramEmbedderOptions {
  /**
   * Length of the vector. More dimensions mean fewer hash collisions between n-grams.
   * @default 256
   */
  dimensions?: number;
  /**
   * Character n-gram lengths counted (in code points, over the normalized text padded
   * with a space on each side).
   * @default [2, 3, 4]
   */
  ngramSizes?: readonly number[];
}

const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/gu;

// FNV-1a over UTF-16 code units: tiny, fast and stable across runs and platforms.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A local embedder that needs no model: the text (NFKC, lowercase, non-letters folded to
 * one space) is cut into character n-grams, each hashed to a dimension with a hashed sign,
 * and the counts are L2-normalized. It captures spelling overlap, not meaning, but works
 * offline, deterministically, and for scripts without spaces (CJK) where word tokens fail.
 */
export function hashedNgramEmbedder(
  options: HashedNgramEmbedderOptions = {},
): (text: string) => Float32Array {
  const check = checkOptions<HashedNgramEmbedderOptions>(matchersErrors.packageName, options, {
    known: ['dimensions', 'ngramSizes'],
  });
  const dimensions = check.integer('dimensions', { min: 1, max: 65_536, default: 256 });
  const sizes = options.ngramSizes ?? [2, 3, 4];
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw check.errors.invalidOption('ngramSizes', sizes, 'a non-empty array of integers from 1 to 16');
  }
  sizes.forEach((size, i) => {
    if (!Number.isInteger(size) || size < 1 || size > 16) {
      throw check.errors.invalidOption(`ngramSizes[${i}]`, size, 'an integer from 1 to 16');
    }
  });
  return (text) => {
    const vector = new Float32Array(dimensions);
    const folded = text.normalize('NFKC').toLowerCase().replace(SEPARATORS, ' ').trim();
    if (folded.length === 0) return vector;
    const points = Array.from(` ${folded} `);
    for (const size of sizes) {
      for (let i = 0; i + size <= points.length; i++) {
        const hash = fnv1a(`${size}\u0000${points.slice(i, i + size).join('')}`);
        vector[hash % dimensions]! += hash & 0x80000000 ? -1 : 1;
      }
    }
    let norm = 0;
    for (const x of vector) norm += x * x;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < dimensions; i++) vector[i]! *= scale;
    }
    return vector;
  };
}
