import type { CacheStats } from '@tiercache/core';
import { Counter, Gauge } from 'prom-client';
import type { TypeLabels } from './bounded-labels.js';
import { METRIC_NAMES } from './metric-names.js';
import { type MetricsSource, sharedStats } from './metrics-source.js';
import type { ResolvedPrometheusMetricsOptions } from './prometheus-options.js';
import { BREAKER_STATES, readTierHealth, type TierHealth } from './tier-health.js';

type StatsReader = () => Promise<CacheStats | undefined>;

/**
 * Gauges (and counters kept by the cache or a tier) read when Prometheus scrapes: the index's
 * entries and bytes by type, the tiers' holdings, and the health a remote tier reports
 * (breaker, upload queue, request failures). Nothing is polled between scrapes.
 */
export function collectAtScrape(
  source: MetricsSource,
  options: ResolvedPrometheusMetricsOptions,
  types: TypeLabels,
): void {
  const registers = [options.registry];
  const stats: StatsReader = sharedStats(source);

  new Gauge({
    name: METRIC_NAMES.indexUp,
    help: 'Whether the index answered its statistics at this scrape (1) or failed (0).',
    registers,
    async collect() {
      this.set((await stats()) ? 1 : 0);
    },
  });
  byType(METRIC_NAMES.indexEntries, 'Entries in the index, by type.', 'entries');
  byType(
    METRIC_NAMES.indexBytes,
    'Bytes of the entries in the index (sum of entry sizes), by type.',
    'bytes',
  );
  byType(
    METRIC_NAMES.indexUses,
    'Uses the index recorded, by type: one per stored generation plus one per hit, by every process sharing the index.',
    'uses',
  );
  byTier(METRIC_NAMES.tierEntries, 'Blobs a tier holds (tiers that can tell).', 'entries');
  byTier(METRIC_NAMES.tierBytes, 'Bytes a tier holds (tiers that can tell).', 'bytes');
  new Counter({
    name: METRIC_NAMES.coalesced,
    help: 'Callers that waited for a generation of the same key already under way instead of generating.',
    registers,
    async collect() {
      const session = (await stats())?.session;
      if (!session) return;
      this.reset();
      this.inc(session.coalesced);
    },
  });

  const healthOf = () =>
    source.tiers.map(readTierHealth).filter((health): health is TierHealth => health !== undefined);
  new Gauge({
    name: METRIC_NAMES.breakerState,
    help: 'Circuit breaker of a remote tier: 1 for its current state, 0 for the others.',
    labelNames: ['tier', 'state'] as const,
    registers,
    collect() {
      for (const { tier, breakerState } of healthOf()) {
        if (breakerState === undefined) continue;
        for (const state of BREAKER_STATES) this.set({ tier, state }, state === breakerState ? 1 : 0);
      }
    },
  });
  healthGauge(METRIC_NAMES.uploadQueueDepth, 'Uploads waiting in a remote tier queue.', 'queueDepth');
  healthGauge(METRIC_NAMES.uploadQueueBytes, 'Bytes waiting in a remote tier upload queue.', 'queueBytes');
  healthCounter(
    METRIC_NAMES.tierRequestFailures,
    'Requests of a remote tier that failed (after retries).',
    'requestFailures',
  );
  healthCounter(
    METRIC_NAMES.tierRequestTimeouts,
    'Requests of a remote tier that timed out.',
    'requestTimeouts',
  );
  healthCounter(
    METRIC_NAMES.tierRequestRetries,
    'Requests of a remote tier that were retried.',
    'requestRetries',
  );

  function byType(name: string, help: string, field: 'entries' | 'bytes' | 'uses'): void {
    new Gauge({
      name,
      help,
      labelNames: ['type'] as const,
      registers,
      async collect() {
        const index = (await stats())?.index;
        if (!index) return;
        this.reset();
        for (const [type, figures] of Object.entries(index.byType)) {
          this.inc({ type: types.label(type) }, figures[field]);
        }
      },
    });
  }

  function byTier(name: string, help: string, field: 'entries' | 'bytes'): void {
    new Gauge({
      name,
      help,
      labelNames: ['tier'] as const,
      registers,
      async collect() {
        const tiers = (await stats())?.tiers;
        if (!tiers) return;
        this.reset();
        for (const [tier, figures] of Object.entries(tiers)) {
          const value = figures[field];
          if (value !== null) this.set({ tier }, value);
        }
      },
    });
  }

  function healthGauge(name: string, help: string, field: 'queueDepth' | 'queueBytes'): void {
    new Gauge({
      name,
      help,
      labelNames: ['tier'] as const,
      registers,
      collect() {
        for (const health of healthOf()) {
          const value = health[field];
          if (value !== undefined) this.set({ tier: health.tier }, value);
        }
      },
    });
  }

  // The tier keeps these counts itself; the counter mirrors them at each scrape.
  function healthCounter(
    name: string,
    help: string,
    field: 'requestFailures' | 'requestTimeouts' | 'requestRetries',
  ): void {
    new Counter({
      name,
      help,
      labelNames: ['tier'] as const,
      registers,
      collect() {
        this.reset();
        for (const health of healthOf()) {
          const value = health[field];
          if (value !== undefined) this.inc({ tier: health.tier }, value);
        }
      },
    });
  }
}
