import {
  describeValue,
  TiercacheError,
  type TiercacheErrorCode,
  type TiercacheErrorOptions,
} from './errors.js';

/** Makes one error of one code; the message is prefixed with the package name. */
export type ErrorFactory = (message: string, options?: TiercacheErrorOptions) => TiercacheError;

// One factory per stable code: the method name is the code without `E_`, in camelCase.
const CODES = {
  invalidRequest: 'E_INVALID_REQUEST',
  invalidRef: 'E_INVALID_REF',
  invalidOptions: 'E_INVALID_OPTIONS',
  invalidEntry: 'E_INVALID_ENTRY',
  invalidDestination: 'E_INVALID_DESTINATION',
  destinationUnwritable: 'E_DESTINATION_UNWRITABLE',
  emptyContent: 'E_EMPTY_CONTENT',
  tierUnavailable: 'E_TIER_UNAVAILABLE',
  tierTimeout: 'E_TIER_TIMEOUT',
  indexUnavailable: 'E_INDEX_UNAVAILABLE',
  indexIncompatible: 'E_INDEX_INCOMPATIBLE',
  indexReadonly: 'E_INDEX_READONLY',
  corruptBlob: 'E_CORRUPT_BLOB',
  closed: 'E_CLOSED',
  unsupported: 'E_UNSUPPORTED',
  invalidExposition: 'E_INVALID_EXPOSITION',
} as const satisfies Record<string, TiercacheErrorCode>;

export type PackageErrors = { readonly [Method in keyof typeof CODES]: ErrorFactory } & {
  /** The package the errors name. */
  readonly packageName: string;
  /**
   * `E_INVALID_OPTIONS` for one bad option: names the package, the option, the value (unless
   * `redactValue`, for settings that may hold secrets) and what was expected.
   */
  invalidOption(
    option: string,
    value: unknown,
    expected: string,
    options?: { redactValue?: boolean },
  ): TiercacheError;
};

/**
 * The error factories of one package: `errorsFor('@tiercache/disk').invalidRef('...')` throws
 * nothing, it returns a `TiercacheError` of code `E_INVALID_REF` whose message starts with
 * `@tiercache/disk: `.
 */
export function errorsFor(packageName: string): PackageErrors {
  const factories: Record<string, unknown> = { packageName };
  for (const [method, code] of Object.entries(CODES)) {
    factories[method] = (message: string, options?: TiercacheErrorOptions) =>
      new TiercacheError(code, `${packageName}: ${message}`, options);
  }
  factories.invalidOption = (
    option: string,
    value: unknown,
    expected: string,
    options: { redactValue?: boolean } = {},
  ) => {
    const shown = options.redactValue ? '' : `${describeValue(value)} `;
    return new TiercacheError(
      'E_INVALID_OPTIONS',
      `${packageName}: option ${option} ${shown}is invalid; expected ${expected}`,
      {
        context: options.redactValue ? { option } : { option, value: describeValue(value) },
      },
    );
  };
  return Object.freeze(factories) as PackageErrors;
}

/** Core's own errors. */
export const coreErrors = errorsFor('@tiercache/core');
