import { describe, expect, it } from 'vitest';
import type { ContractVersion } from './contracts/version.js';
import { CONTRACT_VERSION } from './contracts/version.js';
import { isTiercacheError } from './errors.js';
import { exactMatcher } from './matcher.js';
import { createMemoryIndex } from './memory-index.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

// A part written for a future contract: the cast stands for a package built against it.
const future = 2 as unknown as ContractVersion;

function refusal(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a refusal');
}

describe('contract versions', () => {
  it("core's own parts declare the current version", () => {
    expect(CONTRACT_VERSION).toBe(1);
    expect(createMemoryIndex().contractVersion).toBe(CONTRACT_VERSION);
    expect(exactMatcher().contractVersion).toBe(CONTRACT_VERSION);
  });

  it('accepts parts that declare the current version or none', () => {
    const tier = { ...createMapTier('declared'), contractVersion: CONTRACT_VERSION };
    expect(() => createTieredCache({ tiers: [tier, createMapTier('silent')] })).not.toThrow();
  });

  it('refuses a tier, an index or a matcher written for another version, naming it', () => {
    const tier = { ...createMapTier('future-tier'), contractVersion: future };
    const tierError = refusal(() => createTieredCache({ tiers: [tier] }));
    expect(isTiercacheError(tierError, 'E_INVALID_OPTIONS')).toBe(true);
    expect(tierError.message).toContain('tier "future-tier".contractVersion 2 is invalid');

    const index = { ...createMemoryIndex(), contractVersion: future };
    const indexError = refusal(() => createTieredCache({ tiers: [createMapTier()], index }));
    expect(indexError.message).toContain('option index.contractVersion 2 is invalid');

    const matcher = { ...exactMatcher(), name: 'future-matcher', contractVersion: future };
    const matcherError = refusal(() => createTieredCache({ tiers: [createMapTier()], matchers: [matcher] }));
    expect(matcherError.message).toContain('matcher "future-matcher".contractVersion 2 is invalid');
  });
});
