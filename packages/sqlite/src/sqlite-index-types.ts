import type { BlobRef, EntryIndex, IndexStats } from '@tiercache/core';
import type { CheckpointMode, CheckpointResult } from './checkpoint-policy.js';

/** Index statistics plus the size of the files behind them. */
export interface SqliteIndexStats extends IndexStats {
  /** Bytes of the main database file (pages × page size). */
  databaseBytes: number;
  /** Bytes of the `-wal` file right now (0 when absent). */
  walBytes: number;
}

export interface IntegrityCheckOptions {
  /** `quick_check` instead of `integrity_check`: skips index-content checks, much faster. @default false */
  quick?: boolean;
  /** Stops after this many problems. @default 100 */
  maxProblems?: number;
}

export interface IntegrityReport {
  ok: boolean;
  /** SQLite's descriptions of what is wrong; empty when `ok`. */
  problems: string[];
}

/** An `EntryIndex` in a SQLite file that several processes can share. */
export interface SqliteIndex extends EntryIndex {
  readonly file: string;
  stats(): SqliteIndexStats;
  /** How many entries reference the blob `ref` names (see `EntryIndex.blobReferences`). */
  blobReferences(ref: BlobRef): number;
  integrityCheck(options?: IntegrityCheckOptions): IntegrityReport;
  /** Runs a checkpoint now without waiting for readers or writers. @default mode 'TRUNCATE' */
  checkpoint(mode?: CheckpointMode): CheckpointResult;
  /**
   * Writes the use counts `touch` is holding in memory (see `touchFlushMs`) now. Called
   * automatically; useful before another connection reads the counts.
   */
  flushTouches(): void;
  claimGeneration(type: string, key: string, options: { now: number; claimMs: number }): boolean;
  releaseGeneration(type: string, key: string): void;
  reject(type: string, requestKey: string, entryKey: string, at: number): boolean;
  isRejected(type: string, requestKey: string, entryKey: string): boolean;
  /**
   * Flushes pending touches, then closes the connection; later calls throw `E_CLOSED`.
   * Idempotent. The connection is closed even when the flush fails (which then throws).
   */
  close(): void;
}
