import type { BlobTier } from './contracts/blob-tier.js';
import type { Logger } from './contracts/logger.js';
import { coreErrors } from './error-factories.js';
import type { CacheEventEmitter } from './events.js';
import { safeLog } from './logger.js';

/**
 * Hands the cache's logger to the tiers that log their own warnings, and logs every `error`
 * event as a warning: the cache carried on without the failing part, so nothing failed for
 * the caller, but an operator should hear of it.
 */
export function connectLogger(logger: Logger, tiers: readonly BlobTier[], events: CacheEventEmitter): void {
  for (const tier of tiers) tier.setLogger?.(logger);
  events.on('error', ({ operation, tier, error }) => {
    const where = tier === undefined ? 'the index' : `tier "${tier}"`;
    safeLog(
      logger,
      'warn',
      { code: error.code, operation, ...(tier === undefined ? {} : { tier }) },
      `${coreErrors.packageName}: ${where} failed during ${operation}; the cache carried on without it: ${error.message}`,
    );
  });
}
