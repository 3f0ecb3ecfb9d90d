import { describeValue, errorsFor } from '@tiercache/core/kit';

/** Media's error factories: every message starts with `@tiercache/media: `. */
export const mediaErrors = errorsFor('@tiercache/media');

/** Throws `E_INVALID_REQUEST` naming the field and the value it got. */
export function invalidRequest(field: string, value: unknown, expected: string, cause?: unknown): never {
  throw mediaErrors.invalidRequest(
    `${field} ${describeValue(value)} is invalid; expected ${expected}`,
    cause === undefined ? { context: { field } } : { context: { field }, cause },
  );
}

/** Throws `E_INVALID_OPTIONS` naming the option and the value it got. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw mediaErrors.invalidOption(option, value, expected);
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value));

export const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
