import type { BlobTier } from './blob-tier.js';
import type { TieredCacheOptions } from './cache-types.js';
import type { EntryIndex } from './entry-index.js';
import { invalidOption } from './errors.js';
import { assertLogger } from './logger.js';
import type { Matcher } from './matcher.js';

function invalid(option: string, value: unknown, expected: string): never {
  throw invalidOption('@tiercache/core', option, value, expected);
}

/** The one test of a duration option or field (TTLs, timeouts): finite and above 0. */
export const isPositive = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/** Throws `E_INVALID_OPTIONS` naming the first bad option. */
export function validateCacheOptions(options: TieredCacheOptions): void {
  if (typeof options !== 'object' || options === null) invalid('', options, 'an options object');
  const { tiers, index, matchers, tierTimeoutMs, tierTimeouts, defaultTtlMs, now } = options;
  if (!Array.isArray(tiers) || tiers.length === 0) invalid('tiers', tiers, 'a non-empty array of blob tiers');
  const names = new Set<string>();
  tiers.forEach((tier: BlobTier, i) => {
    for (const method of ['get', 'put', 'has', 'delete', 'clear'] as const) {
      if (typeof tier?.[method] !== 'function')
        invalid(`tiers[${i}].${method}`, tier?.[method], 'a function');
    }
    if (typeof tier.name !== 'string' || tier.name.length === 0)
      invalid(`tiers[${i}].name`, tier.name, 'a name');
    if (names.has(tier.name)) invalid(`tiers[${i}].name`, tier.name, 'a name no other tier has');
    names.add(tier.name);
  });
  if (index !== undefined) {
    for (const method of [
      'get',
      'insert',
      'touch',
      'delete',
      'clear',
      'evictionCandidates',
      'stats',
    ] as const) {
      if (typeof (index as EntryIndex)?.[method] !== 'function')
        invalid(`index.${method}`, index?.[method], 'a function');
    }
  }
  if (matchers !== undefined) {
    if (!Array.isArray(matchers) || matchers.length === 0) invalid('matchers', matchers, 'a non-empty array');
    matchers.forEach((matcher: Matcher, i) => {
      if (typeof matcher?.find !== 'function') invalid(`matchers[${i}].find`, matcher?.find, 'a function');
    });
  }
  if (tierTimeoutMs !== undefined && !isPositive(tierTimeoutMs))
    invalid('tierTimeoutMs', tierTimeoutMs, 'a positive number of ms');
  for (const [name, ms] of Object.entries(tierTimeouts ?? {})) {
    if (!names.has(name))
      invalid(`tierTimeouts.${name}`, name, `the name of a tier (${[...names].join(', ')})`);
    if (!isPositive(ms)) invalid(`tierTimeouts.${name}`, ms, 'a positive number of ms');
  }
  if (defaultTtlMs !== undefined && defaultTtlMs !== null && !isPositive(defaultTtlMs)) {
    invalid('defaultTtlMs', defaultTtlMs, 'a positive number of ms or null');
  }
  if (options.generationClaimMs !== undefined && !isPositive(options.generationClaimMs)) {
    invalid('generationClaimMs', options.generationClaimMs, 'a positive number of ms');
  }
  if (options.zeroCopyHits !== undefined && typeof options.zeroCopyHits !== 'boolean')
    invalid('zeroCopyHits', options.zeroCopyHits, 'true or false');
  if (options.logger !== undefined) assertLogger('@tiercache/core', 'logger', options.logger);
  if (now !== undefined && typeof now !== 'function')
    invalid('now', now, 'a function returning ms since the epoch');
}
