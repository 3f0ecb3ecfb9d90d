import { isTiercacheError, type TiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import type { DiskTierOptions } from './disk-options.js';
import { createDiskTier } from './disk-tier.js';

function optionsError(options: unknown): TiercacheError {
  try {
    createDiskTier(options as DiskTierOptions);
  } catch (error) {
    if (isTiercacheError(error, 'E_INVALID_OPTIONS')) return error;
    throw error;
  }
  throw new Error('expected E_INVALID_OPTIONS');
}

describe('disk tier: options', () => {
  it.each([
    [{}, 'dir undefined'],
    [{ dir: '' }, 'dir ""'],
    [{ dir: '/tmp/x', name: '' }, 'name ""'],
    [{ dir: '/tmp/x', fsync: 'yes' }, 'fsync "yes"'],
    [{ dir: '/tmp/x', delivery: 'hardlink' }, 'delivery "hardlink"'],
    [{ dir: '/tmp/x', verify: 'never' }, 'verify "never"'],
    [{ dir: '/tmp/x', onCorrupt: 'log' }, 'onCorrupt "log"'],
    [{ dir: '/tmp/x', staleTempMs: -1 }, 'staleTempMs -1'],
  ])('rejects %j naming the option and value', (options, expected) => {
    const error = optionsError(options);
    expect(error.message).toContain(`@tiercache/disk: option ${expected} is invalid`);
    expect(error.context.option).toBe(expected.split(' ')[0]);
  });

  it('rejects unknown options', () => {
    expect(optionsError({ dir: '/tmp/x', delivey: 'copy' }).message).toBe(
      '@tiercache/disk: unknown option delivey (did you mean delivery?)',
    );
  });

  it('defaults to the name disk, verified reads, and creates nothing until used', () => {
    const tier = createDiskTier({ dir: 'relative/cache' });
    expect(tier.name).toBe('disk');
    expect(tier.readVerification).toBe('by-cache');
    expect(tier.dir).toBe(`${process.cwd()}/relative/cache`);
  });
});
