/** The schema version this code writes, stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 4;

/**
 * The original system's table, extended with what an `Entry` needs. Times are integer ms
 * since the epoch. `id` stays the rowid as in the original, so old tooling that reads
 * `cache_entries` keeps working.
 */
export const CREATE_ENTRIES_TABLE = `
CREATE TABLE cache_entries (
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
)`;

/**
 * One index per query shape: similarity partitions, least-recently-used order (the key
 * columns complete the order so eviction never sorts), and expiry (partial: most entries
 * never expire).
 */
export const CREATE_ENTRIES_INDEXES = [
  'CREATE INDEX cache_entries_partition ON cache_entries (asset_type, params_hash)',
  'CREATE INDEX cache_entries_lru ON cache_entries (last_used_at, created_at, prompt_hash, asset_type)',
  'CREATE INDEX cache_entries_expiry ON cache_entries (expires_at) WHERE expires_at IS NOT NULL',
];

/** One row whose revision every insert, delete and clear increments in the same transaction. */
export const CREATE_META_TABLE = [
  `CREATE TABLE tiercache_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
  )`,
  'INSERT INTO tiercache_meta (id, revision) VALUES (1, 0)',
];

/** Columns the original (version 0) table had; a `cache_entries` without them is not ours. */
export const LEGACY_COLUMNS = [
  'asset_type',
  'prompt_hash',
  'prompt_text',
  'file_path',
  'metadata',
  'created_at',
  'last_used_at',
  'use_count',
] as const;

/**
 * Version 2: generation claims, so that processes sharing the index generate a missing key
 * once. WITHOUT ROWID: the key is the primary key, rows are few and short-lived.
 */
export const CREATE_CLAIMS_TABLE = `
CREATE TABLE generation_claims (
  asset_type TEXT NOT NULL,
  prompt_hash TEXT NOT NULL,
  owner TEXT NOT NULL,
  pid INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (asset_type, prompt_hash)
) WITHOUT ROWID`;

/**
 * Version 3: rejected pairings (`EntryIndex.reject`): the entry under `entry_key` must never
 * answer the request `request_key`. Not tied to `cache_entries` rows: a rejection judges two
 * prompts, so it outlives deletes, clears and evictions.
 */
export const CREATE_REJECTIONS_TABLE = `
CREATE TABLE match_rejections (
  asset_type TEXT NOT NULL,
  request_key TEXT NOT NULL,
  entry_key TEXT NOT NULL,
  rejected_at INTEGER NOT NULL,
  PRIMARY KEY (asset_type, request_key, entry_key)
) WITHOUT ROWID`;

/**
 * Version 4: content-addressed blobs. Entries sharing content share one blob, found by this
 * index (reference counts for garbage collection, deduplicated byte totals); `file_path`
 * becomes the content-addressed path (`blobPath`) for every row with a content hash.
 */
export const CONTENT_ADDRESSING = [
  'CREATE INDEX IF NOT EXISTS cache_entries_content ON cache_entries (asset_type, content_hash, extension)',
  `UPDATE cache_entries SET file_path = asset_type || '/' || substr(content_hash, 1, 2) || '/' || content_hash
     || CASE WHEN extension = '' THEN '' ELSE '.' || extension END
   WHERE length(content_hash) = 64`,
];
