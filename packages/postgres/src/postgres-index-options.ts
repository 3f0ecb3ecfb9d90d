import type { Entry, TiercacheError } from '@tiercache/core';
import { errorsFor } from '@tiercache/core/kit';

/** Options of `openPostgresIndex`. */
export interface PostgresIndexOptions {
  /**
   * `postgres://user:password@host:port/database` (or `postgresql://`). The password never
   * appears in errors or reports.
   */
  connectionString: string;
  /**
   * Creates or upgrades the schema (under an advisory lock, so machines starting together do
   * not race). Off: a database without the schema is refused with `E_INDEX_INCOMPATIBLE`.
   * @default false
   */
  migrate?: boolean;
  /**
   * When the server cannot be reached at open: resolve anyway with an empty replica and keep
   * connecting in the background (generation goes on meanwhile, writes are queued), instead of
   * rejecting with `E_INDEX_UNAVAILABLE`. Refused credentials and schema problems still reject.
   * @default false
   */
  offlineStart?: boolean;
  /**
   * Names this machine in claims (diagnostics only: claims are owned by the instance).
   * @default `<hostname>:<pid>`
   */
  machineId?: string;
  /**
   * Connections in the pool (the change feed holds one more of its own).
   * @default 4
   */
  poolSize?: number;
  /**
   * Server-side `statement_timeout` of every query, in ms.
   * @default 5000
   */
  statementTimeoutMs?: number;
  /**
   * How long to wait for a connection, in ms.
   * @default 3000
   */
  connectTimeoutMs?: number;
  /**
   * First delay before retrying after the server was unreachable; doubles up to `maxRetryDelayMs`.
   * @default 100
   */
  retryDelayMs?: number;
  /**
   * Longest delay between reconnection attempts, in ms.
   * @default 5000
   */
  maxRetryDelayMs?: number;
  /**
   * How often use counts (`touch`) are sent to the server, batched, in ms.
   * @default 1000
   */
  touchFlushMs?: number;
  /**
   * How long the change log keeps a change, in ms. A machine that was away longer than this
   * reloads the whole table when it comes back instead of reading the log.
   * @default 604800000 (7 days)
   */
  changeRetentionMs?: number;
  /**
   * Writes (inserts, deletes, clears, use counts) kept for the server while it is down; beyond
   * this the oldest are dropped (and reported through `onError`).
   * @default 10000
   */
  maxPendingWrites?: number;
  /**
   * Runs before an inserted entry is published to the other machines: for instance
   * `() => s3.flush()`, so the shared blob exists before any machine can see the entry.
   * Its failure is reported and the entry is published anyway.
   * @default publishes at once
   */
  beforePublish?: (entry: Entry) => Promise<unknown>;
  /**
   * Receives every failure of the server while the index runs (the index itself then serves
   * from its local replica). Never called with a password.
   * @default ignores them
   */
  onError?: (error: TiercacheError) => void;
}

export type ResolvedPostgresIndexOptions = Required<Omit<PostgresIndexOptions, 'beforePublish'>> & {
  beforePublish: PostgresIndexOptions['beforePublish'] | undefined;
};

const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

function invalid(option: string, value: unknown, expected: string, redactValue = false): never {
  throw errorsFor('@tiercache/postgres').invalidOption(option, value, expected, { redactValue });
}

/** Validates every option once, at open; throws `E_INVALID_OPTIONS` naming the first bad one. */
export function resolvePostgresIndexOptions(
  options: PostgresIndexOptions,
  defaultMachineId: string,
): ResolvedPostgresIndexOptions {
  if (typeof options !== 'object' || options === null) invalid('', options, 'an options object');
  const { connectionString } = options;
  if (typeof connectionString !== 'string' || connectionString.length === 0)
    invalid('connectionString', connectionString, 'a postgres:// connection string', true);
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    invalid('connectionString', connectionString, 'a URL like postgres://user@host:5432/database', true);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    invalid(
      'connectionString',
      connectionString,
      `a postgres:// or postgresql:// URL (the scheme is ${url.protocol.slice(0, 20)})`,
      true,
    );
  if (url.pathname.length <= 1 && !url.searchParams.has('dbname'))
    invalid('connectionString', connectionString, 'a URL that names the database (postgres://host/db)', true);
  const numbers = {
    poolSize: 4,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 3000,
    retryDelayMs: 100,
    maxRetryDelayMs: 5000,
    touchFlushMs: 1000,
    maxPendingWrites: 10_000,
    changeRetentionMs: 7 * 24 * 60 * 60 * 1000,
  } as const;
  const resolved: Record<string, number> = {};
  for (const [name, fallback] of Object.entries(numbers)) {
    const value = (options as unknown as Record<string, unknown>)[name];
    if (value === undefined) resolved[name] = fallback;
    else if (!isPositiveInteger(value)) invalid(name, value, 'a positive integer');
    else resolved[name] = value;
  }
  for (const name of ['migrate', 'offlineStart'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean')
      invalid(name, options[name], 'true or false');
  }
  if (options.machineId !== undefined && (typeof options.machineId !== 'string' || options.machineId === ''))
    invalid('machineId', options.machineId, 'a non-empty string');
  for (const name of ['beforePublish', 'onError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      invalid(name, options[name], 'a function');
  }
  return {
    connectionString,
    migrate: options.migrate ?? false,
    offlineStart: options.offlineStart ?? false,
    machineId: options.machineId ?? defaultMachineId,
    poolSize: resolved.poolSize!,
    statementTimeoutMs: resolved.statementTimeoutMs!,
    connectTimeoutMs: resolved.connectTimeoutMs!,
    retryDelayMs: resolved.retryDelayMs!,
    maxRetryDelayMs: resolved.maxRetryDelayMs!,
    touchFlushMs: resolved.touchFlushMs!,
    maxPendingWrites: resolved.maxPendingWrites!,
    changeRetentionMs: resolved.changeRetentionMs!,
    beforePublish: options.beforePublish,
    onError: options.onError ?? (() => undefined),
  };
}
