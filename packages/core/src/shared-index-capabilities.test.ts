import { describe, expect, it } from 'vitest';
import type { EntryIndex } from './contracts/entry-index.js';
import { createMemoryIndex } from './memory-index.js';
import { asset, text } from './test-support/fixtures.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

const intro = { type: 'tts', prompt: 'Welcome back to the channel', params: { voice: 'en-us' } };

/**
 * A replica whose shared store is another index, as `@tiercache/postgres` keeps one: its own
 * entries live locally; `lookupShared` and `claimSharedGeneration` are the async round trips.
 */
function replicaOf(store: EntryIndex, claims: Map<string, string>, owner: string): EntryIndex {
  const local = createMemoryIndex();
  return Object.assign(Object.create(local) as EntryIndex, {
    insert: (entry: Parameters<EntryIndex['insert']>[0]) => {
      store.insert(entry);
      return local.insert(entry);
    },
    async claimSharedGeneration(type: string, key: string) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const id = `${type}/${key}`;
      const stored = store.get(type, key);
      if (stored) {
        // Refused because the entry exists: the replica learns it, as a change feed would tell it.
        if (!local.get(type, key)) local.insert(stored);
        return false;
      }
      if (claims.has(id) && claims.get(id) !== owner) return false;
      claims.set(id, owner);
      return true;
    },
    releaseGeneration(type: string, key: string) {
      if (claims.get(`${type}/${key}`) === owner) claims.delete(`${type}/${key}`);
    },
    async lookupShared(type: string, key: string) {
      const entry = store.get(type, key);
      return entry && !local.get(type, key) ? local.insert(entry) : entry;
    },
  });
}

describe('indexes with asynchronous shared capabilities', () => {
  it('claims through claimSharedGeneration: machines sharing a store generate once', async () => {
    const store = createMemoryIndex();
    const claims = new Map<string, string>();
    const tier = createMapTier();
    const caches = ['a', 'b', 'c'].map((owner) =>
      createTieredCache({ tiers: [tier], index: replicaOf(store, claims, owner) }),
    );
    let calls = 0;
    const generate = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return asset('one clip');
    };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => caches[i % 3]!.getOrGenerate(intro, generate)),
    );
    expect(calls).toBe(1);
    expect(results.every((result) => text(result.bytes) === 'one clip')).toBe(true);
  });

  it('asks lookupShared on an exact-key miss and serves what another machine stored', async () => {
    const store = createMemoryIndex();
    const claims = new Map<string, string>();
    const tier = createMapTier();
    const a = createTieredCache({ tiers: [tier], index: replicaOf(store, claims, 'a') });
    const b = createTieredCache({ tiers: [tier], index: replicaOf(store, claims, 'b') });
    await a.getOrGenerate(intro, async () => asset('from a'));
    const hit = await b.get(intro);
    expect(hit).toMatchObject({ kind: 'exact' });
    expect(text(hit!.bytes)).toBe('from a');
  });

  it('generates when claimSharedGeneration rejects or lookupShared rejects', async () => {
    const index = Object.assign(Object.create(createMemoryIndex()) as EntryIndex, {
      claimSharedGeneration: () => Promise.reject(new Error('connection refused')),
      lookupShared: () => Promise.reject(new Error('connection refused')),
    });
    const cache = createTieredCache({ tiers: [createMapTier()], index });
    expect((await cache.getOrGenerate(intro, async () => asset('fresh'))).source).toBe('generated');
  });
});
