import { ENTRY_ROW_COLUMNS, type EntryRow } from '@tiercache/core/kit';
import type BetterSqlite3 from 'better-sqlite3';

type Statement<Parameters extends unknown[], Row> = BetterSqlite3.Statement<Parameters, Row>;

export interface TypeTotalsRow {
  asset_type: string;
  count: number;
  total_uses: number;
  bytes: number;
  /** Bytes of distinct blobs (identical content counted once). */
  content_bytes: number;
}

/** Every statement the index runs, prepared once per connection. */
export interface Statements {
  get: Statement<[string, string], EntryRow>;
  insert: Statement<[EntryRow], unknown>;
  touch: Statement<[number, string, string], EntryRow>;
  addUses: Statement<[number, number, string, string], unknown>;
  remove: Statement<[string, string], { params_hash: string }>;
  clearType: Statement<[string], unknown>;
  clearAll: Statement<[], unknown>;
  partition: Statement<[string, string], { key: string; prompt: string }>;
  expired: Statement<[number, number], EntryRow>;
  leastRecentlyUsed: Statement<[number, number], EntryRow>;
  typeTotals: Statement<[], TypeTotalsRow>;
  blobReferences: Statement<[string, string, string], number>;
  bumpRevision: Statement<[], number>;
  revision: Statement<[], number>;
  reject: Statement<[string, string, string, number], unknown>;
  isRejected: Statement<[string, string, string], number>;
  rejections: Statement<[], number>;
}

/** The columns every read selects, in `EntryRow` order (never `*`: `id` is not part of an entry). */
const ENTRY_COLUMNS = ENTRY_ROW_COLUMNS.join(', ');

export function prepareStatements(db: BetterSqlite3.Database): Statements {
  return {
    get: db.prepare(`SELECT ${ENTRY_COLUMNS} FROM cache_entries WHERE asset_type = ? AND prompt_hash = ?`),
    insert: db.prepare(`INSERT INTO cache_entries (${ENTRY_COLUMNS})
      VALUES (${ENTRY_ROW_COLUMNS.map((column) => `@${column}`).join(', ')})
      ON CONFLICT (asset_type, prompt_hash) DO NOTHING`),
    // One statement is its own transaction and takes the write lock before reading, so the
    // increment is atomic across processes and busy_timeout applies to it.
    touch: db.prepare(`UPDATE cache_entries SET use_count = use_count + 1, last_used_at = max(last_used_at, ?)
      WHERE asset_type = ? AND prompt_hash = ? RETURNING ${ENTRY_COLUMNS}`),
    // The coalesced form of `touch`: several uses at once, inside a flush transaction.
    addUses:
      db.prepare(`UPDATE cache_entries SET use_count = use_count + ?, last_used_at = max(last_used_at, ?)
      WHERE asset_type = ? AND prompt_hash = ?`),
    remove: db.prepare(
      'DELETE FROM cache_entries WHERE asset_type = ? AND prompt_hash = ? RETURNING params_hash',
    ),
    clearType: db.prepare('DELETE FROM cache_entries WHERE asset_type = ?'),
    clearAll: db.prepare('DELETE FROM cache_entries'),
    partition: db.prepare(
      'SELECT prompt_hash AS key, prompt_text AS prompt FROM cache_entries WHERE asset_type = ? AND params_hash = ?',
    ),
    // Eviction order of `compareForEviction` in two index scans: expired entries by expiry,
    // then live ones by last use; the trailing key columns make ties deterministic.
    expired: db.prepare(`SELECT ${ENTRY_COLUMNS} FROM cache_entries WHERE expires_at <= ?
      ORDER BY expires_at, last_used_at, created_at, prompt_hash, asset_type LIMIT ?`),
    leastRecentlyUsed: db.prepare(`SELECT ${ENTRY_COLUMNS} FROM cache_entries
      WHERE expires_at IS NULL OR expires_at > ?
      ORDER BY last_used_at, created_at, prompt_hash, asset_type LIMIT ?`),
    typeTotals: db.prepare(`SELECT totals.asset_type, count, total_uses, bytes, content_bytes FROM
      (SELECT asset_type, count(*) AS count, total(use_count) AS total_uses, total(size) AS bytes
        FROM cache_entries GROUP BY asset_type) AS totals
      JOIN (SELECT asset_type, total(size) AS content_bytes FROM
        (SELECT DISTINCT asset_type, content_hash, extension, size FROM cache_entries) GROUP BY asset_type) AS blobs
      ON blobs.asset_type = totals.asset_type ORDER BY totals.asset_type`),
    blobReferences: db
      .prepare<[string, string, string], number>(
        'SELECT count(*) FROM cache_entries WHERE asset_type = ? AND content_hash = ? AND extension = ?',
      )
      .pluck(),
    bumpRevision: db
      .prepare<[], number>(
        'UPDATE tiercache_meta SET revision = revision + 1 WHERE id = 1 RETURNING revision',
      )
      .pluck(),
    revision: db.prepare<[], number>('SELECT revision FROM tiercache_meta WHERE id = 1').pluck(),
    reject: db.prepare(`INSERT INTO match_rejections (asset_type, request_key, entry_key, rejected_at)
      VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    isRejected: db
      .prepare<[string, string, string], number>(
        'SELECT 1 FROM match_rejections WHERE asset_type = ? AND request_key = ? AND entry_key = ?',
      )
      .pluck(),
    rejections: db.prepare<[], number>('SELECT count(*) FROM match_rejections').pluck(),
  };
}
