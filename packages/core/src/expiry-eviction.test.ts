import { describe, expect, it } from 'vitest';
import { isTiercacheError } from './errors.js';
import { LAKE as lake, PNG, recordEvents } from './test-support/fixtures.js';
import { createMapTier, mapBlobId } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

describe('TieredCache expiry and eviction', () => {
  it('does not serve an expired entry and removes it', async () => {
    let clock = 1_000_000;
    const tier = createMapTier();
    const cache = createTieredCache({ tiers: [tier], ttlMs: 1000, now: () => clock });
    await cache.put(lake, new TextEncoder().encode('x'), PNG);
    clock += 999;
    expect(await cache.get(lake)).toBeDefined();
    clock += 1;
    expect(await cache.get(lake)).toBeUndefined();
    expect(tier.blobs.size).toBe(0);
    expect(cache.index.stats().entries).toBe(0);
  });

  it('a per-entry ttl overrides the default; null never expires', async () => {
    let clock = 0;
    const cache = createTieredCache({ tiers: [createMapTier()], ttlMs: 10, now: () => clock });
    await cache.put(lake, new TextEncoder().encode('x'), { ...PNG, ttlMs: null });
    clock = 1e12;
    expect(await cache.get(lake)).toBeDefined();
  });

  it('prunes expired entries first, then least recently used until under maxBytes', async () => {
    let clock = 1000;
    const tier = createMapTier();
    const cache = createTieredCache({ tiers: [tier], now: () => clock });
    const seen = recordEvents(cache);
    const put = (prompt: string, size: number, ttlMs: number | null = null) =>
      cache.put({ type: 'image', prompt }, new Uint8Array(size).fill(prompt.length), { ...PNG, ttlMs });
    const old = await put('old', 100);
    clock++;
    const expiring = await put('expiring', 100, 5);
    clock++;
    const used = await put('used', 100);
    clock++;
    const fresh = await put('fresh', 100);
    clock += 10;
    await cache.get({ type: 'image', prompt: 'old' });
    const result = await cache.prune({ maxBytes: 200 });
    expect(result).toEqual({ expired: 1, evicted: 1, bytesFreed: 200 });
    expect(seen.evict.map((e) => [e.key, e.reason])).toEqual([
      [expiring.key, 'expired'],
      [used.key, 'lru'],
    ]);
    expect(cache.index.get('image', old.key)).toBeDefined();
    expect(cache.index.get('image', fresh.key)).toBeDefined();
    expect([...tier.blobs.keys()].sort()).toEqual([mapBlobId(fresh), mapBlobId(old)].sort());
    expect(await cache.prune({ maxEntries: 1 })).toEqual({ expired: 0, evicted: 1, bytesFreed: 100 });
    expect(cache.index.get('image', old.key)).toBeDefined();
  });

  it('prune rejects a negative limit', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    const error = await cache.prune({ maxBytes: -1 }).catch((reason: unknown) => reason);
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
  });

  it('delete removes one request; clear(type) only that type', async () => {
    const tier = createMapTier();
    const cache = createTieredCache({ tiers: [tier] });
    await cache.put(lake, new TextEncoder().encode('x'), PNG);
    await cache.put({ type: 'tts', prompt: 'hello' }, new TextEncoder().encode('y'), {
      mediaType: 'audio/wav',
      extension: 'wav',
    });
    await cache.put({ type: 'tts', prompt: 'bye' }, new TextEncoder().encode('z'), {
      mediaType: 'audio/wav',
      extension: 'wav',
    });
    expect(await cache.delete(lake)).toBe(true);
    expect(await cache.delete(lake)).toBe(false);
    expect(await cache.get(lake)).toBeUndefined();
    expect(await cache.clear('tts')).toBe(2);
    expect(tier.blobs.size).toBe(0);
    const error = await cache.clear('../etc').catch((reason: unknown) => reason);
    expect(isTiercacheError(error, 'E_INVALID_REQUEST')).toBe(true);
  });
});
