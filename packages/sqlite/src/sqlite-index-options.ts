import { checkOptions } from '@tiercache/core/kit';

/** Options of `openSqliteIndex`. */
export interface SqliteIndexOptions {
  /**
   * Path of the database file, conventionally `<cache dir>/cache.db`. Its folder is created
   * when missing (except in `readonly` mode, where the file must exist).
   */
  file: string;
  /**
   * `NORMAL` (WAL): a commit survives a crash of the process, but the last commits may be lost
   * if the machine loses power; the file never corrupts. `FULL` also syncs the WAL on every
   * commit: durable across power loss, at the price of one fsync per write.
   * @default 'NORMAL'
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * How long a statement waits for a lock held by another connection or process before it
   * fails with `E_INDEX_UNAVAILABLE`.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * SQLite's `wal_autocheckpoint`: a passive checkpoint runs after a commit once the WAL holds
   * this many pages. `0` turns automatic checkpoints off.
   * @default 1000
   */
  walAutoCheckpointPages?: number;
  /**
   * Every this many write transactions through this instance, check the `-wal` file's size;
   * when it outgrew `journalSizeLimitBytes` (a reader held an old snapshot, so SQLite could
   * not reset it), try a non-blocking `wal_checkpoint(TRUNCATE)`, which empties it once no
   * reader needs it; retried an interval later while readers are still busy. `0` turns it off.
   * @default 1000
   */
  checkpointEveryWrites?: number;
  /**
   * SQLite's `journal_size_limit` in bytes: after a checkpoint resets the WAL, the file is
   * truncated to this size. `-1` keeps it at its largest size.
   * @default 4194304 (4 MiB)
   */
  journalSizeLimitBytes?: number;
  /**
   * How long `touch` may keep use counts in memory before writing them. `0` writes every
   * touch through (one small transaction, about 50 µs, per hit). Above `0` a touch costs a
   * read; the uses pending for an entry are written together in one `BEGIN IMMEDIATE`
   * transaction this many ms after the first one, and always before `stats`,
   * `evictionCandidates`, `delete`, `clear` and `close` of this instance (and when the process
   * exits normally). `touch` and `get` of this instance include the pending uses; other
   * connections see them after the flush. A crash loses at most this window of uses, never
   * entries.
   * @default 50
   */
  touchFlushMs?: number;
  /**
   * Opens the file read-only: no migration, no writes (`E_INDEX_READONLY`). The file must
   * exist and already have the current schema. When it cannot be opened in place for lack of
   * space or permission (SQLite's shared-memory file needs both) and no write-ahead log is
   * pending, the index reads a snapshot of the file taken in memory at open.
   * @default false
   */
  readonly?: boolean;
}

export type ResolvedSqliteIndexOptions = Required<SqliteIndexOptions>;

// SQLite takes these as 32-bit ints, and setTimeout its delay.
const INT32_MAX = 2 ** 31 - 1;

/** Throws `E_INVALID_OPTIONS` naming the first bad option; fills in the defaults. */
export function resolveSqliteIndexOptions(options: SqliteIndexOptions): ResolvedSqliteIndexOptions {
  const check = checkOptions<SqliteIndexOptions>('@tiercache/sqlite', options, {
    known: [
      'file',
      'synchronous',
      'busyTimeoutMs',
      'walAutoCheckpointPages',
      'checkpointEveryWrites',
      'journalSizeLimitBytes',
      'readonly',
      'touchFlushMs',
    ],
  });
  const int32 = (name: keyof SqliteIndexOptions & string, fallback: number, min = 0) =>
    check.integer(name, { min, max: INT32_MAX, default: fallback });
  return {
    file: check.string('file', {
      maxLength: 4096,
      test: (file) => file.trim().length > 0 && !file.includes('\u0000'),
      expected: 'the path of the database file',
    }),
    synchronous: check.oneOf('synchronous', ['NORMAL', 'FULL'], { default: 'NORMAL' }),
    readonly: check.boolean('readonly', { default: false }),
    busyTimeoutMs: int32('busyTimeoutMs', 5000),
    walAutoCheckpointPages: int32('walAutoCheckpointPages', 1000),
    checkpointEveryWrites: int32('checkpointEveryWrites', 1000),
    touchFlushMs: int32('touchFlushMs', 50),
    journalSizeLimitBytes: int32('journalSizeLimitBytes', 4 * 1024 * 1024, -1),
  };
}
