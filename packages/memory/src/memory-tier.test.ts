import { createTieredCache, isTiercacheError } from '@tiercache/core';
import { blobTierSuite, sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTier } from './memory-tier.js';

blobTierSuite({
  test: { describe, it, expect, beforeEach, afterEach },
  name: 'memory',
  create: () => createMemoryTier({ maxBytes: 64 * 1024 * 1024 }),
  off: {
    materialize: 'bytes live in process memory: no file to hand out',
    'delete-entry': 'keeps blobs only, no per-entry records',
    entries: 'keeps blobs only, no per-entry records',
    describe: 'private to one process: nothing to describe for another machine',
  },
});

/** A clock tests move by hand; starts far from 0 like a real epoch clock. */
function fakeClock(start = 1_700_000_000_000) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe('memory tier: bounds', () => {
  it('evicts the least recently used blobs first to stay under maxBytes', async () => {
    const tier = createMemoryTier({ maxBytes: 300 });
    const [a, b, c, d] = [1, 2, 3, 4].map((seed) => sampleBytes(100, seed));
    const [ea, eb, ec, ed] = [a!, b!, c!, d!].map((bytes) => sampleEntry(bytes));
    await tier.put(ea!, a!);
    await tier.put(eb!, b!);
    await tier.put(ec!, c!);
    expect(await tier.get(ea!)).toEqual(a); // a is now the most recently used
    await tier.put(ed!, d!);
    expect(await tier.has(eb!)).toBe(false);
    expect(await tier.get(ea!)).toEqual(a);
    expect(await tier.get(ec!)).toEqual(c);
    expect(await tier.get(ed!)).toEqual(d);
    expect(await tier.usage!()).toEqual({ entries: 3, bytes: 300 });
  });

  it('evicts as many small blobs as a big one needs', async () => {
    const tier = createMemoryTier({ maxBytes: 1000 });
    const small = Array.from({ length: 10 }, (_, i) => sampleBytes(100, i + 1));
    const smallEntries = small.map((bytes) => sampleEntry(bytes));
    for (const [i, entry] of smallEntries.entries()) await tier.put(entry, small[i]!);
    const big = sampleBytes(450, 99);
    await tier.put(sampleEntry(big), big);
    const kept = await Promise.all(smallEntries.map((entry) => tier.has(entry)));
    expect(kept).toEqual([false, false, false, false, false, true, true, true, true, true]);
    expect(await tier.usage!()).toEqual({ entries: 6, bytes: 950 });
  });

  it('does not keep a blob larger than maxBytes', async () => {
    const tier = createMemoryTier({ maxBytes: 100 });
    const big = sampleBytes(101, 2);
    const entry = sampleEntry(big);
    await expect(tier.put(entry, big)).resolves.toBeUndefined();
    expect(await tier.get(entry)).toBeUndefined();
    expect(await tier.usage!()).toEqual({ entries: 0, bytes: 0 });
  });

  it('never replaces a blob: a second put of the same name keeps the stored bytes', async () => {
    const tier = createMemoryTier({ maxBytes: 1000 });
    const bytes = sampleBytes(100, 1);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    const stored = await tier.get(entry);
    await tier.put(sampleEntry(bytes), bytes.slice());
    expect(await tier.get(entry)).toBe(stored);
    // Bytes whose size cannot be the named content are refused.
    const fresh = createMemoryTier({ maxBytes: 1000 });
    await expect(fresh.put(entry, sampleBytes(99, 1))).rejects.toMatchObject({ code: 'E_INVALID_ENTRY' });
    expect(await fresh.has(entry)).toBe(false);
  });

  it('honours maxEntries whatever the sizes', async () => {
    const tier = createMemoryTier({ maxBytes: 1_000_000, maxEntries: 2 });
    const entries = [1, 2, 3].map((seed) => sampleEntry(sampleBytes(10, seed)));
    for (const [i, entry] of entries.entries()) await tier.put(entry, sampleBytes(10, i + 1));
    expect(await Promise.all(entries.map((entry) => tier.has(entry)))).toEqual([false, true, true]);
  });
});

describe('memory tier: expiry', () => {
  it('serves a blob until its entry expires, then forgets it', async () => {
    const clock = fakeClock();
    const tier = createMemoryTier({ maxBytes: 1000, now: clock.now });
    const bytes = sampleBytes(50);
    const entry = sampleEntry(bytes, { expiresAt: clock.now() + 1000 });
    await tier.put(entry, bytes);
    clock.advance(999);
    expect(await tier.get(entry)).toEqual(bytes);
    clock.advance(1);
    expect(await tier.has(entry)).toBe(false);
    expect(await tier.get(entry)).toBeUndefined();
    expect(await tier.usage!()).toEqual({ entries: 0, bytes: 0 });
  });

  it('does not store an entry that has already expired', async () => {
    const clock = fakeClock();
    const tier = createMemoryTier({ maxBytes: 1000, now: clock.now });
    const bytes = sampleBytes(50);
    await tier.put(sampleEntry(bytes, { expiresAt: clock.now() }), bytes);
    await tier.put(sampleEntry(bytes, { expiresAt: clock.now() - 5000 }), bytes);
    expect(await tier.usage!()).toEqual({ entries: 0, bytes: 0 });
  });

  it('caps every blob at maxAgeMs, even one whose entry never expires', async () => {
    const clock = fakeClock();
    const tier = createMemoryTier({ maxBytes: 1000, maxAgeMs: 100, now: clock.now });
    const forever = sampleBytes(10, 1);
    const later = sampleBytes(10, 2);
    const sooner = sampleBytes(10, 3);
    const foreverEntry = sampleEntry(forever, { expiresAt: null });
    const laterEntry = sampleEntry(later, { expiresAt: clock.now() + 10_000 });
    const soonerEntry = sampleEntry(sooner, { expiresAt: clock.now() + 50 });
    await tier.put(foreverEntry, forever);
    await tier.put(laterEntry, later);
    await tier.put(soonerEntry, sooner);
    clock.advance(50);
    expect(await tier.has(soonerEntry)).toBe(false);
    expect(await tier.has(foreverEntry)).toBe(true);
    clock.advance(50);
    expect(await tier.get(foreverEntry)).toBeUndefined();
    expect(await tier.get(laterEntry)).toBeUndefined();
  });

  it('counts an expired blob as absent for delete', async () => {
    const clock = fakeClock();
    const tier = createMemoryTier({ maxBytes: 1000, now: clock.now });
    const bytes = sampleBytes(10);
    const entry = sampleEntry(bytes, { expiresAt: clock.now() + 10 });
    await tier.put(entry, bytes);
    clock.advance(10);
    expect(await tier.delete(entry)).toBe(false);
  });
});

describe('memory tier: isolation and composition', () => {
  it('copies Buffers in and out, where slice() would share memory', async () => {
    const tier = createMemoryTier({ maxBytes: 1000 });
    const buffer = Buffer.from(sampleBytes(20, 5));
    const original = new Uint8Array(buffer);
    const entry = sampleEntry(original);
    await tier.put(entry, buffer);
    buffer.fill(7);
    expect(await tier.get(entry)).toEqual(original);
  });

  it('serves exact hits through TieredCache from the memory tier', async () => {
    const tier = createMemoryTier({ maxBytes: 1_000_000 });
    const cache = createTieredCache({ tiers: [tier] });
    const request = { type: 'tts', prompt: 'Subscribe for more!', params: { voice: 'en-us' } };
    const bytes = sampleBytes(500, 3);
    await cache.put(request, bytes, { mediaType: 'audio/wav', extension: 'wav' });
    const hit = await cache.get(request);
    expect(hit?.tier).toBe('memory');
    expect(hit?.bytes).toEqual(bytes);
    expect((await cache.stats()).tiers.memory).toMatchObject({ entries: 1, bytes: 500 });
    await cache.close();
  });

  it('refuses to clear a type that is not a valid asset type', async () => {
    const tier = createMemoryTier({ maxBytes: 1000 });
    const error = await tier.clear('../x').catch((reason: unknown) => reason);
    expect(isTiercacheError(error, 'E_INVALID_REF')).toBe(true);
  });
});
