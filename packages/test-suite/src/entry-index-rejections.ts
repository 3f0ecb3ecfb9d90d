import type { EntryIndex } from '@tiercache/core';
import type { EntryIndexGroup } from './entry-index-suite-options.js';
import { sampleBytes, sampleEntry, uniqueKey } from './fixtures.js';

const T0 = 1_700_000_000_000;

/** An index with both rejection methods (the capability is all or nothing). */
export type RejectingIndex = EntryIndex & Required<Pick<EntryIndex, 'reject' | 'isRejected'>>;

/** Whether the index records rejections: both methods, or neither counts as having them. */
export function hasRejections(index: EntryIndex): index is RejectingIndex {
  return typeof index.reject === 'function' || typeof index.isRejected === 'function';
}

/** The `rejections` group of `entryIndexSuite`: the optional `reject` / `isRejected`. */
export function rejectionGroup(): EntryIndexGroup {
  return {
    name: 'rejections',
    title: 'reject() and isRejected()',
    memberName: 'reject / isRejected',
    // Either method alone counts as present, so that a half-implemented pair fails the group.
    member: hasRejections,
    checks: [
      {
        title: 'has both methods or neither',
        run(index, expect) {
          expect(typeof index.reject, 'reject and isRejected come together').toBe(typeof index.isRejected);
        },
      },
      {
        title: 'records a pairing once, exactly as given (type, request key, entry key)',
        run(index, expect) {
          const rejecting = index as RejectingIndex;
          const [request, entry, other] = [uniqueKey(), uniqueKey(), uniqueKey()];
          expect(rejecting.isRejected('image', request, entry)).toBe(false);
          expect(rejecting.reject('image', request, entry, T0)).toBe(true);
          expect(rejecting.reject('image', request, entry, T0 + 1)).toBe(false);
          expect(rejecting.isRejected('image', request, entry)).toBe(true);
          // A pairing has a direction, a type and two keys: nothing else is refused.
          expect(rejecting.isRejected('image', entry, request)).toBe(false);
          expect(rejecting.isRejected('tts', request, entry)).toBe(false);
          expect(rejecting.isRejected('image', request, other)).toBe(false);
          expect(rejecting.isRejected('image', other, entry)).toBe(false);
        },
      },
      {
        title: 'counts rejections in stats and keeps them when entries go (they judge prompts, not files)',
        run(index, expect) {
          const rejecting = index as RejectingIndex;
          const stored = sampleEntry(sampleBytes(10, 7));
          rejecting.insert(stored);
          const request = uniqueKey();
          rejecting.reject('image', request, stored.key, T0);
          rejecting.reject('tts', request, stored.key, T0);
          expect(rejecting.stats().rejections).toBe(2);
          rejecting.delete(stored.type, stored.key);
          rejecting.clear();
          expect(rejecting.isRejected('image', request, stored.key)).toBe(true);
          expect(rejecting.stats().rejections).toBe(2);
          // A rejection is no change to the set of entries: matchers need not rebuild anything.
          const revision = rejecting.revision();
          rejecting.reject('image', uniqueKey(), stored.key, T0);
          expect(rejecting.revision()).toBe(revision);
        },
      },
    ],
  };
}
