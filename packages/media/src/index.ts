export { createMediaCache } from './media-cache.js';
export { DEFAULT_POLICIES } from './media-options.js';
export type {
  DeliveryOptions,
  GeneratedMedia,
  ImageGenerator,
  ImageRequest,
  MediaCache,
  MediaCacheOptions,
  MediaCacheStats,
  MediaPolicies,
  MediaResult,
  MediaStorage,
  SavedTotals,
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
