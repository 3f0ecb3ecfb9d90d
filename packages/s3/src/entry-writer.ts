import type { Entry } from '@tiercache/core';
import type { BucketStore } from './bucket-store.js';

/**
 * `stored`: this upload recorded the entry. `exists`: the bucket already held a manifest for
 * the key (another machine's entry, or this one's from an earlier run): first writer wins
 * where the store honours `If-None-Match`; the blob is stored either way.
 */
export type UploadOutcome = 'stored' | 'exists';

/**
 * Stores one entry in 2 requests: the blob, named by its content (so no other bytes can ever
 * land under its name, and an existing one is not rewritten), then the manifest, the entry of
 * the key. The blob goes first: a manifest must never point at a blob that is not there yet.
 * The journal record is written later, for a burst of uploads at once (`JournalBatcher`).
 * Returns the manifest text, which the journal record repeats.
 *
 * Nothing is read back and nothing is repaired: blobs named by content cannot cross between
 * writers, and the local index, not the manifest, decides what each machine serves.
 */
export async function writeEntry(
  store: BucketStore,
  entry: Entry,
  bytes: Uint8Array,
): Promise<{ outcome: UploadOutcome; manifest: string }> {
  await store.putBlob(entry, bytes);
  const manifest = store.encodeManifest(entry);
  const outcome = (await store.putManifest(entry, manifest)) === 'created' ? 'stored' : 'exists';
  return { outcome, manifest };
}
