import { TiercacheError } from '@tiercache/core';

/**
 * Short printable form of a value for messages. Core has one but does not export it from its
 * entry point, so this mirrors it: bounded, never throws.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name: unknown = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object';
}

/** Throws `E_INVALID_REQUEST` naming the field and the value it got. */
export function invalidRequest(field: string, value: unknown, expected: string, cause?: unknown): never {
  throw new TiercacheError(
    'E_INVALID_REQUEST',
    `@tiercache/media: ${field} ${describeValue(value)} is invalid; expected ${expected}`,
    cause === undefined ? { context: { field } } : { context: { field }, cause },
  );
}

/** Throws `E_INVALID_OPTIONS` naming the option and the value it got. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw new TiercacheError(
    'E_INVALID_OPTIONS',
    `@tiercache/media: option ${option} ${describeValue(value)} is invalid; expected ${expected}`,
    { context: { option } },
  );
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value));

export const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
