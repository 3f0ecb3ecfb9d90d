import { AssertionError } from 'node:assert';
import type { Assertion, Expect } from './test-runner.js';

/**
 * An `expect` built on `node:assert`, for runners that have none (`node:test`):
 * `blobTierSuite({ test: { describe, it, beforeEach, afterEach, expect: assertExpect }, ... })`.
 * Equality is structural like vitest's `toEqual`: typed arrays compare by bytes, whatever
 * their class (a `Buffer` equals the `Uint8Array` of the same bytes), and properties that are
 * `undefined` count as absent.
 */
export const assertExpect: Expect = (actual, message) => assertion(actual, message, false);

function assertion(actual: unknown, message: string | undefined, negated: boolean): Assertion {
  const check = (passed: boolean, expected: unknown, operator: string) => {
    if (passed !== negated) return;
    const claim = `${negated ? 'not ' : ''}${operator}`;
    throw new AssertionError({
      message: `${message ? `${message}: ` : ''}expected ${show(actual)} ${claim} ${show(expected)}`,
      actual,
      expected,
      operator: claim,
    });
  };
  return {
    toBe: (expected) => check(Object.is(actual, expected), expected, 'to be'),
    toEqual: (expected) => check(equal(actual, expected), expected, 'to equal'),
    toMatchObject: (expected) => check(matches(actual, expected), expected, 'to match'),
    toBeUndefined: () => check(actual === undefined, undefined, 'to be'),
    toHaveLength: (length) =>
      check((actual as { length?: unknown } | null)?.length === length, length, 'to have length'),
    toBeGreaterThanOrEqual: (bound) =>
      check(typeof actual === 'number' && actual >= bound, bound, 'to be >='),
    toBeLessThanOrEqual: (bound) => check(typeof actual === 'number' && actual <= bound, bound, 'to be <='),
    get not() {
      return assertion(actual, message, !negated);
    },
  };
}

function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b))
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    );
  if (Array.isArray(a) || Array.isArray(b))
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => equal(item, b[i]))
    );
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = (value: Record<string, unknown>) =>
    Object.keys(value).filter((key) => value[key] !== undefined);
  const [aKeys, bKeys] = [keys(a), keys(b)];
  return aKeys.length === bKeys.length && aKeys.every((key) => equal(a[key], b[key]));
}

/** Whether `actual` has every property of `expected`, recursively (arrays must equal). */
function matches(actual: unknown, expected: unknown): boolean {
  if (!isRecord(expected) || Array.isArray(expected) || ArrayBuffer.isView(expected))
    return equal(actual, expected);
  return isRecord(actual) && Object.keys(expected).every((key) => matches(actual[key], expected[key]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function show(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
