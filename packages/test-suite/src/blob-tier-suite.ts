import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BlobTier, createTieredCache, isTiercacheError } from '@tiercache/core';
import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import { blobRefOf } from '@tiercache/core/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOSTILE_REFS, sampleBytes, sampleEntry } from './fixtures.js';

export interface BlobTierSuiteOptions {
  /** Creates a fresh, empty tier for each test. */
  create: () => BlobTier | Promise<BlobTier>;
  /** Releases what `create` made (servers, folders). @default calls `tier.close()` when present */
  destroy?: (tier: BlobTier) => void | Promise<void>;
  /** Largest blob to round-trip. @default 8 MiB */
  largeBlobBytes?: number;
  /**
   * False only for a tier that still stores one object per request key instead of one per
   * content (the S3 tier, until it moves to content-addressed objects): the content-addressing
   * tests (rival writers of one key, identical content shared by keys) are then not run.
   * @default true
   */
  contentAddressed?: boolean;
}

/**
 * The behaviour every `BlobTier` must have. Call it inside a test file:
 * `blobTierSuite('disk', { create: () => createDiskTier({ dir }) })`.
 */
export function blobTierSuite(name: string, options: BlobTierSuiteOptions): void {
  describe(`BlobTier conformance: ${name}`, () => {
    let tier: BlobTier;

    beforeEach(async () => {
      tier = await options.create();
    });

    afterEach(async () => {
      if (options.destroy) await options.destroy(tier);
      else await tier.close?.();
    });

    it('says who verifies its reads, and declares no other contract version than this one', () => {
      expect(['by-cache', 'by-tier', 'size-only']).toContain(tier.readVerification);
      if (tier.contractVersion !== undefined) expect(tier.contractVersion).toBe(CONTRACT_VERSION);
    });

    it('round-trips every byte value exactly', async () => {
      const bytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      const entry = sampleEntry(bytes);
      await tier.put(entry, bytes);
      expect(await tier.get(entry)).toEqual(bytes);
      expect(await tier.has(entry)).toBe(true);
    });

    it('round-trips a large blob', async () => {
      const bytes = sampleBytes(options.largeBlobBytes ?? 8 * 1024 * 1024, 7);
      const entry = sampleEntry(bytes);
      await tier.put(entry, bytes);
      const back = await tier.get(entry);
      expect(back?.length).toBe(bytes.length);
      expect(Buffer.from(back ?? []).equals(Buffer.from(bytes))).toBe(true);
    });

    it('answers undefined and false for what it does not hold', async () => {
      const entry = sampleEntry(sampleBytes(10));
      expect(await tier.get(entry)).toBeUndefined();
      expect(await tier.has(entry)).toBe(false);
      expect(await tier.delete(entry)).toBe(false);
    });

    it('deletes one blob and leaves the others', async () => {
      const a = sampleBytes(100, 1);
      const b = sampleBytes(100, 2);
      const entryA = sampleEntry(a);
      const entryB = sampleEntry(b);
      await tier.put(entryA, a);
      await tier.put(entryB, b);
      expect(await tier.delete(entryA)).toBe(true);
      expect(await tier.get(entryA)).toBeUndefined();
      expect(await tier.has(entryA)).toBe(false);
      expect(await tier.get(entryB)).toEqual(b);
    });

    it('never lets different bytes overwrite each other: two writers of one key both keep their blob', async () => {
      if (options.contentAddressed === false) return;
      const first = sampleBytes(64, 1);
      const second = sampleBytes(80, 2);
      const entry = sampleEntry(first);
      const rival = sampleEntry(second, { key: entry.key });
      await Promise.all([tier.put(entry, first), tier.put(rival, second)]);
      expect(await tier.get(entry)).toEqual(first);
      expect(await tier.get(rival)).toEqual(second);
    });

    it('stores identical content once for several entries, and put is idempotent', async () => {
      if (options.contentAddressed === false) return;
      const bytes = sampleBytes(300, 21);
      const one = sampleEntry(bytes);
      const two = sampleEntry(bytes);
      const before = await tier.usage?.();
      await tier.put(one, bytes);
      await tier.put(two, bytes);
      await tier.put(one, bytes);
      expect(await tier.get(blobRefOf(two))).toEqual(bytes);
      if (before)
        expect(await tier.usage?.()).toEqual({ entries: before.entries + 1, bytes: before.bytes + 300 });
      // A blob is named by its content: deleting it removes it for every entry.
      expect(await tier.delete(blobRefOf(one))).toBe(true);
      expect(await tier.has(two)).toBe(false);
    });

    it('forgets an entry record without touching the blob another entry shares (when it keeps records)', async () => {
      if (!tier.deleteEntry) return;
      const bytes = sampleBytes(120, 22);
      const one = sampleEntry(bytes);
      const two = sampleEntry(bytes);
      await tier.put(one, bytes);
      await tier.put(two, bytes);
      expect(await tier.deleteEntry(one)).toBe(true);
      expect(await tier.deleteEntry(one)).toBe(false);
      expect(await tier.get(two)).toEqual(bytes);
    });

    it('lists the entries it can vouch for (when it lists entries)', async () => {
      if (!tier.entries) return;
      const list = async () => {
        const keys: string[] = [];
        for await (const entry of tier.entries?.('image') ?? []) keys.push(entry.key);
        return keys.sort();
      };
      const a = sampleBytes(90, 23);
      const b = sampleBytes(91, 24);
      const entryA = sampleEntry(a);
      const entryB = sampleEntry(b);
      const rival = sampleEntry(b, { key: entryA.key });
      await tier.put(entryA, a);
      await tier.put(rival, b); // a second writer of the same key: the first record stays
      await tier.put(entryB, b);
      expect(await list()).toEqual([entryA.key, entryB.key].sort());
      for await (const entry of tier.entries('image'))
        if (entry.key === entryA.key) expect(entry.contentHash).toBe(entryA.contentHash);
      await tier.deleteEntry?.(entryB);
      await tier.delete(entryA);
      expect(await list()).toEqual([]);
    });

    it('keeps types apart: same key, different type, different blob', async () => {
      const tts = sampleBytes(50, 3);
      const image = sampleBytes(60, 4);
      const imageEntry = sampleEntry(image, { type: 'image' });
      const ttsEntry = sampleEntry(tts, { type: 'tts', key: imageEntry.key });
      await tier.put(imageEntry, image);
      await tier.put(ttsEntry, tts);
      expect(await tier.get(imageEntry)).toEqual(image);
      expect(await tier.get(ttsEntry)).toEqual(tts);
    });

    it('clear(type) clears only that type; clear() clears all', async () => {
      const image = sampleBytes(40, 5);
      const tts = sampleBytes(40, 6);
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
    });

    it('serves 100 concurrent puts and gets without mixing blobs up', async () => {
      const blobs = Array.from({ length: 100 }, (_, i) => sampleBytes(1000 + i, i + 10));
      const entries = blobs.map((bytes) => sampleEntry(bytes));
      await Promise.all(entries.map((entry, i) => tier.put(entry, blobs[i]!)));
      const back = await Promise.all(entries.map((entry) => tier.get(entry)));
      back.forEach((bytes, i) => {
        expect(bytes).toEqual(blobs[i]);
      });
    });

    it('rejects refs that would leave its namespace, on every method', async () => {
      const bytes = sampleBytes(10);
      for (const ref of HOSTILE_REFS) {
        const entry = sampleEntry(bytes, ref);
        const calls: Array<() => Promise<unknown>> = [
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
          expect(isTiercacheError(error, 'E_INVALID_REF'), `${JSON.stringify(ref)} was not refused`).toBe(
            true,
          );
        }
      }
    });

    it('does not let callers change stored bytes through what they passed or received', async () => {
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
    });

    it('is never handed empty content through the cache', async () => {
      const cache = createTieredCache({ tiers: [tier] });
      const error = await cache
        .put({ type: 'image', prompt: 'nothing' }, new Uint8Array(0), {
          mediaType: 'image/png',
          extension: 'png',
        })
        .catch((reason: unknown) => reason);
      expect(isTiercacheError(error, 'E_EMPTY_CONTENT')).toBe(true);
      expect(await cache.get({ type: 'image', prompt: 'nothing' })).toBeUndefined();
    });

    it('reports usage that follows puts and deletes (when it reports usage)', async () => {
      if (!tier.usage) return;
      const before = await tier.usage();
      const bytes = sampleBytes(300, 11);
      const entry = sampleEntry(bytes);
      await tier.put(entry, bytes);
      const during = await tier.usage();
      expect(during.entries).toBe(before.entries + 1);
      expect(during.bytes).toBe(before.bytes + 300);
      await tier.delete(entry);
      expect(await tier.usage()).toEqual(before);
    });

    it('materializes a private copy the caller may change (when it materializes)', async () => {
      if (!tier.materialize) return;
      const folder = await mkdtemp(join(tmpdir(), 'tiercache-suite-'));
      try {
        const bytes = sampleBytes(2048, 12);
        const entry = sampleEntry(bytes);
        const target = join(folder, 'out.bin');
        expect(await tier.materialize(entry, target)).toBe(false);
        await tier.put(entry, bytes);
        expect(await tier.materialize(entry, target)).toBe(true);
        expect(new Uint8Array(await readFile(target))).toEqual(bytes);
        await writeFile(target, 'changed by the caller');
        expect(await tier.get(entry)).toEqual(bytes);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });
}
