import { describe, expect, it } from 'vitest';
import type { Matcher } from './contracts/matcher.js';
import { isTiercacheError } from './errors.js';
import { exactMatcher } from './matcher.js';
import { createMemoryIndex } from './memory-index.js';
import { hashContent } from './request.js';
import { asset, LAKE as lake, otherPromptMatcher, PNG, recordEvents, text } from './test-support/fixtures.js';
import { createMapTier, mapBlobId } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

describe('TieredCache read and write path', () => {
  it('misses, stores, then serves an exact hit with the same bytes', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    expect(await cache.get(lake)).toBeUndefined();
    const entry = await cache.put(lake, new TextEncoder().encode('pixels'), {
      ...PNG,
      generationCost: 0.01,
      generationMs: 8000,
    });
    expect(entry.contentHash).toBe(hashContent(new TextEncoder().encode('pixels')));
    const hit = await cache.get(lake);
    expect(hit).toMatchObject({ kind: 'exact', score: 1, tier: 'map' });
    expect(text(hit!.bytes)).toBe('pixels');
    expect(hit!.entry.useCount).toBe(2);
  });

  it('a differently normalized prompt is the same request', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
    expect(await cache.get({ ...lake, prompt: '  a calm   lake at sunrise, 4k\n' })).toBeDefined();
    expect(await cache.get({ ...lake, params: { model: 'flux', size: '512x512' } })).toBeUndefined();
  });

  it('reads tiers top-down and backfills the tiers that missed', async () => {
    const upper = createMapTier('upper');
    const lower = createMapTier('lower', 'by-cache');
    const cache = createTieredCache({ tiers: [upper, lower] });
    await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
    upper.blobs.clear();
    const first = await cache.get(lake);
    expect(first?.tier).toBe('lower');
    await cache.idle();
    expect(upper.blobs.size).toBe(1);
    expect((await cache.get(lake))?.tier).toBe('upper');
  });

  it('a backfill is not changed by a caller editing the bytes it received', async () => {
    const upper = createMapTier('upper');
    const lower = createMapTier('lower', 'by-cache');
    const cache = createTieredCache({ tiers: [upper, lower] });
    await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
    upper.blobs.clear();
    const hit = await cache.get(lake);
    hit!.bytes.fill(0);
    await cache.idle();
    expect(text((await cache.get(lake))!.bytes)).toBe('pixels');
  });

  it('deletes a corrupt copy and heals it from the next tier', async () => {
    const upper = createMapTier('upper', 'by-cache');
    const lower = createMapTier('lower', 'by-cache');
    const cache = createTieredCache({ tiers: [upper, lower] });
    const seen = recordEvents(cache);
    const entry = await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
    const [id] = upper.blobs.keys();
    upper.blobs.set(id!, new TextEncoder().encode('pixelz'));
    const hit = await cache.get(lake);
    expect(text(hit!.bytes)).toBe('pixels');
    expect(hit!.tier).toBe('lower');
    expect(seen.error.map((e) => e.error.code)).toContain('E_CORRUPT_BLOB');
    expect(seen.evict).toContainEqual({ type: 'image', key: entry.key, reason: 'corrupt', tier: 'upper' });
    await cache.idle();
    expect(text(upper.blobs.get(id!)!)).toBe('pixels');
  });

  it('a truncated copy is caught by size even in a tier that does not verify', async () => {
    const tier = createMapTier('plain', 'size-only');
    const cache = createTieredCache({ tiers: [tier] });
    await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
    const [id] = tier.blobs.keys();
    tier.blobs.set(id!, new TextEncoder().encode('pix'));
    expect(await cache.get(lake)).toBeUndefined();
    expect(cache.index.stats().entries).toBe(0);
  });

  it('removes an index entry whose blob is in no tier and goes on to the next matcher', async () => {
    const tier = createMapTier();
    const index = createMemoryIndex();
    const other = { ...lake, prompt: 'calm lake at sunrise 4k' };
    const cache = createTieredCache({
      tiers: [tier],
      index,
      matchers: [exactMatcher(), otherPromptMatcher()],
    });
    const seen = recordEvents(cache);
    const stale = await cache.put(lake, new TextEncoder().encode('lost'), PNG);
    await cache.put(other, new TextEncoder().encode('kept'), PNG);
    tier.blobs.delete(mapBlobId(stale));
    const hit = await cache.get(lake);
    expect(hit).toMatchObject({ kind: 'similar', score: 0.9 });
    expect(text(hit!.bytes)).toBe('kept');
    expect(index.get('image', stale.key)).toBeUndefined();
    expect(seen.evict).toContainEqual({ type: 'image', key: stale.key, reason: 'missing' });
    const stats = await cache.stats();
    expect(stats.session).toMatchObject({ hits: 1, misses: 0, similarHits: 1 });
  });

  it('ignores a matcher answer from another type or params partition', async () => {
    const tier = createMapTier();
    const rogue: Matcher = {
      name: 'rogue',
      find(_request, idx) {
        const [entry] = idx.evictionCandidates({ now: Date.now(), limit: 1 });
        return entry ? { entry, kind: 'similar', score: 1 } : undefined;
      },
    };
    const cache = createTieredCache({ tiers: [tier], matchers: [exactMatcher(), rogue] });
    await cache.put({ ...lake, params: { voice: 'a' } }, new TextEncoder().encode('a'), PNG);
    expect(await cache.get({ ...lake, params: { voice: 'b' } })).toBeUndefined();
  });

  it('keeps the first entry for a key', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    const first = await cache.put(lake, new TextEncoder().encode('first'), PNG);
    const second = await cache.put(lake, new TextEncoder().encode('second'), PNG);
    expect(second).toEqual(first);
    expect(text((await cache.get(lake))!.bytes)).toBe('first');
  });

  it('writes blobs before the index entry', async () => {
    const tier = createMapTier();
    const index = createMemoryIndex();
    const order: string[] = [];
    index.subscribe((change) => order.push(`index:${change.kind}:${tier.blobs.size}`));
    const cache = createTieredCache({ tiers: [tier], index });
    await cache.put(lake, new TextEncoder().encode('x'), PNG);
    expect(order).toEqual(['index:insert:1']);
  });

  it.each([
    ['empty content', new Uint8Array(0), PNG, 'E_EMPTY_CONTENT'],
    ['a string instead of bytes', 'abc', PNG, 'E_INVALID_REQUEST'],
    [
      'a media type without a slash',
      new Uint8Array(1),
      { mediaType: 'png', extension: 'png' },
      'E_INVALID_REQUEST',
    ],
    [
      'an unsafe extension',
      new Uint8Array(1),
      { mediaType: 'image/png', extension: '../png' },
      'E_INVALID_REQUEST',
    ],
    [
      'metadata that is not JSON',
      new Uint8Array(1),
      { ...PNG, metadata: { at: new Date() } },
      'E_INVALID_REQUEST',
    ],
    ['a negative cost', new Uint8Array(1), { ...PNG, generationCost: -1 }, 'E_INVALID_REQUEST'],
  ])('refuses to put %s, storing nothing', async (_, bytes, info, code) => {
    const tier = createMapTier();
    const cache = createTieredCache({ tiers: [tier] });
    const error = await cache
      .put(lake, bytes as Uint8Array, info as typeof PNG)
      .catch((reason: unknown) => reason);
    expect(isTiercacheError(error, code)).toBe(true);
    expect(tier.blobs.size).toBe(0);
    expect(cache.index.stats().entries).toBe(0);
  });

  it('serves an exact-key miss from a tier that can describe entries stored elsewhere', async () => {
    const shared = createMapTier('shared', 'by-cache');
    const machineA = createTieredCache({ tiers: [shared] });
    const stored = await machineA.put(lake, new TextEncoder().encode('from A'), PNG);
    const remoteEntries = new Map([[stored.key, stored]]);
    const describing = Object.assign(shared, {
      describe: async (_type: string, key: string) => remoteEntries.get(key),
    });
    const local = createMapTier('local');
    const machineB = createTieredCache({ tiers: [local, describing] });
    const hit = await machineB.get(lake);
    expect(hit).toMatchObject({ kind: 'exact', tier: 'shared' });
    expect(machineB.index.get('image', stored.key)?.contentHash).toBe(stored.contentHash);
    expect(await machineB.get({ ...lake, prompt: 'never stored' })).toBeUndefined();
  });
});

describe('TieredCache with a shared tier whose entry cannot be served', () => {
  it('asks it once per lookup, keeps no unusable entry, and records the fresh generation', async () => {
    const shared = createMapTier('shared', 'by-cache');
    const elsewhere = await createTieredCache({ tiers: [createMapTier('other')] }).put(
      lake,
      new TextEncoder().encode('from A'),
      PNG,
    );
    let describes = 0;
    const describing = Object.assign(shared, {
      describe: async () => {
        describes++;
        return elsewhere; // the manifest is there, its blob is not
      },
    });
    const cache = createTieredCache({ tiers: [createMapTier('local'), describing] });
    const result = await cache.getOrGenerate(lake, async () => asset('from B'));
    expect(describes).toBe(1);
    expect(result).toMatchObject({ source: 'generated', cached: true });
    expect(result.entry.contentHash).toBe(hashContent(new TextEncoder().encode('from B')));
    expect(cache.index.get('image', result.entry.key)?.contentHash).toBe(result.entry.contentHash);
  });
});
