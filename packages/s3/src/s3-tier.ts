import { S3Client } from '@aws-sdk/client-s3';
import { type Entry, hashContent, type Logger, TiercacheError } from '@tiercache/core';
import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import {
  assertBlobRef,
  assertEntryRef,
  assertLogger,
  safeLog,
  sameBlob,
  silentLogger,
} from '@tiercache/core/kit';
import { waitAtMost } from './bounded-wait.js';
import { BucketStore } from './bucket-store.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { createRedactor } from './credential-redaction.js';
import { listEntries } from './entry-listing.js';
import { assertUploadable } from './entry-writer.js';
import { JournalBatcher } from './journal-batcher.js';
import { compactJournal, syncAndCompact } from './journal-compaction.js';
import { SyncCursor } from './journal-sync.js';
import { ManifestRecorder } from './manifest-recorder.js';
import { createManifestSigner } from './manifest-signature.js';
import { ObjectLayout } from './object-layout.js';
import { removeBlob, removeManifest } from './object-removal.js';
import { RequestGuard } from './request-guard.js';
import { type DropReason, S3TierEventEmitter, type S3TierWarning, type SyncResult } from './s3-events.js';
import { resolveS3TierOptions, type S3TierOptions } from './s3-options.js';
import { createStatsCounters, snapshotStats } from './s3-stats.js';
import type { S3Tier } from './s3-tier-types.js';
import { UploadQueue } from './upload-queue.js';
import { createUploadRunner } from './upload-runner.js';
import { corruptRemovedMessage, readVerified } from './verified-read.js';

export type { S3Tier } from './s3-tier-types.js';

/**
 * An L3 blob tier on an S3 bucket that several machines share. Blobs are named by content
 * (`<prefix><type>/<2 hex>/<sha256>.<ext>`), each entry has a manifest filed by its request key
 * and a journal record for `sync`; reads are verified, uploads run in a bounded background
 * queue, and no S3 fault ever fails the caller beyond the error core turns into a miss. See
 * the README for the full layout.
 */
export function createS3Tier(options: S3TierOptions): S3Tier {
  const resolved = resolveS3TierOptions(options);
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
  const closing = new AbortController();
  let readOnly = false;
  let closed = false;
  let queueFullWarned = false;
  let logger: Logger = silentLogger;
  let syncing: Promise<SyncResult> | undefined;

  function warn(code: S3TierWarning['code'], message: string): void {
    const warning: S3TierWarning = { code, message: redact(message) };
    events.emit('warning', warning);
    if (resolved.onWarning === undefined) {
      safeLog(logger, 'warn', { code, tier: resolved.name }, warning.message);
      return;
    }
    try {
      resolved.onWarning(warning);
    } catch {
      // A warning sink must never break a tier operation.
    }
  }

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
      if (readOnly) return;
      readOnly = true;
      warn(
        'E_TIER_READ_ONLY',
        `@tiercache/s3: bucket ${resolved.bucket} refused a write with HTTP 403; tier "${resolved.name}" is read-only from now on (uploads are dropped, reads go on). Grant s3:PutObject and s3:DeleteObject on ${resolved.prefix || 'the bucket'}/* and restart to write again.`,
      );
      counters.droppedReadOnly += queue.discard();
    },
  });
  const store = new BucketStore(client, resolved, guard, new ObjectLayout(resolved.prefix), signer);
  const syncContext = {
    store,
    bucket: resolved.bucket,
    prefix: resolved.prefix,
    overlapMs: resolved.syncOverlapMs,
    compactionAgeMs: resolved.journalCompactionAgeMs,
    statePath: resolved.syncStatePath,
    signer,
    now: resolved.now,
  };
  const cursor = new SyncCursor(syncContext);
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
      isReadOnly: () => readOnly,
      dropReadOnly: (job) => drop(job.entry, 'read-only'),
      journal,
      recorder,
      othersQueued: () => queue.depth > 1,
    }),
  });

  function assertOpen(): void {
    if (closed)
      throw new TiercacheError('E_CLOSED', `@tiercache/s3: tier "${resolved.name}" has been closed`);
  }

  function assertWritable(): void {
    if (!readOnly) return;
    throw new TiercacheError(
      'E_TIER_READ_ONLY',
      `@tiercache/s3: tier "${resolved.name}" is read-only (the bucket refused a write with HTTP 403)`,
      { context: { tier: resolved.name } },
    );
  }

  /** Uploads, then the journal record of what they stored. */
  async function flush(): Promise<number> {
    const left = await queue.flush();
    if (journal.size > 0) await journal.write().catch(() => undefined);
    return left;
  }

  async function sync(index: Parameters<S3Tier['sync']>[0], syncOptions: Parameters<S3Tier['sync']>[1]) {
    const threshold = readOnly ? 0 : resolved.journalCompactionThreshold;
    const result = await syncAndCompact(syncContext, cursor, index, syncOptions ?? {}, threshold);
    const safe = result.error === undefined ? result : { ...result, error: redact(result.error) };
    counters.syncRuns++;
    counters.syncInserted += safe.inserted;
    counters.syncCursor = safe.cursor;
    events.emit('sync', safe);
    return safe;
  }

  return {
    name: resolved.name,
    contractVersion: CONTRACT_VERSION,
    setLogger(cacheLogger: Logger): void {
      assertLogger('@tiercache/s3', 'setLogger(logger)', cacheLogger);
      logger = cacheLogger;
    },
    // Downloads are hashed while they stream and checked against the blob's name.
    readVerification: resolved.verifyDownloads ? 'by-tier' : 'by-cache',
    bucket: resolved.bucket,
    prefix: resolved.prefix,
    client,
    async get(ref) {
      assertBlobRef(ref);
      assertOpen();
      // A process reads its own writes, checked like every read; the queue's copy is never handed out.
      const pending = queue.find((entry) => sameBlob(entry, ref));
      if (pending && hashContent(pending.bytes) === ref.contentHash) return pending.bytes.slice();
      return readVerified(store, ref, {
        counters,
        onCorrupt(removed) {
          events.emit('corrupt', { type: ref.type, contentHash: ref.contentHash, removed });
          if (removed) warn('E_CORRUPT_BLOB', corruptRemovedMessage(store.layout.blob(ref), resolved.bucket));
        },
        remove: async () => {
          if (readOnly) return false;
          await store.deleteObject(store.layout.blob(ref));
          return true;
        },
      });
    },
    async put(entry, bytes) {
      assertOpen();
      assertUploadable(entry, bytes);
      if (readOnly) return drop(entry, 'read-only');
      if (queue.enqueue({ entry: { ...entry }, bytes: bytes.slice(), attempts: 0 })) {
        recorder.claim(entry);
        queueFullWarned = false;
        return;
      }
      drop(entry, 'queue-full');
      if (queueFullWarned) return;
      queueFullWarned = true;
      warn(
        'E_QUEUE_FULL',
        `@tiercache/s3: the upload queue of tier "${resolved.name}" is full (${queue.depth} uploads, ${queue.bytes} bytes); new uploads are dropped until it drains`,
      );
    },
    async has(ref) {
      assertBlobRef(ref);
      assertOpen();
      if (queue.find((entry) => sameBlob(entry, ref))) return true;
      return (await store.headBlob(ref)) !== undefined;
    },
    async delete(ref) {
      assertBlobRef(ref);
      assertOpen();
      assertWritable();
      const cancelled = await queue.cancel((entry) => sameBlob(entry, ref));
      return (await removeBlob(store, ref)) || cancelled > 0;
    },
    async deleteEntry(ref) {
      assertEntryRef(ref);
      assertOpen();
      assertWritable();
      const cancelled = await queue.cancel((entry) => entry.type === ref.type && entry.key === ref.key);
      recorder.forget((type, key) => type === ref.type && key === ref.key);
      return (await removeManifest(store, ref)) || cancelled > 0;
    },
    async clear(type) {
      if (type !== undefined) assertEntryRef({ type, key: 'x' });
      assertOpen();
      assertWritable();
      await queue.cancel((entry) => type === undefined || entry.type === type);
      recorder.forget((recorded) => type === undefined || recorded === type);
      const { layout } = store;
      const folders =
        type === undefined
          ? [layout.prefix]
          : [
              `${layout.prefix}${type}/`,
              layout.manifestFolder(type),
              layout.journalFolder(),
              layout.segmentFolder(),
            ];
      const keys: string[] = [];
      for (const folder of folders) {
        await store.list(folder, undefined, async (page) => {
          keys.push(...page.filter((key) => layout.owns(key, type)));
        });
      }
      await store.deleteMany(keys);
    },
    entries(type) {
      if (type !== undefined) assertEntryRef({ type, key: 'x' });
      assertOpen();
      return listEntries(store, type, flush); // this process's queued uploads first
    },
    async describe(type, key) {
      assertEntryRef({ type, key });
      assertOpen();
      return (await store.getManifest(type, key))?.entry;
    },
    sync(index, syncOptions) {
      assertOpen();
      syncing ??= sync(index, syncOptions).finally(() => {
        syncing = undefined;
      });
      return syncing;
    },
    compactJournal() {
      assertOpen();
      assertWritable();
      return compactJournal(syncContext);
    },
    flush,
    stats: () => snapshotStats({ resolved, readOnly, breaker, guard, queue, counters, store }),
    on: (name, listener) => events.on(name, listener),
    async close() {
      if (closed) return;
      closed = true;
      await waitAtMost(resolved.closeTimeoutMs, flush());
      closing.abort(); // in-flight requests and backoff waits stop now
      await syncing;
      const abandoned = queue.discard() + (await queue.cancel(() => true));
      if (abandoned > 0) {
        counters.dropped += abandoned;
        warn(
          'E_UPLOADS_ABANDONED',
          `@tiercache/s3: tier "${resolved.name}" closed with ${abandoned} uploads it could not send (the bucket was unavailable; last failure: ${guard.lastFailure?.replace(/^@tiercache\/s3: /, '') ?? 'none'})`,
        );
      }
      if (ownsClient) client.destroy();
    },
  };
}
