import type { Entry } from '@tiercache/core';
import { ENTRY_ROW_COLUMNS, entryToRow } from '@tiercache/core/kit';

/** An entry column as reads select it, named as `EntryRow` names it; `metadata` as text, exactly as written. */
const selected = (column: string, table = '') =>
  column === 'metadata' ? `${table}metadata::text AS metadata` : `${table}${column}`;

const ENTRY_COLUMNS = ENTRY_ROW_COLUMNS.map((column) => selected(column)).join(', ');
/** Entry columns of table alias `e`. */
const ENTRY_COLUMNS_OF_E = ENTRY_ROW_COLUMNS.map((column) => selected(column, 'e.')).join(', ');

export const INSERT_ENTRY = `INSERT INTO cache_entries (${ENTRY_ROW_COLUMNS.join(', ')})
  VALUES (${ENTRY_ROW_COLUMNS.map((column, i) => (column === 'metadata' ? `$${i + 1}::json` : `$${i + 1}`)).join(', ')})
  ON CONFLICT (asset_type, prompt_hash) DO NOTHING`;

/** Parameters of `INSERT_ENTRY`; expects an entry that passed `validateEntry`. */
export function insertParameters(entry: Entry): unknown[] {
  const row = entryToRow(entry);
  return ENTRY_ROW_COLUMNS.map((column) => row[column]);
}

export const SELECT_ENTRY = `SELECT ${ENTRY_COLUMNS} FROM cache_entries WHERE asset_type = $1 AND prompt_hash = $2`;

export const SELECT_ALL_ENTRIES = `SELECT ${ENTRY_COLUMNS} FROM cache_entries`;

/**
 * Changes past a revision, each insert with its entry (absent when it was deleted since), each
 * rejection with its entry key.
 */
export const SELECT_CHANGES = `SELECT c.revision, c.kind, c.asset_type AS change_type,
  c.prompt_hash AS change_key, c.entry_key AS change_entry_key, (e.prompt_hash IS NOT NULL) AS present,
  ${ENTRY_COLUMNS_OF_E}
  FROM tiercache_changes c
  LEFT JOIN cache_entries e
    ON c.kind = 'insert' AND e.asset_type = c.asset_type AND e.prompt_hash = c.prompt_hash
  WHERE c.revision > $1 ORDER BY c.revision LIMIT $2`;

/** The log's last revision, also when pruning emptied it. */
export const LAST_REVISION = `SELECT greatest(
  (SELECT coalesce(max(revision), 0) FROM tiercache_changes),
  (SELECT pruned_through FROM tiercache_feed)) AS revision`;

export const SELECT_ALL_REJECTIONS = 'SELECT asset_type, request_key, entry_key FROM match_rejections';

/** Records a pairing; one another machine recorded first stays as it was. */
export const INSERT_REJECTION = `INSERT INTO match_rejections (asset_type, request_key, entry_key, rejected_at)
  VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`;

export const COUNT_REJECTIONS = 'SELECT count(*)::float8 AS rejections FROM match_rejections';

export const DELETE_ENTRY = 'DELETE FROM cache_entries WHERE asset_type = $1 AND prompt_hash = $2';

export const CLEAR_ENTRIES = 'DELETE FROM cache_entries WHERE $1::text IS NULL OR asset_type = $1';

/** Adds batched uses: counts add up, the last use only moves forward. */
export const ADD_USES = `UPDATE cache_entries e
  SET use_count = e.use_count + u.uses, last_used_at = greatest(e.last_used_at, u.at)
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS u(asset_type, prompt_hash, uses, at)
  WHERE e.asset_type = u.asset_type AND e.prompt_hash = u.prompt_hash`;

/**
 * Takes the claim when nobody holds it, this instance holds it, or its lease ran out; the
 * server's clock decides expiry. Returns a row only when the claim is now this instance's.
 * Inside a transaction with `SELECT_ENTRY` after it: READ COMMITTED gives that statement a fresh
 * snapshot taken after this one waited out any concurrent release, so an entry stored before
 * its claim was released is always seen.
 */
export const TAKE_CLAIM = `INSERT INTO generation_claims (asset_type, prompt_hash, owner, machine, expires_at)
  VALUES ($1, $2, $3, $4, clock_timestamp() + $5 * interval '1 millisecond')
  ON CONFLICT (asset_type, prompt_hash) DO UPDATE
    SET owner = EXCLUDED.owner, machine = EXCLUDED.machine, expires_at = EXCLUDED.expires_at
    WHERE generation_claims.owner = EXCLUDED.owner OR generation_claims.expires_at <= clock_timestamp()
  RETURNING owner`;

export const RELEASE_CLAIM =
  'DELETE FROM generation_claims WHERE asset_type = $1 AND prompt_hash = $2 AND owner = $3';

export const STATS_BY_TYPE = `SELECT asset_type, count::float8 AS entries, total_uses::float8 AS uses,
  bytes::float8 AS bytes FROM tiercache_stats_by_type`;

export const PRUNED_THROUGH = 'SELECT pruned_through FROM tiercache_feed';

/** Drops log rows older than the retention and records how far the log is now incomplete. */
export const PRUNE_CHANGES = `WITH gone AS (
    DELETE FROM tiercache_changes WHERE changed_at < now() - $1 * interval '1 millisecond' RETURNING revision
  )
  UPDATE tiercache_feed SET pruned_through = greatest(pruned_through, (SELECT coalesce(max(revision), 0) FROM gone))`;
