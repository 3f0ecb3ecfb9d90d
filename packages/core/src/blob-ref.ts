import type { BlobRef, EntryRef } from './contracts/entry.js';
import { coreErrors } from './error-factories.js';
import { describeValue } from './errors.js';
import { assertAssetType } from './request.js';

export const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
export const EXTENSION_PATTERN = /^[a-z0-9]{0,16}$/;
/** SHA-256 as `hashContent` writes it: 64 lowercase hex digits. */
export const CONTENT_HASH_PATTERN = /^[0-9a-f]{64}$/;

function invalid(kind: 'blob' | 'entry', field: string, value: unknown): never {
  throw coreErrors.invalidRef(
    `${kind} ref ${field} ${describeValue(value)} is not allowed; it could escape the tier's namespace`,
    { context: { field, value: typeof value === 'string' ? value.slice(0, 64) : describeValue(value) } },
  );
}

/**
 * Throws `E_INVALID_REF` unless every part of the ref is safe as a path segment or object
 * key part and `contentHash` is a SHA-256 in hex. Every tier calls it first, so a traversal
 * such as `../x` never reaches storage.
 */
export function assertBlobRef(ref: BlobRef): void {
  if (typeof ref !== 'object' || ref === null) invalid('blob', '', ref);
  try {
    assertAssetType(ref.type);
  } catch {
    invalid('blob', 'type', ref.type);
  }
  if (typeof ref.contentHash !== 'string' || !CONTENT_HASH_PATTERN.test(ref.contentHash))
    invalid('blob', 'contentHash', ref.contentHash);
  if (typeof ref.extension !== 'string' || !EXTENSION_PATTERN.test(ref.extension))
    invalid('blob', 'extension', ref.extension);
}

/** Throws `E_INVALID_REF` unless the type and key are safe as path segments or object key parts. */
export function assertEntryRef(ref: EntryRef): void {
  if (typeof ref !== 'object' || ref === null) invalid('entry', '', ref);
  try {
    assertAssetType(ref.type);
  } catch {
    invalid('entry', 'type', ref.type);
  }
  if (typeof ref.key !== 'string' || !KEY_PATTERN.test(ref.key)) invalid('entry', 'key', ref.key);
}

/** The bare blob name of an entry (or of any ref), without the entry's other fields. */
export function blobRefOf(ref: BlobRef): BlobRef {
  return { type: ref.type, contentHash: ref.contentHash, extension: ref.extension };
}

/** The same blob: same type, content and extension. */
export function sameBlob(a: BlobRef, b: BlobRef): boolean {
  return a.type === b.type && a.contentHash === b.contentHash && a.extension === b.extension;
}

/**
 * `<type>/<first 2 hex of the hash>/<contentHash>.<ext>` (without `.<ext>` when the extension is
 * empty): the content-addressed layout every tier shares. The two-character fan-out folder
 * keeps folders small (as cacache does) and can never be mistaken for the layout before
 * content addressing (`<type>/<requestKey>.<ext>`), which migrations rely on.
 */
export function blobPath(ref: BlobRef): string {
  assertBlobRef(ref);
  const name = ref.extension ? `${ref.contentHash}.${ref.extension}` : ref.contentHash;
  return `${ref.type}/${ref.contentHash.slice(0, 2)}/${name}`;
}
