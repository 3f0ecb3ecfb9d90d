import { S3Client } from '@aws-sdk/client-s3';
import type { Entry } from '@tiercache/core';
import { BucketStore } from './bucket-store.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { createRedactor, type Redact } from './credential-redaction.js';
import { JournalBatcher } from './journal-batcher.js';
import { type SyncContext, SyncCursor } from './journal-sync.js';
import { ManifestRecorder } from './manifest-recorder.js';
import { createManifestSigner } from './manifest-signature.js';
import { ObjectLayout } from './object-layout.js';
import { RequestGuard } from './request-guard.js';
import { type DropReason, S3TierEventEmitter } from './s3-events.js';
import type { ResolvedS3TierOptions, S3TierOptions } from './s3-options.js';
import { createStatsCounters, type StatsCounters } from './s3-stats.js';
import { TierWarnings, warningMessages } from './tier-warnings.js';
import { UploadQueue } from './upload-queue.js';
import { createUploadRunner } from './upload-runner.js';

/** Everything an S3 tier is made of, wired together; `createS3Tier` adds the `BlobTier` methods. */
export interface TierParts {
  resolved: ResolvedS3TierOptions;
  client: S3Client;
  /** The tier built the client, so `close()` destroys it. */
  ownsClient: boolean;
  redact: Redact;
  events: S3TierEventEmitter;
  counters: StatsCounters;
  warnings: TierWarnings;
  /** Aborted by `close()`: in-flight requests and backoff waits stop. */
  closing: AbortController;
  /** Set once the bucket refuses a write with 403; never cleared (a restart writes again). */
  access: { readOnly: boolean };
  breaker: CircuitBreaker;
  guard: RequestGuard;
  store: BucketStore;
  syncContext: SyncContext;
  cursor: SyncCursor;
  journal: JournalBatcher;
  recorder: ManifestRecorder;
  queue: UploadQueue;
  /** Counts and reports an entry that will not be uploaded. */
  drop(entry: Entry, reason: DropReason): void;
}

export function createTierParts(resolved: ResolvedS3TierOptions, options: S3TierOptions): TierParts {
  const ownsClient = options.client === undefined;
  const client =
    options.client ??
    new S3Client({
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...options.clientConfig,
    });
  const redact = createRedactor(options.clientConfig, options.signingKey);
  const signer = resolved.signingKey ? createManifestSigner(resolved.signingKey) : undefined;
  const events = new S3TierEventEmitter();
  const counters = createStatsCounters();
  const warnings = new TierWarnings(events, redact, resolved);
  const closing = new AbortController();
  const access = { readOnly: false };

  function drop(entry: Entry, reason: DropReason): void {
    if (reason === 'read-only') counters.droppedReadOnly++;
    else counters.dropped++;
    events.emit('drop', { type: entry.type, key: entry.key, reason });
  }

  const breaker = new CircuitBreaker({
    threshold: resolved.breakerThreshold,
    cooldownMs: resolved.breakerCooldownMs,
    now: resolved.now,
    onChange(state, consecutiveFailures) {
      events.emit('breaker', { state, consecutiveFailures });
      if (state === 'closed') queue.resume();
    },
  });
  const guard = new RequestGuard({
    options: resolved,
    breaker,
    events,
    redact,
    closeSignal: closing.signal,
    onForbiddenWrite() {
      if (access.readOnly) return;
      access.readOnly = true;
      warnings.warn('E_TIER_READ_ONLY', warningMessages.readOnly(resolved));
      counters.droppedReadOnly += queue.discard();
    },
  });
  const store = new BucketStore(client, resolved, guard, new ObjectLayout(resolved.prefix), signer);
  const syncContext: SyncContext = {
    store,
    bucket: resolved.bucket,
    prefix: resolved.prefix,
    overlapMs: resolved.syncOverlapMs,
    compactionAgeMs: resolved.journalCompactionAgeMs,
    statePath: resolved.syncStatePath,
    signer,
    now: resolved.now,
  };
  const journal = new JournalBatcher(store);
  const recorder = new ManifestRecorder();
  const queue: UploadQueue = new UploadQueue({
    capacity: resolved.queueCapacity,
    maxBytes: resolved.queueMaxBytes,
    concurrency: resolved.uploadConcurrency,
    waitMs: () => breaker.waitMs(),
    upload: createUploadRunner({
      store,
      breaker,
      events,
      counters,
      maxAttempts: resolved.breakerThreshold,
      isReadOnly: () => access.readOnly,
      dropReadOnly: (job) => drop(job.entry, 'read-only'),
      journal,
      recorder,
      othersQueued: () => queue.depth > 1,
    }),
  });
  return {
    resolved,
    client,
    ownsClient,
    redact,
    events,
    counters,
    warnings,
    closing,
    access,
    breaker,
    guard,
    store,
    syncContext,
    cursor: new SyncCursor(syncContext),
    journal,
    recorder,
    queue,
    drop,
  };
}
