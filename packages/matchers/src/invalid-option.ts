import { TiercacheError } from '@tiercache/core';

/** Short printable form of a value for error messages (core keeps its own private). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/** Throws `E_INVALID_OPTIONS` naming the option, the bad value and what was expected. */
export function invalidOption(field: string, value: unknown, expected: string): never {
  throw new TiercacheError(
    'E_INVALID_OPTIONS',
    `@tiercache/matchers: option ${field} ${describeValue(value)} is invalid; expected ${expected}`,
    {
      context: {
        field,
        value: typeof value === 'number' || typeof value === 'string' ? value : describeValue(value),
      },
    },
  );
}
