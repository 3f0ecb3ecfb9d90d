import type { BlobRef, EntryRef } from '@tiercache/core';
import type { BucketStore } from './bucket-store.js';

/**
 * Deletes a blob object; `false` when there was none. Core calls it once no entry of its index
 * references the content, after `deleteEntry` removed the entry's manifest. Blobs that entries
 * of other machines share are not tracked: deleting one turns their hits into misses (they
 * regenerate), never into wrong bytes.
 */
export async function removeBlob(store: BucketStore, ref: BlobRef): Promise<boolean> {
  if ((await store.headBlob(ref)) === undefined) return false;
  await store.deleteObject(store.layout.blob(ref));
  return true;
}

/** Deletes the manifest of `(type, key)`; `false` when there was none. */
export async function removeManifest(store: BucketStore, ref: EntryRef): Promise<boolean> {
  const Key = store.layout.manifest(ref.type, ref.key);
  if ((await store.getText(Key, 'describe')) === undefined) return false;
  await store.deleteObject(Key);
  return true;
}
