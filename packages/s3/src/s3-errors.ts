import { TiercacheError, type TiercacheErrorOptions } from '@tiercache/core';
import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories; every message starts with the package name. */
export const s3Errors = errorsFor('@tiercache/s3');

const PREFIX = `${s3Errors.packageName}: `;

/** A warning's text, prefixed like the package's errors. */
export const s3Message = (text: string): string => PREFIX + text;

/** An error message without the package prefix, for quoting it inside another message. */
export const withoutPrefix = (message: string): string =>
  message.startsWith(PREFIX) ? message.slice(PREFIX.length) : message;

/**
 * `E_TIER_READ_ONLY`, the one code of this package that core's factories do not know: the
 * bucket refused a write with HTTP 403, so the tier goes on reading only.
 */
export function tierReadOnly(message: string, options?: TiercacheErrorOptions): TiercacheError {
  return new TiercacheError('E_TIER_READ_ONLY', s3Message(message), options);
}
