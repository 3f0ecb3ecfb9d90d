import { randomUUID } from 'node:crypto';
import type { Entry, IndexStats } from '@tiercache/core';
import { type EntryRow, rowToEntry } from '@tiercache/core/kit';
import type pg from 'pg';
import { ChangeListener } from './change-listener.js';
import { withClient } from './checked-out-client.js';
import { prepareSchema } from './migrations.js';
import { openError } from './postgres-errors.js';
import type { PostgresIndex } from './postgres-index.js';
import type { ResolvedPostgresIndexOptions } from './postgres-index-options.js';
import { Replica } from './replica.js';
import { ReplicaSync } from './replica-sync.js';
import { takeSharedClaim } from './shared-claim.js';
import { sharedIndexApi } from './shared-index-api.js';
import {
  ADD_USES,
  INSERT_ENTRY,
  insertParameters,
  PRUNE_CHANGES,
  SELECT_ENTRY,
} from './shared-statements.js';
import { readSharedStats } from './shared-stats.js';
import { UseBuffer } from './use-buffer.js';
import { WriteQueue } from './write-queue.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** The state behind one `PostgresIndex`: replica, feed, write queue and timers. */
export class SharedIndex {
  readonly replica = new Replica();
  readonly owner = `${randomUUID()}`;
  readonly sync: ReplicaSync;
  readonly writes: WriteQueue;
  readonly uses = new UseBuffer();
  readonly feed: ChangeListener;
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
    this.sync = new ReplicaSync(this.replica, pool);
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
      catchUp: () => this.sync.catchUp(),
      onFailure: report,
      onReconnect: () => this.writes.retryNow(),
    });
  }

  /** Checks (or migrates) the schema, loads the replica and starts the feed. */
  async connect(): Promise<void> {
    await withClient(this.pool, (client) =>
      prepareSchema(client, this.settings.connectionString, this.settings.migrate),
    );
    await this.sync.resync();
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

  async claim(type: string, key: string, claimMs: number): Promise<boolean> {
    if (this.replica.index.get(type, key)) return false;
    try {
      return await takeSharedClaim(this.pool, this.replica, {
        type,
        key,
        owner: this.owner,
        machineId: this.settings.machineId,
        claimMs,
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
      return await readSharedStats(this.pool);
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
    return sharedIndexApi(this);
  }
}
