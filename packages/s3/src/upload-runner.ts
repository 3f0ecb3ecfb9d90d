import { isTiercacheError } from '@tiercache/core';
import type { BucketStore } from './bucket-store.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { writeEntry } from './entry-writer.js';
import type { JournalBatcher } from './journal-batcher.js';
import type { ManifestRecorder } from './manifest-recorder.js';
import { isSkipped } from './request-guard.js';
import type { S3TierEventEmitter } from './s3-events.js';
import type { StatsCounters } from './s3-stats.js';
import type { UploadJob } from './upload-queue.js';

const isOutage = (error: unknown) =>
  isTiercacheError(error, 'E_TIER_UNAVAILABLE') || isTiercacheError(error, 'E_TIER_TIMEOUT');

export interface UploadContext {
  store: BucketStore;
  breaker: CircuitBreaker;
  events: S3TierEventEmitter;
  counters: StatsCounters;
  /** Failed attempts (while the breaker stays closed) after which a job is dropped. */
  maxAttempts: number;
  isReadOnly: () => boolean;
  /** Counts and reports a job that will not be uploaded. */
  dropReadOnly: (job: UploadJob) => void;
  journal: JournalBatcher;
  recorder: ManifestRecorder;
  /** Whether other uploads wait or run besides the one finishing (then the journal can wait). */
  othersQueued: () => boolean;
}

/**
 * Uploads one queued entry; `requeue` puts it back in line. An outage (network, timeout, 5xx)
 * is worth waiting out: the job goes back in line, and once the breaker opens it is held until
 * a probe succeeds. Only failures while the breaker stays closed count against the job, so a
 * real outage never drops it; a job that keeps failing while the bucket answers other
 * requests is dropped. Anything else will not get better.
 */
export function createUploadRunner(context: UploadContext): (job: UploadJob) => Promise<'done' | 'requeue'> {
  const { store, breaker, events, counters } = context;
  return async (job) => {
    if (context.isReadOnly()) {
      context.dropReadOnly(job);
      return 'done';
    }
    if (breaker.waitMs() > 0) return 'requeue';
    try {
      const { outcome, manifest } = await writeEntry(store, context.recorder, job.entry, job.bytes);
      if (outcome === 'stored') counters.uploaded++;
      else counters.alreadyStored++;
      events.emit('upload', { type: job.entry.type, key: job.entry.key, outcome });
      // A record even when the manifest existed: a record of a known entry costs a sync nothing.
      context.journal.add(job.entry, manifest);
      // Stored either way: a journal record that cannot be written now goes with the next one.
      if (context.journal.full || !context.othersQueued())
        await context.journal.write().catch(() => undefined);
    } catch (error) {
      if (isSkipped(error)) return 'requeue';
      if (context.isReadOnly()) {
        context.dropReadOnly(job);
        return 'done';
      }
      if (isTiercacheError(error, 'E_CLOSED')) {
        counters.dropped++; // aborted by `close()` past its deadline
        return 'done';
      }
      if (breaker.state === 'closed') job.attempts++;
      if (isOutage(error) && job.attempts <= context.maxAttempts) return 'requeue';
      counters.failed++;
    }
    return 'done';
  };
}
