import { isTiercacheError } from '@tiercache/core';
import type { IndexChange } from '@tiercache/core/contracts';
import type { EntryIndexGroup } from './entry-index-suite-options.js';
import { sampleBytes, sampleEntry } from './fixtures.js';

const T0 = 1_700_000_000_000;

/** The groups of `entryIndexSuite` every index must pass: the required `EntryIndex` members. */
export function entryIndexCoreGroups(): EntryIndexGroup[] {
  return [
    {
      name: 'entries',
      title: 'insert and get',
      checks: [
        {
          title: 'returns every field of an inserted entry unchanged',
          run(index, expect) {
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
          },
        },
        {
          title: 'keeps the first entry for a key (first writer wins)',
          run(index, expect) {
            const first = sampleEntry(sampleBytes(10, 1));
            const second = sampleEntry(sampleBytes(20, 2), { key: first.key, prompt: 'another prompt' });
            index.insert(first);
            expect(index.insert(second)).toEqual(first);
            expect(index.get(first.type, first.key)).toEqual(first);
            expect(index.stats().entries).toBe(1);
          },
        },
        {
          title: 'refuses a malformed entry with E_INVALID_ENTRY and stores nothing',
          run(index, expect) {
            const entry = sampleEntry(sampleBytes(10), { size: -1 });
            let error: unknown;
            try {
              index.insert(entry);
            } catch (caught) {
              error = caught;
            }
            expect(isTiercacheError(error, 'E_INVALID_ENTRY')).toBe(true);
            expect(index.get(entry.type, entry.key)).toBeUndefined();
          },
        },
        {
          title: 'hands out copies: changing a returned entry changes nothing stored',
          run(index, expect) {
            const entry = sampleEntry(sampleBytes(10), { metadata: { a: 1 } });
            index.insert(entry);
            const got = index.get(entry.type, entry.key)!;
            got.useCount = 99;
            // An index may hand out frozen metadata instead of a copy: refusing the change is fine too.
            try {
              got.metadata.a = 2;
            } catch {}
            expect(index.get(entry.type, entry.key)).toEqual(entry);
          },
        },
      ],
    },
    {
      name: 'touch',
      title: 'touch',
      checks: [
        {
          title: 'touch increments the use count and moves last use forward',
          run(index, expect) {
            const entry = sampleEntry(sampleBytes(10));
            index.insert(entry);
            index.touch(entry.type, entry.key, T0 + 10);
            const touched = index.touch(entry.type, entry.key, T0 + 20);
            expect(touched?.useCount).toBe(3);
            expect(touched?.lastUsedAt).toBe(T0 + 20);
            expect(index.get(entry.type, entry.key)?.useCount).toBe(3);
            expect(index.touch(entry.type, 'f'.repeat(64), T0)).toBeUndefined();
          },
        },
      ],
    },
    {
      name: 'stats',
      title: 'statistics',
      checks: [
        {
          title: 'reports entries, bytes and uses, in total and by type',
          run(index, expect) {
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
            expect(stats.byType.tts).toMatchObject({ entries: 2, uses: 5, bytes: 400 });
            expect(stats.byType.image).toMatchObject({ entries: 1, uses: 1, bytes: 50 });
          },
        },
      ],
    },
    {
      name: 'eviction',
      title: 'eviction order',
      checks: [
        {
          title: 'orders eviction candidates: expired first, then least recently used',
          run(index, expect) {
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
          },
        },
      ],
    },
    {
      name: 'partition',
      title: 'partitions',
      checks: [
        {
          title: 'enumerates one partition: same type and params hash only',
          run(index, expect) {
            const mine = sampleEntry(sampleBytes(10, 1), { paramsHash: 'a'.repeat(64), prompt: 'one' });
            const mineToo = sampleEntry(sampleBytes(10, 2), { paramsHash: 'a'.repeat(64), prompt: 'two' });
            const otherParams = sampleEntry(sampleBytes(10, 3), {
              paramsHash: 'b'.repeat(64),
              prompt: 'three',
            });
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
          },
        },
      ],
    },
    {
      name: 'delete',
      title: 'delete and clear',
      checks: [
        {
          title: 'deletes one entry and reports whether it existed',
          run(index, expect) {
            const entry = sampleEntry(sampleBytes(10));
            index.insert(entry);
            expect(index.delete(entry.type, entry.key)).toBe(true);
            expect(index.delete(entry.type, entry.key)).toBe(false);
            expect(index.get(entry.type, entry.key)).toBeUndefined();
            expect(index.partition(entry.type, entry.paramsHash)).toEqual([]);
          },
        },
        {
          title: 'clear(type) clears only that type; clear() clears all',
          run(index, expect) {
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
          },
        },
      ],
    },
    {
      name: 'changes',
      title: 'revision and change feed',
      checks: [
        {
          title: 'announces each change with the revision it produced, one step at a time',
          run(index, expect) {
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
          },
        },
        {
          title: 'advances its revision and notifies subscribers on every change',
          run(index, expect) {
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
          },
        },
      ],
    },
  ];
}
