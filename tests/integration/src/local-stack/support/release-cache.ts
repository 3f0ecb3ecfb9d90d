// Writes a cache folder exactly as release 0.1 (before content addressing) left it: the SQLite
// index at schema version 2 and one blob file per request key, `<type>/<requestKey>.<ext>`.
// The DDL is copied from that release's `schema.ts`, so the fixture does not follow later changes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AssetRequest, deriveKey, type Entry, hashContent } from '@tiercache/core';
import { sampleEntry } from '@tiercache/test-suite';
import Database from 'better-sqlite3';

const RELEASE_2_SCHEMA = [
  `CREATE TABLE cache_entries (
    id INTEGER PRIMARY KEY,
    asset_type TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    prompt_text TEXT NOT NULL,
    file_path TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    use_count INTEGER NOT NULL DEFAULT 1,
    params TEXT NOT NULL DEFAULT '{}',
    params_hash TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    extension TEXT NOT NULL,
    expires_at INTEGER,
    generation_cost REAL,
    generation_ms REAL,
    UNIQUE (asset_type, prompt_hash)
  )`,
  'CREATE INDEX cache_entries_partition ON cache_entries (asset_type, params_hash)',
  'CREATE INDEX cache_entries_lru ON cache_entries (last_used_at, created_at, prompt_hash, asset_type)',
  'CREATE INDEX cache_entries_expiry ON cache_entries (expires_at) WHERE expires_at IS NOT NULL',
  'CREATE TABLE tiercache_meta (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL)',
  'INSERT INTO tiercache_meta (id, revision) VALUES (1, 0)',
  `CREATE TABLE generation_claims (
    asset_type TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    owner TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (asset_type, prompt_hash)
  ) WITHOUT ROWID`,
];

export interface ReleaseAsset {
  request: AssetRequest;
  bytes: Uint8Array;
  extension: string;
}

/** Writes the folder; resolves the entries as that release recorded them. */
export async function writeRelease2Cache(dir: string, assets: ReleaseAsset[]): Promise<Entry[]> {
  await mkdir(dir, { recursive: true });
  const db = new Database(join(dir, 'cache.db'));
  db.pragma('journal_mode = WAL');
  for (const statement of RELEASE_2_SCHEMA) db.exec(statement);
  db.pragma('user_version = 2');
  const insert = db.prepare(`INSERT INTO cache_entries
    (asset_type, prompt_hash, prompt_text, file_path, metadata, created_at, last_used_at, use_count,
     params, params_hash, content_hash, size, media_type, extension, expires_at, generation_cost, generation_ms)
    VALUES (?, ?, ?, ?, '{}', ?, ?, 1, ?, ?, ?, ?, ?, ?, NULL, NULL, 12)`);
  const entries: Entry[] = [];
  for (const [i, { request, bytes, extension }] of assets.entries()) {
    const key = deriveKey(request);
    const name = extension ? `${key.key}.${extension}` : key.key;
    const at = 1_700_000_000_000 + i;
    const mediaType = extension === 'wav' ? 'audio/wav' : 'image/png';
    const contentHash = hashContent(bytes);
    await mkdir(join(dir, key.type), { recursive: true });
    await writeFile(join(dir, key.type, name), bytes);
    insert.run(
      key.type,
      key.key,
      key.prompt,
      `${key.type}/${name}`,
      at,
      at,
      key.canonicalParams,
      key.paramsHash,
      contentHash,
      bytes.length,
      mediaType,
      extension,
    );
    entries.push(
      sampleEntry(bytes, {
        type: key.type,
        key: key.key,
        prompt: key.prompt,
        params: key.canonicalParams,
        paramsHash: key.paramsHash,
        mediaType,
        extension,
        createdAt: at,
        lastUsedAt: at,
        generationMs: 12,
      }),
    );
  }
  db.close();
  return entries;
}
