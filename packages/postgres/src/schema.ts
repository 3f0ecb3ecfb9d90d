/** The schema version this code writes, stored in `tiercache_schema`. */
export const SCHEMA_VERSION = 2;

/** Channel of the change feed's notifications (they only wake listeners; the log is the truth). */
export const CHANGE_CHANNEL = 'tiercache_changes';

/** Advisory lock keys (arbitrary constants, stable across versions). */
export const MIGRATION_LOCK = 7_215_301;
const CHANGE_LOG_LOCK = 7_215_302;

/**
 * Version 1. The entries table keeps the SQLite index's column names (the original system's
 * `cache_entries`: asset type, prompt hash, prompt text, file path, JSON metadata, created and
 * last-used times, use count) plus what an `Entry` needs. Times are integer ms since the epoch.
 * `metadata` is `json`, not `jsonb`: entries come back exactly as they were written.
 *
 * Every insert and delete appends to `tiercache_changes` (from a trigger, so no writer can
 * forget) and wakes listeners with NOTIFY. Writers of the log take one transaction-scoped
 * advisory lock, so revisions become visible in order: a machine that has read revision n has
 * read every revision below it, and catching up is `WHERE revision > n`.
 */
const VERSION_1 = [
  `CREATE TABLE cache_entries (
    asset_type text NOT NULL,
    prompt_hash text NOT NULL,
    prompt_text text NOT NULL,
    file_path text NOT NULL,
    metadata json NOT NULL,
    created_at bigint NOT NULL,
    last_used_at bigint NOT NULL,
    use_count bigint NOT NULL DEFAULT 1,
    params text NOT NULL,
    params_hash text NOT NULL,
    content_hash text NOT NULL,
    size bigint NOT NULL,
    media_type text NOT NULL,
    extension text NOT NULL,
    expires_at bigint,
    generation_cost double precision,
    generation_ms double precision,
    PRIMARY KEY (asset_type, prompt_hash)
  )`,
  'CREATE INDEX cache_entries_partition ON cache_entries (asset_type, params_hash)',
  'CREATE INDEX cache_entries_lru ON cache_entries (last_used_at, created_at)',
  'CREATE SEQUENCE tiercache_revision',
  `CREATE TABLE tiercache_changes (
    revision bigint PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('insert', 'delete')),
    asset_type text NOT NULL,
    prompt_hash text NOT NULL,
    params_hash text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE FUNCTION tiercache_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_advisory_xact_lock(${CHANGE_LOG_LOCK});
    IF TG_OP = 'INSERT' THEN
      INSERT INTO tiercache_changes (revision, kind, asset_type, prompt_hash, params_hash)
      VALUES (nextval('tiercache_revision'), 'insert', NEW.asset_type, NEW.prompt_hash, NEW.params_hash);
    ELSE
      INSERT INTO tiercache_changes (revision, kind, asset_type, prompt_hash, params_hash)
      VALUES (nextval('tiercache_revision'), 'delete', OLD.asset_type, OLD.prompt_hash, OLD.params_hash);
    END IF;
    PERFORM pg_notify('${CHANGE_CHANNEL}', '');
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER cache_entries_changes AFTER INSERT OR DELETE ON cache_entries
    FOR EACH ROW EXECUTE FUNCTION tiercache_log_change()`,
  // Up to which revision the log was pruned: a machine that has not read that far reloads.
  'CREATE TABLE tiercache_feed (pruned_through bigint NOT NULL)',
  'INSERT INTO tiercache_feed (pruned_through) VALUES (0)',
  // Claims expire on the server's clock: machines' clocks need not agree.
  `CREATE TABLE generation_claims (
    asset_type text NOT NULL,
    prompt_hash text NOT NULL,
    owner text NOT NULL,
    machine text NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (asset_type, prompt_hash)
  )`,
  // The original system's statistics, farm-wide, for dashboards and psql.
  `CREATE VIEW tiercache_stats_by_type AS
    SELECT asset_type, count(*) AS count, sum(use_count) AS total_uses,
      round(avg(use_count), 2) AS avg_uses_per_entry, sum(size) AS bytes
    FROM cache_entries GROUP BY asset_type`,
];

/**
 * Version 2: rejected pairings (`EntryIndex.reject`): the entry under `entry_key` must never
 * answer the request `request_key`. Not tied to `cache_entries` rows: a rejection judges two
 * prompts, so it outlives deletes and clears. Each new pairing goes into the change log (kind
 * `reject`, the request key in `prompt_hash`, the entry key in `entry_key`) from a trigger, in
 * the same order and under the same lock as entries, so the feed carries it to every machine.
 * Code of version 1 skips these log rows (they have no entry to load).
 */
const VERSION_2 = [
  `CREATE TABLE match_rejections (
    asset_type text NOT NULL,
    request_key text NOT NULL,
    entry_key text NOT NULL,
    rejected_at bigint NOT NULL,
    PRIMARY KEY (asset_type, request_key, entry_key)
  )`,
  'ALTER TABLE tiercache_changes ADD COLUMN entry_key text',
  `ALTER TABLE tiercache_changes DROP CONSTRAINT tiercache_changes_kind_check,
    ADD CONSTRAINT tiercache_changes_kind_check CHECK (kind IN ('insert', 'delete', 'reject'))`,
  `CREATE FUNCTION tiercache_log_rejection() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_advisory_xact_lock(${CHANGE_LOG_LOCK});
    INSERT INTO tiercache_changes (revision, kind, asset_type, prompt_hash, params_hash, entry_key)
    VALUES (nextval('tiercache_revision'), 'reject', NEW.asset_type, NEW.request_key, '', NEW.entry_key);
    PERFORM pg_notify('${CHANGE_CHANNEL}', '');
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER match_rejections_changes AFTER INSERT ON match_rejections
    FOR EACH ROW EXECUTE FUNCTION tiercache_log_rejection()`,
];

/** Statements that bring a schema of version `index` to `index + 1`. */
export const MIGRATIONS: readonly (readonly string[])[] = [VERSION_1, VERSION_2];
