import type { Entry, EntryRef } from '@tiercache/core';
import type { BucketStore } from './bucket-store.js';

/**
 * Every entry the bucket can vouch for, of one type or all: its manifest is well-formed (and,
 * with a signing key, signed) and its blob is there. For rebuilding a lost index; one listing
 * per 1000 manifests, then one manifest read and one metadata read per entry.
 */
export async function* listEntries(
  store: BucketStore,
  type: string | undefined,
  before: () => Promise<unknown>,
): AsyncIterable<Entry> {
  await before();
  const { layout } = store;
  const refs: EntryRef[] = [];
  await store.list(layout.manifestFolder(type), undefined, async (page) => {
    for (const objectKey of page) {
      const ref = layout.parseManifest(objectKey);
      if (ref) refs.push(ref);
    }
  });
  for (const ref of refs) {
    const entry = (await store.getManifest(ref.type, ref.key))?.entry;
    if (entry && (await store.headBlob(entry)) !== undefined) yield entry;
  }
}
