import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from './key-table.js';
import { prng } from './test-support/prng.js';
import { TokenDictionary } from './token-dictionary.js';
import { TokenIndex } from './token-index.js';
import { jaccard, tokenSet, words } from './tokenize.js';

/** The scan the index must agree with: best score ≥ threshold, ties to the smallest key. */
function scan(
  records: Map<string, Set<string>>,
  query: Set<string>,
  threshold: number,
  excludeKey?: string,
): { key: string; score: number } | undefined {
  let best: { key: string; score: number } | undefined;
  for (const [key, tokens] of records) {
    if (key === excludeKey) continue;
    const score = jaccard(query, tokens);
    if (score === 0 || score < threshold) continue;
    if (!best || score > best.score || (score === best.score && key < best.key)) best = { key, score };
  }
  return best;
}

// 150 words: more tokens than signature bits, so bits are shared and the signature filter
// has to stay a bound, not an identity. Some words are longer than the 12 packed units.
const WORDS = Array.from({ length: 150 }, (_, i) =>
  i % 17 === 0 ? `extraordinarily${i}` : `w${i.toString(36)}${i % 3 === 0 ? 'X' : ''}`,
);

function randomPrompt(random: () => number, maxWords: number): string {
  const count = 1 + Math.floor(random() * maxWords);
  const out: string[] = [];
  // Skewed picks: a few words are common, as in real prompts.
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(random() ** 2 * WORDS.length)]!);
  return out.join(random() < 0.5 ? ' ' : ', ');
}

describe('TokenIndex agrees with a scan', () => {
  it('on random corpora with shared signature bits, any threshold, inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.constantFrom(1, 2),
        (seed, threshold, shingleSize) => {
          const random = prng(seed);
          const index = new TokenIndex(shingleSize, threshold);
          const records = new Map<string, Set<string>>();
          const bulk = Array.from({ length: 150 }, (_, i) => ({
            key: `k${i}`,
            prompt: randomPrompt(random, 30),
          }));
          index.load(bulk);
          for (const { key, prompt } of bulk) records.set(key, tokenSet(prompt, shingleSize));
          for (let step = 0; step < 300; step++) {
            const roll = random();
            if (roll < 0.3) {
              const key = `n${step}`;
              const prompt = randomPrompt(random, 30);
              index.insert(key, prompt);
              records.set(key, tokenSet(prompt, shingleSize));
            } else if (roll < 0.45 && records.size > 0) {
              const key = [...records.keys()][Math.floor(random() * records.size)]!;
              expect(index.delete(key)).toBe(true);
              records.delete(key);
            } else {
              // Half the queries are stored prompts with one word changed: close to the threshold.
              const stored = [...records.values()][Math.floor(random() * records.size)];
              const prompt =
                stored !== undefined && random() < 0.5
                  ? `${[...stored].join(' ')} ${WORDS[Math.floor(random() * WORDS.length)]}`
                  : randomPrompt(random, 30);
              const query = tokenSet(prompt, shingleSize);
              const exclude = random() < 0.2 ? [...records.keys()][0] : undefined;
              expect(index.search(query, exclude)).toEqual(scan(records, query, threshold, exclude));
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('through re-ranking on growth and compaction after mass deletes', () => {
    const random = prng(7);
    const threshold = 0.6;
    // Built by inserts only: the token order is set by first sight, then re-ranked as the
    // partition doubles past 4096 records, the records moving to the new order 4 per insert:
    // the checks at 4200 and 8500 search while both orders are in use.
    const index = new TokenIndex(1, threshold);
    index.load([]);
    const records = new Map<string, Set<string>>();
    const check = () => {
      for (let q = 0; q < 150; q++) {
        const stored = [...records.values()][Math.floor(random() * records.size)]!;
        const prompt = q % 2 === 0 ? `${[...stored].join(' ')} ${WORDS[q]}` : randomPrompt(random, 12);
        const query = tokenSet(prompt, 1);
        expect(index.search(query)).toEqual(scan(records, query, threshold));
      }
    };
    for (let i = 0; i < 9000; i++) {
      const prompt = randomPrompt(random, 12);
      index.insert(`r${i}`, prompt);
      records.set(`r${i}`, tokenSet(prompt, 1));
      if (i === 4000 || i === 4200 || i === 8500) check();
    }
    // Deleting more than half of them compacts the index (records and tokens).
    for (let i = 0; i < 6000; i++) {
      index.delete(`r${i}`);
      records.delete(`r${i}`);
      if (i === 4400 || i === 4600) check();
    }
    expect(index.size).toBe(records.size);
    expect([...index.keys()].sort()).toEqual([...records.keys()].sort());
    check();
  });
});

describe('TokenDictionary', () => {
  const prompt = fc
    .array(
      fc.oneof(
        // Around the 12 code units packed into a table entry: words differing only past them.
        fc.constantFrom('Lake', 'lake', 'LAKE', 'a', '4K', 'photorealistically', 'PhotoRealistically'),
        fc.constantFrom('abcdefghijk', 'abcdefghijkl', 'abcdefghijkm', 'abcdefghijklm', 'abcdefghijkln'),
        fc.constantFrom('café', 'cafe\u0301', 'ﬁsh', '東京', '🐶', 'naïve'),
        fc.string({ maxLength: 14 }),
      ),
      { maxLength: 12 },
    )
    .chain((parts) =>
      fc.constantFrom(' ', ', ', '\t', '\u0000', '-').map((separator) => parts.join(separator)),
    );

  it('interns the same tokens as `words`, whichever path a prompt takes', () => {
    fc.assert(
      fc.property(fc.array(prompt, { minLength: 1, maxLength: 20 }), (prompts) => {
        const dictionary = new TokenDictionary();
        for (const text of prompts) {
          const count = dictionary.internPrompt(text, 1);
          // The ASCII scan keeps repeats, the Unicode path yields a set: compare distinct tokens.
          const ids = Array.from(dictionary.ids.subarray(0, count));
          expect([...new Set(ids.map((id) => dictionary.token(id)))]).toEqual([...new Set(words(text))]);
          for (const token of words(text)) expect(ids).toContain(dictionary.get(token));
        }
        // Every token is stored once.
        const tokens = Array.from({ length: dictionary.size }, (_, id) => dictionary.token(id));
        expect(new Set(tokens).size).toBe(tokens.length);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps ids stable across table growth', () => {
    const dictionary = new TokenDictionary();
    const tokens = Array.from({ length: 5000 }, (_, i) => (i % 2 ? `t${i}` : `long-token-number-${i}`));
    const ids = tokens.map((token) => dictionary.intern(token));
    expect(tokens.map((token) => dictionary.get(token))).toEqual(ids);
    expect(dictionary.get('never-seen')).toBe(-1);
  });
});

describe('KeyTable', () => {
  it('behaves like a Map through adds and deletes, with colliding hashes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 2000 }),
        (operations) => {
          const table = new KeyTable();
          const expected = new Map<string, number>();
          // Same first and last 8 characters and length: the same hash, one long probe run.
          const keyOf = (n: number) => `aaaaaaaa${n.toString().padStart(4, '0')}zzzzzzzz`;
          for (const [add, n] of operations) {
            const key = keyOf(n);
            if (add) {
              const record = table.add(key);
              if (expected.has(key)) expect(record).toBe(-1);
              else expected.set(key, record);
            } else {
              expect(table.delete(key)).toBe(expected.get(key) ?? -1);
              expected.delete(key);
            }
          }
          expect(table.size).toBe(expected.size);
          for (let n = 0; n <= 300; n++) expect(table.get(keyOf(n))).toBe(expected.get(keyOf(n)) ?? -1);
          expect([...table].sort()).toEqual([...expected.keys()].sort());
        },
      ),
      { numRuns: 50 },
    );
  });
});
