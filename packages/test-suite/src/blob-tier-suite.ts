import { type BlobTier, createTieredCache, isTiercacheError } from '@tiercache/core';
import { blobRefOf } from '@tiercache/core/kit';
import { contractGroup, registerGroups } from './behaviour-groups.js';
import { blobTierOptionalGroups } from './blob-tier-optional-groups.js';
import {
  BLOB_TIER_GROUPS,
  type BlobTierGroup,
  type BlobTierSuiteOptions,
} from './blob-tier-suite-options.js';
import { HOSTILE_REFS, sampleBytes, sampleEntry } from './fixtures.js';
import { checkSuiteOptions } from './suite-options.js';

/**
 * The behaviour every `BlobTier` must have, in named groups. Call it in a test file with your
 * runner: `blobTierSuite({ test: { describe, it, expect, beforeEach, afterEach }, name: 'disk',
 * create: () => createDiskTier({ dir }) })`.
 */
export function blobTierSuite(options: BlobTierSuiteOptions): void {
  const check = checkSuiteOptions<BlobTierSuiteOptions>(
    options,
    ['test', 'name', 'create', 'destroy', 'largeBlobBytes', 'settle', 'corrupt', 'off'],
    ['destroy', 'settle', 'corrupt'],
    BLOB_TIER_GROUPS,
  );
  check.integer('largeBlobBytes', { optional: true, min: 1 });
  registerGroups(
    {
      test: options.test,
      title: `BlobTier conformance: ${options.name}`,
      create: options.create,
      destroy: async (tier) => {
        if (options.destroy) await options.destroy(tier);
        else await tier.close?.();
      },
      off: options.off,
    },
    [contractGroup<BlobTier>((tier) => tier), ...coreGroups(options), ...blobTierOptionalGroups(options)],
  );
}

function coreGroups(options: BlobTierSuiteOptions): BlobTierGroup[] {
  return [
    {
      name: 'round-trip',
      title: 'round trip',
      checks: [
        {
          title: 'round-trips every byte value exactly',
          async run(tier, expect) {
            const bytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
            const entry = sampleEntry(bytes);
            await tier.put(entry, bytes);
            expect(await tier.get(entry)).toEqual(bytes);
            expect(await tier.has(entry)).toBe(true);
          },
        },
        {
          title: 'round-trips a large blob',
          async run(tier, expect) {
            const bytes = sampleBytes(options.largeBlobBytes ?? 8 * 1024 * 1024, 7);
            const entry = sampleEntry(bytes);
            await tier.put(entry, bytes);
            const back = await tier.get(entry);
            expect(back?.length).toBe(bytes.length);
            expect(Buffer.from(back ?? []).equals(Buffer.from(bytes))).toBe(true);
          },
        },
      ],
    },
    {
      name: 'delete',
      title: 'absence and delete',
      checks: [
        {
          title: 'answers undefined and false for what it does not hold',
          async run(tier, expect) {
            const entry = sampleEntry(sampleBytes(10));
            expect(await tier.get(entry)).toBeUndefined();
            expect(await tier.has(entry)).toBe(false);
            expect(await tier.delete(entry)).toBe(false);
          },
        },
        {
          title: 'deletes one blob and leaves the others',
          async run(tier, expect) {
            const [a, b] = [sampleBytes(100, 1), sampleBytes(100, 2)];
            const [entryA, entryB] = [sampleEntry(a), sampleEntry(b)];
            await tier.put(entryA, a);
            await tier.put(entryB, b);
            expect(await tier.delete(entryA)).toBe(true);
            expect(await tier.get(entryA)).toBeUndefined();
            expect(await tier.has(entryA)).toBe(false);
            expect(await tier.get(entryB)).toEqual(b);
          },
        },
      ],
    },
    {
      name: 'content-addressing',
      title: 'content addressing',
      checks: [
        {
          title:
            'never lets different bytes overwrite each other: two writers of one key both keep their blob',
          async run(tier, expect) {
            const [first, second] = [sampleBytes(64, 1), sampleBytes(80, 2)];
            const entry = sampleEntry(first);
            const rival = sampleEntry(second, { key: entry.key });
            await Promise.all([tier.put(entry, first), tier.put(rival, second)]);
            expect(await tier.get(entry)).toEqual(first);
            expect(await tier.get(rival)).toEqual(second);
          },
        },
        {
          title: 'stores identical content once for several entries, and put is idempotent',
          async run(tier, expect) {
            const bytes = sampleBytes(300, 21);
            const [one, two] = [sampleEntry(bytes), sampleEntry(bytes)];
            const before = await tier.usage?.();
            await tier.put(one, bytes);
            await tier.put(two, bytes);
            await tier.put(one, bytes);
            expect(await tier.get(blobRefOf(two))).toEqual(bytes);
            if (before)
              expect(await tier.usage?.()).toEqual({
                entries: before.entries + 1,
                bytes: before.bytes + 300,
              });
            // A blob is named by its content: deleting it removes it for every entry.
            expect(await tier.delete(blobRefOf(one))).toBe(true);
            expect(await tier.has(two)).toBe(false);
          },
        },
      ],
    },
    {
      name: 'types',
      title: 'types',
      checks: [
        {
          title: 'keeps types apart: same key, different type, different blob',
          async run(tier, expect) {
            const [tts, image] = [sampleBytes(50, 3), sampleBytes(60, 4)];
            const imageEntry = sampleEntry(image, { type: 'image' });
            const ttsEntry = sampleEntry(tts, { type: 'tts', key: imageEntry.key });
            await tier.put(imageEntry, image);
            await tier.put(ttsEntry, tts);
            expect(await tier.get(imageEntry)).toEqual(image);
            expect(await tier.get(ttsEntry)).toEqual(tts);
          },
        },
        {
          title: 'clear(type) clears only that type; clear() clears all',
          async run(tier, expect) {
            const [image, tts] = [sampleBytes(40, 5), sampleBytes(40, 6)];
            const imageEntry = sampleEntry(image, { type: 'image' });
            const ttsEntry = sampleEntry(tts, { type: 'tts' });
            await tier.put(imageEntry, image);
            await tier.put(ttsEntry, tts);
            await tier.clear('image');
            expect(await tier.get(imageEntry)).toBeUndefined();
            expect(await tier.get(ttsEntry)).toEqual(tts);
            await tier.put(imageEntry, image);
            await tier.clear();
            expect(await tier.get(imageEntry)).toBeUndefined();
            expect(await tier.get(ttsEntry)).toBeUndefined();
          },
        },
      ],
    },
    {
      name: 'concurrency',
      title: 'concurrency',
      checks: [
        {
          title: 'serves 100 concurrent puts and gets without mixing blobs up',
          async run(tier, expect) {
            const blobs = Array.from({ length: 100 }, (_, i) => sampleBytes(1000 + i, i + 10));
            const entries = blobs.map((bytes) => sampleEntry(bytes));
            await Promise.all(entries.map((entry, i) => tier.put(entry, blobs[i]!)));
            const back = await Promise.all(entries.map((entry) => tier.get(entry)));
            back.forEach((bytes, i) => {
              expect(bytes).toEqual(blobs[i]);
            });
          },
        },
      ],
    },
    {
      name: 'safety',
      title: 'refs, aliasing and empty content',
      checks: [
        {
          title: 'rejects refs that would leave its namespace, on every method',
          async run(tier, expect) {
            const bytes = sampleBytes(10);
            for (const ref of HOSTILE_REFS) {
              const entry = sampleEntry(bytes, ref);
              const calls = [
                () => tier.get(ref),
                () => tier.has(ref),
                () => tier.delete(ref),
                () => tier.put(entry, bytes),
              ];
              for (const call of calls) {
                const error = await call().then(
                  () => undefined,
                  (reason: unknown) => reason,
                );
                expect(
                  isTiercacheError(error, 'E_INVALID_REF'),
                  `${JSON.stringify(ref)} was not refused`,
                ).toBe(true);
              }
            }
          },
        },
        {
          title: 'does not let callers change stored bytes through what they passed or received',
          async run(tier, expect) {
            const bytes = sampleBytes(32, 9);
            const original = bytes.slice();
            const entry = sampleEntry(bytes);
            await tier.put(entry, bytes);
            bytes.fill(0);
            const first = await tier.get(entry);
            expect(first).toEqual(original);
            if (tier.sharesReadBytes) {
              // Such a tier hands out what it keeps; the cache copies it for callers by default.
              const cache = createTieredCache({ tiers: [tier] });
              const stored = await cache.put({ type: 'image', prompt: 'shared' }, original.slice(), {
                mediaType: 'application/octet-stream',
                extension: 'bin',
              });
              const hit = await cache.get({ type: 'image', prompt: 'shared' });
              hit?.bytes.fill(1);
              expect(await tier.get(stored)).toEqual(original);
              return;
            }
            first?.fill(1);
            expect(await tier.get(entry)).toEqual(original);
          },
        },
        {
          title: 'is never handed empty content through the cache',
          async run(tier, expect) {
            const cache = createTieredCache({ tiers: [tier] });
            const error = await cache
              .put({ type: 'image', prompt: 'nothing' }, new Uint8Array(0), {
                mediaType: 'image/png',
                extension: 'png',
              })
              .catch((reason: unknown) => reason);
            expect(isTiercacheError(error, 'E_EMPTY_CONTENT')).toBe(true);
            expect(await cache.get({ type: 'image', prompt: 'nothing' })).toBeUndefined();
          },
        },
      ],
    },
  ];
}
