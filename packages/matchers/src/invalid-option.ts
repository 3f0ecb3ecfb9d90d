import { invalidOption as coreInvalidOption } from '@tiercache/core';

/** Throws `E_INVALID_OPTIONS` naming the option, the bad value and what was expected. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw coreInvalidOption('@tiercache/matchers', option, value, expected);
}
