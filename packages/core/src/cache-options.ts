import type { TieredCacheOptions } from './cache-types.js';
import type { BlobTier } from './contracts/blob-tier.js';
import type { EntryIndex } from './contracts/entry-index.js';
import type { Matcher } from './contracts/matcher.js';
import { CONTRACT_VERSION } from './contracts/version.js';
import { coreErrors } from './error-factories.js';
import { assertLogger } from './logger.js';

function invalid(option: string, value: unknown, expected: string): never {
  throw coreErrors.invalidOption(option, value, expected);
}

/** The one test of a duration option or field (TTLs, timeouts): finite and above 0. */
export const isPositive = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/** Refuses a part written for another contract version than this cache's. */
function checkContractVersion(part: string, declared: unknown): void {
  if (declared === undefined || declared === CONTRACT_VERSION) return;
  invalid(
    `${part}.contractVersion`,
    declared,
    `${CONTRACT_VERSION}: ${part} was written for another version of @tiercache/core/contracts`,
  );
}

/** Throws `E_INVALID_OPTIONS` naming the first bad option. */
export function validateCacheOptions(options: TieredCacheOptions): void {
  if (typeof options !== 'object' || options === null) invalid('', options, 'an options object');
  const { tiers, index, matchers, tierTimeoutMs, tierTimeouts, ttlMs, now } = options;
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
    checkContractVersion(`tier "${tier.name}"`, tier.contractVersion);
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
    checkContractVersion('index', index.contractVersion);
  }
  if (matchers !== undefined) {
    if (!Array.isArray(matchers) || matchers.length === 0) invalid('matchers', matchers, 'a non-empty array');
    matchers.forEach((matcher: Matcher, i) => {
      if (typeof matcher?.find !== 'function') invalid(`matchers[${i}].find`, matcher?.find, 'a function');
      checkContractVersion(`matcher "${matcher.name}"`, matcher.contractVersion);
    });
  }
  if (tierTimeoutMs !== undefined && !isPositive(tierTimeoutMs))
    invalid('tierTimeoutMs', tierTimeoutMs, 'a positive number of ms');
  for (const [name, ms] of Object.entries(tierTimeouts ?? {})) {
    if (!names.has(name))
      invalid(`tierTimeouts.${name}`, name, `the name of a tier (${[...names].join(', ')})`);
    if (!isPositive(ms)) invalid(`tierTimeouts.${name}`, ms, 'a positive number of ms');
  }
  if (ttlMs !== undefined && ttlMs !== null && !isPositive(ttlMs)) {
    invalid('ttlMs', ttlMs, 'a positive number of ms or null');
  }
  if (options.claimMs !== undefined && !isPositive(options.claimMs)) {
    invalid('claimMs', options.claimMs, 'a positive number of ms');
  }
  if (options.zeroCopyHits !== undefined && typeof options.zeroCopyHits !== 'boolean')
    invalid('zeroCopyHits', options.zeroCopyHits, 'true or false');
  if (options.logger !== undefined) assertLogger('@tiercache/core', 'logger', options.logger);
  if (now !== undefined && typeof now !== 'function')
    invalid('now', now, 'a function returning ms since the epoch');
}
