/**
 * The assertions a suite makes, in the shape vitest, jest and bun share: pass your runner's
 * `expect` unchanged.
 */
export interface Assertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeUndefined(): void;
  toHaveLength(length: number): void;
  toBeGreaterThanOrEqual(bound: number): void;
  toBeLessThanOrEqual(bound: number): void;
  readonly not: Assertion;
}

/** `expect(actual, message?)`; a runner that takes no message ignores it. */
export type Expect = (actual: unknown, message?: string) => Assertion;

/**
 * The test runner a suite registers its tests with, passed in by the caller so that the
 * suites depend on no runner: `{ describe, it, expect, beforeEach, afterEach }` from vitest,
 * jest or bun as they are.
 */
export interface TestRunner {
  describe(title: string, body: () => void): unknown;
  it(title: string, body: () => Promise<void>): unknown;
  beforeEach(hook: () => Promise<void>): unknown;
  afterEach(hook: () => Promise<void>): unknown;
  expect: Expect;
}
