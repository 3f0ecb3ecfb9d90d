import { TiercacheError, type TiercacheErrorOptions } from '@tiercache/core';

/** Stable codes of the app's own failures; the CLI maps every one of them to a one-line message. */
export type MediaServiceErrorCode =
  | 'E_CONFIG'
  | 'E_UNKNOWN_CHANNEL'
  | 'E_CHANNEL_INVALID'
  | 'E_USAGE'
  | 'E_OUTPUT_UNWRITABLE'
  | 'E_ENGINE'
  | 'E_ENGINE_UNAVAILABLE'
  | 'E_VIDEO'
  | 'E_WARM_FILE'
  | 'E_INDEX_DAMAGED'
  | 'E_LISTEN';

/**
 * Everything the app throws on purpose. The message names the bad setting or input and starts
 * with `media-service:` (the tiercache convention of naming the package), one line, no stack.
 */
export class MediaServiceError extends TiercacheError {
  declare readonly code: MediaServiceErrorCode;

  constructor(code: MediaServiceErrorCode, message: string, options: TiercacheErrorOptions = {}) {
    super(code, `media-service: ${message}`, options);
    this.name = 'MediaServiceError';
  }
}

export function isMediaServiceError(value: unknown): value is MediaServiceError {
  return value instanceof MediaServiceError;
}
