import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BlobTier, createTieredCache, isTiercacheError } from '@tiercache/core';
import type { ReadVerification } from '@tiercache/core/contracts';
import { type Check, optionalMember } from './behaviour-groups.js';
import type { BlobTierGroup, BlobTierSuiteOptions } from './blob-tier-suite-options.js';
import { sampleBytes, sampleEntry, uniqueKey } from './fixtures.js';

const asset = { mediaType: 'application/octet-stream', extension: 'bin' };
const readVerifications: readonly ReadVerification[] = ['by-cache', 'by-tier', 'size-only'];

/** A check that an entry-ref method refuses a type that would leave the tier's namespace. */
function refusesEscapingEntryRef(
  call: (tier: BlobTier, type: string, key: string) => Promise<unknown>,
): Check<BlobTier> {
  return {
    title: 'refuses an entry ref that would leave its namespace',
    async run(tier, expect) {
      const error = await call(tier, '../x', uniqueKey()).catch((reason: unknown) => reason);
      expect(isTiercacheError(error, 'E_INVALID_REF')).toBe(true);
    },
  };
}

/** The groups of `blobTierSuite` for read verification and the optional `BlobTier` members. */
export function blobTierOptionalGroups(options: BlobTierSuiteOptions): BlobTierGroup[] {
  return [
    {
      name: 'read-verification',
      title: 'read verification',
      checks: [
        {
          title: 'says who verifies its reads: by-cache, by-tier or size-only',
          run(tier, expect) {
            expect(readVerifications.includes(tier.readVerification), String(tier.readVerification)).toBe(
              true,
            );
          },
        },
        {
          title: 'never serves a copy changed behind its back through the cache',
          async run(tier, expect) {
            const cache = createTieredCache({ tiers: [tier] });
            const request = { type: 'image', prompt: 'verified' };
            const stored = await cache.put(request, sampleBytes(4096, 31), asset);
            if (tier.readVerification === 'size-only') {
              // Nothing but the tier's own code can change its blobs: there is nothing to corrupt.
              expect(options.corrupt, 'a size-only tier was given `corrupt`').toBeUndefined();
              expect((await cache.get(request))?.bytes).toEqual(sampleBytes(4096, 31));
              return;
            }
            expect(
              options.corrupt,
              'the tier verifies reads: give `corrupt` to check it',
            ).not.toBeUndefined();
            await options.settle?.(tier);
            await options.corrupt?.(tier, stored);
            expect(await cache.get(request)).toBeUndefined();
          },
        },
        {
          title:
            'removes or refuses the changed copy itself (by-tier), or lets the cache remove it (by-cache)',
          async run(tier, expect) {
            const mode = tier.readVerification;
            if (mode === 'size-only' || !options.corrupt) {
              expect(mode, 'only a size-only tier has nothing to corrupt').toBe('size-only');
              return;
            }
            const bytes = sampleBytes(4096, 32);
            if (mode === 'by-tier') {
              const entry = sampleEntry(bytes);
              await tier.put(entry, bytes);
              await options.settle?.(tier);
              await options.corrupt(tier, entry);
              expect(await tier.get(entry)).toBeUndefined();
              return;
            }
            const cache = createTieredCache({ tiers: [tier] });
            const request = { type: 'image', prompt: 'removed when corrupt' };
            const stored = await cache.put(request, bytes, asset);
            await options.settle?.(tier);
            await options.corrupt(tier, stored);
            expect(await cache.get(request)).toBeUndefined();
            expect(await tier.has(stored)).toBe(false);
          },
        },
      ],
    },
    {
      name: 'usage',
      title: 'usage()',
      ...optionalMember<BlobTier>('usage'),
      checks: [
        {
          title: 'reports usage that follows puts and deletes',
          async run(tier, expect) {
            const usage = () => tier.usage!();
            const before = await usage();
            const bytes = sampleBytes(300, 11);
            const entry = sampleEntry(bytes);
            await tier.put(entry, bytes);
            const during = await usage();
            expect(during.entries).toBe(before.entries + 1);
            expect(during.bytes).toBe(before.bytes + 300);
            await tier.delete(entry);
            expect(await usage()).toEqual(before);
          },
        },
      ],
    },
    {
      name: 'materialize',
      title: 'materialize()',
      ...optionalMember<BlobTier>('materialize'),
      checks: [
        {
          title: 'materializes a private copy the caller may change',
          async run(tier, expect) {
            const materialize = tier.materialize!.bind(tier);
            const folder = await mkdtemp(join(tmpdir(), 'tiercache-suite-'));
            try {
              const bytes = sampleBytes(2048, 12);
              const entry = sampleEntry(bytes);
              const target = join(folder, 'out.bin');
              expect(await materialize(entry, target)).toBe(false);
              await tier.put(entry, bytes);
              expect(await materialize(entry, target)).toBe(true);
              expect(new Uint8Array(await readFile(target))).toEqual(bytes);
              await writeFile(target, 'changed by the caller');
              expect(await tier.get(entry)).toEqual(bytes);
            } finally {
              await rm(folder, { recursive: true, force: true });
            }
          },
        },
      ],
    },
    {
      name: 'delete-entry',
      title: 'deleteEntry()',
      ...optionalMember<BlobTier>('deleteEntry'),
      checks: [
        {
          title: 'forgets an entry record without touching the blob another entry shares',
          async run(tier, expect) {
            const deleteEntry = tier.deleteEntry!.bind(tier);
            const bytes = sampleBytes(120, 22);
            const [one, two] = [sampleEntry(bytes), sampleEntry(bytes)];
            await tier.put(one, bytes);
            await tier.put(two, bytes);
            expect(await deleteEntry(one)).toBe(true);
            expect(await deleteEntry(one)).toBe(false);
            expect(await tier.get(two)).toEqual(bytes);
          },
        },
        refusesEscapingEntryRef((tier, type, key) => tier.deleteEntry!({ type, key })),
      ],
    },
    {
      name: 'entries',
      title: 'entries()',
      ...optionalMember<BlobTier>('entries'),
      checks: [
        {
          title: 'lists the entries it can vouch for, first record of a key only',
          async run(tier, expect) {
            const list = async () => {
              const found: string[] = [];
              for await (const entry of tier.entries!('image')) found.push(entry.key);
              return found.sort();
            };
            const [a, b] = [sampleBytes(90, 23), sampleBytes(91, 24)];
            const [entryA, entryB] = [sampleEntry(a), sampleEntry(b)];
            const rival = sampleEntry(b, { key: entryA.key });
            await tier.put(entryA, a);
            await tier.put(rival, b); // a second writer of the same key: the first record stays
            await tier.put(entryB, b);
            expect(await list()).toEqual([entryA.key, entryB.key].sort());
            for await (const entry of tier.entries!('image'))
              if (entry.key === entryA.key) expect(entry.contentHash).toBe(entryA.contentHash);
            // Without its blob an entry cannot be vouched for, record or not.
            await tier.delete(entryA);
            expect(await list()).toEqual([entryB.key]);
          },
        },
      ],
    },
    {
      name: 'describe',
      title: 'describe()',
      ...optionalMember<BlobTier>('describe'),
      checks: [
        {
          title: 'describes the entry it recorded under (type, key), and nothing else',
          async run(tier, expect) {
            const describe = tier.describe!.bind(tier);
            const bytes = sampleBytes(150, 25);
            const entry = sampleEntry(bytes, { prompt: 'described elsewhere' });
            await tier.put(entry, bytes);
            await options.settle?.(tier);
            expect(await describe(entry.type, entry.key)).toMatchObject({
              key: entry.key,
              contentHash: entry.contentHash,
              size: entry.size,
              prompt: entry.prompt,
            });
            expect(await describe('tts', entry.key)).toBeUndefined();
            expect(await describe('image', uniqueKey())).toBeUndefined();
          },
        },
        refusesEscapingEntryRef((tier, type, key) => tier.describe!(type, key)),
      ],
    },
  ];
}
