// Core's type, for the figures of `stats().saved`.
export type { Savings } from '@tiercache/core';
export {
  DEFAULT_SIMILARITY_POLICIES,
  isSimilarityPolicy,
  SIMILARITY_POLICY_NAMES,
} from './match-policies.js';
export { createMediaCache } from './media-cache.js';
export type {
  DeliveryOptions,
  GeneratedMedia,
  ImageGenerator,
  ImageRequest,
  MediaCache,
  MediaCacheOptions,
  MediaPolicies,
  MediaResult,
  MediaStats,
  MediaStorage,
  OriginalCacheStats,
  PolicyName,
  SimilarityPolicy,
  TtsGenerator,
  TtsRequest,
  WarmFailure,
  WarmGenerators,
  WarmItem,
  WarmOptions,
  WarmProgress,
  WarmReport,
} from './media-types.js';
export { DEFAULT_PRICING, type Price, type PricingTable, priceImage, priceTts } from './pricing.js';
export { imageKey, ttsKey } from './request-keys.js';
