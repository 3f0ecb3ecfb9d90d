// Racing writers of one request (a generator without a seed run twice): the index decides,
// and no tier ever serves the loser's bytes under the winner's entry.
import { join } from 'node:path';
import { type AssetRequest, hashContent, type TieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';
import { sampleBytes } from '@tiercache/test-suite';
import { useTempDir } from '@tiercache/test-support/temp-dir';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStack } from './support/open-local-stack.mjs';

const TRIALS = 200;
const request = (i: number): AssetRequest => ({
  type: 'image',
  prompt: `a lake, take ${i}`,
  params: { seed: null },
});
const PNG = { mediaType: 'image/png', extension: 'png' };

describe('racing writers of one request, memory + disk + SQLite', () => {
  const dir = useTempDir('tiercache-race-');
  const open: TieredCache[] = [];
  const stack = () => {
    const cache = openLocalStack(dir.path);
    open.push(cache);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });

  it(`${TRIALS} trials: every hit is its entry's bytes, before and after a restart, and verify removes the losers`, async () => {
    // Two writers in one process (one stack) and two stacks on one folder, as two processes.
    const one = stack();
    const other = stack();
    const winners: string[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const first = sampleBytes(2048, 2 * i + 1);
      const second = sampleBytes(2048, 2 * i + 2);
      const [writerA, writerB] = i % 2 ? [one, one] : [one, other];
      const [a, b] = await Promise.all([
        writerA.put(request(i), first, PNG),
        writerB.put(request(i), second, PNG),
      ]);
      expect(a.contentHash).toBe(b.contentHash); // both callers learn the one winner
      expect([hashContent(first), hashContent(second)]).toContain(a.contentHash);
      winners.push(a.contentHash);
    }
    let wrong = 0;
    for (const cache of [one, other]) {
      for (let i = 0; i < TRIALS; i++) {
        const hit = await cache.get(request(i));
        if (!hit || hashContent(hit.bytes) !== hit.entry.contentHash || hit.entry.contentHash !== winners[i])
          wrong++;
      }
      await cache.idle(); // backfills into memory
    }
    expect(wrong).toBe(0);
    await Promise.all(open.splice(0).map((cache) => cache.close()));

    // A restart: a fresh process finds every request, with its winner's bytes.
    const restarted = stack();
    let lost = 0;
    for (let i = 0; i < TRIALS; i++) {
      const hit = await restarted.get(request(i));
      if (!hit) lost++;
      else if (hashContent(hit.bytes) !== winners[i] || hit.entry.contentHash !== winners[i]) wrong++;
    }
    expect({ lost, wrong }).toEqual({ lost: 0, wrong: 0 });

    // The losers' blobs are garbage that verify finds and removes; the winners stay.
    const index = openSqliteIndex({ file: join(dir.path, 'cache.db') });
    const disk = createDiskTier({ dir: dir.path });
    const references = (ref: Parameters<NonNullable<typeof index.blobReferences>>[0]) =>
      index.blobReferences(ref);
    expect(await disk.verify({ references, orphanMinAgeMs: 0, repair: true })).toMatchObject({
      good: TRIALS,
      corrupt: 0,
      orphaned: TRIALS,
    });
    index.close();
    for (let i = 0; i < TRIALS; i++)
      expect(hashContent((await restarted.get(request(i)))!.bytes)).toBe(winners[i]);
  });

  it('the memory tier never serves bytes of another content, and a hit cannot change it', async () => {
    const memory = createMemoryTier({ maxBytes: 1024 * 1024 });
    const cache = openLocalStack(dir.path, { tiers: [memory, createDiskTier({ dir: dir.path })] });
    open.push(cache);
    const [a, b] = await Promise.all([
      cache.put(request(1), sampleBytes(500, 1), PNG),
      cache.put(request(1), sampleBytes(500, 2), PNG),
    ]);
    expect(a).toEqual(b);
    const hit = await cache.get(request(1));
    expect(hit?.tier).toBe('memory');
    hit!.bytes.fill(0); // the caller's own copy
    const again = await cache.get(request(1));
    expect(hashContent(again!.bytes)).toBe(a.contentHash);
  });
});
