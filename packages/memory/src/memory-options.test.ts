import { isTiercacheError, type TiercacheError } from '@tiercache/core';
import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import { describe, expect, it } from 'vitest';
import type { MemoryTierOptions } from './memory-options.js';
import { createMemoryTier } from './memory-tier.js';

function optionsError(options: unknown): TiercacheError {
  try {
    createMemoryTier(options as MemoryTierOptions);
  } catch (error) {
    if (isTiercacheError(error, 'E_INVALID_OPTIONS')) return error;
    throw error;
  }
  throw new Error('expected E_INVALID_OPTIONS');
}

describe('memory tier: options', () => {
  it.each([
    [{}, 'maxBytes undefined'],
    [{ maxBytes: 0 }, 'maxBytes 0'],
    [{ maxBytes: -1 }, 'maxBytes -1'],
    [{ maxBytes: 1.5 }, 'maxBytes 1.5'],
    [{ maxBytes: Number.POSITIVE_INFINITY }, 'maxBytes Infinity'],
    [{ maxBytes: '1000' }, 'maxBytes "1000"'],
    [{ maxBytes: 1000, maxEntries: 0 }, 'maxEntries 0'],
    [{ maxBytes: 1000, maxEntries: 20_000_000 }, 'maxEntries 20000000'],
    [{ maxBytes: 1000, maxAgeMs: -5 }, 'maxAgeMs -5'],
    [{ maxBytes: 1000, name: '' }, 'name ""'],
    [{ maxBytes: 1000, now: 5 }, 'now 5'],
  ])('rejects %j naming the option and value', (options, expected) => {
    const error = optionsError(options);
    expect(error.message).toContain(`@tiercache/memory: option ${expected} is invalid`);
    expect(error.context.option).toBe(expected.split(' ')[0]);
  });

  it('rejects unknown options and suggests the right name', () => {
    expect(optionsError({ maxBytes: 1000, ttl: 60_000 }).message).toBe(
      '@tiercache/memory: unknown option ttl (did you mean maxAgeMs?)',
    );
    expect(optionsError({ maxBytes: 1000, maxEntires: 5 }).message).toBe(
      '@tiercache/memory: unknown option maxEntires (did you mean maxEntries?)',
    );
  });

  it('rejects a missing options object', () => {
    expect(optionsError(undefined).code).toBe('E_INVALID_OPTIONS');
  });

  it('defaults the name to memory, checks sizes only and declares the contract version', () => {
    const tier = createMemoryTier({ maxBytes: 1000 });
    expect(tier.name).toBe('memory');
    expect(tier.readVerification).toBe('size-only');
    expect(tier.contractVersion).toBe(CONTRACT_VERSION);
    expect(createMemoryTier({ maxBytes: 1000, name: 'l1' }).name).toBe('l1');
  });
});
