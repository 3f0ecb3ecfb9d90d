import { invalidOption } from './invalid-option.js';

export interface TokenizeOptions {
  /**
   * Words per shingle. 1 gives the word set of the original system; 2 makes word order
   * count ("dog bites man" and "man bites dog" share no 2-word shingle).
   * @default 1
   */
  shingleSize?: number;
}

/** Largest accepted shingle size: beyond it nearly every shingle is unique and nothing matches. */
export const MAX_SHINGLE_SIZE = 8;

// Letters, digits and combining marks of any script: marks keep a decomposed accent (or a
// Devanagari vowel sign) inside its word instead of cutting the word in two.
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;
// NFKC and lowercasing of printable ASCII cannot change its tokens beyond case.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Throws `E_INVALID_OPTIONS` unless `value` is an integer shingle size in [1, MAX_SHINGLE_SIZE]. */
export function assertShingleSize(value: unknown, field = 'shingleSize'): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SHINGLE_SIZE) {
    invalidOption(field, value, `an integer from 1 to ${MAX_SHINGLE_SIZE}`);
  }
}

/** The words of a text in order, duplicates kept: NFKC, lowercase, split on non-letters/digits. */
export function words(text: string): string[] {
  const folded = PRINTABLE_ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  for (const word of folded.split(SEPARATORS)) if (word.length > 0) out.push(word);
  return out;
}

/**
 * The token set of a text: its words (shingleSize 1) or its runs of `shingleSize`
 * consecutive words joined by a space (a space never occurs inside a word). A text with
 * fewer words than the shingle size yields one shingle of all its words, so short prompts
 * still compare; a text without any letter or digit yields the empty set.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): Set<string> {
  const shingleSize = options.shingleSize ?? 1;
  assertShingleSize(shingleSize);
  return tokenSet(text, shingleSize);
}

/** `tokenize` without option validation, for hot paths that validated once. */
export function tokenSet(text: string, shingleSize: number): Set<string> {
  const list = words(text);
  if (shingleSize === 1 || list.length <= 1) return new Set(list);
  if (list.length <= shingleSize) return new Set([list.join(' ')]);
  const out = new Set<string>();
  for (let i = 0; i + shingleSize <= list.length; i++) out.add(list.slice(i, i + shingleSize).join(' '));
  return out;
}

/**
 * Jaccard similarity of two token sets: |a ∩ b| / |a ∪ b|. Two empty sets score 0, not 1:
 * a prompt without words says nothing, so it is never similar to anything.
 */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const token of small) if (large.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}
