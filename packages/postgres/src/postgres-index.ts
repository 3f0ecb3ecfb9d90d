import { hostname } from 'node:os';
import type { Entry, EntryIndex, IndexStats } from '@tiercache/core';
import pg from 'pg';
import { openError, runtimeFailure } from './postgres-errors.js';
import { type PostgresIndexOptions, resolvePostgresIndexOptions } from './postgres-index-options.js';
import { SharedIndex } from './shared-index.js';

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
  claimSharedGeneration(
    type: string,
    key: string,
    options: { now: number; claimMs: number },
  ): Promise<boolean>;
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
