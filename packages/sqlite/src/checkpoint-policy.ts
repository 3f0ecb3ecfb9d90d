import { statSync } from 'node:fs';
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

export interface CheckpointPolicyOptions {
  /** Path of the database; the WAL is `<file>-wal`. */
  file: string;
  everyWrites: number;
  /** Above this many bytes the WAL counts as overgrown; `-1` means any size. */
  walLimitBytes: number;
  busyTimeoutMs: number;
}

/** Bytes of `<file>-wal` right now; 0 when absent. */
export function walSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * In steady state SQLite's passive autocheckpoint and `journal_size_limit` keep the WAL
 * small. But while a reader holds an old snapshot nothing can reset the WAL, and it grows
 * past the limit. Every `everyWrites` writes this looks at the file's size (one stat) and,
 * only when it is overgrown, tries TRUNCATE, which empties it as soon as no reader needs it;
 * when readers are still there it tries again an interval later. Healthy files never pay
 * for an extra checkpoint.
 */
export function createCheckpointPolicy(
  db: BetterSqlite3.Database,
  options: CheckpointPolicyOptions,
): CheckpointPolicy {
  const { file, everyWrites, walLimitBytes, busyTimeoutMs } = options;
  let writes = 0;
  return {
    afterWrite() {
      if (everyWrites === 0 || ++writes < everyWrites) return;
      writes = 0;
      if (walSize(file) <= Math.max(0, walLimitBytes)) return;
      try {
        checkpointNow(db, 'TRUNCATE', busyTimeoutMs);
      } catch {
        // Best effort after a write that already committed; the next interval tries again.
      }
    },
  };
}
