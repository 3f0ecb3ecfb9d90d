import type { Entry, JsonObject } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';

/** A `cache_entries` row as better-sqlite3 returns it. */
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

/** The columns every read selects, in `EntryRow` order (never `*`: `id` is not part of an entry). */
export const ENTRY_COLUMNS = `asset_type, prompt_hash, prompt_text, file_path, metadata, created_at,
  last_used_at, use_count, params, params_hash, content_hash, size, media_type, extension,
  expires_at, generation_cost, generation_ms`;

/** Named parameters of the insert statement. */
export type EntryParameters = Record<keyof EntryRow, string | number | null>;

// Every read parses the stored text afresh, so callers always get their own copy.
export function rowToEntry(row: EntryRow): Entry {
  return {
    type: row.asset_type,
    key: row.prompt_hash,
    prompt: row.prompt_text,
    params: row.params,
    paramsHash: row.params_hash,
    contentHash: row.content_hash,
    size: row.size,
    mediaType: row.media_type,
    extension: row.extension,
    metadata: JSON.parse(row.metadata) as JsonObject,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    useCount: row.use_count,
    expiresAt: row.expires_at,
    generationCost: row.generation_cost,
    generationMs: row.generation_ms,
  };
}

/** Expects an entry that passed `validateEntry`. */
export function entryToParameters(entry: Entry): EntryParameters {
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
