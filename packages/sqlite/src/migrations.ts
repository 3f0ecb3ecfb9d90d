import { extname } from 'node:path';
import { assertEntryRef } from '@tiercache/core/kit';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CONTENT_ADDRESSING,
  CREATE_CLAIMS_TABLE,
  CREATE_ENTRIES_INDEXES,
  CREATE_ENTRIES_TABLE,
  CREATE_META_TABLE,
  CREATE_REJECTIONS_TABLE,
  LEGACY_COLUMNS,
  SCHEMA_VERSION,
} from './schema.js';

type Database = BetterSqlite3.Database;

/** What the file holds before any migration, read without writing anything. */
export type SchemaState =
  | { kind: 'empty' }
  | { kind: 'legacy' }
  | { kind: 'versioned'; version: number }
  | { kind: 'foreign'; reason: string };

export function readSchemaState(db: Database): SchemaState {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > 0) return { kind: 'versioned', version };
  const columns = db.prepare("SELECT name FROM pragma_table_info('cache_entries')").pluck().all() as string[];
  if (columns.length === 0) return { kind: 'empty' };
  const missing = LEGACY_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    return { kind: 'foreign', reason: `its cache_entries table lacks ${missing.join(', ')}` };
  }
  return { kind: 'legacy' };
}

function createVersion1Schema(db: Database): void {
  db.exec(CREATE_ENTRIES_TABLE);
  for (const statement of [...CREATE_ENTRIES_INDEXES, ...CREATE_META_TABLE]) db.exec(statement);
}

/** Version 4 on a table in the version 1 shape (see `CONTENT_ADDRESSING`). */
function addContentAddressing(db: Database): void {
  for (const statement of CONTENT_ADDRESSING) db.exec(statement);
}

/**
 * Brings the schema to `SCHEMA_VERSION`. The caller runs it inside one IMMEDIATE transaction
 * and re-reads the state inside it, so two processes opening an old file at once migrate it
 * exactly once and a failure leaves the file as it was.
 */
export function migrate(db: Database, state: SchemaState, now: number): void {
  if (state.kind === 'versioned' && state.version === SCHEMA_VERSION) return;
  if (state.kind === 'empty') createVersion1Schema(db);
  else if (state.kind === 'legacy') migrateLegacy(db, now);
  // Steps from version 1 on, in order; each one runs once.
  const from = state.kind === 'versioned' ? state.version : 1;
  if (from < 2) db.exec(CREATE_CLAIMS_TABLE);
  if (from < 3) db.exec(CREATE_REJECTIONS_TABLE);
  if (from < 4) addContentAddressing(db);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

interface LegacyRow {
  asset_type: unknown;
  prompt_hash: unknown;
  prompt_text: unknown;
  file_path: unknown;
  metadata: unknown;
  created_at: unknown;
  last_used_at: unknown;
  use_count: unknown;
}

const MEDIA_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/**
 * The original system stored ISO text (naive, read here as UTC) or SQLite's
 * `CURRENT_TIMESTAMP`; numbers are taken as seconds when they look like seconds.
 */
export function legacyTime(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return Math.round(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string' || value.trim() === '') return fallback;
  let text = value.trim().replace(' ', 'T');
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(text)) text += 'Z';
  // Python writes microseconds; Date.parse wants at most milliseconds.
  text = text.replace(/(\.\d{3})\d+/, '$1');
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

function legacyMetadata(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '{}';
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return value;
  } catch {
    // Kept as text below: the original accepted whatever it was given.
  }
  return JSON.stringify({ legacy_metadata: value });
}

/** The layout before content addressing, `<type>/<key>.<ext>`; `undefined` for a ref tiercache would refuse. */
function legacyBlobPath(type: string, key: string, extension: string): string | undefined {
  try {
    assertEntryRef({ type, key });
  } catch {
    return undefined;
  }
  return extension ? `${type}/${key}.${extension}` : `${type}/${key}`;
}

/**
 * Rebuilds the original table in the current shape. The original recorded neither params
 * nor content hash nor size: migrated rows get `params_hash = 'legacy'` (no similarity
 * partition), an empty content hash and size 0, and the original layout's relative blob
 * path, so pruning removes them and their files over time.
 */
function migrateLegacy(db: Database, now: number): void {
  const rows = db.prepare(`SELECT ${LEGACY_COLUMNS.join(', ')} FROM cache_entries`).all() as LegacyRow[];
  db.exec('ALTER TABLE cache_entries RENAME TO cache_entries_v0');
  createVersion1Schema(db);
  const insert = db.prepare(`INSERT INTO cache_entries
    (asset_type, prompt_hash, prompt_text, file_path, metadata, created_at, last_used_at, use_count,
     params, params_hash, content_hash, size, media_type, extension)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', 'legacy', '', 0, ?, ?)
    ON CONFLICT DO NOTHING`);
  for (const row of rows) {
    const type = String(row.asset_type ?? '');
    const key = String(row.prompt_hash ?? '');
    const originalPath = String(row.file_path ?? '');
    const extension = extname(originalPath).slice(1).toLowerCase();
    const safeExtension = /^[a-z0-9]{0,16}$/.test(extension) ? extension : '';
    const filePath = legacyBlobPath(type, key, safeExtension) ?? originalPath;
    const createdAt = legacyTime(row.created_at, now);
    const useCount = typeof row.use_count === 'number' && row.use_count >= 0 ? Math.floor(row.use_count) : 1;
    insert.run(
      type,
      key,
      String(row.prompt_text ?? ''),
      filePath,
      legacyMetadata(row.metadata),
      createdAt,
      Math.max(createdAt, legacyTime(row.last_used_at, createdAt)),
      useCount,
      MEDIA_TYPES[safeExtension] ?? 'application/octet-stream',
      safeExtension,
    );
  }
  db.exec('DROP TABLE cache_entries_v0');
  db.prepare('UPDATE tiercache_meta SET revision = revision + 1').run();
}
