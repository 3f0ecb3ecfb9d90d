import { errorsFor, type PackageErrors } from '../error-factories.js';
import { closestName } from './closest-name.js';

/** A field's presence: required (no default), defaulted, or optional (`undefined` when absent). */
export type OptionPresence<T> =
  | { default: T }
  | { optional: true }
  | { default?: undefined; optional?: false };
/** The value a check returns: `undefined` is possible only for an optional field. */
export type CheckedOption<T, P> = [P] extends [{ optional: true }] ? T | undefined : T;

export interface StringRule {
  /** @default 1 */
  minLength?: number;
  /** @default 1024 */
  maxLength?: number;
  /** Further test of the value, for example "no NUL byte". */
  test?: (value: string) => boolean;
  /** What the error says was expected. @default 'a string of minLength to maxLength characters' */
  expected?: string;
  /** Leave the value out of the error (credentials, connection strings). @default false */
  redactValue?: boolean;
}

export interface NumberRule {
  /** Smallest value allowed. @default 0 for integers; for numbers: any value above 0 */
  min?: number;
  /** Largest value allowed. @default Number.MAX_SAFE_INTEGER */
  max?: number;
  /** What the error says was expected. @default derived from min and max */
  expected?: string;
}

/**
 * Reads and checks the options object of one package, field by field. Made by `checkOptions`,
 * which has already refused unknown option names. Every method throws the package's
 * `E_INVALID_OPTIONS` error naming the option and the bad value.
 */
export interface OptionChecker<Options extends object> {
  readonly errors: PackageErrors;
  string<P extends OptionPresence<string>>(
    name: keyof Options & string,
    rule?: StringRule & P,
  ): CheckedOption<string, P>;
  /** A safe integer within `[min, max]`. */
  integer<P extends OptionPresence<number>>(
    name: keyof Options & string,
    rule?: NumberRule & P,
  ): CheckedOption<number, P>;
  /** A finite number within `[min, max]`; without `min`, above 0 (durations, rates). */
  number<P extends OptionPresence<number>>(
    name: keyof Options & string,
    rule?: NumberRule & P,
  ): CheckedOption<number, P>;
  boolean<P extends OptionPresence<boolean>>(
    name: keyof Options & string,
    rule?: P,
  ): CheckedOption<boolean, P>;
  function<F extends (...args: never[]) => unknown, P extends OptionPresence<F> = OptionPresence<F>>(
    name: keyof Options & string,
    rule?: P & { expected?: string },
  ): CheckedOption<F, P>;
  oneOf<const T extends string, P extends OptionPresence<T>>(
    name: keyof Options & string,
    allowed: readonly T[],
    rule?: P,
  ): CheckedOption<T, P>;
}

export interface CheckOptionsSettings<Options extends object> {
  /** Every option name the package accepts. */
  known: readonly (keyof Options & string)[];
  /**
   * Names people reach for that are not close in spelling (`ttl` for `maxAgeMs`): suggested
   * when given. Close misspellings are suggested without it.
   * @default {}
   */
  hints?: Readonly<Record<string, keyof Options & string>>;
  /** What the error says when the options are not an object. @default 'an options object' */
  expected?: string;
}

/**
 * The one option checker of tiercache packages: refuses a non-object and unknown option names
 * (with a "did you mean" suggestion), then returns a checker for each field.
 */
export function checkOptions<Options extends object>(
  packageName: string,
  options: unknown,
  settings: CheckOptionsSettings<Options>,
): OptionChecker<Options> {
  const errors = errorsFor(packageName);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw errors.invalidOption('object', options, settings.expected ?? 'an options object');
  }
  const known: readonly string[] = settings.known;
  for (const option of Object.keys(options)) {
    if (known.includes(option)) continue;
    const suggestion = settings.hints?.[option] ?? closestName(option, known);
    const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
    throw errors.invalidOptions(`unknown option ${option}${hint}`, {
      context: suggestion ? { option, suggestion } : { option },
    });
  }
  const values = options as Record<string, unknown>;

  function read<T>(
    name: string,
    rule: { default?: T; optional?: boolean } | undefined,
    isValid: (value: unknown) => boolean,
    expected: string,
    redactValue = false,
  ): T | undefined {
    const value = values[name];
    if (value === undefined) {
      if (rule?.default !== undefined) return rule.default;
      if (rule?.optional) return undefined;
    }
    if (!isValid(value)) throw errors.invalidOption(name, value, expected, { redactValue });
    return value as T;
  }

  function range(rule: NumberRule | undefined, integer: boolean): string {
    if (rule?.expected) return rule.expected;
    const kind = integer ? 'an integer' : 'a number';
    const min = rule?.min ?? (integer ? 0 : undefined);
    const max = rule?.max ?? Number.MAX_SAFE_INTEGER;
    const low = min === undefined ? 'above 0' : `from ${min.toLocaleString('en-US')}`;
    return max === Number.MAX_SAFE_INTEGER
      ? `${kind} ${min === undefined ? low : `${min} or more`}`
      : `${kind} ${low} to ${max.toLocaleString('en-US')}`;
  }

  const checker = {
    errors,
    string(name: string, rule?: StringRule & OptionPresence<string>) {
      const min = rule?.minLength ?? 1;
      const max = rule?.maxLength ?? 1024;
      const isValid = (value: unknown) =>
        typeof value === 'string' &&
        value.length >= min &&
        value.length <= max &&
        (rule?.test === undefined || rule.test(value));
      const expected =
        rule?.expected ??
        (min === 1
          ? `a non-empty string of at most ${max} characters`
          : `a string of ${min} to ${max} characters`);
      return read(name, rule, isValid, expected, rule?.redactValue);
    },
    integer(name: string, rule?: NumberRule & OptionPresence<number>) {
      const min = rule?.min ?? 0;
      const max = rule?.max ?? Number.MAX_SAFE_INTEGER;
      const isValid = (value: unknown) =>
        typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
      return read(name, rule, isValid, range(rule, true));
    },
    number(name: string, rule?: NumberRule & OptionPresence<number>) {
      const max = rule?.max ?? Number.MAX_SAFE_INTEGER;
      const isValid = (value: unknown) =>
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (rule?.min === undefined ? value > 0 : value >= rule.min) &&
        value <= max;
      return read(name, rule, isValid, range(rule, false));
    },
    boolean(name: string, rule?: OptionPresence<boolean>) {
      return read(name, rule, (value) => typeof value === 'boolean', 'true or false');
    },
    function(name: string, rule?: OptionPresence<unknown> & { expected?: string }) {
      return read(name, rule, (value) => typeof value === 'function', rule?.expected ?? 'a function');
    },
    oneOf(name: string, allowed: readonly string[], rule?: OptionPresence<string>) {
      const isValid = (value: unknown) => typeof value === 'string' && allowed.includes(value);
      return read(name, rule, isValid, allowed.map((value) => `'${value}'`).join(' or '));
    },
  };
  return checker as unknown as OptionChecker<Options>;
}
