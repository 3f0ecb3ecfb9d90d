import { matchersErrors } from './matchers-errors.js';

/** Throws `E_INVALID_OPTIONS` naming the option, the bad value and what was expected. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw matchersErrors.invalidOption(option, value, expected);
}
