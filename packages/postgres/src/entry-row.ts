import type { Entry, JsonObject } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';

/** A `cache_entries` row as node-postgres returns it (bigint columns parsed to numbers). */
export interface EntryRow {
  asset_type: string;
  prompt_hash: string;
  prompt_text: string;
  file_path: string;
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

/** The columns every read selects, in `EntryRow` order; `metadata` as text, exactly as written. */
export const ENTRY_COLUMNS = `asset_type, prompt_hash, prompt_text, file_path, metadata::text AS metadata,
  created_at, last_used_at, use_count, params, params_hash, content_hash, size, media_type, extension,
  expires_at, generation_cost, generation_ms`;

export const INSERT_ENTRY = `INSERT INTO cache_entries (asset_type, prompt_hash, prompt_text, file_path, metadata,
  created_at, last_used_at, use_count, params, params_hash, content_hash, size, media_type, extension,
  expires_at, generation_cost, generation_ms)
  VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
  ON CONFLICT (asset_type, prompt_hash) DO NOTHING`;

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

/** Parameters of `INSERT_ENTRY`; expects an entry that passed `validateEntry`. */
export function insertParameters(entry: Entry): unknown[] {
  return [
    entry.type,
    entry.key,
    entry.prompt,
    blobPath(entry),
    JSON.stringify(entry.metadata),
    entry.createdAt,
    entry.lastUsedAt,
    entry.useCount,
    entry.params,
    entry.paramsHash,
    entry.contentHash,
    entry.size,
    entry.mediaType,
    entry.extension,
    entry.expiresAt,
    entry.generationCost,
    entry.generationMs,
  ];
}
