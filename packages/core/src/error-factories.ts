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

/** A package's own codes, by factory name: `{ tierReadOnly: 'E_TIER_READ_ONLY' }`. */
export type OwnErrorCodes = Readonly<Record<string, `E_${string}`>>;

export type PackageErrors<Own extends OwnErrorCodes = Record<never, never>> = {
  readonly [Method in keyof typeof CODES | keyof Own]: ErrorFactory;
} & {
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
 * `@tiercache/disk: `. A package with codes of its own names them in `ownCodes` and gets a
 * factory for each the same way (`errorsFor('@tiercache/s3', { tierReadOnly: 'E_TIER_READ_ONLY' })`).
 */
export function errorsFor<Own extends OwnErrorCodes = Record<never, never>>(
  packageName: string,
  ownCodes?: Own,
): PackageErrors<Own> {
  const factories: Record<string, unknown> = { packageName };
  for (const [method, code] of Object.entries({ ...CODES, ...ownCodes })) {
    if (method in CODES && ownCodes !== undefined && method in ownCodes) {
      // `coreErrors` exists by then: it is made without own codes, so it never reaches this line.
      throw coreErrors.invalidOptions(`own error code ${method} of ${packageName} shadows a core factory`, {
        context: { option: method },
      });
    }
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
  return Object.freeze(factories) as PackageErrors<Own>;
}

/** Core's own errors. */
export const coreErrors = errorsFor('@tiercache/core');
