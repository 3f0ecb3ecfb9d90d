import { describe, expect, it } from 'vitest';
import { errorsFor } from '../error-factories.js';
import { isTiercacheError, TiercacheError } from '../errors.js';

describe('errorsFor', () => {
  it('makes one factory per code, prefixing the package name', () => {
    const errors = errorsFor('@tiercache/example');
    const error = errors.invalidRef('ref "../x" escapes the tier', { context: { field: 'key' } });
    expect(error).toBeInstanceOf(TiercacheError);
    expect(error.code).toBe('E_INVALID_REF');
    expect(error.message).toBe('@tiercache/example: ref "../x" escapes the tier');
    expect(error.context).toEqual({ field: 'key' });
    expect(errors.tierUnavailable('down').code).toBe('E_TIER_UNAVAILABLE');
    expect(errors.indexUnavailable('gone').code).toBe('E_INDEX_UNAVAILABLE');
    expect(errors.closed('closed').code).toBe('E_CLOSED');
    expect(errors.unsupported('no').code).toBe('E_UNSUPPORTED');
    expect(errors.invalidOption('maxBytes', -1, 'an integer above 0').message).toBe(
      '@tiercache/example: option maxBytes -1 is invalid; expected an integer above 0',
    );
  });

  it("makes a factory for each of a package's own codes the same way", () => {
    const errors = errorsFor('@tiercache/example', { tierReadOnly: 'E_TIER_READ_ONLY' });
    const error = errors.tierReadOnly('bucket refused a write', { context: { tier: 's3' } });
    expect(isTiercacheError(error, 'E_TIER_READ_ONLY')).toBe(true);
    expect(error.message).toBe('@tiercache/example: bucket refused a write');
    expect(errors.closed('closed').code).toBe('E_CLOSED');
  });

  it("refuses an own code that would shadow one of core's factories", () => {
    expect(() => errorsFor('@tiercache/example', { closed: 'E_SHUT' })).toThrow(
      /closed of @tiercache\/example shadows/,
    );
  });
});

describe('isTiercacheError', () => {
  it('recognises errors by their marker, also from another copy of the package', () => {
    const fromAnotherCopy = Object.assign(new Error('@tiercache/core: closed'), {
      [Symbol.for('tiercache.error')]: true,
      code: 'E_CLOSED',
      context: {},
    });
    expect(isTiercacheError(fromAnotherCopy, 'E_CLOSED')).toBe(true);
    expect(isTiercacheError(fromAnotherCopy, 'E_INVALID_REF')).toBe(false);
    const lookalike = Object.assign(new Error('closed'), { code: 'E_CLOSED', context: {} });
    expect(isTiercacheError(lookalike)).toBe(false);
    expect(isTiercacheError(errorsFor('@tiercache/core').closed('closed'))).toBe(true);
  });
});
