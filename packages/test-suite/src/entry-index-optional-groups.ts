import type { EntryIndex } from '@tiercache/core';
import { optionalMember } from './behaviour-groups.js';
import { hasRejections, type RejectingIndex } from './entry-index-rejections.js';
import type { EntryIndexGroup, EntryIndexSuiteOptions } from './entry-index-suite-options.js';
import { sampleBytes, sampleEntry, uniqueKey } from './fixtures.js';

const T0 = 1_700_000_000_000;
const claimMs = 1000;

/** Whether the index can claim generations (either form) and release its claims. */
function hasClaims(index: EntryIndex): boolean {
  return (
    (typeof index.claimGeneration === 'function' || typeof index.claimSharedGeneration === 'function') &&
    typeof index.releaseGeneration === 'function'
  );
}

/** A claim through whichever form the index has; the orchestrator prefers the shared one. */
async function claim(index: EntryIndex, type: string, key: string, now: number): Promise<boolean> {
  if (index.claimSharedGeneration) return index.claimSharedGeneration(type, key, { now, claimMs });
  return index.claimGeneration!(type, key, { now, claimMs });
}

/** The groups of `entryIndexSuite` for optional members and for indexes shared by processes. */
export function entryIndexOptionalGroups(options: EntryIndexSuiteOptions): EntryIndexGroup[] {
  /** Runs `body` with a second handle on the same storage, closed afterwards. */
  const withSecondHandle = async (index: EntryIndex, body: (other: EntryIndex) => Promise<void> | void) => {
    if (!options.share) throw new Error('the sharing group needs `share` (or switch it off with a reason)');
    const other = options.share(index);
    try {
      await body(other);
    } finally {
      other.close?.();
    }
  };
  return [
    {
      name: 'blob-references',
      title: 'blobReferences()',
      ...optionalMember<EntryIndex>('blobReferences'),
      checks: [
        {
          title: 'counts the entries that reference a blob, and the bytes identical content shares',
          run(index, expect) {
            const references = index.blobReferences!.bind(index);
            const shared = sampleBytes(200, 7);
            const a = sampleEntry(shared, { type: 'tts' });
            const b = sampleEntry(shared, { type: 'tts' });
            const asMp3 = sampleEntry(shared, { type: 'tts', extension: 'mp3' });
            const other = sampleEntry(sampleBytes(50, 8), { type: 'tts' });
            for (const entry of [a, b, asMp3, other]) index.insert(entry);
            expect(references(a)).toBe(2);
            expect(references(asMp3)).toBe(1);
            expect(references({ ...a, type: 'image' })).toBe(0);
            const stats = index.stats();
            expect(stats.byType.tts).toMatchObject({ bytes: 650, contentBytes: 450 });
            expect(stats.contentBytes).toBe(450);
            index.delete(a.type, a.key);
            expect(references(b)).toBe(1);
            index.delete(b.type, b.key);
            expect(references(b)).toBe(0);
            index.clear();
            expect(references(other)).toBe(0);
          },
        },
      ],
    },
    {
      name: 'claims',
      title: 'claimGeneration() and releaseGeneration()',
      memberName: 'claimGeneration (or claimSharedGeneration) with releaseGeneration',
      member: hasClaims,
      checks: [
        {
          title: 'grants a claim on a missing entry, and again to the instance that holds it',
          async run(index, expect) {
            const key = uniqueKey();
            expect(await claim(index, 'image', key, T0)).toBe(true);
            expect(await claim(index, 'image', key, T0 + 1)).toBe(true);
            index.releaseGeneration!('image', key);
          },
        },
        {
          title: 'grants no claim once the entry exists (its generation is paid for)',
          async run(index, expect) {
            const entry = sampleEntry(sampleBytes(10, 41));
            index.insert(entry);
            expect(await claim(index, entry.type, entry.key, T0)).toBe(false);
          },
        },
        {
          title: 'releasing a claim, or one never made, leaves the key claimable',
          async run(index, expect) {
            const key = uniqueKey();
            index.releaseGeneration!('image', key);
            expect(await claim(index, 'image', key, T0)).toBe(true);
            index.releaseGeneration!('image', key);
            expect(await claim(index, 'image', key, T0 + 1)).toBe(true);
            index.releaseGeneration!('image', key);
          },
        },
      ],
    },
    {
      name: 'sharing',
      title: 'a second handle on the same storage',
      checks: [
        {
          title: 'sees the entries and revisions the first handle made',
          async run(index, expect) {
            await withSecondHandle(index, (other) => {
              const entry = sampleEntry(sampleBytes(10, 42));
              const before = other.revision();
              index.insert(entry);
              expect(other.get(entry.type, entry.key)).toEqual(entry);
              expect(other.revision()).toBe(before + 1);
              expect(other.insert(sampleEntry(sampleBytes(20, 43), { key: entry.key }))).toEqual(entry);
            });
          },
        },
        {
          title: 'sees a rejection made through the first handle (when it records rejections)',
          async run(index, expect) {
            if (!hasRejections(index)) return; // the rejections group reports the absence
            await withSecondHandle(index, (handle) => {
              const other = handle as RejectingIndex;
              const [request, entry] = [uniqueKey(), uniqueKey()];
              expect(other.isRejected('image', request, entry)).toBe(false);
              index.reject('image', request, entry, T0);
              expect(other.isRejected('image', request, entry)).toBe(true);
              expect(other.reject('image', request, entry, T0)).toBe(false);
              expect(other.stats().rejections).toBe(index.stats().rejections);
            });
          },
        },
        {
          title:
            "waits while the first handle's claim is live, and takes over after release or expiry (when it claims)",
          async run(index, expect) {
            if (!hasClaims(index)) return; // the claims group reports the absence
            await withSecondHandle(index, async (other) => {
              const [released, expired] = [uniqueKey(), uniqueKey()];
              expect(await claim(index, 'image', released, T0)).toBe(true);
              expect(await claim(other, 'image', released, T0 + 1)).toBe(false);
              expect(await claim(other, 'tts', released, T0 + 1)).toBe(true);
              other.releaseGeneration!('image', released); // not its claim: nothing changes
              expect(await claim(other, 'image', released, T0 + 2)).toBe(false);
              index.releaseGeneration!('image', released);
              expect(await claim(other, 'image', released, T0 + 3)).toBe(true);
              expect(await claim(index, 'image', expired, T0)).toBe(true);
              expect(await claim(other, 'image', expired, T0 + claimMs - 1)).toBe(false);
              expect(await claim(other, 'image', expired, T0 + claimMs)).toBe(true);
            });
          },
        },
      ],
    },
  ];
}
