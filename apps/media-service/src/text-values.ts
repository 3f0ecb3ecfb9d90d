import { MediaServiceError } from './errors.js';

// The one strict reading of each kind of value a user types (environment variables, flags).
// Lenient readers were the bug: `Number('0x1')` is 1, `Number('1e3')` is 1000, `Number(' ')`
// is 0, and "yes" read as true. Anything these refuse is passed on, unchanged, for the caller
// to reject with a message that names the setting and shows what it got.

const DECIMAL = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;
const WHOLE = /^\d+$/;

/** A plain decimal (`0.9`, `-2`, `15`); `undefined` for hex, exponents, blanks, `Infinity`. */
export function parseDecimalText(raw: string): number | undefined {
  return DECIMAL.test(raw) ? Number(raw) : undefined;
}

/** Digits only (`0`, `42`); `undefined` for signs, fractions, hex, exponents, blanks. */
export function parseWholeNumberText(raw: string): number | undefined {
  const value = WHOLE.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `true`/`1` and `false`/`0` (any case); `undefined` for any other word, `yes` included. */
export function parseBooleanText(raw: string): boolean | undefined {
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

/**
 * A command-line flag that takes a whole number in `[min, max]`; `E_USAGE` naming the flag and
 * what it got otherwise. `expected` words the range when the plain one would not say enough.
 */
export function wholeNumberFlag(
  flag: string,
  raw: string,
  min: number,
  max: number,
  expected = `a whole number from ${min} to ${max}`,
): number {
  const value = parseWholeNumberText(raw);
  if (value === undefined || value < min || value > max)
    throw new MediaServiceError('E_USAGE', `${flag}: expected ${expected}, got ${JSON.stringify(raw)}`);
  return value;
}
