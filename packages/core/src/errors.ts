/** Stable error codes. Callers branch on `code`, never on message text. */
export type TiercacheErrorCode =
  | 'E_INVALID_REQUEST'
  | 'E_INVALID_REF'
  | 'E_INVALID_OPTIONS'
  | 'E_INVALID_ENTRY'
  | 'E_INVALID_DESTINATION'
  | 'E_DESTINATION_UNWRITABLE'
  | 'E_EMPTY_CONTENT'
  | 'E_TIER_UNAVAILABLE'
  | 'E_TIER_TIMEOUT'
  | 'E_INDEX_UNAVAILABLE'
  | 'E_INDEX_INCOMPATIBLE'
  | 'E_INDEX_READONLY'
  | 'E_CORRUPT_BLOB'
  | 'E_CLOSED'
  | 'E_UNSUPPORTED'
  | 'E_INVALID_EXPOSITION'
  | (string & {});

export interface TiercacheErrorOptions {
  /** Values that explain the failure (the bad field, the tier name...). Never credentials. */
  context?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Base class of every error thrown by tiercache packages. Messages start with the package
 * name (`@tiercache/core: ...`); `code` is stable across versions.
 */
/** Marks tiercache errors, so that `isTiercacheError` recognises them across duplicate package copies. */
const TIERCACHE_ERROR = Symbol.for('tiercache.error');

export class TiercacheError extends Error {
  readonly [TIERCACHE_ERROR] = true;
  readonly code: TiercacheErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: TiercacheErrorCode, message: string, options: TiercacheErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TiercacheError';
    this.code = code;
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }
}

/** True for any tiercache error, optionally of one code; works across duplicate package copies. */
export function isTiercacheError(value: unknown, code?: TiercacheErrorCode): value is TiercacheError {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as { [TIERCACHE_ERROR]?: unknown })[TIERCACHE_ERROR] !== true) return false;
  return code === undefined || (value as TiercacheError).code === code;
}

/** Short printable form of a value for error messages: bounded, never throws. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const proto = Object.getPrototypeOf(value);
  const name = proto?.constructor?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
