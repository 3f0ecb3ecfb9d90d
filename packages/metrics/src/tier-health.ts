import type { BlobTier } from '@tiercache/core';

/** The circuit breaker states a tier may report. */
export const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/**
 * What a remote tier tells about its health through an optional `stats()` method (the S3
 * tier's `S3TierStats` has this shape). Read by duck typing, so this package depends on no
 * tier: a tier without `stats()`, or with other fields, reports nothing here.
 */
export interface TierHealth {
  tier: string;
  breakerState?: BreakerState;
  queueDepth?: number;
  queueBytes?: number;
  requestFailures?: number;
  requestTimeouts?: number;
  requestRetries?: number;
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

function field(source: unknown, group: string, name: string): unknown {
  const section = (source as Record<string, unknown> | null)?.[group];
  return typeof section === 'object' && section !== null
    ? (section as Record<string, unknown>)[name]
    : undefined;
}

/** Reads `tier.stats()` when the tier has one; a throwing or odd `stats()` reports nothing. */
export function readTierHealth(tier: BlobTier): TierHealth | undefined {
  const stats = (tier as { stats?: unknown }).stats;
  if (typeof stats !== 'function') return undefined;
  let snapshot: unknown;
  try {
    snapshot = (stats as () => unknown).call(tier);
  } catch {
    return undefined;
  }
  if (typeof snapshot !== 'object' || snapshot === null || snapshot instanceof Promise) return undefined;
  const health: TierHealth = { tier: tier.name };
  const state = field(snapshot, 'breaker', 'state');
  if (BREAKER_STATES.includes(state as BreakerState)) health.breakerState = state as BreakerState;
  const counts = {
    queueDepth: field(snapshot, 'queue', 'depth'),
    queueBytes: field(snapshot, 'queue', 'bytes'),
    requestFailures: field(snapshot, 'requests', 'failures'),
    requestTimeouts: field(snapshot, 'requests', 'timeouts'),
    requestRetries: field(snapshot, 'requests', 'retries'),
  };
  for (const [name, value] of Object.entries(counts)) {
    if (isCount(value)) health[name as keyof typeof counts] = value;
  }
  return health;
}
