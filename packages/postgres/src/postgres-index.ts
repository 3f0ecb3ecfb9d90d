import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type Entry,
  type EntryIndex,
  type IndexStats,
  isTiercacheError,
  type TiercacheError,
} from '@tiercache/core';
import pg from 'pg';
import { ChangeListener } from './change-listener.js';
import { withClient } from './checked-out-client.js';
import { type EntryRow, INSERT_ENTRY, insertParameters, rowToEntry } from './entry-row.js';
import { prepareSchema } from './migrations.js';
import { assertRejectTime, openFailure, runtimeFailure } from './postgres-errors.js';
import {
  type PostgresIndexOptions,
  type ResolvedPostgresIndexOptions,
  resolvePostgresIndexOptions,
} from './postgres-index-options.js';
import { type ChangeRow, type RejectionRow, Replica } from './replica.js';
import {
  ADD_USES,
  CLEAR_ENTRIES,
  COUNT_REJECTIONS,
  DELETE_ENTRY,
  INSERT_REJECTION,
  LAST_REVISION,
  PRUNE_CHANGES,
  PRUNED_THROUGH,
  RELEASE_CLAIM,
  SELECT_ALL_ENTRIES,
  SELECT_ALL_REJECTIONS,
  SELECT_CHANGES,
  SELECT_ENTRY,
  STATS_BY_TYPE,
  TAKE_CLAIM,
} from './shared-statements.js';
import { UseBuffer } from './use-buffer.js';
import { WriteQueue } from './write-queue.js';

/** What `health()` reports. */
export interface PostgresIndexHealth {
  /** The change feed's connection is up (the server was reachable at its last contact). */
  connected: boolean;
  /** Writes of this machine not yet on the server. */
  pendingWrites: number;
  /** The last revision of the shared change log this machine has applied. */
  revision: number;
  machineId: string;
}

/**
 * An `EntryIndex` shared by the machines of a farm through PostgreSQL, seen through a local
 * replica: reads are synchronous and local; writes, claims and use counts go to the server in
 * the background and in order; other machines' changes arrive through the change feed.
 */
export interface PostgresIndex extends EntryIndex {
  claimSharedGeneration(type: string, key: string, options: { now: number; ttlMs: number }): Promise<boolean>;
  releaseGeneration(type: string, key: string): void;
  /**
   * Records the pairing in the replica at once (true when new to this machine) and sends it to
   * the server through the ordered write queue; the change feed brings it to every machine.
   * Throws `E_INVALID_REQUEST` when `at` is not a finite number.
   */
  reject(type: string, requestKey: string, entryKey: string, at: number): boolean;
  /** Answered by the replica: this machine's rejections and those the feed brought (hit path). */
  isRejected(type: string, requestKey: string, entryKey: string): boolean;
  lookupShared(type: string, key: string): Promise<Entry | undefined>;
  /** Sends buffered use counts and waits for this machine's writes; false if `timeoutMs` ran out first. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Reads the change log now instead of waiting for the next notification. */
  catchUp(): Promise<void>;
  /** Farm-wide statistics straight from the server; `undefined` when it cannot answer. */
  sharedStats(): Promise<IndexStats | undefined>;
  health(): PostgresIndexHealth;
  /** Flushes (bounded by the timeouts), then ends the pool and the feed. */
  close(): Promise<void>;
}

const CHANGE_BATCH = 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Parses `bigint` columns as numbers: every stored value is below 2^53 (ms, bytes, counts). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as never,
};

/**
 * Opens the shared index: checks (or, with `migrate`, creates) the schema, loads the entries
 * into the local replica and starts the change feed. Rejects with a typed error naming the
 * setting when the connection string is bad, the credentials are refused, the server is
 * unreachable (unless `offlineStart`) or the schema is missing or newer; the password never
 * appears in messages.
 */
export async function openPostgresIndex(options: PostgresIndexOptions): Promise<PostgresIndex> {
  const settings = resolvePostgresIndexOptions(options, `${hostname()}:${process.pid}`);
  const connection = {
    connectionString: settings.connectionString,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    keepAlive: true,
    application_name: 'tiercache',
    types,
  };
  const pool = new pg.Pool({
    ...connection,
    max: settings.poolSize,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1000,
    idleTimeoutMillis: 30_000,
  });
  const report = (operation: string, error: unknown) => {
    try {
      settings.onError(runtimeFailure(operation, settings.connectionString, error));
    } catch {
      // A reporting hook must never break the index.
    }
  };
  // An idle connection the server dropped must not end the process.
  pool.on('error', (error) => report('pool', error));
  const index = new SharedIndex(settings, pool, connection, report);
  try {
    await index.connect();
  } catch (error) {
    const failure = openError(settings.connectionString, error);
    if (settings.offlineStart && failure.code === 'E_INDEX_UNAVAILABLE') {
      report('open', error);
      index.connectInBackground();
      return index.api();
    }
    await index.close();
    throw failure;
  }
  return index.api();
}

/** Errors of this package pass through; anything else is a failure to reach or use the server. */
function openError(connectionString: string, error: unknown): TiercacheError {
  return isTiercacheError(error) ? error : openFailure(connectionString, error);
}

class SharedIndex {
  readonly replica = new Replica();
  readonly owner = `${randomUUID()}`;
  readonly writes: WriteQueue;
  readonly uses = new UseBuffer();
  readonly feed: ChangeListener;
  revision = 0;
  #touchTimer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly settings: ResolvedPostgresIndexOptions,
    readonly pool: pg.Pool,
    connection: pg.ClientConfig,
    readonly report: (operation: string, error: unknown) => void,
  ) {
    this.writes = new WriteQueue({
      retryDelayMs: settings.retryDelayMs,
      maxRetryDelayMs: settings.maxRetryDelayMs,
      maxPending: settings.maxPendingWrites,
      onFailure: (operation, error) => report(operation, error),
    });
    this.feed = new ChangeListener({
      clientConfig: connection,
      retryDelayMs: settings.retryDelayMs,
      maxRetryDelayMs: settings.maxRetryDelayMs,
      catchUp: () => this.catchUp(),
      onFailure: report,
      onReconnect: () => this.writes.retryNow(),
    });
  }

  /** Checks (or migrates) the schema, loads the replica and starts the feed. */
  async connect(): Promise<void> {
    await withClient(this.pool, (client) =>
      prepareSchema(client, this.settings.connectionString, this.settings.migrate),
    );
    await this.resync();
    await this.feed.start();
    // Changes between the snapshot and LISTEN.
    await this.feed.catchUp();
    this.#touchTimer ??= setInterval(() => this.sendUses(), this.settings.touchFlushMs);
    this.#touchTimer.unref();
    this.prune();
    this.#pruneTimer ??= setInterval(() => this.prune(), PRUNE_EVERY_MS);
    this.#pruneTimer.unref();
  }

  /**
   * `offlineStart`: keeps trying to connect with the usual backoff while the index serves from
   * its (empty) replica and queues its writes. Gives up only on a refusal that waiting cannot
   * fix (credentials, schema), which `onError` receives.
   */
  connectInBackground(): void {
    let delay = this.settings.retryDelayMs;
    const attempt = async () => {
      if (this.#closed) return;
      try {
        await this.connect();
        this.writes.retryNow();
      } catch (error) {
        this.report('open', error);
        if (this.#closed || openError(this.settings.connectionString, error).code !== 'E_INDEX_UNAVAILABLE')
          return;
        this.#connectTimer = setTimeout(attempt, delay);
        delay = Math.min(delay * 2, this.settings.maxRetryDelayMs);
      }
    };
    this.#connectTimer = setTimeout(attempt, delay);
  }

  /** Every machine prunes now and then; the statement is idempotent. */
  prune(): void {
    this.pool
      .query(PRUNE_CHANGES, [this.settings.changeRetentionMs])
      .catch((error: unknown) => this.report('pruneChanges', error));
  }

  /** The whole tables (entries, rejections) and the log's revision, from one snapshot. */
  async resync(): Promise<void> {
    await withClient(this.pool, async (client) => {
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const revision = await client.query<{ revision: number }>(LAST_REVISION);
        const rows = await client.query<EntryRow>(SELECT_ALL_ENTRIES);
        const rejections = await client.query<RejectionRow>(SELECT_ALL_REJECTIONS);
        await client.query('COMMIT');
        this.replica.load(rows.rows.map(rowToEntry), rejections.rows);
        this.revision = revision.rows[0]?.revision ?? 0;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async catchUp(): Promise<void> {
    for (;;) {
      const { rows } = await this.pool.query<ChangeRow>(SELECT_CHANGES, [this.revision, CHANGE_BATCH]);
      // Read after the changes: a prune that removed some of what this machine has not read
      // yet committed before them, so it shows here, and the whole table is read instead.
      const pruned = await this.pool.query<{ pruned_through: number }>(PRUNED_THROUGH);
      if ((pruned.rows[0]?.pruned_through ?? 0) > this.revision) {
        await this.resync();
        continue;
      }
      for (const change of rows) {
        this.replica.apply(change);
        this.revision = change.revision;
      }
      if (rows.length < CHANGE_BATCH) return;
    }
  }

  sendUses(): void {
    const batch = this.uses.take();
    if (!batch) return;
    this.writes.enqueue({
      name: 'touch',
      run: async () => {
        await this.pool.query(ADD_USES, [batch.types, batch.keys, batch.uses, batch.at]);
      },
    });
  }

  publish(entry: Entry): void {
    this.writes.enqueue({
      name: 'insert',
      run: async () => {
        if (this.settings.beforePublish) {
          await this.settings
            .beforePublish(entry)
            .catch((error: unknown) => this.report('beforePublish', error));
        }
        const inserted = await this.pool.query(INSERT_ENTRY, insertParameters(entry));
        if (inserted.rowCount === 1) return;
        // Another machine stored this key first: its entry is the one everybody serves.
        const { rows } = await this.pool.query<EntryRow>(SELECT_ENTRY, [entry.type, entry.key]);
        if (rows[0]) this.replica.adopt(rowToEntry(rows[0]));
      },
    });
  }

  write(name: string, text: string, values: unknown[]): void {
    this.writes.enqueue({
      name,
      run: async () => {
        await this.pool.query(text, values);
      },
    });
  }

  async claim(type: string, key: string, ttlMs: number): Promise<boolean> {
    if (this.replica.index.get(type, key)) return false;
    try {
      return await withClient(this.pool, async (client) => {
        try {
          await client.query('BEGIN');
          const taken = await client.query(TAKE_CLAIM, [
            type,
            key,
            this.owner,
            this.settings.machineId,
            ttlMs,
          ]);
          const existing =
            taken.rowCount === 1 ? await client.query<EntryRow>(SELECT_ENTRY, [type, key]) : undefined;
          if (taken.rowCount !== 1 || existing?.rows[0]) {
            await client.query('ROLLBACK');
            if (existing?.rows[0]) this.replica.adopt(rowToEntry(existing.rows[0]));
            return false;
          }
          await client.query('COMMIT');
          return true;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      this.report('claimGeneration', error);
      // Unreachable server: this machine generates on its own (the safe fallback).
      return true;
    }
  }

  async lookup(type: string, key: string): Promise<Entry | undefined> {
    try {
      const { rows } = await this.pool.query<EntryRow>(SELECT_ENTRY, [type, key]);
      return rows[0] ? this.replica.adopt(rowToEntry(rows[0])) : undefined;
    } catch (error) {
      this.report('lookupShared', error);
      return undefined;
    }
  }

  async sharedStats(): Promise<IndexStats | undefined> {
    try {
      const [{ rows }, counted] = await Promise.all([
        this.pool.query<{
          asset_type: string;
          count: number;
          total_uses: number;
          avg_uses_per_entry: number;
          bytes: number;
        }>(STATS_BY_TYPE),
        this.pool.query<{ rejections: number }>(COUNT_REJECTIONS),
      ]);
      const stats: IndexStats = {
        total_entries: 0,
        total_bytes: 0,
        by_type: {},
        rejections: counted.rows[0]?.rejections ?? 0,
      };
      for (const row of rows) {
        const { asset_type, ...figures } = row;
        stats.by_type[asset_type] = figures;
        stats.total_entries += figures.count;
        stats.total_bytes += figures.bytes;
      }
      return stats;
    } catch (error) {
      this.report('sharedStats', error);
      return undefined;
    }
  }

  async flush(timeoutMs?: number): Promise<boolean> {
    this.sendUses();
    return this.writes.idle(timeoutMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#connectTimer);
    clearInterval(this.#touchTimer);
    clearInterval(this.#pruneTimer);
    await this.flush(this.settings.connectTimeoutMs + this.settings.statementTimeoutMs);
    this.writes.close();
    await this.feed.close();
    await this.pool.end().catch(() => undefined);
  }

  api(): PostgresIndex {
    const { replica } = this;
    const local = replica.index;
    let closing: Promise<void> | undefined;
    return {
      get: (type, key) => local.get(type, key),
      insert: (entry) => {
        const existing = local.get(entry.type, entry.key);
        if (existing) return existing;
        const stored = local.insert(entry);
        this.publish(stored);
        return stored;
      },
      touch: (type, key, at) => {
        const touched = local.touch(type, key, at);
        if (touched) this.uses.add(type, key, at);
        return touched;
      },
      delete: (type, key) => {
        const removed = local.delete(type, key);
        if (removed) this.write('delete', DELETE_ENTRY, [type, key]);
        return removed;
      },
      clear: (type) => {
        const removed = local.clear(type);
        this.write('clear', CLEAR_ENTRIES, [type ?? null]);
        return removed;
      },
      reject: (type, requestKey, entryKey, at) => {
        assertRejectTime(at);
        const added = local.reject(type, requestKey, entryKey, at);
        // Known already: from the server, or queued for it by an earlier call.
        if (added) this.write('reject', INSERT_REJECTION, [type, requestKey, entryKey, Math.round(at)]);
        return added;
      },
      isRejected: (type, requestKey, entryKey) => local.isRejected(type, requestKey, entryKey),
      partition: (type, paramsHash) => local.partition(type, paramsHash),
      evictionCandidates: (options) => local.evictionCandidates(options),
      stats: () => local.stats(),
      revision: () => local.revision(),
      subscribe: (listener) => local.subscribe(listener),
      claimSharedGeneration: (type, key, { ttlMs }) => this.claim(type, key, ttlMs),
      releaseGeneration: (type, key) =>
        this.write('releaseGeneration', RELEASE_CLAIM, [type, key, this.owner]),
      lookupShared: (type, key) => this.lookup(type, key),
      flush: (timeoutMs) => this.flush(timeoutMs),
      catchUp: () => this.feed.catchUp(),
      sharedStats: () => this.sharedStats(),
      health: () => ({
        connected: this.feed.connected,
        pendingWrites: this.writes.pending,
        revision: this.revision,
        machineId: this.settings.machineId,
      }),
      close: () => {
        closing ??= this.close();
        return closing;
      },
    };
  }
}
