import { TiercacheError, type TiercacheErrorOptions } from '@tiercache/core';
import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories; every message starts with the package name. */
export const matchersErrors = errorsFor('@tiercache/matchers');

/** The codes of this package that core's factories do not know (embedders and embeddings APIs). */
export type MatchersErrorCode =
  | 'E_INVALID_EMBEDDING'
  | 'E_EMBEDDINGS_HTTP'
  | 'E_EMBEDDINGS_TIMEOUT'
  | 'E_EMBEDDINGS_UNAVAILABLE'
  | 'E_EMBEDDINGS_RESPONSE';

/** An error of one of this package's own codes, prefixed like the factories' errors. */
export function matchersError(
  code: MatchersErrorCode,
  message: string,
  options?: TiercacheErrorOptions,
): TiercacheError {
  return new TiercacheError(code, `${matchersErrors.packageName}: ${message}`, options);
}
