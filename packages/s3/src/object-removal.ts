import type { BucketStore } from './bucket-store.js';
import type { ObjectRef } from './object-ref.js';

/**
 * Deletes a blob and the manifest that points at it; `false` when there was no blob. With
 * `onlyIfHash`, a blob of another content that its manifest vouches for is kept: core deletes
 * copies that do not match *its* entry, and such a copy is some other machine's valid entry.
 */
export async function removeBlob(
  store: BucketStore,
  ref: ObjectRef,
  onlyIfHash: string | undefined,
): Promise<boolean> {
  const head = await store.headBlob(ref);
  const manifest = await store.getManifest(ref.type, ref.key);
  const manifestPointsHere = manifest !== undefined && manifest.entry.extension === ref.extension;
  if (
    onlyIfHash !== undefined &&
    head?.sha256 !== undefined &&
    head.sha256 !== onlyIfHash &&
    manifestPointsHere &&
    manifest.entry.contentHash === head.sha256
  ) {
    return false;
  }
  if (head) await store.deleteObject(store.layout.blob(ref));
  if (manifestPointsHere) await store.deleteObject(store.layout.manifest(ref.type, ref.key));
  return head !== undefined;
}

/**
 * Deletes a blob that was read intact (its bytes match its recorded SHA-256, `observedHash`) but
 * was not the version the reader expected, unless its manifest vouches for it. The blob is
 * looked at again first: a writer may have replaced it since the read, and that copy is not the
 * one judged here. `true` when it was deleted (with the manifest that pointed at it).
 */
export async function removeUnvouched(
  store: BucketStore,
  ref: ObjectRef,
  observedHash: string,
): Promise<boolean> {
  const head = await store.headBlob(ref);
  if (head?.sha256 !== observedHash) return false;
  const manifest = await store.getManifest(ref.type, ref.key);
  const manifestPointsHere = manifest !== undefined && manifest.entry.extension === ref.extension;
  if (manifestPointsHere && manifest.entry.contentHash === observedHash) return false;
  await store.deleteObject(store.layout.blob(ref));
  if (manifestPointsHere) await store.deleteObject(store.layout.manifest(ref.type, ref.key));
  return true;
}
