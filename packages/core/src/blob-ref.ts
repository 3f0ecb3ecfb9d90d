import type { BlobRef } from './entry.js';
import { describeValue, TiercacheError } from './errors.js';
import { assertAssetType } from './request.js';

export const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
export const EXTENSION_PATTERN = /^[a-z0-9]{0,16}$/;

function invalid(field: string, value: unknown): never {
  throw new TiercacheError(
    'E_INVALID_REF',
    `@tiercache/core: blob ref ${field} ${describeValue(value)} is not allowed; it could escape the tier's namespace`,
    { context: { field, value: typeof value === 'string' ? value.slice(0, 64) : describeValue(value) } },
  );
}

/**
 * Throws `E_INVALID_REF` unless every part of the ref is safe as a path segment or object
 * key part. Every tier calls it first, so a traversal such as `../x` never reaches storage.
 */
export function assertBlobRef(ref: BlobRef): void {
  if (typeof ref !== 'object' || ref === null) invalid('', ref);
  try {
    assertAssetType(ref.type);
  } catch {
    invalid('type', ref.type);
  }
  if (typeof ref.key !== 'string' || !KEY_PATTERN.test(ref.key)) invalid('key', ref.key);
  if (typeof ref.extension !== 'string' || !EXTENSION_PATTERN.test(ref.extension))
    invalid('extension', ref.extension);
}

/** `<type>/<key>.<ext>` (or `<type>/<key>` without extension): the layout every tier shares. */
export function blobPath(ref: BlobRef): string {
  assertBlobRef(ref);
  return ref.extension ? `${ref.type}/${ref.key}.${ref.extension}` : `${ref.type}/${ref.key}`;
}
