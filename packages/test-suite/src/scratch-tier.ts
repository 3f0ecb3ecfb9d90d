import { type BlobRef, type BlobTier, CONTRACT_VERSION } from '@tiercache/core/contracts';
import { assertBlobRef } from '@tiercache/core/kit';

/** A minimal in-memory tier, for suites that need a whole cache around the part they check. */
export function scratchTier(): BlobTier {
  const blobs = new Map<string, Uint8Array>();
  const id = (ref: BlobRef) => {
    assertBlobRef(ref);
    return `${ref.type}/${ref.contentHash}.${ref.extension}`;
  };
  return {
    name: 'scratch',
    contractVersion: CONTRACT_VERSION,
    readVerification: 'size-only',
    async get(ref) {
      return blobs.get(id(ref))?.slice();
    },
    async put(entry, bytes) {
      blobs.set(id(entry), bytes.slice());
    },
    async has(ref) {
      return blobs.has(id(ref));
    },
    async delete(ref) {
      return blobs.delete(id(ref));
    },
    async clear(type) {
      for (const key of [...blobs.keys()])
        if (type === undefined || key.startsWith(`${type}/`)) blobs.delete(key);
    },
  };
}
