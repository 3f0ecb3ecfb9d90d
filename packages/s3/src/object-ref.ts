import { assertBlobRef, assertEntryRef, type BlobRef, type EntryRef } from '@tiercache/core';

/**
 * The name of a blob object in the bucket: `<type>/<key>.<ext>`, one object per request key.
 * Transitional: core's contract names blobs by content (`BlobRef`); until this tier stores
 * content-addressed objects it keys them by the entry the orchestrator passes (an `Entry` is
 * both a `BlobRef` and an `EntryRef`). A bare `BlobRef` without a key names no object here.
 */
export interface ObjectRef {
  type: string;
  key: string;
  extension: string;
}

/** Validates a ref and turns it into this tier's object name; `undefined` when it carries no key. */
export function objectRefOf(ref: BlobRef): ObjectRef | undefined {
  assertBlobRef(ref);
  const key = (ref as Partial<EntryRef>).key;
  if (key === undefined) return undefined;
  assertEntryRef({ type: ref.type, key });
  return { type: ref.type, key, extension: ref.extension };
}

/** `<type>/<key>.<ext>` (or `<type>/<key>` without extension). */
export function objectPathOf(ref: ObjectRef): string {
  return ref.extension ? `${ref.type}/${ref.key}.${ref.extension}` : `${ref.type}/${ref.key}`;
}
