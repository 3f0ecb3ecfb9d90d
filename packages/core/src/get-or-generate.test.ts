import { describe, expect, it } from 'vitest';
import { isTiercacheError } from './errors.js';
import { exactMatcher } from './matcher.js';
import { createMemoryIndex } from './memory-index.js';
import { asset, failingIndex, recordEvents, text } from './test-support/fixtures.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

const outro = { type: 'tts', prompt: 'Subscribe for more!', params: { engine: 'espeak-ng', voice: 'en-us' } };

describe('getOrGenerate', () => {
  it('generates on a miss, then serves the stored copy', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    let calls = 0;
    const generate = async () => {
      calls++;
      return asset('wav bytes', { generationCost: 0.002 });
    };
    const first = await cache.getOrGenerate(outro, generate);
    expect(first).toMatchObject({ source: 'generated', tier: null, cached: true });
    expect(first.entry.generationMs).toBeGreaterThanOrEqual(0);
    const second = await cache.getOrGenerate(outro, generate);
    expect(second).toMatchObject({ source: 'exact', tier: 'map', score: 1 });
    expect(text(second.bytes)).toBe('wav bytes');
    expect(calls).toBe(1);
  });

  it('100 concurrent callers of one key share a single generation', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const generate = async () => {
      calls++;
      await gate;
      return asset('one generation');
    };
    const results = Promise.all(Array.from({ length: 100 }, () => cache.getOrGenerate(outro, generate)));
    release();
    const all = await results;
    expect(calls).toBe(1);
    expect(new Set(all.map((r) => text(r.bytes)))).toEqual(new Set(['one generation']));
    expect(new Set(all.map((r) => r.entry.key)).size).toBe(1);
    const stats = await cache.stats();
    expect(stats.session).toEqual({
      hits: 0,
      misses: 1,
      similarHits: 0,
      canonicalHits: 0,
      coalesced: 99,
    });
  });

  it('different keys generate independently', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    let calls = 0;
    const generate = async () => asset(`gen ${++calls}`);
    await Promise.all([
      cache.getOrGenerate(outro, generate),
      cache.getOrGenerate({ ...outro, prompt: 'Like and share' }, generate),
    ]);
    expect(calls).toBe(2);
  });

  it('a generator error reaches the caller, nothing is cached, the next call generates again', async () => {
    const tier = createMapTier();
    const cache = createTieredCache({ tiers: [tier] });
    const boom = new Error('TTS engine crashed');
    await expect(cache.getOrGenerate(outro, async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(tier.blobs.size).toBe(0);
    const result = await cache.getOrGenerate(outro, async () => asset('second try'));
    expect(result.source).toBe('generated');
  });

  it('empty generator output is refused and not cached', async () => {
    const tier = createMapTier();
    const cache = createTieredCache({ tiers: [tier] });
    const error = await cache.getOrGenerate(outro, async () => asset('')).catch((reason: unknown) => reason);
    expect(isTiercacheError(error, 'E_EMPTY_CONTENT')).toBe(true);
    expect(tier.blobs.size).toBe(0);
  });

  it.each(['get', 'put'])(
    'a tier whose %s hangs times out, is reported, and the generation still returns',
    async (operation) => {
      const tier = createMapTier('stuck');
      const cache = createTieredCache({ tiers: [tier], tierTimeoutMs: 50 });
      // A read is only attempted for an indexed entry.
      if (operation === 'get')
        await cache.put(outro, new TextEncoder().encode('stored'), {
          mediaType: 'audio/wav',
          extension: 'wav',
        });
      tier.faults.hangOn.add(operation);
      const seen = recordEvents(cache);
      const result = await cache.getOrGenerate(outro, async () => asset('fresh'));
      expect(text(result.bytes)).toBe('fresh');
      expect(result.source).toBe('generated');
      expect(seen.error.map((e) => [e.tier, e.error.code])).toContainEqual(['stuck', 'E_TIER_TIMEOUT']);
      // An unreachable tier is not proof that the blob is gone: the entry stays.
      if (operation === 'get') expect(cache.index.stats().entries).toBe(1);
    },
  );

  it('a throwing tier is skipped: the healthy tier still serves and stores', async () => {
    const broken = createMapTier('broken');
    const healthy = createMapTier('healthy');
    broken.faults.throwOn.add('get');
    broken.faults.throwOn.add('put');
    const cache = createTieredCache({ tiers: [broken, healthy] });
    const seen = recordEvents(cache);
    const generated = await cache.getOrGenerate(outro, async () => asset('fresh'));
    expect(generated.cached).toBe(true);
    const hit = await cache.getOrGenerate(outro, async () => asset('never'));
    expect(hit).toMatchObject({ source: 'exact', tier: 'healthy' });
    expect(seen.error.every((e) => e.error.code === 'E_TIER_UNAVAILABLE' && e.tier === 'broken')).toBe(true);
    expect((await cache.stats()).tiers.broken?.errors).toBeGreaterThanOrEqual(2);
  });

  it('when every tier fails to store, the caller still gets its bytes and no entry is indexed', async () => {
    const tier = createMapTier();
    tier.faults.throwOn.add('put');
    const cache = createTieredCache({ tiers: [tier] });
    const result = await cache.getOrGenerate(outro, async () => asset('fresh'));
    expect(result).toMatchObject({ source: 'generated', cached: false });
    expect(cache.index.stats().entries).toBe(0);
  });

  it('a throwing index is reported and treated as a miss; generation still returns', async () => {
    const index = failingIndex(createMemoryIndex(), new Set(['get', 'insert', 'touch']));
    const cache = createTieredCache({ tiers: [createMapTier()], index });
    const seen = recordEvents(cache);
    const result = await cache.getOrGenerate(outro, async () => asset('fresh'));
    expect(result).toMatchObject({ source: 'generated', cached: false });
    expect(seen.error.some((e) => e.error.code === 'E_INDEX_UNAVAILABLE')).toBe(true);
  });

  it('a per-tier timeout overrides the default for that tier only', async () => {
    const stuck = createMapTier('stuck');
    const cache = createTieredCache({
      tiers: [stuck, createMapTier('healthy')],
      tierTimeoutMs: 600_000,
      tierTimeouts: { stuck: 20 },
    });
    const seen = recordEvents(cache);
    stuck.faults.hangOn.add('put');
    const result = await cache.getOrGenerate(outro, async () => asset('fresh'));
    expect(result.cached).toBe(true);
    expect(seen.error.map((e) => e.error.context.timeoutMs)).toEqual([20]);
  });

  it('a throwing matcher is reported and the next matcher still runs', async () => {
    const broken = {
      name: 'broken',
      find: () => {
        throw new Error('matcher bug');
      },
    };
    const cache = createTieredCache({ tiers: [createMapTier()], matchers: [broken, exactMatcher()] });
    const seen = recordEvents(cache);
    await cache.put(outro, new TextEncoder().encode('wav'), { mediaType: 'audio/wav', extension: 'wav' });
    expect((await cache.get(outro))?.kind).toBe('exact');
    expect(seen.error[0]).toMatchObject({ operation: 'match:broken' });
  });

  it('waits for the process holding the claim and serves the entry it stores', async () => {
    const shared = createMemoryIndex();
    const tier = createMapTier();
    // Another process holds the claim for this key; it stores its entry a little later.
    const claimedElsewhere = Object.assign(Object.create(shared) as typeof shared, {
      claimGeneration: () => false,
      releaseGeneration: () => undefined,
    });
    const other = createTieredCache({ tiers: [tier], index: shared });
    const cache = createTieredCache({ tiers: [tier], index: claimedElsewhere });
    setTimeout(
      () =>
        void other.put(outro, new TextEncoder().encode('theirs'), {
          mediaType: 'audio/wav',
          extension: 'wav',
        }),
      30,
    );
    const result = await cache.getOrGenerate(outro, async () => asset('mine'));
    expect(result).toMatchObject({ source: 'exact', cached: true });
    expect(text(result.bytes)).toBe('theirs');
    expect((await cache.stats()).session).toMatchObject({ misses: 1, coalesced: 1 });
  });

  it('generates anyway when claiming fails', async () => {
    const index = Object.assign(Object.create(createMemoryIndex()) as ReturnType<typeof createMemoryIndex>, {
      claimGeneration: () => {
        throw new Error('database is locked');
      },
    });
    const cache = createTieredCache({ tiers: [createMapTier()], index });
    const seen = recordEvents(cache);
    expect((await cache.getOrGenerate(outro, async () => asset('fresh'))).source).toBe('generated');
    expect(seen.error.map((e) => e.operation)).toContain('claimGeneration');
  });

  it('a tier that recovers is used again', async () => {
    const tier = createMapTier();
    const cache = createTieredCache({ tiers: [tier], tierTimeoutMs: 50 });
    tier.faults.throwOn.add('get');
    await cache.getOrGenerate(outro, async () => asset('fresh'));
    tier.faults.throwOn.clear();
    expect((await cache.getOrGenerate(outro, async () => asset('never'))).source).toBe('exact');
  });
});

describe('stats, events and options', () => {
  it('reports session, index, tier and savings figures', async () => {
    const cache = createTieredCache({ tiers: [createMapTier('l1')] });
    const gen = (cost: number) => async () => asset('wav', { generationCost: cost, generationMs: 5000 });
    await cache.getOrGenerate(outro, gen(0.02));
    await cache.getOrGenerate(outro, gen(0.02));
    await cache.getOrGenerate(outro, gen(0.02));
    await cache.getOrGenerate({ type: 'image', prompt: 'lake' }, gen(0.04));
    const stats = await cache.stats();
    expect(stats.session).toEqual({
      hits: 2,
      misses: 2,
      similarHits: 0,
      canonicalHits: 0,
      coalesced: 0,
    });
    expect(stats.hitRate).toBe(0.5);
    expect(stats.index.entries).toBe(2);
    expect(stats.index.byType.tts).toEqual({
      entries: 1,
      uses: 3,
      bytes: 3,
      contentBytes: 3,
    });
    expect(stats.index.dedupSavedBytes).toBe(0);
    expect(stats.index.byType.image).toMatchObject({ entries: 1, uses: 1 });
    expect(stats.tiers.l1).toEqual({ hits: 2, errors: 0, entries: 2, bytes: 6 });
    expect(stats.saved).toEqual({ generations: 2, generationMs: 10_000, generationCost: 0.04 });
  });

  it('emits typed hit, miss and store events', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    const seen = recordEvents(cache);
    await cache.getOrGenerate(outro, async () => asset('wav'));
    await cache.get(outro);
    expect(seen.miss).toHaveLength(1);
    expect(seen.store).toHaveLength(1);
    expect(seen.store[0]).toMatchObject({ tiers: ['map'], inserted: true });
    expect(seen.hit[0]).toMatchObject({ type: 'tts', kind: 'exact', tier: 'map' });
  });

  it('a throwing event listener does not break the cache', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    cache.on('miss', () => {
      throw new Error('listener bug');
    });
    expect((await cache.getOrGenerate(outro, async () => asset('wav'))).source).toBe('generated');
  });

  it.each([
    ['no tiers', { tiers: [] }, 'tiers'],
    ['duplicate tier names', { tiers: [createMapTier('a'), createMapTier('a')] }, 'tiers[1].name'],
    ['a zero timeout', { tiers: [createMapTier()], tierTimeoutMs: 0 }, 'tierTimeoutMs'],
    [
      'a timeout for an unknown tier',
      { tiers: [createMapTier()], tierTimeouts: { s3: 10 } },
      'tierTimeouts.s3',
    ],
    ['a negative ttl', { tiers: [createMapTier()], ttlMs: -5 }, 'ttlMs'],
    ['an empty matcher list', { tiers: [createMapTier()], matchers: [] }, 'matchers'],
  ])('rejects %s at construction, naming the option', (_, options, field) => {
    let error: unknown;
    try {
      createTieredCache(options as Parameters<typeof createTieredCache>[0]);
    } catch (caught) {
      error = caught;
    }
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
    expect((error as Error).message).toContain(`option ${field}`);
  });

  it('refuses work after close with E_CLOSED', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    await cache.close();
    const error = await cache.get(outro).catch((reason: unknown) => reason);
    expect(isTiercacheError(error, 'E_CLOSED')).toBe(true);
  });
});
