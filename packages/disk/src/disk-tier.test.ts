import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BlobRef, createTieredCache, isTiercacheError } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { createMemoryTier } from '@tiercache/memory';
import { blobTierSuite, sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { flipByte, useTempDir } from '@tiercache/test-support/temp-dir';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiskTier } from './disk-context.js';
import { createDiskTier } from './disk-tier.js';

const folders = new WeakMap<object, string>();
blobTierSuite({
  test: { describe, it, expect, beforeEach, afterEach },
  name: 'disk',
  create: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiercache-disk-suite-'));
    const tier = createDiskTier({ dir });
    folders.set(tier, dir);
    return tier;
  },
  destroy: async (tier) => {
    await rm(folders.get(tier)!, { recursive: true, force: true });
  },
  corrupt: (tier, ref) => flipByte(join(folders.get(tier)!, blobPath(ref))),
  off: { describe: 'a local folder: other machines cannot ask it' },
});

describe('disk tier: layout and ownership', () => {
  const dir = useTempDir();

  it('stores blobs at <dir>/<type>/<2 hex>/<hash>.<ext> (no dot without extension) and a record per key', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(64);
    const withExt = sampleEntry(bytes, { type: 'tts', extension: 'wav' });
    const without = sampleEntry(bytes, { type: 'tts', extension: '' });
    await tier.put(withExt, bytes);
    await tier.put(without, bytes);
    const hash = withExt.contentHash;
    expect((await readdir(join(dir.path, 'tts'))).sort()).toEqual([hash.slice(0, 2), 'entries']);
    expect((await readdir(join(dir.path, 'tts', hash.slice(0, 2)))).sort()).toEqual([hash, `${hash}.wav`]);
    expect(new Uint8Array(await readFile(join(dir.path, 'tts', hash.slice(0, 2), `${hash}.wav`)))).toEqual(
      bytes,
    );
    expect((await readdir(join(dir.path, 'tts', 'entries'))).sort()).toEqual(
      [`${withExt.key}.json`, `${without.key}.json`].sort(),
    );
    const record = JSON.parse(
      await readFile(join(dir.path, 'tts', 'entries', `${withExt.key}.json`), 'utf8'),
    );
    expect(record).toEqual(withExt);
  });

  it('clear() removes only blob files it owns, never the index or foreign files', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(64);
    const entry = sampleEntry(bytes, { type: 'image' });
    await tier.put(entry, bytes);
    await writeFile(join(dir.path, 'cache.db'), 'sqlite');
    await writeFile(join(dir.path, 'image', 'notes with spaces.txt'), 'mine');
    await mkdir(join(dir.path, 'Not_A_Type'));
    await writeFile(join(dir.path, 'Not_A_Type', 'abc.bin'), 'mine too');
    await tier.clear();
    expect((await readdir(dir.path)).sort()).toEqual(['Not_A_Type', 'cache.db', 'image']);
    expect(await readdir(join(dir.path, 'image'))).toEqual(['notes with spaces.txt']);
    expect(await readdir(join(dir.path, 'Not_A_Type'))).toEqual(['abc.bin']);
    expect(await tier.usage()).toEqual({ entries: 0, bytes: 0 });
  });

  it('refuses refs that would leave the folder, on materialize and clear too', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const hostile: BlobRef[] = [
      { type: '..', contentHash: 'a'.repeat(64), extension: 'bin' },
      { type: 'image', contentHash: '..', extension: '' },
      { type: 'image', contentHash: 'a'.repeat(64), extension: '/../../x' },
    ];
    for (const ref of hostile) {
      const error = await tier.materialize(ref, join(dir.path, 'out')).catch((e: unknown) => e);
      expect(isTiercacheError(error, 'E_INVALID_REF'), JSON.stringify(ref)).toBe(true);
    }
    const error = await tier.clear('../..').catch((e: unknown) => e);
    expect(isTiercacheError(error, 'E_INVALID_REF')).toBe(true);
  });

  it('refuses bytes that do not match their entry (they could never be served)', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(64, 1);
    const entry = sampleEntry(sampleBytes(64, 2));
    const error = await tier.put(entry, bytes).catch((e: unknown) => e);
    expect(isTiercacheError(error, 'E_INVALID_ENTRY')).toBe(true);
    expect(await tier.has(entry)).toBe(false);
  });

  it('reports files another process wrote to the same folder', async () => {
    const writer = createDiskTier({ dir: dir.path });
    const reader = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(1000);
    const entry = sampleEntry(bytes);
    await writer.put(entry, bytes);
    expect(await reader.get(entry)).toEqual(bytes);
    expect(await reader.usage()).toEqual({ entries: 1, bytes: 1000 });
  });
});

describe('disk tier: corruption through TieredCache', () => {
  const dir = useTempDir();

  it('never serves a file with a flipped byte: a miss, and the file is deleted', async () => {
    const disk: DiskTier = createDiskTier({ dir: dir.path });
    const cache = createTieredCache({ tiers: [disk] });
    const errors: string[] = [];
    cache.on('error', ({ error }) => errors.push(error.code));
    const request = { type: 'image', prompt: 'a calm lake at sunrise', params: { model: 'flux' } };
    const bytes = sampleBytes(4096, 3);
    const entry = await cache.put(request, bytes, { mediaType: 'image/png', extension: 'png' });
    const file = join(dir.path, blobPath(entry));
    expect((await cache.get(request))?.tier).toBe('disk');
    await flipByte(file, 100);
    expect(await cache.get(request)).toBeUndefined();
    expect(errors).toContain('E_CORRUPT_BLOB');
    expect(await disk.has(entry)).toBe(false);
    await cache.close();
  });

  it('never promotes a blob whose bytes are not the content it is named by into memory', async () => {
    const memory = createMemoryTier({ maxBytes: 1024 * 1024 });
    const disk = createDiskTier({ dir: dir.path });
    const cache = createTieredCache({ tiers: [memory, disk] });
    const request = { type: 'image', prompt: 'a lighthouse at dusk' };
    const bytes = sampleBytes(4096, 4);
    const entry = await cache.put(request, bytes, { mediaType: 'image/png', extension: 'png' });
    await memory.clear();
    // Another content under this blob's name, same size: only hashing can tell.
    await writeFile(join(dir.path, blobPath(entry)), sampleBytes(4096, 5));
    expect(await cache.get(request)).toBeUndefined();
    await cache.idle();
    expect(await memory.has(entry)).toBe(false);
    expect(await disk.has(entry)).toBe(false);
    await cache.close();
  });
});
