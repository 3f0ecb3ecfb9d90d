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

/**
 * Deletes every object the tier owns of one type (its blobs, manifests and journal records)
 * or, without a type, everything under the prefix the tier owns.
 */
export async function removeAll(store: BucketStore, type: string | undefined): Promise<void> {
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
}
