import type { Entry } from '@tiercache/core';
import type { BlobHead, BucketStore } from './bucket-store.js';
import type { DecodedManifest } from './manifest.js';

export type UploadOutcome = 'stored' | 'exists' | 'conflict';

// Rounds of read-back-and-repair after a write. Two writers of one key converge in one round
// in every interleaving of their four writes; more rounds only cover three or more writers.
// Enough rounds to outlast the other writer's two remaining writes, plus a confirming read.
const SETTLE_ROUNDS = 6;

const sameVersion = (manifest: DecodedManifest, entry: Entry) =>
  manifest.entry.contentHash === entry.contentHash && manifest.entry.extension === entry.extension;

/**
 * Stores one entry so that the bucket always converges to a blob and a manifest that agree.
 *
 * S3-compatible stores do not all support conditional writes (s3rver ignores `If-None-Match`
 * on PUT), so the protocol does not rely on them:
 * 1. Read the manifest. Same content already there: done. Another writer's entry with other
 *    content: keep it (first writer wins, like `EntryIndex.insert`); a replacement only ever
 *    replaces this writer's own entry (the `BlobTier.put` contract, within one tier).
 * 2. Write the blob, then the manifest (the commit point), then a journal record.
 * 3. Read both back. The manifest decides: if it is ours but the blob was overwritten by a
 *    racing writer, rewrite the blob; if the blob is ours but another writer's manifest
 *    landed after ours, our blob has already replaced theirs, so rewrite the manifest.
 *
 * A state that still disagrees (three racing writers) is never served: reads are verified
 * against the manifest's hash, and a mismatching copy is removed by `delete`.
 */
export async function writeEntry(
  store: BucketStore,
  entry: Entry,
  bytes: Uint8Array,
  writer: string,
): Promise<UploadOutcome> {
  const current = await store.getManifest(entry.type, entry.key);
  if (current && sameVersion(current, entry)) {
    const head = await store.headBlob(entry);
    if (head?.sha256 === entry.contentHash && head.size === entry.size) return 'exists';
  } else if (current && current.writer !== writer) {
    return 'conflict';
  }
  await store.putBlob(entry, bytes, writer);
  await store.putManifest(entry, writer);
  await store.putJournal(entry, writer);
  if (current && current.entry.extension !== entry.extension) {
    // This writer replaced its own entry with another format: the old blob is now orphaned.
    await store.deleteObject(store.layout.blob(current.entry)).catch(() => undefined);
  }
  return settle(store, entry, bytes, writer);
}

async function settle(
  store: BucketStore,
  entry: Entry,
  bytes: Uint8Array,
  writer: string,
): Promise<UploadOutcome> {
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    const manifest = await store.getManifest(entry.type, entry.key);
    if (!manifest) return 'conflict'; // deleted meanwhile (a `delete` or `clear` elsewhere)
    const theirs = manifest.entry;
    const blob: BlobHead | undefined = await store.headBlob(theirs);
    if (blob?.sha256 === theirs.contentHash && blob.size === theirs.size) {
      return sameVersion(manifest, entry) ? 'stored' : 'conflict';
    }
    const blobIsMine =
      blob?.writer === writer && blob.sha256 === entry.contentHash && theirs.extension === entry.extension;
    // Two writers can cross (one's manifest, the other's blob). Exactly one repairs: the one
    // whose content hash sorts first. If both repaired, each would undo the other's repair.
    if (sameVersion(manifest, entry)) {
      const otherBlob = blob?.sha256 !== undefined && blob.writer !== writer ? blob.sha256 : undefined;
      if (otherBlob !== undefined && otherBlob < entry.contentHash) return 'conflict';
      await store.putBlob(entry, bytes, writer);
    } else if (blobIsMine) {
      if (theirs.contentHash < entry.contentHash) return 'conflict';
      await store.putManifest(entry, writer);
    } else {
      return 'conflict'; // neither half is ours: the writer of the manifest repairs it
    }
  }
  return 'conflict';
}
