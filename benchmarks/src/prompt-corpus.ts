// Seeded synthetic prompt corpora for the matcher benchmarks: natural-language prompts over
// a Zipf-distributed vocabulary, and templated prompts that share most of their words.

// The same seeded PRNG the matchers' property tests use, so corpora replay from a seed.
import { prng } from '../../packages/matchers/src/test-support/prng.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `size` distinct pronounceable-ish words of 2–10 letters. */
function makeWords(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const length = 2 + Math.floor(random() * 9);
    let word = '';
    for (let i = 0; i < length; i++) word += LETTERS[Math.floor(random() * 26)];
    words.add(word);
  }
  return [...words];
}

/** Draws ranks 0..size-1 with probability ∝ 1/(rank+1)^exponent. */
function zipf(size: number, exponent: number, random: () => number): () => number {
  const cdf = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) cdf[i] = sum += 1 / (i + 1) ** exponent;
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface Corpus {
  prompts: string[];
  /** Near-duplicates of stored prompts (hits expected) and fresh prompts (mostly misses), interleaved. */
  queries: string[];
}

type Generator = () => string;

function natural(random: () => number): Generator {
  const vocabulary = makeWords(50_000, random);
  const rank = zipf(vocabulary.length, 1.05, random);
  return () => {
    const length = 8 + Math.floor(random() * 33);
    const words: string[] = [];
    for (let i = 0; i < length; i++) words.push(vocabulary[rank()]!);
    return words.join(' ');
  };
}

function templated(random: () => number): Generator {
  const common = makeWords(400, random);
  const fillers = makeWords(5_000, random);
  const fillerRank = zipf(fillers.length, 0.8, random);
  // 40 house styles: 10–18 fixed words with 3 slots each, e.g. "a photo of {x} in {y}, 4k, ...".
  const templates = Array.from({ length: 40 }, () => {
    const length = 10 + Math.floor(random() * 9);
    const parts: (string | null)[] = Array.from(
      { length },
      () => common[Math.floor(random() * common.length)]!,
    );
    for (let slot = 0; slot < 3; slot++) parts.splice(Math.floor(random() * parts.length), 0, null);
    return parts;
  });
  return () => {
    const template = templates[Math.floor(random() * templates.length)]!;
    return template.map((part) => part ?? fillers[fillerRank()]!).join(', ');
  };
}

/** Changes one or two words of a prompt (or adds one), as a user rewording it would. */
function nearDuplicate(prompt: string, random: () => number, generate: Generator): string {
  const words = prompt.split(/,? /);
  const donor = generate().split(/,? /);
  const edits = 1 + Math.floor(random() * 2);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * words.length);
    if (random() < 0.3) words.splice(at, 0, donor[i % donor.length]!);
    else words[at] = donor[i % donor.length]!;
  }
  return words.join(' ');
}

export function makeCorpus(
  kind: 'natural' | 'templated',
  size: number,
  queryCount: number,
  seed = 42,
): Corpus {
  const random = prng(seed);
  const generate = kind === 'natural' ? natural(random) : templated(random);
  const prompts = Array.from({ length: size }, generate);
  const queries: string[] = [];
  for (let i = 0; i < queryCount; i++) {
    queries.push(
      i % 2 === 0 ? nearDuplicate(prompts[Math.floor(random() * size)]!, random, generate) : generate(),
    );
  }
  return { prompts, queries };
}
