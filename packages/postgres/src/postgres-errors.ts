import { isTiercacheError, type TiercacheError } from '@tiercache/core';
import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories; every message starts with the package name. */
export const postgresErrors = errorsFor('@tiercache/postgres');

/**
 * Codes this package throws besides core's: `E_INVALID_OPTIONS` (a bad option, including a
 * connection string that cannot be parsed or whose credentials the server refuses),
 * `E_INDEX_UNAVAILABLE` (the server cannot be reached when opening), `E_INDEX_INCOMPATIBLE`
 * (the database has no tiercache schema and `migrate` is off, or a newer schema than this code).
 */
export type PostgresIndexErrorCode = 'E_INVALID_OPTIONS' | 'E_INDEX_UNAVAILABLE' | 'E_INDEX_INCOMPATIBLE';

/** The SQLSTATE of a server error (`28P01` bad password...), undefined for anything else. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * A connection string with its password (and any `password=` parameter) replaced, for messages.
 * Never throws: text that is not a URL is reduced to its scheme.
 */
export function redactConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    for (const name of [...url.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(name)) url.searchParams.set(name, '***');
    }
    return url.toString();
  } catch {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(connectionString)?.[1];
    return scheme ? `${scheme}://...` : '(not a URL)';
  }
}

/** Removes every occurrence of the secrets of `connectionString` from server or driver text. */
export function scrub(text: string, connectionString: string): string {
  let out = text;
  try {
    const url = new URL(connectionString);
    for (const secret of [url.password, decodeURIComponent(url.password)]) {
      if (secret.length > 0) out = out.split(secret).join('***');
    }
  } catch {
    // Not a URL: nothing recognizable to remove beyond what messages already omit.
  }
  return out;
}

/** Wraps a failure to reach or use the server at open time; names the setting, never the password. */
export function openFailure(connectionString: string, cause: unknown): TiercacheError {
  const where = `option connectionString (${redactConnectionString(connectionString)})`;
  const state = sqlStateOf(cause);
  const detail = scrub(cause instanceof Error ? cause.message : String(cause), connectionString);
  const refused = { context: { option: 'connectionString', sqlState: state } };
  if (state === '28P01' || state === '28000')
    return postgresErrors.invalidOptions(`${where}: the server refused the credentials (${state})`, refused);
  if (state === '3D000')
    return postgresErrors.invalidOptions(`${where}: the database does not exist (${state})`, refused);
  return postgresErrors.indexUnavailable(`cannot open the index at ${where}: ${detail}`, {
    context: { option: 'connectionString', operation: 'open', sqlState: state },
  });
}

export function incompatibleSchema(connectionString: string, reason: string, option: string): TiercacheError {
  return postgresErrors.indexIncompatible(
    `the database at option connectionString (${redactConnectionString(connectionString)}) cannot be used: ${reason}`,
    { context: { option, reason } },
  );
}

/** A failure while the index runs (reported through `onError`, never thrown to the cache). */
export function runtimeFailure(operation: string, connectionString: string, cause: unknown): TiercacheError {
  const detail = scrub(cause instanceof Error ? cause.message : String(cause), connectionString);
  return postgresErrors.indexUnavailable(`${operation} failed: ${detail}`, {
    context: { operation, sqlState: sqlStateOf(cause) },
  });
}

/** The time goes to a `bigint` column: anything but a finite number would fail there, later, unseen. */
export function assertRejectTime(at: number): void {
  if (typeof at !== 'number' || !Number.isFinite(at))
    throw postgresErrors.invalidRequest(`reject time ${String(at)} is not a finite number of ms`, {
      context: { field: 'at' },
    });
}

/** Errors of this package pass through; anything else is a failure to reach or use the server. */
export function openError(connectionString: string, error: unknown): TiercacheError {
  return isTiercacheError(error) ? error : openFailure(connectionString, error);
}
