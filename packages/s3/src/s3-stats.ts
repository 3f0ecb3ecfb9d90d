import type { BucketStore } from './bucket-store.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { RequestGuard } from './request-guard.js';
import type { S3TierStats } from './s3-events.js';
import type { ResolvedS3TierOptions } from './s3-options.js';
import type { UploadQueue } from './upload-queue.js';

/** Counters the tier keeps besides those of the breaker, guard and queue. */
export interface StatsCounters {
  hits: number;
  misses: number;
  corrupt: number;
  corruptRemoved: number;
  uploaded: number;
  alreadyStored: number;
  failed: number;
  dropped: number;
  droppedReadOnly: number;
  syncRuns: number;
  syncInserted: number;
  syncCursor: string | undefined;
}

export function createStatsCounters(): StatsCounters {
  return {
    hits: 0,
    misses: 0,
    corrupt: 0,
    corruptRemoved: 0,
    uploaded: 0,
    alreadyStored: 0,
    failed: 0,
    dropped: 0,
    droppedReadOnly: 0,
    syncRuns: 0,
    syncInserted: 0,
    syncCursor: undefined,
  };
}

export function snapshotStats(parts: {
  resolved: ResolvedS3TierOptions;
  readOnly: boolean;
  breaker: CircuitBreaker;
  guard: RequestGuard;
  queue: UploadQueue;
  counters: StatsCounters;
  store: BucketStore;
}): S3TierStats {
  const { resolved, breaker, guard, queue, counters, store } = parts;
  return {
    name: resolved.name,
    bucket: resolved.bucket,
    prefix: resolved.prefix,
    readOnly: parts.readOnly,
    breaker: {
      state: breaker.state,
      consecutiveFailures: breaker.consecutiveFailures,
      opened: breaker.opened,
      skipped: breaker.skipped,
    },
    requests: {
      operations: guard.operations,
      retries: guard.retries,
      failures: guard.failures,
      timeouts: guard.timeouts,
    },
    reads: {
      hits: counters.hits,
      misses: counters.misses,
      corrupt: counters.corrupt,
      corruptRemoved: counters.corruptRemoved,
    },
    manifests: { ...store.rejectedManifests },
    queue: {
      depth: queue.depth,
      bytes: queue.bytes,
      running: queue.running,
      capacity: resolved.queueCapacity,
      uploaded: counters.uploaded,
      alreadyStored: counters.alreadyStored,
      failed: counters.failed,
      dropped: counters.dropped,
      droppedReadOnly: counters.droppedReadOnly,
    },
    sync: { runs: counters.syncRuns, inserted: counters.syncInserted, cursor: counters.syncCursor },
  };
}
