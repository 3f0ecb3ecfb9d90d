import { describe, expect, it } from 'vitest';
import { assertExpect } from './assert-expect.js';

const fails = (run: () => void) => expect(run).toThrow(/expected/);

describe('assertExpect', () => {
  it('compares bytes by content whatever their class, and objects by their defined properties', () => {
    assertExpect(Buffer.from([1, 2, 3])).toEqual(new Uint8Array([1, 2, 3]));
    fails(() => assertExpect(new Uint8Array([1, 2, 3])).toEqual(new Uint8Array([1, 2, 4])));
    assertExpect({ a: 1, b: undefined, c: [1, { d: 'x' }] }).toEqual({ a: 1, c: [1, { d: 'x' }] });
    fails(() => assertExpect({ a: 1 }).toEqual({ a: 1, b: 2 }));
    fails(() => assertExpect([1, 2]).toEqual([1, 2, 3]));
  });

  it('matches a subset of properties, recursively', () => {
    assertExpect({ kind: 'similar', entry: { key: 'k', size: 3 }, score: 0.9 }).toMatchObject({
      entry: { key: 'k' },
    });
    fails(() => assertExpect({ entry: { key: 'k' } }).toMatchObject({ entry: { key: 'other' } }));
    fails(() => assertExpect(undefined).toMatchObject({ key: 'k' }));
  });

  it('negates every assertion with not, and names the message in the failure', () => {
    assertExpect(1).not.toBe(2);
    fails(() => assertExpect(1).not.toBe(1));
    expect(() => assertExpect(undefined, 'the tier answered').not.toBeUndefined()).toThrow(
      /^the tier answered: /,
    );
    assertExpect([1, 2]).toHaveLength(2);
    fails(() => assertExpect(0.5).toBeGreaterThanOrEqual(0.6));
    assertExpect(0.5).toBeLessThanOrEqual(0.5);
    fails(() => assertExpect('1').toBeLessThanOrEqual(2));
  });
});
