import { isTiercacheError, type TiercacheError } from '@tiercache/core';
import { errorsFor } from '@tiercache/core/kit';
import Database from 'better-sqlite3';

/** This package's error factories; every message starts with the package name. */
export const sqliteErrors = errorsFor('@tiercache/sqlite');

/**
 * Codes this package throws besides core's: `E_INDEX_INCOMPATIBLE` (the file holds a schema
 * this code cannot use: newer, or not tiercache's) and `E_INDEX_READONLY` (a write through
 * an index opened read-only).
 */
export type SqliteIndexErrorCode =
  | 'E_INDEX_UNAVAILABLE'
  | 'E_INDEX_INCOMPATIBLE'
  | 'E_INDEX_READONLY'
  | 'E_CLOSED';

export function sqliteCodeOf(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

/** Wraps a SQLite failure (busy past the timeout, disk full, I/O error...) in a typed error. */
export function unavailable(file: string, operation: string, cause: unknown): TiercacheError {
  if (isTiercacheError(cause)) return cause;
  const sqliteCode = sqliteCodeOf(cause);
  const detail = cause instanceof Error ? cause.message : String(cause);
  return sqliteErrors.indexUnavailable(`${operation} failed on ${file}: ${detail}`, {
    context: { file, operation, sqliteCode },
    cause,
  });
}

export function closedError(file: string, operation: string): TiercacheError {
  return sqliteErrors.closed(`${operation} called after close() on ${file}`, {
    context: { file, operation },
  });
}

export function readonlyError(file: string, operation: string): TiercacheError {
  return sqliteErrors.indexReadonly(`${operation} is a write, and ${file} was opened with readonly: true`, {
    context: { file, operation },
  });
}

export function incompatibleError(file: string, reason: string): TiercacheError {
  return sqliteErrors.indexIncompatible(`${file} cannot be used: ${reason}; the file was left untouched`, {
    context: { file, reason },
  });
}

/** SQLite would store NaN as NULL and fail a NOT NULL check with a misleading error. */
export function assertFiniteTime(operation: 'touch' | 'reject', at: unknown): asserts at is number {
  if (typeof at === 'number' && Number.isFinite(at)) return;
  throw sqliteErrors.invalidRequest(`${operation} time ${String(at)} is not a finite number of ms`, {
    context: { field: 'at' },
  });
}
