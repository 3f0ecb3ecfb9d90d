import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobTier } from './contracts/blob-tier.js';
import { isTiercacheError } from './errors.js';
import { createMemoryIndex } from './memory-index.js';
import { asset, PNG } from './test-support/fixtures.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

const lake = { type: 'image', prompt: 'a calm lake at sunrise', params: { model: 'flux' } };

let folder: string;
let cacheDir: string;
let indexFile: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tiercache-destination-'));
  cacheDir = join(folder, 'cache');
  indexFile = join(cacheDir, 'cache.db');
  await mkdir(join(cacheDir, 'image'), { recursive: true });
  await writeFile(indexFile, 'the live index');
});
afterEach(() => rm(folder, { recursive: true, force: true }));

/** A map tier and an index that declare the cache folder and index file as theirs. */
function ownedCache() {
  const tier: BlobTier = Object.assign(createMapTier('files'), { ownedPaths: () => [cacheDir] });
  const index = Object.assign(createMemoryIndex(), { ownedPaths: () => [indexFile] });
  let generations = 0;
  const cache = createTieredCache({ tiers: [tier], index });
  const generate = async () => {
    generations++;
    return asset('pixels');
  };
  return { cache, generate, generations: () => generations };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isTiercacheError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('destinations are validated before anything is generated', () => {
  const bad: [string, () => string, RegExp][] = [
    ['a NUL byte', () => join(folder, 'a\0b.png'), /contains a NUL byte/],
    ['a folder', () => folder, /is a folder/],
    ['a missing folder', () => join(folder, 'nowhere', 'out.png'), /folder that does not exist/],
    ['the live index', () => indexFile, /inside the cache's own files/],
    ['a blob folder of the cache', () => join(cacheDir, 'image', 'x.png'), /inside the cache's own files/],
    ['the cache folder itself', () => cacheDir, /inside the cache's own files/],
  ];

  for (const [name, path, reason] of bad) {
    it(`getOrGenerateFile refuses ${name} with E_INVALID_DESTINATION and generates nothing`, async () => {
      const { cache, generate, generations } = ownedCache();
      const error = await rejection(cache.getOrGenerateFile(lake, path(), generate));
      expect(error.code).toBe('E_INVALID_DESTINATION');
      expect(error.message).toMatch(/^@tiercache\/core: destination /);
      expect(error.message).toMatch(reason);
      expect(generations()).toBe(0);
      expect(await readFile(indexFile, 'utf8')).toBe('the live index');
    });

    it(`getFile refuses ${name} on a hit, leaving the cache intact`, async () => {
      const { cache } = ownedCache();
      await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
      const error = await rejection(cache.getFile(lake, path()));
      expect(error.code).toBe('E_INVALID_DESTINATION');
      expect(await readFile(indexFile, 'utf8')).toBe('the live index');
    });
  }

  it('a symlink pointing into the cache is judged by its target', async () => {
    const { cache, generate, generations } = ownedCache();
    const link = join(folder, 'innocent.png');
    await symlink(indexFile, link);
    const error = await rejection(cache.getOrGenerateFile(lake, link, generate));
    expect(error.code).toBe('E_INVALID_DESTINATION');
    expect(generations()).toBe(0);
    expect(await readFile(indexFile, 'utf8')).toBe('the live index');
  });

  it('a destination function that picks an owned path is refused before the file is written', async () => {
    const { cache, generate } = ownedCache();
    const error = await rejection(cache.getOrGenerateFile(lake, () => indexFile, generate));
    expect(error.code).toBe('E_INVALID_DESTINATION');
    expect(await readFile(indexFile, 'utf8')).toBe('the live index');
    // The generation was stored: a good destination is served from the cache, not regenerated.
    const good = await cache.getOrGenerateFile(lake, join(folder, 'good.png'), generate);
    expect(good.source).toBe('exact');
  });

  it('a good destination outside the cache is delivered', async () => {
    const { cache, generate } = ownedCache();
    const target = join(folder, 'out.png');
    const result = await cache.getOrGenerateFile(lake, target, generate);
    expect(result.path).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('pixels');
    expect(await cache.ownedPaths()).toContain(indexFile);
  });
});

describe('put info is parsed strictly', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['ttlMs: -5', { ttlMs: -5 }],
    ['ttlMs: 0', { ttlMs: 0 }],
    ['ttlMs: NaN', { ttlMs: Number.NaN }],
    ['ttlMs: Infinity', { ttlMs: Number.POSITIVE_INFINITY }],
    ["extension: ''", { extension: '' }],
  ];
  for (const [name, info] of cases) {
    it(`rejects ${name} naming the field, and stores nothing`, async () => {
      const cache = createTieredCache({ tiers: [createMapTier()] });
      const field = Object.keys(info)[0];
      const error = await rejection(cache.put(lake, new TextEncoder().encode('pixels'), { ...PNG, ...info }));
      expect(error.code).toBe('E_INVALID_REQUEST');
      expect(error.message).toContain(`info.${field}`);
      expect(cache.index.stats().entries).toBe(0);
    });
  }

  it('still accepts a positive TTL and null', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()], now: () => 1000 });
    const entry = await cache.put(lake, new TextEncoder().encode('pixels'), { ...PNG, ttlMs: 5 });
    expect(entry.expiresAt).toBe(1005);
  });
});

describe('a destination on a full disk', () => {
  it('a hit whose file cannot be written is E_DESTINATION_UNWRITABLE, not a tier failure nor a new generation', async () => {
    const tier = createMapTier('files', 'by-cache', { materialize: true });
    const cache = createTieredCache({ tiers: [tier] });
    const errors: string[] = [];
    cache.on('error', (event) => errors.push(event.error.code));
    await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
    const target = join(folder, 'out.png');
    tier.materialize = async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    let generations = 0;
    const error = await rejection(
      cache.getOrGenerateFile(lake, target, async () => {
        generations++;
        return asset('pixels');
      }),
    );
    expect(error.code).toBe('E_DESTINATION_UNWRITABLE');
    expect(error.message).toBe(`@tiercache/core: could not write the destination ${target} (ENOSPC)`);
    expect(generations).toBe(0);
    expect(errors).toEqual([]);
  });
});
