import type { Entry } from '@tiercache/core';
import { assertBlobRef, assertEntryRef, validateEntry } from '@tiercache/core/kit';
import type { BucketStore } from './bucket-store.js';
import type { ManifestRecorder } from './manifest-recorder.js';
import { s3Errors } from './s3-errors.js';

/**
 * `stored`: this upload recorded the entry. `exists`: the bucket already held a manifest for
 * the key (another machine's entry, or this one's from an earlier run): first writer wins
 * where the store honours `If-None-Match`; the blob is stored either way.
 */
export type UploadOutcome = 'stored' | 'exists';

/**
 * Stores one entry in 2 requests: the blob, named by its content (so no other bytes can ever
 * land under its name, and an existing one is not rewritten), then the manifest, the entry of
 * the key, unless this tier instance recorded another content for the key (first record wins). The blob goes first: a manifest must never point at a blob that is not there yet.
 * The journal record is written later, for a burst of uploads at once (`JournalBatcher`).
 * Returns the manifest text, which the journal record repeats.
 *
 * Nothing is read back and nothing is repaired: blobs named by content cannot cross between
 * writers, and the local index, not the manifest, decides what each machine serves.
 */
export async function writeEntry(
  store: BucketStore,
  recorder: ManifestRecorder,
  entry: Entry,
  bytes: Uint8Array,
): Promise<{ outcome: UploadOutcome; manifest: string }> {
  await store.putBlob(entry, bytes);
  const manifest = store.encodeManifest(entry);
  const written = await recorder.record(entry, () => store.putManifest(entry, manifest));
  const outcome = written === 'created' ? 'stored' : 'exists';
  return { outcome, manifest };
}

/**
 * What `put` checks before queueing: a valid entry and bytes of its size. The hash is the
 * caller's guarantee (core computed it from these bytes); a wrong one could only ever be a
 * miss, as every read checks the bytes against their name.
 */
export function assertUploadable(entry: Entry, bytes: Uint8Array): void {
  assertBlobRef(entry);
  assertEntryRef(entry);
  validateEntry(entry);
  if (bytes.length === entry.size) return;
  throw s3Errors.invalidEntry(
    `bytes for ${entry.type}/${entry.key} do not match entry.size; they could never be served`,
    { context: { type: entry.type, key: entry.key, size: bytes.length, expectedSize: entry.size } },
  );
}
