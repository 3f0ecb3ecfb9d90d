// Migration in place of a cache written by release 0.1 (per-key blob files, index schema 2).
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashContent } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { createDiskTier } from '@tiercache/disk';
import { sampleBytes } from '@tiercache/test-suite';
import { useTempDir } from '@tiercache/test-support/temp-dir';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStack } from './support/open-local-stack.mjs';
import { type ReleaseAsset, writeRelease2Cache } from './support/release-cache.js';

const shared = sampleBytes(3000, 1);
const ASSETS: ReleaseAsset[] = [
  {
    request: { type: 'tts', prompt: 'Welcome back', params: { voice: 'en-us' } },
    bytes: sampleBytes(2000, 2),
    extension: 'wav',
  },
  // Identical content under two keys: one blob after the migration.
  {
    request: { type: 'image', prompt: 'a calm lake', params: { model: 'flux' } },
    bytes: shared,
    extension: 'png',
  },
  {
    request: { type: 'image', prompt: 'a calm lake', params: { model: 'sdxl' } },
    bytes: shared,
    extension: 'png',
  },
  { request: { type: 'image', prompt: 'raw bytes', params: {} }, bytes: sampleBytes(100, 3), extension: '' },
];

describe('migrating a cache written by release 0.1', () => {
  const dir = useTempDir('tiercache-migrate-');
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });

  it('moves blobs to content-addressed names and serves every old entry with its bytes', async () => {
    const entries = await writeRelease2Cache(dir.path, ASSETS);
    await writeFile(join(dir.path, 'image', 'notes.txt'), 'not ours'); // a foreign file stays
    const cache = openLocalStack(dir.path);
    open.push(cache);
    for (const [i, asset] of ASSETS.entries()) {
      const hit = await cache.get(asset.request);
      // Asset 2 has asset 1's content, which the first hit copied into memory.
      expect(hit?.tier, `asset ${i}`).toBe(i === 2 ? 'memory' : 'disk');
      expect(hashContent(hit!.bytes)).toBe(entries[i]!.contentHash);
      expect(hit!.entry.key).toBe(entries[i]!.key);
      await cache.idle(); // the backfill into memory has run
    }
    // No per-key file is left; identical content is one file.
    expect((await readdir(join(dir.path, 'image'))).sort()).toEqual(
      [...new Set(entries.slice(1).map((entry) => blobPath(entry).split('/')[1]))].sort().concat('notes.txt'),
    );
    for (const entry of entries) expect(await readFile(join(dir.path, blobPath(entry)))).toBeDefined();
    const stats = await cache.stats();
    expect(stats.index.dedupSavedBytes).toBe(shared.length);
    // The index was migrated to schema 3 with the new paths.
    const db = new Database(join(dir.path, 'cache.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const paths = db.prepare('SELECT file_path FROM cache_entries ORDER BY id').pluck().all();
    db.close();
    expect(paths).toEqual(entries.map((entry) => blobPath(entry)));
    // Entries written before the migration keep working next to new ones.
    const fresh = await cache.getOrGenerate({ type: 'tts', prompt: 'A new line' }, async () => ({
      bytes: sampleBytes(500, 9),
      mediaType: 'audio/wav',
      extension: 'wav',
    }));
    expect(fresh.source).toBe('generated');
  });

  it('is safe to interrupt: a file under both names is finished by the next run', async () => {
    const [entry] = await writeRelease2Cache(dir.path, ASSETS.slice(0, 1));
    const legacy = join(dir.path, 'tts', `${entry!.key}.wav`);
    // As if a first migration crashed after linking the new name, before removing the old one.
    const first = createDiskTier({ dir: dir.path });
    await first.has(entry!);
    await writeFile(legacy, await readFile(join(dir.path, blobPath(entry!))));
    const old = new Date(Date.now() - 3_600_000);
    await utimes(legacy, old, old);
    const second = createDiskTier({ dir: dir.path });
    expect(await second.get(entry!)).toEqual(ASSETS[0]!.bytes);
    expect(await readdir(join(dir.path, 'tts'))).not.toContain(`${entry!.key}.wav`);
    expect(await second.usage()).toEqual({ entries: 1, bytes: ASSETS[0]!.bytes.length });
  });
});
