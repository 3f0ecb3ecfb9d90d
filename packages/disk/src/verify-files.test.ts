import { readdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Entry, isTiercacheError } from '@tiercache/core';
import { blobPath, sameBlob } from '@tiercache/core/kit';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { flipByte, useTempDir } from '@tiercache/test-support/temp-dir';
import { describe, expect, it } from 'vitest';
import type { DiskVerifyOptions } from './disk-context.js';
import { createDiskTier } from './disk-tier.js';

describe('disk tier: verify', () => {
  const dir = useTempDir();

  async function scenario() {
    const tier = createDiskTier({ dir: dir.path });
    const blobs = [1, 2, 3, 4, 5].map((seed) => sampleBytes(2000 + seed, seed));
    const entries = blobs.map((bytes, i) => sampleEntry(bytes, { type: i % 2 ? 'tts' : 'image' }));
    for (const [i, entry] of entries.entries()) await tier.put(entry, blobs[i]!);
    const [good, flipped, truncated, orphan, gone] = entries as [Entry, Entry, Entry, Entry, Entry];
    await flipByte(join(dir.path, blobPath(flipped)), 10);
    await writeFile(join(dir.path, blobPath(truncated)), 'short');
    await tier.delete(gone);
    const stale = join(dir.path, dirname(blobPath(good)), `.${'b'.repeat(64)}.00000000deadbeef.tmp`);
    await writeFile(stale, 'crashed');
    await utimes(stale, new Date(0), new Date(0));
    await writeFile(join(dir.path, 'cache.db'), 'not ours');
    const index = [good, flipped, truncated, gone];
    const options: DiskVerifyOptions = {
      references: (ref) => index.filter((entry) => sameBlob(entry, ref)).length,
      orphanMinAgeMs: 0,
      expected: index,
    };
    return { tier, good, orphan, gone, options };
  }

  it('counts good, corrupt, orphaned and missing blobs without changing anything', async () => {
    const { tier, gone, options } = await scenario();
    const missing: Entry[] = [];
    const result = await tier.verify({ ...options, onMissing: (entry) => missing.push(entry) });
    // Each expected entry once: the two with a corrupt file are not also missing.
    expect(result).toEqual({
      good: 1,
      corrupt: 2,
      corruptEntries: 2,
      orphaned: 1,
      missing: 1,
      repaired: 0,
      tempFilesRemoved: 1,
    });
    // Every entry without an intact file is offered for dropping, the corrupt ones too.
    expect(missing).toHaveLength(3);
    expect(missing.map((entry) => entry.key)).toContain(gone.key);
    expect(await tier.usage()).toMatchObject({ entries: 4 });
  });

  it('with repair, deletes corrupt and orphaned files and keeps good ones and foreign files', async () => {
    const { tier, good, orphan, options } = await scenario();
    const result = await tier.verify({ ...options, repair: true });
    expect(result).toMatchObject({ good: 1, corrupt: 2, orphaned: 1, repaired: 3 });
    expect(await tier.has(good)).toBe(true);
    expect(await tier.has(orphan)).toBe(false);
    expect(await tier.usage()).toMatchObject({ entries: 1 });
    expect(await readdir(dir.path)).toContain('cache.db');
    const again = await tier.verify({ references: options.references, orphanMinAgeMs: 0 });
    expect(again).toEqual({ good: 1, corrupt: 0, orphaned: 0, repaired: 0, tempFilesRemoved: 0 });
  });

  it('treats a file whose extension differs from its entry as an orphan', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(100);
    const entry = sampleEntry(bytes, { extension: 'png' });
    await tier.put(entry, bytes);
    const referenced = { ...entry, extension: 'jpg' };
    const result = await tier.verify({
      references: (ref) => (sameBlob(ref, referenced) ? 1 : 0),
      orphanMinAgeMs: 0,
    });
    expect(result).toMatchObject({ good: 0, orphaned: 1 });
  });

  it('leaves a young unreferenced blob alone: its index row may be on its way', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(100, 9);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    const result = await tier.verify({ references: () => 0, repair: true });
    expect(result).toMatchObject({ orphaned: 0, repaired: 0 });
    expect(await tier.has(entry)).toBe(true);
    const error = await tier.verify({ references: () => 0, orphanMinAgeMs: -1 }).catch((e: unknown) => e);
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
  });

  it('needs a references function', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const error = await tier.verify({} as DiskVerifyOptions).catch((e: unknown) => e);
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
    expect((error as Error).message).toMatch(
      /^@tiercache\/disk: option references .*a references\(ref\) function/,
    );
    const typo = await tier
      .verify({ references: () => 1, repairs: true } as DiskVerifyOptions)
      .catch((e) => e);
    expect((typo as Error).message).toBe('@tiercache/disk: unknown option repairs (did you mean repair?)');
  });
});
