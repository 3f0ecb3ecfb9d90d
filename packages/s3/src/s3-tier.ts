import { hashContent, type Logger } from '@tiercache/core';
import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import { assertBlobRef, assertEntryRef, assertLogger, sameBlob } from '@tiercache/core/kit';
import { waitAtMost } from './bounded-wait.js';
import { listEntries } from './entry-listing.js';
import { assertUploadable } from './entry-writer.js';
import { compactJournal, syncAndCompact } from './journal-compaction.js';
import { removeAll, removeBlob, removeManifest } from './object-removal.js';
import { s3Errors, tierReadOnly } from './s3-errors.js';
import type { SyncResult } from './s3-events.js';
import { resolveS3TierOptions, type S3TierOptions } from './s3-options.js';
import { snapshotStats } from './s3-stats.js';
import type { S3Tier } from './s3-tier-types.js';
import { createTierParts } from './tier-parts.js';
import { warningMessages } from './tier-warnings.js';
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
  const parts = createTierParts(resolved, options);
  const { client, redact, events, counters, warnings, access, guard, store, queue, recorder } = parts;
  let closed = false;
  let queueFullWarned = false;
  let syncing: Promise<SyncResult> | undefined;

  function assertOpen(): void {
    if (closed) throw s3Errors.closed(`tier "${resolved.name}" has been closed`);
  }

  function assertWritable(): void {
    if (!access.readOnly) return;
    throw tierReadOnly(`tier "${resolved.name}" is read-only (the bucket refused a write with HTTP 403)`, {
      context: { tier: resolved.name },
    });
  }

  /** Uploads, then the journal record of what they stored. */
  async function flush(): Promise<number> {
    const left = await queue.flush();
    if (parts.journal.size > 0) await parts.journal.write().catch(() => undefined);
    return left;
  }

  async function sync(index: Parameters<S3Tier['sync']>[0], syncOptions: Parameters<S3Tier['sync']>[1]) {
    const threshold = access.readOnly ? 0 : resolved.journalCompactionThreshold;
    const result = await syncAndCompact(parts.syncContext, parts.cursor, index, syncOptions ?? {}, threshold);
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
      assertLogger(s3Errors.packageName, 'setLogger(logger)', cacheLogger);
      warnings.setLogger(cacheLogger);
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
          if (removed)
            warnings.warn('E_CORRUPT_BLOB', corruptRemovedMessage(store.layout.blob(ref), resolved.bucket));
        },
        remove: async () => {
          if (access.readOnly) return false;
          await store.deleteObject(store.layout.blob(ref));
          return true;
        },
      });
    },
    async put(entry, bytes) {
      assertOpen();
      assertUploadable(entry, bytes);
      if (access.readOnly) return parts.drop(entry, 'read-only');
      if (queue.enqueue({ entry: { ...entry }, bytes: bytes.slice(), attempts: 0 })) {
        recorder.claim(entry);
        queueFullWarned = false;
        return;
      }
      parts.drop(entry, 'queue-full');
      if (queueFullWarned) return;
      queueFullWarned = true;
      warnings.warn('E_QUEUE_FULL', warningMessages.queueFull(resolved.name, queue.depth, queue.bytes));
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
      await removeAll(store, type);
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
      return compactJournal(parts.syncContext);
    },
    flush,
    stats: () => snapshotStats({ ...parts, readOnly: access.readOnly }),
    on: (name, listener) => events.on(name, listener),
    async close() {
      if (closed) return;
      closed = true;
      await waitAtMost(resolved.closeTimeoutMs, flush());
      parts.closing.abort(); // in-flight requests and backoff waits stop now
      await syncing;
      const abandoned = queue.discard() + (await queue.cancel(() => true));
      if (abandoned > 0) {
        counters.dropped += abandoned;
        warnings.warn(
          'E_UPLOADS_ABANDONED',
          warningMessages.uploadsAbandoned(resolved.name, abandoned, guard.lastFailure),
        );
      }
      if (parts.ownsClient) client.destroy();
    },
  };
}
