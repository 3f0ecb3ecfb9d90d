import type { BlobRef, BlobTier } from '@tiercache/core';
import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import { assertAssetType, assertBlobRef } from '@tiercache/core/kit';
import { LRUCache } from 'lru-cache';
import { memoryErrors } from './memory-errors.js';
import { type MemoryTierOptions, resolveMemoryTierOptions } from './memory-options.js';

interface Stored {
  bytes: Uint8Array;
  /** Absolute ms on the tier's clock; `Infinity` never expires. */
  expiresAt: number;
}

const idOf = (ref: BlobRef): string => `${ref.type}/${ref.contentHash}.${ref.extension}`;

/**
 * An L1 blob tier in process memory, on lru-cache: bounded by bytes (and optionally by
 * count), least recently used evicted first, expiry from `Entry.expiresAt`.
 * Content-addressed: a blob is stored once under its content hash and never replaced, so it
 * can only ever hold the bytes its name says. Bytes are copied in; `get` hands out the stored
 * bytes themselves (`sharesReadBytes`), which the cache copies for callers unless they opted
 * into read-only zero-copy hits.
 */
export function createMemoryTier(options: MemoryTierOptions): BlobTier {
  const { maxBytes, maxEntries, maxAgeMs, name, now } = resolveMemoryTierOptions(options);
  const lru = new LRUCache<string, Stored>({
    maxSize: maxBytes,
    ...(maxEntries === undefined ? {} : { max: maxEntries }),
    // lru-cache measures ttl on its own clock; sharing ours keeps it in step with
    // `expiresAt`. Resolution 0: no cached "now" (and no timer per lookup).
    perf: { now },
    ttlResolution: 0,
  });

  // lru-cache's ttl only keeps expired blobs from being served lazily; this check makes
  // the boundary exact (`expiresAt <= now` is expired, as in core).
  function live(id: string): Stored | undefined {
    const stored = lru.get(id);
    if (stored === undefined) return undefined;
    if (stored.expiresAt !== Number.POSITIVE_INFINITY && stored.expiresAt <= now()) {
      lru.delete(id);
      return undefined;
    }
    return stored;
  }

  return {
    name,
    contractVersion: CONTRACT_VERSION,
    readVerification: 'size-only',
    sharesReadBytes: true,
    async get(ref) {
      assertBlobRef(ref);
      return live(idOf(ref))?.bytes;
    },
    async put(entry, bytes) {
      assertBlobRef(entry);
      const id = idOf(entry);
      const at = now();
      let expiresAt = entry.expiresAt ?? Number.POSITIVE_INFINITY;
      if (maxAgeMs !== undefined) expiresAt = Math.min(expiresAt, at + maxAgeMs);
      if (expiresAt <= at || bytes.length > maxBytes) return;
      const stored = live(id);
      // Same name, same bytes: a blob is never rewritten, only kept as long as the longest-lived
      // entry that stored it asks. A wrong size means `bytes` are not this content: refused.
      if (stored !== undefined && stored.expiresAt >= expiresAt) return;
      if (bytes.length !== entry.size) {
        throw memoryErrors.invalidEntry(
          `${bytes.length} bytes cannot be the content ${entry.contentHash} of ${entry.size} bytes`,
          { context: { type: entry.type, contentHash: entry.contentHash, size: bytes.length } },
        );
      }
      const ttl = expiresAt === Number.POSITIVE_INFINITY ? 0 : Math.ceil(expiresAt - at);
      lru.set(
        id,
        // The stored copy when there is one: bytes that were handed out are never replaced.
        { bytes: stored?.bytes ?? new Uint8Array(bytes), expiresAt },
        // lru-cache sizes must be positive; an empty blob still takes a slot.
        { size: Math.max(1, bytes.length), ttl, start: at },
      );
    },
    async has(ref) {
      assertBlobRef(ref);
      const id = idOf(ref);
      const stored = lru.peek(id);
      if (stored === undefined) return false;
      return stored.expiresAt === Number.POSITIVE_INFINITY || stored.expiresAt > now();
    },
    async delete(ref) {
      assertBlobRef(ref);
      const id = idOf(ref);
      const present = live(id) !== undefined;
      lru.delete(id);
      return present;
    },
    async clear(type) {
      if (type === undefined) {
        lru.clear();
        return;
      }
      try {
        assertAssetType(type);
      } catch (error) {
        throw memoryErrors.invalidRef(`cannot clear type ${JSON.stringify(type)}`, {
          context: { field: 'type' },
          cause: error,
        });
      }
      const prefix = `${type}/`;
      for (const id of [...lru.keys()]) if (id.startsWith(prefix)) lru.delete(id);
    },
    async usage() {
      lru.purgeStale();
      let entries = 0;
      let total = 0;
      const at = now();
      for (const stored of lru.values()) {
        if (stored.expiresAt <= at) continue;
        entries++;
        total += stored.bytes.length;
      }
      return { entries, bytes: total };
    },
    async close() {
      lru.clear();
    },
  };
}
