import type { TieredCacheOptions } from '@tiercache/core';
import { checkOptions } from '@tiercache/core/kit';
import { invalidOption, isPlainObject } from './invalid.js';
import { DEFAULT_SIMILARITY_POLICIES, type ResolvedPolicy, resolvePolicy } from './match-policies.js';
import type { MediaCacheOptions, MediaStorage } from './media-types.js';
import { type PricingTable, resolvePricing } from './pricing.js';

export interface ResolvedMediaOptions {
  storage: (() => MediaStorage) | undefined;
  outputDir: string;
  enabled: boolean;
  policies: Record<'tts' | 'image', ResolvedPolicy>;
  pricing: PricingTable;
  cacheOptions: Omit<TieredCacheOptions, 'tiers' | 'index' | 'matchers'>;
}

const KNOWN = ['storage', 'outputDir', 'enabled', 'policies', 'pricing', 'cacheOptions'] as const;
const OWNED_BY_MEDIA = ['tiers', 'index', 'matchers'];

/** Validates `createMediaCache` options once and fills in the defaults. */
export function resolveMediaOptions(options: MediaCacheOptions): ResolvedMediaOptions {
  const check = checkOptions<MediaCacheOptions>('@tiercache/media', options, { known: KNOWN });
  const enabled = check.boolean('enabled', { default: true });
  const outputDir = check.string('outputDir', {
    maxLength: 4096,
    test: (path) => !path.includes('\0'),
    expected: 'a folder path',
  });
  const storage = check.function<() => MediaStorage>('storage', {
    optional: true,
    expected: 'a function returning { index?, tiers }',
  });
  if (enabled && storage === undefined) {
    invalidOption(
      'storage',
      storage,
      'a function returning { index?, tiers } (required unless enabled is false)',
    );
  }
  const { policies = {}, pricing, cacheOptions = {} } = options;
  if (!isPlainObject(policies))
    invalidOption('policies', policies, 'an object with tts and/or image policies');
  for (const key of Object.keys(policies)) {
    if (key !== 'tts' && key !== 'image')
      invalidOption(`policies.${key}`, policies[key as 'tts'], 'only tts or image');
  }
  if (!isPlainObject(cacheOptions))
    invalidOption('cacheOptions', cacheOptions, 'an object of createTieredCache options');
  for (const key of OWNED_BY_MEDIA) {
    if (key in cacheOptions) {
      invalidOption(
        `cacheOptions.${key}`,
        (cacheOptions as Record<string, unknown>)[key],
        `nothing: ${key} come from storage and policies`,
      );
    }
  }
  return {
    storage,
    outputDir,
    enabled,
    policies: {
      tts: resolvePolicy('policies.tts', policies.tts, DEFAULT_SIMILARITY_POLICIES.tts),
      image: resolvePolicy('policies.image', policies.image, DEFAULT_SIMILARITY_POLICIES.image),
    },
    pricing: resolvePricing(pricing),
    cacheOptions: { ...cacheOptions },
  };
}
