import type BetterSqlite3 from 'better-sqlite3';

export type CheckpointMode = 'PASSIVE' | 'FULL' | 'RESTART' | 'TRUNCATE';

/** What `PRAGMA wal_checkpoint` reported. */
export interface CheckpointResult {
  /** True when readers or a writer kept the checkpoint from finishing. */
  busy: boolean;
  /** Frames in the WAL before the checkpoint (`-1` when not in WAL mode). */
  walFrames: number;
  /** Frames copied into the database file. */
  checkpointedFrames: number;
}

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Runs a checkpoint without ever waiting: the blocking modes would otherwise sit in the busy
 * handler for up to `busyTimeoutMs` while a reader holds an old snapshot.
 */
export function checkpointNow(
  db: BetterSqlite3.Database,
  mode: CheckpointMode,
  busyTimeoutMs: number,
): CheckpointResult {
  db.pragma('busy_timeout = 0');
  try {
    const row = (db.pragma(`wal_checkpoint(${mode})`) as CheckpointRow[])[0];
    return { busy: row?.busy === 1, walFrames: row?.log ?? -1, checkpointedFrames: row?.checkpointed ?? 0 };
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

export interface CheckpointPolicy {
  /** Call after every committed write transaction of this connection. */
  afterWrite(): void;
}

/**
 * SQLite's passive autocheckpoint cannot shrink a WAL that grew while a reader held an old
 * snapshot: it only copies frames and the file keeps its size. Every `everyWrites` writes
 * this tries TRUNCATE, which empties the file once no reader needs it; when readers are
 * still there it tries again after the next interval rather than on every write.
 */
export function createCheckpointPolicy(
  db: BetterSqlite3.Database,
  everyWrites: number,
  busyTimeoutMs: number,
): CheckpointPolicy {
  let writes = 0;
  return {
    afterWrite() {
      if (everyWrites === 0 || ++writes < everyWrites) return;
      writes = 0;
      try {
        checkpointNow(db, 'TRUNCATE', busyTimeoutMs);
      } catch {
        // Best effort after a write that already committed; the next interval tries again.
      }
    },
  };
}
