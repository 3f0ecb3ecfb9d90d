import type { BlobTier } from '@tiercache/core';

/** How reads of a tier are verified: by the cache's hash, by the tier itself, or by size only. */
export type ReadVerification = 'by-cache' | 'by-tier' | 'size-only';

/** The tier's declared read verification. */
export function readVerificationOf(tier: BlobTier): ReadVerification {
  if (!tier.verifyReads) return 'size-only';
  return tier.verifiesOwnReads === true ? 'by-tier' : 'by-cache';
}
