import { checkOptions } from '@tiercache/core/kit';
import { matchersErrors } from './matchers-errors.js';

/** Throws `E_INVALID_OPTIONS` naming the option, the bad value and what was expected. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw matchersErrors.invalidOption(option, value, expected);
}

/**
 * Refuses a value that is not an options object, and any option name not in `known` (with a
 * "did you mean" suggestion): a misspelt `threshhold` would otherwise be ignored silently and
 * the matcher would run on its default.
 */
export function refuseUnknownOptions<Options extends object>(
  options: unknown,
  known: readonly (keyof Options & string)[],
): asserts options is Options {
  checkOptions<Options>(matchersErrors.packageName, options, { known });
}
