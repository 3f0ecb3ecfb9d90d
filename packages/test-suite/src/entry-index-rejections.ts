import type { EntryIndex } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { sampleBytes, sampleEntry, uniqueKey } from './fixtures.js';

const T0 = 1_700_000_000_000;

/** An index with both rejection methods (the capability is all or nothing). */
type RejectingIndex = EntryIndex & Required<Pick<EntryIndex, 'reject' | 'isRejected'>>;

function rejecting(index: EntryIndex): RejectingIndex {
  expect(typeof index.reject, 'reject and isRejected come together').toBe(typeof index.isRejected);
  expect(index.reject, 'this index records no rejections').toBeTypeOf('function');
  return index as RejectingIndex;
}

/**
 * Rejections (`reject`/`isRejected`) for `entryIndexSuite`: run inside its describe block with
 * the index of the current test and, for shared storage, a way to open a second handle on it.
 */
export function rejectionTests(
  current: () => EntryIndex,
  options: { share: ((index: EntryIndex) => EntryIndex) | undefined; supported: boolean },
): void {
  const { share } = options;
  if (!options.supported) {
    it('has neither reject nor isRejected (rejections declared unsupported)', () => {
      expect(current().reject).toBeUndefined();
      expect(current().isRejected).toBeUndefined();
    });
    return;
  }
  describe('rejections', () => {
    it('records a pairing once, exactly as given (type, request key, entry key)', () => {
      const index = rejecting(current());
      const [request, entry, other] = [uniqueKey(), uniqueKey(), uniqueKey()];
      expect(index.isRejected('image', request, entry)).toBe(false);
      expect(index.reject('image', request, entry, T0)).toBe(true);
      expect(index.reject('image', request, entry, T0 + 1)).toBe(false);
      expect(index.isRejected('image', request, entry)).toBe(true);
      // A pairing has a direction, a type and two keys: nothing else is refused.
      expect(index.isRejected('image', entry, request)).toBe(false);
      expect(index.isRejected('tts', request, entry)).toBe(false);
      expect(index.isRejected('image', request, other)).toBe(false);
      expect(index.isRejected('image', other, entry)).toBe(false);
    });

    it('counts rejections in stats and keeps them when entries go (they judge prompts, not files)', () => {
      const index = rejecting(current());
      const stored = sampleEntry(sampleBytes(10, 7));
      index.insert(stored);
      const request = uniqueKey();
      index.reject('image', request, stored.key, T0);
      index.reject('tts', request, stored.key, T0);
      expect(index.stats().rejections).toBe(2);
      index.delete(stored.type, stored.key);
      index.clear();
      expect(index.isRejected('image', request, stored.key)).toBe(true);
      expect(index.stats().rejections).toBe(2);
      // A rejection is no change to the set of entries: matchers need not rebuild anything.
      const revision = index.revision();
      index.reject('image', uniqueKey(), stored.key, T0);
      expect(index.revision()).toBe(revision);
    });

    if (share) {
      it('a rejection made through one handle is seen through another on the same storage', () => {
        const index = rejecting(current());
        const other = rejecting(share(index));
        try {
          const [request, entry] = [uniqueKey(), uniqueKey()];
          expect(other.isRejected('image', request, entry)).toBe(false);
          index.reject('image', request, entry, T0);
          expect(other.isRejected('image', request, entry)).toBe(true);
          expect(other.reject('image', request, entry, T0)).toBe(false);
          expect(other.stats().rejections).toBe(index.stats().rejections);
        } finally {
          other.close?.();
        }
      });
    }
  });
}
