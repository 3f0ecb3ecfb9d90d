import { createMemoryIndex, deriveKey, type EntryIndex } from '@tiercache/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaccardMatcher } from './jaccard-matcher.js';
import { bruteForce, entryFor, silentView } from './test-support/entries.js';
import { DEFAULT_JACCARD_THRESHOLD } from './thresholds.js';

// A tiny vocabulary so that near-duplicates, ties and exact repeats are common. Mixed
// case, punctuation and an accent exercise the tokenizer on both sides of the comparison.
const VOCABULARY = ['lake', 'Lake', 'calm', 'sunrise', 'café', 'cafe\u0301', '4k', 'mist', 'gold', 'a'];
const word = fc.constantFrom(...VOCABULARY);
const separator = fc.constantFrom(' ', ', ', ' - ', '! ');
const prompt = fc
  .tuple(fc.array(word, { minLength: 1, maxLength: 7 }), separator)
  .map(([words, sep]) => words.join(sep));
// Two partitions: results must never cross from one to the other.
const params = fc.constantFrom({ model: 'flux' }, { model: 'sdxl' });

type Operation =
  | { kind: 'insert'; prompt: string; params: { model: string } }
  | { kind: 'delete'; pick: number }
  | { kind: 'clear' }
  | { kind: 'query'; prompt: string; params: { model: string } };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), prompt, params }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('query' as const), prompt, params }) },
);

function replay(operations: Operation[], threshold: number, shingleSize: number, silent: boolean): void {
  const index = createMemoryIndex();
  // Silent: the matcher learns about changes only from the revision, as with another process.
  const seenByMatcher: EntryIndex = silent ? silentView(index) : index;
  const matcher = jaccardMatcher({ threshold, shingleSize });
  const stored: { type: string; key: string }[] = [];
  for (const op of operations) {
    if (op.kind === 'insert') {
      const entry = index.insert(entryFor({ type: 'image', prompt: op.prompt, params: op.params }));
      stored.push(entry);
    } else if (op.kind === 'delete') {
      if (stored.length === 0) continue;
      const [victim] = stored.splice(op.pick % stored.length, 1);
      index.delete(victim!.type, victim!.key);
    } else if (op.kind === 'clear') {
      index.clear('image');
      stored.length = 0;
    } else {
      const request = { type: 'image', prompt: op.prompt, params: op.params };
      const expected = bruteForce(index, request, threshold, shingleSize);
      const found = matcher.find(deriveKey(request), seenByMatcher);
      expect(found && { key: found.entry.key, score: found.score }).toEqual(expected);
      if (found) {
        expect(found.kind).toBe('similar');
        expect(found.entry.paramsHash).toBe(deriveKey(request).paramsHash);
      }
    }
  }
  matcher.close();
}

describe('jaccardMatcher agrees with a brute-force scan', () => {
  for (const shingleSize of [1, 2]) {
    for (const threshold of [0.5, 0.7, DEFAULT_JACCARD_THRESHOLD, 1]) {
      it(`k = ${shingleSize}, threshold ${threshold}, through inserts, deletes and clears`, () => {
        fc.assert(
          fc.property(fc.array(operation, { minLength: 1, maxLength: 60 }), fc.boolean(), (ops, silent) =>
            replay(ops, threshold, shingleSize, silent),
          ),
          { numRuns: 60 },
        );
      });
    }
  }

  it('at any threshold in (0, 1], on larger corpora', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 50, maxLength: 200 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.constantFrom(1, 2, 3),
        (ops, threshold, k) => replay(ops, threshold, k, false),
      ),
      { numRuns: 40 },
    );
  });
});

describe('jaccardMatcher with per-type thresholds', () => {
  // Each partition's index is built for its own type's threshold: two types in one matcher
  // must each agree with a scan at their own threshold.
  const typed = fc.record({ type: fc.constantFrom('image', 'video'), prompt, params });
  it('agrees with a scan at each type’s threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), typed), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (ops, imageThreshold, videoThreshold) => {
          const index = createMemoryIndex();
          const matcher = jaccardMatcher({
            threshold: imageThreshold,
            thresholds: { video: videoThreshold },
          });
          for (const [isQuery, request] of ops) {
            if (!isQuery) {
              index.insert(entryFor(request));
              continue;
            }
            const threshold = request.type === 'video' ? videoThreshold : imageThreshold;
            const found = matcher.find(deriveKey(request), index);
            expect(found && { key: found.entry.key, score: found.score }).toEqual(
              bruteForce(index, request, threshold),
            );
          }
          matcher.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
