import { type BlobRef, type BlobTier, type EntryRef, isTiercacheError } from '@tiercache/core';
import { readTierHealth } from '@tiercache/metrics';
import type { MediaService } from './media-service.js';
import { tierPart } from './storage/storage-registry.js';

/** Longest a tier may take to answer the probe before it counts as degraded. */
export const PROBE_TIMEOUT_MS = 2000;

// The default probe asks for an entry no one stores: that exercises the tier (a stat, a HEAD
// request) and changes nothing. With its key, tiers that keep objects per entry (S3) really ask
// their store. A tier part may declare its own probe (`TierPart.probe`).
const PROBE: BlobRef & EntryRef = {
  type: 'healthz',
  key: '0'.repeat(64),
  contentHash: '0'.repeat(64),
  extension: 'probe',
};

export interface ComponentHealth {
  name: string;
  status: 'ok' | 'degraded';
  /** Why it is degraded: an error code and the first line of its message, or the breaker state. */
  reason?: string;
}

/** The body of `GET /healthz`: 200 when `status` is `ok`, 503 when `degraded`. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  checkedAt: string;
  /** `false` with `TIERCACHE_ENABLE_CACHE=false`: nothing to check, and that is healthy. */
  cacheEnabled: boolean;
  index: ComponentHealth & { entries?: number };
  tiers: ComponentHealth[];
  /** The names of what is degraded (`index` and tier names). */
  degraded: string[];
}

function reasonOf(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return isTiercacheError(error) ? `${error.code}: ${message}` : message;
}

async function probeTier(tier: BlobTier): Promise<ComponentHealth> {
  const breaker = readTierHealth(tier)?.breakerState;
  if (breaker !== undefined && breaker !== 'closed')
    return { name: tier.name, status: 'degraded', reason: `circuit breaker ${breaker}` };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    const probe = tierPart(tier.name)?.probe ?? ((probed: BlobTier) => probed.has(PROBE));
    await Promise.race([probe(tier), timeout]);
    return { name: tier.name, status: 'ok' };
  } catch (error) {
    return { name: tier.name, status: 'degraded', reason: reasonOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks the index (its statistics) and probes every tier; never throws. */
export async function checkHealth(service: MediaService): Promise<HealthReport> {
  const checkedAt = new Date().toISOString();
  let cache: ReturnType<MediaService['media']['open']>;
  try {
    cache = service.media.open();
  } catch (error) {
    const index: ComponentHealth = { name: 'index', status: 'degraded', reason: reasonOf(error) };
    return { status: 'degraded', checkedAt, cacheEnabled: true, index, tiers: [], degraded: ['index'] };
  }
  if (!cache) {
    const index = { name: 'index', status: 'ok' as const };
    return { status: 'ok', checkedAt, cacheEnabled: false, index, tiers: [], degraded: [] };
  }
  let index: HealthReport['index'];
  try {
    index = { name: 'index', status: 'ok', entries: cache.index.stats().entries };
  } catch (error) {
    index = { name: 'index', status: 'degraded', reason: reasonOf(error) };
  }
  const tiers = await Promise.all(cache.tiers.map(probeTier));
  const degraded = [index, ...tiers].filter((part) => part.status === 'degraded').map((part) => part.name);
  return {
    status: degraded.length === 0 ? 'ok' : 'degraded',
    checkedAt,
    cacheEnabled: true,
    index,
    tiers,
    degraded,
  };
}
