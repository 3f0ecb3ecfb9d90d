import { writeFile } from 'node:fs/promises';
import { assertBlobRef } from '../blob-ref.js';
import type { BlobTier, ReadVerification } from '../contracts/blob-tier.js';
import type { BlobRef } from '../contracts/entry.js';
import { hashContent } from '../request.js';

/** Faults a test can switch on and off at any time. */
export interface Faults {
  /** Operations that throw. */
  throwOn: Set<string>;
  /** Operations that never settle. */
  hangOn: Set<string>;
  /**
   * A self-verifying tier (`readVerification: 'by-tier'`) that skips its own check, i.e. breaks its
   * contract: shows what the orchestrator trusts such a tier with.
   */
  skipOwnCheck: boolean;
}

export interface MapTier extends BlobTier {
  readonly blobs: Map<string, Uint8Array>;
  readonly faults: Faults;
  readonly calls: string[];
  /** The `expectedHash` of every `get`, in order. */
  readonly expectedHashes: (string | undefined)[];
}

export interface MapTierOptions {
  materialize?: boolean;
}

/** The key under which a map tier keeps a blob. */
export const mapBlobId = (ref: BlobRef) => `${ref.type}/${ref.contentHash}.${ref.extension}`;
const id = mapBlobId;

/**
 * An unbounded in-test tier over a Map, with switchable faults. With `'by-tier'` it keeps that
 * contract: `get` answers `undefined` for bytes that do not match the ref's content hash
 * (unless `faults.skipOwnCheck`).
 */
export function createMapTier(
  name = 'map',
  readVerification: ReadVerification = 'size-only',
  options: MapTierOptions = {},
): MapTier {
  const blobs = new Map<string, Uint8Array>();
  const faults: Faults = { throwOn: new Set(), hangOn: new Set(), skipOwnCheck: false };
  const calls: string[] = [];
  const expectedHashes: (string | undefined)[] = [];
  const selfVerifying = readVerification === 'by-tier';
  async function enter(operation: string, ref?: BlobRef): Promise<void> {
    if (ref) assertBlobRef(ref);
    calls.push(operation);
    if (faults.throwOn.has(operation)) throw new Error(`${name}: injected ${operation} failure`);
    if (faults.hangOn.has(operation)) await new Promise(() => undefined);
  }
  const tier: MapTier = {
    name,
    readVerification,
    blobs,
    faults,
    calls,
    expectedHashes,
    async get(ref) {
      await enter('get', ref);
      expectedHashes.push(ref.contentHash);
      const blob = blobs.get(id(ref));
      if (!blob || !selfVerifying || faults.skipOwnCheck) return blob?.slice();
      return hashContent(blob) === ref.contentHash ? blob.slice() : undefined;
    },
    async put(entry, bytes) {
      const copy = bytes.slice();
      await enter('put', entry);
      blobs.set(id(entry), copy);
    },
    async has(ref) {
      await enter('has', ref);
      return blobs.has(id(ref));
    },
    async delete(ref) {
      await enter('delete', ref);
      return blobs.delete(id(ref));
    },
    async clear(type) {
      await enter('clear');
      for (const key of [...blobs.keys()])
        if (type === undefined || key.startsWith(`${type}/`)) blobs.delete(key);
    },
    async usage() {
      await enter('usage');
      let bytes = 0;
      for (const blob of blobs.values()) bytes += blob.length;
      return { entries: blobs.size, bytes };
    },
  };
  if (options.materialize) {
    tier.materialize = async (ref, destPath) => {
      await enter('materialize', ref);
      const blob = blobs.get(id(ref));
      if (!blob) return false;
      await writeFile(destPath, blob);
      return true;
    };
  }
  return tier;
}
