import { createHash, randomBytes } from 'node:crypto';
import { constants, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { copyFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTieredCache } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { createDiskTier } from '@tiercache/disk';
import { openSqliteIndex } from '@tiercache/sqlite';
import Database from 'better-sqlite3';
import { compare } from './harness.js';

const SIZES = [200 * 1024, 2 * 1024 * 1024];
const PROMPTS = 50;

/**
 * An L2 hit delivered as the caller's own new file, the way the media pipeline uses it:
 * TieredCache.getFile over the SQLite index and the disk tier (index lookup, verified
 * materialize, touch), against a bare copyFile of the same cached file, and against the
 * original design (SHA-256 of the prompt, SELECT the row, copy the file, UPDATE use_count).
 *
 * Every contender writes over the file it wrote in the previous round. Three bare copies,
 * because on Linux the kind of copy matters more than the flag: copyFile over an existing
 * file truncates it, and ext4 (auto_da_alloc) then starts writeback on close; with FICLONE
 * (as materialize asks, a clone on btrfs/XFS, a plain copy on ext4); and the old file
 * removed and a new one created exclusively, which is the copy materialize makes.
 */
export async function benchL2FileHit(): Promise<void> {
  for (const size of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'tiercache-bench-l2-'));
    try {
      await benchSize(dir, size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function benchSize(dir: string, size: number): Promise<void> {
  const cacheDir = join(dir, 'cache');
  const out = join(dir, 'out');
  const cache = createTieredCache({
    index: openSqliteIndex({ file: join(cacheDir, 'cache.db') }),
    tiers: [createDiskTier({ dir: cacheDir })],
  });
  const requests = Array.from({ length: PROMPTS }, (_, i) => ({
    type: 'image',
    prompt: `a lighthouse on a cliff at dusk, variation ${i}, cinematic, 4k`,
    params: { model: 'flux-schnell', width: 1024, height: 1024 },
  }));
  const files: string[] = [];
  for (const request of requests) {
    const entry = await cache.put(request, randomBytes(size), { mediaType: 'image/png', extension: 'png' });
    files.push(join(cacheDir, blobPath(entry)));
  }

  // The original design's table and statements, on its own database beside the cache.
  const original = new Database(join(dir, 'original.db'));
  original.pragma('journal_mode = WAL');
  original.exec(`CREATE TABLE cache_entries (id INTEGER PRIMARY KEY, asset_type TEXT NOT NULL, prompt_hash TEXT NOT NULL,
    prompt_text TEXT NOT NULL, file_path TEXT NOT NULL, metadata TEXT, created_at TEXT, last_used_at TEXT,
    use_count INTEGER DEFAULT 1, UNIQUE(asset_type, prompt_hash))`);
  const insert = original.prepare(
    'INSERT INTO cache_entries (asset_type, prompt_hash, prompt_text, file_path, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const hashOf = (prompt: string) => createHash('sha256').update(prompt).digest('hex');
  requests.forEach((request, i) => {
    insert.run('image', hashOf(request.prompt), request.prompt, files[i], new Date().toISOString());
  });
  const select = original.prepare('SELECT * FROM cache_entries WHERE asset_type = ? AND prompt_hash = ?');
  const update = original.prepare(
    'UPDATE cache_entries SET use_count = use_count + 1, last_used_at = ? WHERE id = ?',
  );

  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  const CLONE = constants.COPYFILE_FICLONE;
  const label = size >= 1024 * 1024 ? `${size / 1024 / 1024} MB` : `${size / 1024} KB`;
  await compare(
    `L2 hit delivered as a new file, ${label} blobs (SQLite index + disk tier)`,
    [
      { name: 'bare copyFile of the cached file', run: () => copyFile(files[a++ % PROMPTS]!, `${out}-a`) },
      {
        name: 'bare copyFile, COPYFILE_FICLONE',
        run: () => copyFile(files[d++ % PROMPTS]!, `${out}-d`, CLONE),
      },
      {
        name: 'bare copy to a new file (unlink, then FICLONE + EXCL)',
        run: async () => {
          await unlink(`${out}-e`).catch(() => undefined);
          await copyFile(files[e++ % PROMPTS]!, `${out}-e`, CLONE | constants.COPYFILE_EXCL);
        },
      },
      {
        name: 'TieredCache.getFile (lookup + verified materialize + touch)',
        run: () => cache.getFile(requests[b++ % PROMPTS]!, `${out}-b`),
      },
      {
        name: 'original design (hash, SELECT, copy, UPDATE)',
        run: () => {
          const request = requests[c++ % PROMPTS]!;
          const row = select.get('image', hashOf(request.prompt)) as { id: number; file_path: string };
          copyFileSync(row.file_path, `${out}-c`);
          update.run(new Date().toISOString(), row.id);
        },
      },
    ],
    { samples: 300, warmup: 30 },
  );
  original.close();
  await cache.close();
}
