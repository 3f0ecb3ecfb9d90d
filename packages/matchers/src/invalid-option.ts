import { errorsFor } from '@tiercache/core/kit';

/** Throws `E_INVALID_OPTIONS` naming the option, the bad value and what was expected. */
export function invalidOption(option: string, value: unknown, expected: string): never {
  throw errorsFor('@tiercache/matchers').invalidOption(option, value, expected);
}
