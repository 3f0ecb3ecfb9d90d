import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import {
  assertBlobRef,
  assertEntryRef,
  assertLogger,
  type BlobRef,
  type Entry,
  hashContent,
  isTiercacheError,
  type Logger,
  safeLog,
  silentLogger,
  TiercacheError,
  validateEntry,
} from '@tiercache/core';
import { BucketStore } from './bucket-store.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { createRedactor } from './credential-redaction.js';
import { writeEntry } from './entry-writer.js';
import { SyncCursor, syncJournal } from './journal-sync.js';
import { ObjectLayout } from './object-layout.js';
import { type ObjectRef, objectRefOf } from './object-ref.js';
import { removeBlob, removeUnvouched } from './object-removal.js';
import { isSkipped, RequestGuard } from './request-guard.js';
import { type DropReason, S3TierEventEmitter, type S3TierWarning, type SyncResult } from './s3-events.js';
import { resolveS3TierOptions, type S3TierOptions } from './s3-options.js';
import { createStatsCounters, snapshotStats } from './s3-stats.js';
import type { S3Tier } from './s3-tier-types.js';
import { type UploadJob, UploadQueue } from './upload-queue.js';
import { readVerified } from './verified-read.js';

export type { S3Tier } from './s3-tier-types.js';

const isOutage = (error: unknown) =>
  isTiercacheError(error, 'E_TIER_UNAVAILABLE') || isTiercacheError(error, 'E_TIER_TIMEOUT');

/** A placeholder content hash for an entry ref that carries none (only its key matters here). */
const ZERO_HASH = '0'.repeat(64);

const idOf = (ref: ObjectRef) => `${ref.type}/${ref.key}.${ref.extension}`;

/**
 * An L3 blob tier on an S3 bucket that several machines share. Blobs at
 * `<prefix><type>/<key>.<ext>`, one manifest per entry and an append-only journal for `sync`;
 * reads are verified, uploads run in a bounded background queue, and no S3 fault ever fails
 * the caller beyond the error core turns into a miss. See the README for the full layout.
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
  const redact = createRedactor(options.clientConfig);
  const events = new S3TierEventEmitter();
  const counters = createStatsCounters();
  const writer = randomBytes(8).toString('hex');
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
  const store = new BucketStore(client, resolved, guard, new ObjectLayout(resolved.prefix));
  const syncContext = {
    store,
    bucket: resolved.bucket,
    prefix: resolved.prefix,
    overlapMs: resolved.syncOverlapMs,
    statePath: resolved.syncStatePath,
    now: resolved.now,
  };
  const cursor = new SyncCursor(syncContext);

  async function upload(job: UploadJob): Promise<'done' | 'requeue'> {
    if (readOnly) {
      drop(job.entry, 'read-only');
      return 'done';
    }
    if (breaker.waitMs() > 0) return 'requeue';
    try {
      const outcome = await writeEntry(store, job.entry, job.bytes, writer);
      if (outcome === 'stored') counters.uploaded++;
      else if (outcome === 'exists') counters.alreadyStored++;
      else counters.conflicts++;
      events.emit('upload', { type: job.entry.type, key: job.entry.key, outcome });
    } catch (error) {
      if (isSkipped(error)) return 'requeue';
      if (readOnly) {
        drop(job.entry, 'read-only');
        return 'done';
      }
      // An outage (network, timeout, 5xx) is worth waiting out: the job goes back in line, and
      // once the breaker opens it is held until a probe succeeds. Only failures while the
      // breaker stays closed count against the job, so a real outage never drops it; a job
      // that keeps failing while the bucket answers other requests is dropped. Anything else
      // will not get better.
      if (breaker.state === 'closed') job.attempts++;
      if (isOutage(error) && job.attempts <= resolved.breakerThreshold) return 'requeue';
      counters.failed++;
    }
    return 'done';
  }

  const queue = new UploadQueue({
    capacity: resolved.queueCapacity,
    maxBytes: resolved.queueMaxBytes,
    concurrency: resolved.uploadConcurrency,
    upload,
    waitMs: () => breaker.waitMs(),
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

  return {
    name: resolved.name,
    verifyReads: true,
    setLogger(cacheLogger: Logger): void {
      assertLogger('@tiercache/s3', 'setLogger(logger)', cacheLogger);
      logger = cacheLogger;
    },
    // Downloads are hashed while they stream and checked against the hash core passes to `get`.
    verifiesOwnReads: resolved.verifyDownloads,
    bucket: resolved.bucket,
    prefix: resolved.prefix,
    client,
    async get(blob) {
      const ref = objectRefOf(blob);
      assertOpen();
      if (ref === undefined) return undefined;
      const expectedHash: string | undefined = blob.contentHash;
      const pending = queue.latest(ref);
      // Queued bytes were checked against their entry by `put`; another version of the key
      // queued here is no answer for this caller, who may find its version in the bucket.
      if (pending && (expectedHash === undefined || pending.entry.contentHash === expectedHash))
        return pending.bytes.slice();
      return readVerified(store, ref, expectedHash, {
        counters,
        onCorrupt(removed, reason) {
          events.emit('corrupt', { type: ref.type, key: ref.key, removed });
          if (!removed) return;
          const why =
            reason === 'damaged'
              ? 'did not match its recorded SHA-256 twice in a row'
              : 'is not the version its reader expected and its manifest does not vouch for it';
          warn(
            'E_CORRUPT_BLOB',
            `@tiercache/s3: ${store.layout.blob(ref)} in bucket ${resolved.bucket} ${why}; the object and its manifest were removed`,
          );
        },
        remove: () => removeBlob(store, ref, undefined),
        // A miss must stay a miss: failing to clean up (read-only, outage) is not a read failure.
        settle: (observed) =>
          readOnly ? Promise.resolve(false) : removeUnvouched(store, ref, observed).catch(() => false),
      });
    },
    async put(entry, bytes) {
      assertBlobRef(entry);
      assertOpen();
      validateEntry(entry);
      if (bytes.length !== entry.size || hashContent(bytes) !== entry.contentHash) {
        throw new TiercacheError(
          'E_INVALID_ENTRY',
          `@tiercache/s3: bytes for ${entry.type}/${entry.key} do not match entry.size/contentHash; they could never be served`,
          { context: { type: entry.type, key: entry.key, size: bytes.length, expectedSize: entry.size } },
        );
      }
      if (readOnly) return drop(entry, 'read-only');
      if (queue.enqueue({ entry: { ...entry }, bytes: bytes.slice(), attempts: 0 })) {
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
    async has(blob) {
      const ref = objectRefOf(blob);
      assertOpen();
      if (ref === undefined) return false;
      if (queue.latest(ref)) return true;
      return (await store.headBlob(ref)) !== undefined;
    },
    async delete(blob: BlobRef) {
      const ref = objectRefOf(blob);
      assertOpen();
      assertWritable();
      if (ref === undefined) return false;
      const id = idOf(ref);
      const cancelled = await queue.cancel((entry) => idOf(entry) === id);
      return (await removeBlob(store, ref, blob.contentHash)) || cancelled > 0;
    },
    async deleteEntry(entryRef) {
      // Transitional: objects are still per key, so forgetting an entry removes its object.
      const { extension = '', contentHash } = entryRef as Partial<BlobRef>;
      const ref = objectRefOf({ ...entryRef, contentHash: contentHash ?? ZERO_HASH, extension });
      assertOpen();
      assertWritable();
      if (ref === undefined) return false;
      const id = idOf(ref);
      const cancelled = await queue.cancel((entry) => idOf(entry) === id);
      return (await removeBlob(store, ref, contentHash)) || cancelled > 0;
    },
    async clear(type) {
      if (type !== undefined) assertEntryRef({ type, key: 'x' });
      assertOpen();
      assertWritable();
      await queue.cancel((entry) => type === undefined || entry.type === type);
      const { layout } = store;
      const folders =
        type === undefined
          ? [layout.prefix]
          : [`${layout.prefix}${type}/`, layout.manifestFolder(type), layout.journalFolder()];
      const keys: string[] = [];
      for (const folder of folders) {
        await store.list(folder, undefined, async (page) => {
          keys.push(...page.filter((key) => layout.owns(key, type)));
        });
      }
      await store.deleteMany(keys);
    },
    async describe(type, key) {
      assertEntryRef({ type, key });
      assertOpen();
      return (await store.getManifest(type, key))?.entry;
    },
    sync(index, syncOptions = {}) {
      assertOpen();
      syncing ??= syncJournal(syncContext, cursor, index, syncOptions)
        .then((result) => {
          const safe = result.error === undefined ? result : { ...result, error: redact(result.error) };
          counters.syncRuns++;
          counters.syncInserted += safe.inserted;
          counters.syncCursor = safe.cursor;
          events.emit('sync', safe);
          return safe;
        })
        .finally(() => {
          syncing = undefined;
        });
      return syncing;
    },
    flush: () => queue.flush(),
    stats: () => snapshotStats({ resolved, readOnly, breaker, guard, queue, counters }),
    on: (name, listener) => events.on(name, listener),
    async close() {
      if (closed) return;
      closed = true;
      await queue.flush();
      await syncing;
      const abandoned = queue.discard();
      if (abandoned > 0) {
        counters.dropped += abandoned;
        warn(
          'E_UPLOADS_ABANDONED',
          `@tiercache/s3: tier "${resolved.name}" closed with ${abandoned} uploads it could not send (the bucket was unavailable)`,
        );
      }
      closing.abort();
      if (ownsClient) client.destroy();
    },
  };
}
