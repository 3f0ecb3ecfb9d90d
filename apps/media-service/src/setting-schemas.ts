import { z } from 'zod';
import { parseBooleanText, parseDecimalText } from './text-values.js';

// The validators every setting is built from: each names what it expected and what it got, so
// the loader's errors read `TIERCACHE_CONCURRENCY: expected a whole number from 1 to 64, got 0`.

/** A value as an error message shows it. */
export const describeInput = (input: unknown) => {
  if (typeof input === 'string') return JSON.stringify(input);
  if (input === undefined) return 'nothing';
  return typeof input === 'object' && input !== null
    ? Array.isArray(input)
      ? 'an array'
      : 'an object'
    : String(input);
};

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => `expected one of ${values.join(', ')}, got ${describeInput(issue.input)}`,
  });

export const text = (what: string) =>
  z
    .string({ error: (issue) => `expected ${what}, got ${describeInput(issue.input)}` })
    .refine((value) => value.trim().length > 0, {
      error: (issue) => `expected ${what}, got ${issue.input === '' ? 'an empty string' : 'only spaces'}`,
    });

export const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({
      error: (issue) => `expected a whole number from ${min} to ${max}, got ${describeInput(issue.input)}`,
    })
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, {
      error: (issue) => `expected a whole number from ${min} to ${max}, got ${describeInput(issue.input)}`,
    });

export const flag = z.boolean({
  error: (issue) => `expected true or false, got ${describeInput(issue.input)}`,
});

/** A value `test` accepts; anything else is reported as `expected <what>, got <value>`. */
export const accept = <T>(what: string, test: (value: unknown) => value is T) =>
  z.custom<T>(test, { error: (issue) => `expected ${what}, got ${describeInput(issue.input)}` });

export const isString = (value: unknown): value is string => typeof value === 'string';

export const httpUrl = accept(
  'an http(s) URL',
  (value): value is string => isString(value) && /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value),
);

/** Environment strings to values; anything unrecognized is passed on for the schema to reject. */
export const fromEnv = {
  string: (raw: string): unknown => raw,
  number: (raw: string): unknown => parseDecimalText(raw) ?? raw,
  boolean: (raw: string): unknown => parseBooleanText(raw) ?? raw,
};
