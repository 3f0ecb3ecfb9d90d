import { type BlobRef, TiercacheError } from '@tiercache/core';
import type { BucketStore, DownloadedBlob } from './bucket-store.js';
import type { StatsCounters } from './s3-stats.js';

export interface VerifiedReadHooks {
  counters: StatsCounters;
  /** A read did not match; `removed` when the object was judged bad and deleted. */
  onCorrupt: (removed: boolean) => void;
  /** Deletes the blob and its manifest. */
  remove: () => Promise<boolean>;
}

/** Blobs written by another tool carry no hash; core still verifies them against the entry. */
function intact(blob: DownloadedBlob): boolean {
  const { sha256, size } = blob.head;
  if (blob.bytes.length !== (size ?? blob.bytes.length)) return false;
  // Not hashed (`verifyDownloads: false`) or no recorded hash: core verifies against the entry.
  return sha256 === undefined || blob.sha256 === undefined || blob.sha256 === sha256;
}

/**
 * Reads a blob and checks it against the SHA-256 and size its object metadata records (hashed
 * while streaming, so the check costs no extra pass). A mismatch is read once more: bytes that
 * differ again mean a transfer fault (the read fails, nothing is removed); the same wrong
 * bytes twice mean the stored object is bad, and it is removed so no machine trusts it again.
 * Wrong bytes are never returned.
 */
export async function readVerified(
  store: BucketStore,
  ref: BlobRef,
  hooks: VerifiedReadHooks,
): Promise<Uint8Array | undefined> {
  const { counters } = hooks;
  const first = await store.getBlob(ref);
  if (first === undefined || intact(first)) {
    if (first) counters.hits++;
    else counters.misses++;
    return first?.bytes;
  }
  counters.corrupt++;
  const second = await store.getBlob(ref);
  if (second === undefined || intact(second)) {
    if (second) counters.hits++;
    else counters.misses++;
    return second?.bytes;
  }
  if (second.sha256 !== first.sha256) {
    hooks.onCorrupt(false);
    throw new TiercacheError(
      'E_CORRUPT_BLOB',
      `@tiercache/s3: ${store.layout.blob(ref)} arrived damaged twice (SHA-256 mismatch); not served`,
      { context: { type: ref.type, key: ref.key } },
    );
  }
  await hooks.remove();
  counters.corruptRemoved++;
  hooks.onCorrupt(true);
  counters.misses++;
  return undefined;
}
