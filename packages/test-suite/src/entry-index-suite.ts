import { type EntryIndex, isTiercacheError } from '@tiercache/core';
import type { IndexChange } from '@tiercache/core/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionTests } from './entry-index-rejections.js';
import { sampleBytes, sampleEntry } from './fixtures.js';

export interface EntryIndexSuiteOptions {
  /** Creates a fresh, empty index for each test. */
  create: () => EntryIndex | Promise<EntryIndex>;
  /** Releases what `create` made. @default calls `index.close()` when present */
  destroy?: (index: EntryIndex) => void | Promise<void>;
  /**
   * Opens a second handle on the storage of `index`, as another process would (the suite
   * closes it). Indexes shared by several processes pass it, so sharing is tested.
   * @default none: the index is not shared
   */
  share?: (index: EntryIndex) => EntryIndex;
  /**
   * Whether the index records rejections (the optional `reject`/`isRejected`). `false` checks
   * that it has neither, so core refuses `TieredCache.reject` of a pairing with `E_UNSUPPORTED`.
   * @default true
   */
  rejections?: boolean;
}

const T0 = 1_700_000_000_000;

/**
 * The behaviour every `EntryIndex` must have. Call it inside a test file:
 * `entryIndexSuite('sqlite', { create: () => openSqliteIndex({ file }) })`.
 */
export function entryIndexSuite(name: string, options: EntryIndexSuiteOptions): void {
  describe(`EntryIndex conformance: ${name}`, () => {
    let index: EntryIndex;

    beforeEach(async () => {
      index = await options.create();
    });

    afterEach(async () => {
      if (options.destroy) await options.destroy(index);
      else index.close?.();
    });

    it('returns every field of an inserted entry unchanged', () => {
      const entry = sampleEntry(sampleBytes(10), {
        prompt: 'Café « 東京 » 🌅',
        params: '{"voice":{"lang":"es"}}',
        metadata: { engine: 'espeak-ng', nested: { list: [1, 'two', null, true] }, ünï: 'cødé' },
        expiresAt: T0 + 5000,
        generationCost: 0.015,
        generationMs: 4200,
        mediaType: 'audio/wav',
        extension: 'wav',
      });
      expect(index.insert(entry)).toEqual(entry);
      expect(index.get(entry.type, entry.key)).toEqual(entry);
      expect(index.get('tts', entry.key)).toBeUndefined();
    });

    it('keeps the first entry for a key (first writer wins)', () => {
      const first = sampleEntry(sampleBytes(10, 1));
      const second = sampleEntry(sampleBytes(20, 2), { key: first.key, prompt: 'another prompt' });
      index.insert(first);
      expect(index.insert(second)).toEqual(first);
      expect(index.get(first.type, first.key)).toEqual(first);
      expect(index.stats().entries).toBe(1);
    });

    it('refuses a malformed entry with E_INVALID_ENTRY and stores nothing', () => {
      const entry = sampleEntry(sampleBytes(10), { size: -1 });
      let error: unknown;
      try {
        index.insert(entry);
      } catch (caught) {
        error = caught;
      }
      expect(isTiercacheError(error, 'E_INVALID_ENTRY')).toBe(true);
      expect(index.get(entry.type, entry.key)).toBeUndefined();
    });

    it('touch increments the use count and moves last use forward', () => {
      const entry = sampleEntry(sampleBytes(10));
      index.insert(entry);
      index.touch(entry.type, entry.key, T0 + 10);
      const touched = index.touch(entry.type, entry.key, T0 + 20);
      expect(touched?.useCount).toBe(3);
      expect(touched?.lastUsedAt).toBe(T0 + 20);
      expect(index.get(entry.type, entry.key)?.useCount).toBe(3);
      expect(index.touch(entry.type, 'f'.repeat(64), T0)).toBeUndefined();
    });

    it('reports statistics by type in the original shape', () => {
      const a = sampleEntry(sampleBytes(100, 1), { type: 'tts' });
      const b = sampleEntry(sampleBytes(300, 2), { type: 'tts' });
      const c = sampleEntry(sampleBytes(50, 3), { type: 'image' });
      for (const entry of [a, b, c]) index.insert(entry);
      index.touch('tts', a.key, T0 + 1);
      index.touch('tts', a.key, T0 + 2);
      index.touch('tts', a.key, T0 + 3);
      const stats = index.stats();
      expect(stats.entries).toBe(3);
      expect(stats.bytes).toBe(450);
      expect(stats.byType.tts).toMatchObject({
        entries: 2,
        uses: 5,
        bytes: 400,
      });
      expect(stats.byType.image).toMatchObject({
        entries: 1,
        uses: 1,
        bytes: 50,
      });
    });

    it('counts the entries that reference a blob, and the bytes identical content shares (when it counts)', () => {
      if (!index.blobReferences) return;
      const shared = sampleBytes(200, 7);
      const a = sampleEntry(shared, { type: 'tts' });
      const b = sampleEntry(shared, { type: 'tts' });
      const asMp3 = sampleEntry(shared, { type: 'tts', extension: 'mp3' });
      const other = sampleEntry(sampleBytes(50, 8), { type: 'tts' });
      for (const entry of [a, b, asMp3, other]) index.insert(entry);
      expect(index.blobReferences(a)).toBe(2);
      expect(index.blobReferences(asMp3)).toBe(1);
      expect(index.blobReferences({ ...a, type: 'image' })).toBe(0);
      const stats = index.stats();
      expect(stats.byType.tts).toMatchObject({ bytes: 650, contentBytes: 450 });
      expect(stats.contentBytes).toBe(450);
      index.delete(a.type, a.key);
      expect(index.blobReferences(b)).toBe(1);
      index.delete(b.type, b.key);
      expect(index.blobReferences(b)).toBe(0);
      index.clear();
      expect(index.blobReferences(other)).toBe(0);
    });

    it('orders eviction candidates: expired first, then least recently used', () => {
      const old = sampleEntry(sampleBytes(10, 1), { createdAt: T0, lastUsedAt: T0 });
      const recent = sampleEntry(sampleBytes(10, 2), { createdAt: T0 + 1, lastUsedAt: T0 + 1 });
      const middle = sampleEntry(sampleBytes(10, 3), { createdAt: T0 + 2, lastUsedAt: T0 + 2 });
      const expired = sampleEntry(sampleBytes(10, 4), {
        createdAt: T0 + 3,
        lastUsedAt: T0 + 3,
        expiresAt: T0 + 100,
      });
      const live = sampleEntry(sampleBytes(10, 5), {
        createdAt: T0 + 4,
        lastUsedAt: T0 + 4,
        expiresAt: T0 + 10_000,
      });
      for (const entry of [old, recent, middle, expired, live]) index.insert(entry);
      index.touch(recent.type, recent.key, T0 + 50);
      const order = index.evictionCandidates({ now: T0 + 200, limit: 10 }).map((entry) => entry.key);
      expect(order).toEqual([expired.key, old.key, middle.key, live.key, recent.key]);
      expect(index.evictionCandidates({ now: T0 + 200, limit: 2 })).toHaveLength(2);
    });

    it('enumerates one partition: same type and params hash only', () => {
      const mine = sampleEntry(sampleBytes(10, 1), { paramsHash: 'a'.repeat(64), prompt: 'one' });
      const mineToo = sampleEntry(sampleBytes(10, 2), { paramsHash: 'a'.repeat(64), prompt: 'two' });
      const otherParams = sampleEntry(sampleBytes(10, 3), { paramsHash: 'b'.repeat(64), prompt: 'three' });
      const otherType = sampleEntry(sampleBytes(10, 4), {
        type: 'tts',
        paramsHash: 'a'.repeat(64),
        prompt: 'four',
      });
      for (const entry of [mine, mineToo, otherParams, otherType]) index.insert(entry);
      const partition = index.partition('image', 'a'.repeat(64));
      expect(partition.map((p) => p.prompt).sort()).toEqual(['one', 'two']);
      expect(partition.find((p) => p.prompt === 'one')?.key).toBe(mine.key);
      expect(index.partition('image', 'c'.repeat(64))).toEqual([]);
    });

    it('deletes one entry and reports whether it existed', () => {
      const entry = sampleEntry(sampleBytes(10));
      index.insert(entry);
      expect(index.delete(entry.type, entry.key)).toBe(true);
      expect(index.delete(entry.type, entry.key)).toBe(false);
      expect(index.get(entry.type, entry.key)).toBeUndefined();
      expect(index.partition(entry.type, entry.paramsHash)).toEqual([]);
    });

    it('clear(type) clears only that type; clear() clears all', () => {
      const image = sampleEntry(sampleBytes(10, 1), { type: 'image' });
      const tts = sampleEntry(sampleBytes(10, 2), { type: 'tts' });
      index.insert(image);
      index.insert(tts);
      expect(index.clear('image')).toBe(1);
      expect(index.get('image', image.key)).toBeUndefined();
      expect(index.get('tts', tts.key)).toEqual(tts);
      index.insert(image);
      expect(index.clear()).toBe(2);
      expect(index.stats().entries).toBe(0);
    });

    it('announces each change with the revision it produced, one step at a time', () => {
      const revisions: number[] = [];
      const unsubscribe = index.subscribe((change) => revisions.push(change.revision));
      const start = index.revision();
      const a = sampleEntry(sampleBytes(10, 1));
      const b = sampleEntry(sampleBytes(10, 2));
      index.insert(a);
      index.insert(b);
      index.delete(a.type, a.key);
      index.clear();
      unsubscribe();
      expect(revisions).toEqual([start + 1, start + 2, start + 3, start + 4]);
      expect(index.revision()).toBe(start + 4);
    });

    it('advances its revision and notifies subscribers on every change', () => {
      const seen: IndexChange['kind'][] = [];
      const unsubscribe = index.subscribe((change) => seen.push(change.kind));
      const entry = sampleEntry(sampleBytes(10));
      const r0 = index.revision();
      index.insert(entry);
      const r1 = index.revision();
      expect(r1).not.toBe(r0);
      index.insert(entry);
      index.delete(entry.type, entry.key);
      expect(index.revision()).not.toBe(r1);
      index.clear();
      unsubscribe();
      index.insert(sampleEntry(sampleBytes(10)));
      expect(seen).toEqual(['insert', 'delete', 'clear']);
    });

    it('hands out copies: changing a returned entry changes nothing stored', () => {
      const entry = sampleEntry(sampleBytes(10), { metadata: { a: 1 } });
      index.insert(entry);
      const got = index.get(entry.type, entry.key)!;
      got.useCount = 99;
      // An index may hand out frozen metadata instead of a copy: refusing the change is fine too.
      try {
        got.metadata.a = 2;
      } catch {}
      expect(index.get(entry.type, entry.key)).toEqual(entry);
    });

    rejectionTests(() => index, { share: options.share, supported: options.rejections ?? true });
  });
}
