import type { Entry, TiercacheError } from '@tiercache/core';
import { checkOptions, type OptionChecker } from '@tiercache/core/kit';

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

/** The connection string as a URL; a bad one is named without its value (it may hold a password). */
function connectionUrl(check: OptionChecker<PostgresIndexOptions>): { connectionString: string; url: URL } {
  const connectionString = check.string('connectionString', {
    maxLength: 4096,
    expected: 'a postgres:// connection string',
    redactValue: true,
  });
  const invalid = (expected: string) =>
    check.errors.invalidOption('connectionString', connectionString, expected, { redactValue: true });
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw invalid('a URL like postgres://user@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw invalid(`a postgres:// or postgresql:// URL (the scheme is ${url.protocol.slice(0, 20)})`);
  if (url.pathname.length <= 1 && !url.searchParams.has('dbname'))
    throw invalid('a URL that names the database (postgres://host/db)');
  return { connectionString, url };
}

/** Validates every option once, at open; throws `E_INVALID_OPTIONS` naming the first bad one. */
export function resolvePostgresIndexOptions(
  options: PostgresIndexOptions,
  defaultMachineId: string,
): ResolvedPostgresIndexOptions {
  const check = checkOptions<PostgresIndexOptions>('@tiercache/postgres', options, {
    known: [
      'connectionString',
      'migrate',
      'offlineStart',
      'machineId',
      'poolSize',
      'statementTimeoutMs',
      'connectTimeoutMs',
      'retryDelayMs',
      'maxRetryDelayMs',
      'touchFlushMs',
      'changeRetentionMs',
      'maxPendingWrites',
      'beforePublish',
      'onError',
    ],
  });
  const { connectionString } = connectionUrl(check);
  const positive = (name: keyof PostgresIndexOptions & string, fallback: number) =>
    check.integer(name, { min: 1, default: fallback });
  return {
    connectionString,
    migrate: check.boolean('migrate', { default: false }),
    offlineStart: check.boolean('offlineStart', { default: false }),
    machineId: check.string('machineId', { default: defaultMachineId }),
    poolSize: positive('poolSize', 4),
    statementTimeoutMs: positive('statementTimeoutMs', 5000),
    connectTimeoutMs: positive('connectTimeoutMs', 3000),
    retryDelayMs: positive('retryDelayMs', 100),
    maxRetryDelayMs: positive('maxRetryDelayMs', 5000),
    touchFlushMs: positive('touchFlushMs', 1000),
    maxPendingWrites: positive('maxPendingWrites', 10_000),
    changeRetentionMs: positive('changeRetentionMs', 7 * 24 * 60 * 60 * 1000),
    beforePublish: check.function<NonNullable<PostgresIndexOptions['beforePublish']>>('beforePublish', {
      optional: true,
    }),
    onError: check.function<NonNullable<PostgresIndexOptions['onError']>>('onError', {
      default: () => undefined,
    }),
  };
}
