import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteIndex, SCHEMA_VERSION } from './index.js';
import { legacyTime } from './migrations.js';
import { useDatabaseFile } from './test-support/database-file.js';

const scratch = useDatabaseFile();

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

/** The original Python system's file: version 0, TEXT times, absolute file paths. */
function createOriginalDatabase(): void {
  const db = new Database(scratch.file);
  db.exec(`CREATE TABLE cache_entries (
    id INTEGER PRIMARY KEY,
    asset_type TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    prompt_text TEXT NOT NULL,
    file_path TEXT NOT NULL,
    metadata TEXT,
    created_at TEXT,
    last_used_at TEXT,
    use_count INTEGER DEFAULT 1,
    UNIQUE(asset_type, prompt_hash)
  )`);
  db.exec('CREATE INDEX idx_asset_type ON cache_entries(asset_type)');
  const insert = db.prepare(
    'INSERT INTO cache_entries (asset_type, prompt_hash, prompt_text, file_path, metadata, created_at, last_used_at, use_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  insert.run(
    'tts',
    KEY_A,
    'Subscribe for more!',
    '/srv/media_local_storage/cache/tts/aaaa.WAV',
    '{"voice": "bella"}',
    '2024-11-30T10:15:30.123456',
    '2024-11-30 12:00:00',
    7,
  );
  insert.run('image', KEY_B, 'a calm lake at sunrise', '/x/image/bbbb.png', null, null, null, 1);
  db.close();
}

describe('migration from the original schema (version 0)', () => {
  it('keeps every row, converts times to ms and fills the new columns', () => {
    createOriginalDatabase();
    const index = openSqliteIndex({ file: scratch.file });
    const tts = index.get('tts', KEY_A);
    expect(tts).toMatchObject({
      prompt: 'Subscribe for more!',
      metadata: { voice: 'bella' },
      createdAt: Date.UTC(2024, 10, 30, 10, 15, 30, 123),
      lastUsedAt: Date.UTC(2024, 10, 30, 12, 0, 0),
      useCount: 7,
      extension: 'wav',
      mediaType: 'audio/wav',
      paramsHash: 'legacy',
      contentHash: '',
      size: 0,
      expiresAt: null,
    });
    const image = index.get('image', KEY_B);
    expect(image).toMatchObject({ metadata: {}, useCount: 1, extension: 'png', mediaType: 'image/png' });
    expect(index.stats().byType.tts).toMatchObject({ entries: 1, uses: 7 });
    // Legacy keys came from another derivation: their own partition, which no request's hash equals.
    expect(index.partition('tts', 'legacy').map((entry) => entry.key)).toEqual([KEY_A]);
    // New entries work next to the migrated ones, and legacy rows are evicted first (oldest).
    const fresh = sampleEntry(sampleBytes(10), {
      type: 'tts',
      createdAt: Date.now(),
      lastUsedAt: Date.now(),
    });
    index.insert(fresh);
    const order = index.evictionCandidates({ now: Date.now(), limit: 10 }).map((entry) => entry.key);
    expect(order.at(-1)).toBe(fresh.key);
    index.close();

    const db = new Database(scratch.file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT file_path FROM cache_entries WHERE prompt_hash = ?').pluck().get(KEY_A)).toBe(
      `tts/${KEY_A}.wav`,
    );
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).not.toContain('cache_entries_v0');
    db.close();
  });

  it('migrates once: a second open finds the current version and changes nothing', () => {
    createOriginalDatabase();
    openSqliteIndex({ file: scratch.file }).close();
    const index = openSqliteIndex({ file: scratch.file });
    expect(index.stats().entries).toBe(2);
    index.close();
  });

  it('reads the time formats the original could have written', () => {
    expect(legacyTime('2024-11-30 12:00:00', 0)).toBe(Date.UTC(2024, 10, 30, 12));
    expect(legacyTime('2024-11-30T12:00:00+01:00', 0)).toBe(Date.UTC(2024, 10, 30, 11));
    expect(legacyTime(1_732_968_000, 0)).toBe(1_732_968_000_000);
    expect(legacyTime(1_732_968_000_123, 0)).toBe(1_732_968_000_123);
    expect(legacyTime('yesterday', 42)).toBe(42);
    expect(legacyTime(null, 42)).toBe(42);
  });
});
