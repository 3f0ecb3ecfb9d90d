import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTiercacheError } from './errors.js';
import { asset, PNG, text } from './test-support/fixtures.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

const lake = {
  type: 'image',
  prompt: 'a calm lake at sunrise, 4k',
  params: { model: 'flux', size: '1024x1024' },
};

describe('TieredCache.getFile', () => {
  const withFolder = async (run: (folder: string) => Promise<void>) => {
    const folder = await mkdtemp(join(tmpdir(), 'tiercache-core-'));
    try {
      await run(folder);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };

  it('delivers a file through a materializing tier and backfills the tier above from it', () =>
    withFolder(async (folder) => {
      const upper = createMapTier('upper');
      const lower = createMapTier('lower', 'by-cache', { materialize: true });
      const cache = createTieredCache({ tiers: [upper, lower] });
      await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
      upper.blobs.clear();
      const target = join(folder, 'out.png');
      const hit = await cache.getFile(lake, target);
      expect(hit).toMatchObject({ kind: 'exact', tier: 'lower', path: target });
      expect(lower.calls).toContain('materialize');
      expect(await readFile(target, 'utf8')).toBe('pixels');
      await cache.idle();
      expect(text(upper.blobs.values().next().value!)).toBe('pixels');
      await writeFile(target, 'edited by the caller');
      expect(text((await cache.get(lake))!.bytes)).toBe('pixels');
    }));

  it('writes bytes from a tier that cannot materialize, and misses like get', () =>
    withFolder(async (folder) => {
      const cache = createTieredCache({ tiers: [createMapTier()] });
      expect(await cache.getFile(lake, join(folder, 'a.png'))).toBeUndefined();
      await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
      const hit = await cache.getFile(lake, join(folder, 'b.png'));
      expect(hit?.tier).toBe('map');
      expect(await readFile(join(folder, 'b.png'), 'utf8')).toBe('pixels');
      expect((await cache.stats()).session).toMatchObject({ hits: 1, misses: 1 });
    }));

  it('skips a corrupt copy and delivers the intact one below', () =>
    withFolder(async (folder) => {
      const upper = createMapTier('upper', 'by-cache');
      const lower = createMapTier('lower', 'by-cache');
      const cache = createTieredCache({ tiers: [upper, lower] });
      await cache.put(lake, new TextEncoder().encode('pixels'), PNG);
      const [id] = upper.blobs.keys();
      upper.blobs.set(id!, new TextEncoder().encode('pixelz'));
      const hit = await cache.getFile(lake, join(folder, 'c.png'));
      expect(hit?.tier).toBe('lower');
      expect(await readFile(join(folder, 'c.png'), 'utf8')).toBe('pixels');
    }));
});

describe('TieredCache.getOrGenerateFile', () => {
  it('generates into the caller file, then serves hits as files; concurrent callers share one generation', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tiercache-core-'));
    try {
      const cache = createTieredCache({
        tiers: [createMapTier('disk-like', 'by-cache', { materialize: true })],
      });
      let generations = 0;
      const generate = async () => {
        generations++;
        return asset('pixels');
      };
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          cache.getOrGenerateFile(lake, join(folder, `gen-${i}.png`), generate),
        ),
      );
      expect(generations).toBe(1);
      for (const [i, result] of results.entries()) {
        expect(result.path).toBe(join(folder, `gen-${i}.png`));
        expect(await readFile(result.path, 'utf8')).toBe('pixels');
      }
      const hit = await cache.getOrGenerateFile(lake, join(folder, 'hit.png'), generate);
      expect(hit).toMatchObject({ source: 'exact', tier: 'disk-like', cached: true });
      expect(await readFile(hit.path, 'utf8')).toBe('pixels');
      expect(generations).toBe(1);
      const named = await cache.getOrGenerateFile(
        lake,
        (entry) => join(folder, `named.${entry.extension}`),
        generate,
      );
      expect(named.path).toBe(join(folder, 'named.png'));
      expect(await readFile(named.path, 'utf8')).toBe('pixels');
      const fresh = await cache.getOrGenerateFile(
        { ...lake, prompt: 'new' },
        (entry) => join(folder, `${entry.key}.${entry.extension}`),
        generate,
      );
      expect(fresh).toMatchObject({ source: 'generated', path: join(folder, `${fresh.entry.key}.png`) });
      const error = await cache.getOrGenerateFile(lake, '', generate).catch((reason: unknown) => reason);
      expect(isTiercacheError(error, 'E_INVALID_DESTINATION')).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
