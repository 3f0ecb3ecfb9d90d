import { blobPath } from '../blob-ref.js';
import type { Entry } from '../contracts/entry.js';
import type { JsonObject } from '../contracts/json.js';

/**
 * An entry as a row of the `cache_entries` table that the SQL indexes (SQLite, PostgreSQL)
 * share with the original system, column for column.
 */
export interface EntryRow {
  asset_type: string;
  prompt_hash: string;
  prompt_text: string;
  file_path: string;
  /** JSON text, exactly as written. */
  metadata: string;
  created_at: number;
  last_used_at: number;
  use_count: number;
  params: string;
  params_hash: string;
  content_hash: string;
  size: number;
  media_type: string;
  extension: string;
  expires_at: number | null;
  generation_cost: number | null;
  generation_ms: number | null;
}

/** The columns of an entry, in `EntryRow` order (never `*`: a table's own `id` is not part of an entry). */
export const ENTRY_ROW_COLUMNS = [
  'asset_type',
  'prompt_hash',
  'prompt_text',
  'file_path',
  'metadata',
  'created_at',
  'last_used_at',
  'use_count',
  'params',
  'params_hash',
  'content_hash',
  'size',
  'media_type',
  'extension',
  'expires_at',
  'generation_cost',
  'generation_ms',
] as const satisfies readonly (keyof EntryRow)[];

// Every read parses the stored text afresh, so callers always get their own copy. Integer
// columns go through Number(): a driver may hand a bigint column over as text.
export function rowToEntry(row: EntryRow): Entry {
  return {
    type: row.asset_type,
    key: row.prompt_hash,
    prompt: row.prompt_text,
    params: row.params,
    paramsHash: row.params_hash,
    contentHash: row.content_hash,
    size: Number(row.size),
    mediaType: row.media_type,
    extension: row.extension,
    metadata: JSON.parse(row.metadata) as JsonObject,
    createdAt: Number(row.created_at),
    lastUsedAt: Number(row.last_used_at),
    useCount: Number(row.use_count),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    generationCost: row.generation_cost,
    generationMs: row.generation_ms,
  };
}

/** The row of an entry that passed `validateEntry`. */
export function entryToRow(entry: Entry): EntryRow {
  return {
    asset_type: entry.type,
    prompt_hash: entry.key,
    prompt_text: entry.prompt,
    file_path: blobPath(entry),
    metadata: JSON.stringify(entry.metadata),
    created_at: entry.createdAt,
    last_used_at: entry.lastUsedAt,
    use_count: entry.useCount,
    params: entry.params,
    params_hash: entry.paramsHash,
    content_hash: entry.contentHash,
    size: entry.size,
    media_type: entry.mediaType,
    extension: entry.extension,
    expires_at: entry.expiresAt,
    generation_cost: entry.generationCost,
    generation_ms: entry.generationMs,
  };
}
