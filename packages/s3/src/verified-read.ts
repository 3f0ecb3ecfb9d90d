import { createHash } from 'node:crypto';
import type { BlobRef } from '@tiercache/core';
import type { BucketStore, DownloadedBlob } from './bucket-store.js';
import { s3Message } from './s3-errors.js';
import type { StatsCounters } from './s3-stats.js';

export interface VerifiedReadHooks {
  counters: StatsCounters;
  /**
   * A download did not match the blob's name. `removed`: the store proved the object itself bad
   * and it was deleted; otherwise the bytes were damaged on the way and the object was kept.
   */
  onCorrupt: (removed: boolean) => void;
  /** Deletes the blob object (a read-only tier does nothing and resolves `false`). */
  remove: () => Promise<boolean>;
}

const MD5_ETAG = /^[0-9a-f]{32}$/;

/** The warning for an object the store proved bad, which was removed. */
export function corruptRemovedMessage(objectKey: string, bucket: string): string {
  return s3Message(
    `${objectKey} in bucket ${bucket} does not hold the content its name promises (the store's own checksum or ETag says so); the object was removed`,
  );
}

/** Whether the bytes are the blob's (or cannot be checked here: hashing is off, core hashes). */
const intact = (blob: DownloadedBlob, ref: BlobRef) =>
  blob.sha256 === undefined || blob.sha256 === ref.contentHash;

/**
 * Whether the store itself says that the object under `ref`'s name does not hold the content
 * the name promises: its own SHA-256 (stores that keep a checksum) disagrees with the name, or
 * its ETag (the MD5 the store computed of the bytes it holds, for a single-part upload) is the
 * MD5 of the wrong bytes we received, so the store holds exactly those. Anything less proves
 * nothing: a network path that damages bytes must not make a machine delete data that other
 * machines rely on.
 */
async function storeProvesBad(store: BucketStore, ref: BlobRef, received: Uint8Array): Promise<boolean> {
  const head = await store.headBlob(ref);
  if (head === undefined) return false;
  if (head.sha256 !== undefined) return head.sha256 !== ref.contentHash;
  if (head.etag === undefined || !MD5_ETAG.test(head.etag)) return false;
  return createHash('md5').update(received).digest('hex') === head.etag;
}

/**
 * Reads a blob and checks it against its name (its content hash), hashed while it streams
 * so the check costs no extra pass. Wrong bytes are never returned: they are a miss.
 *
 * A mismatch is read once more (a transfer fault may be passing). The object is deleted only
 * when the store proves it bad (see `storeProvesBad`); bytes damaged in transit leave it alone.
 */
export async function readVerified(
  store: BucketStore,
  ref: BlobRef,
  hooks: VerifiedReadHooks,
): Promise<Uint8Array | undefined> {
  const { counters } = hooks;
  for (let attempt = 0; attempt < 2; attempt++) {
    const blob = await store.getBlob(ref);
    if (blob === undefined) break;
    if (intact(blob, ref)) {
      counters.hits++;
      return blob.bytes;
    }
    counters.corrupt++;
    if (await storeProvesBad(store, ref, blob.bytes)) {
      const removed = await hooks.remove().catch(() => false);
      if (removed) counters.corruptRemoved++;
      hooks.onCorrupt(removed);
      break;
    }
    if (attempt === 1) hooks.onCorrupt(false);
  }
  counters.misses++;
  return undefined;
}
