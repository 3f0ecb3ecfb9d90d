import { compareForEviction, IndexChangeFeed } from './change-feed.js';
import type { BlobRef, Entry } from './contracts/entry.js';
import type { EntryIndex, PartitionEntry } from './contracts/entry-index.js';
import type { IndexStats } from './contracts/index-stats.js';
import { CONTRACT_VERSION } from './contracts/version.js';
import { validateEntry } from './entry-validation.js';

/**
 * An `EntryIndex` held in process memory: for memory-only environments, for tests, and as
 * the reference behaviour for the conformance suite. Lost when the process exits.
 */
export function createMemoryIndex(): EntryIndex {
  const byType = new Map<string, Map<string, Entry>>();
  const partitions = new Map<string, Map<string, string>>();
  /** Per type: entries referencing each blob (by content hash and extension), and its size. */
  const blobs = new Map<string, Map<string, { references: number; size: number }>>();
  const feed = new IndexChangeFeed();
  const rejections = new Set<string>();
  let revision = 0;

  const partitionId = (type: string, paramsHash: string) => `${type}\u0000${paramsHash}`;
  const blobId = (ref: BlobRef) => `${ref.contentHash}.${ref.extension}`;

  function reference(entry: Entry, delta: 1 | -1): void {
    let ofType = blobs.get(entry.type);
    if (!ofType) {
      ofType = new Map();
      blobs.set(entry.type, ofType);
    }
    const id = blobId(entry);
    const counted = ofType.get(id) ?? { references: 0, size: entry.size };
    counted.references += delta;
    if (counted.references > 0) ofType.set(id, counted);
    else ofType.delete(id);
  }
  const pairingId = (type: string, requestKey: string, entryKey: string) =>
    `${type}\u0000${requestKey}\u0000${entryKey}`;
  // Callers get shallow copies; metadata is deep-frozen once at insert, so sharing it is safe
  // and a hit costs no clone.
  const copy = (entry: Entry): Entry => ({ ...entry });

  function remove(type: string, key: string): Entry | undefined {
    const entries = byType.get(type);
    const entry = entries?.get(key);
    if (!entries || !entry) return undefined;
    entries.delete(key);
    reference(entry, -1);
    const id = partitionId(type, entry.paramsHash);
    const partition = partitions.get(id);
    partition?.delete(key);
    if (partition?.size === 0) partitions.delete(id);
    return entry;
  }

  return {
    contractVersion: CONTRACT_VERSION,
    get(type, key) {
      const entry = byType.get(type)?.get(key);
      return entry ? copy(entry) : undefined;
    },
    insert(candidate) {
      validateEntry(candidate);
      let entries = byType.get(candidate.type);
      if (!entries) {
        entries = new Map();
        byType.set(candidate.type, entries);
      }
      const existing = entries.get(candidate.key);
      if (existing) return copy(existing);
      const entry: Entry = { ...candidate, metadata: deepFreeze(structuredClone(candidate.metadata)) };
      entries.set(entry.key, entry);
      reference(entry, 1);
      const id = partitionId(entry.type, entry.paramsHash);
      let partition = partitions.get(id);
      if (!partition) {
        partition = new Map();
        partitions.set(id, partition);
      }
      partition.set(entry.key, entry.prompt);
      revision++;
      feed.emit({ kind: 'insert', entry: copy(entry), revision });
      return copy(entry);
    },
    touch(type, key, at) {
      const entry = byType.get(type)?.get(key);
      if (!entry) return undefined;
      entry.useCount += 1;
      entry.lastUsedAt = Math.max(entry.lastUsedAt, at);
      return copy(entry);
    },
    delete(type, key) {
      const entry = remove(type, key);
      if (entry) {
        revision++;
        feed.emit({ kind: 'delete', type, key, paramsHash: entry.paramsHash, revision });
      }
      return entry !== undefined;
    },
    clear(type) {
      let removed = 0;
      for (const [entryType, entries] of byType) {
        if (type !== undefined && entryType !== type) continue;
        for (const key of [...entries.keys()]) if (remove(entryType, key)) removed++;
      }
      if (removed > 0) revision++;
      feed.emit({ kind: 'clear', type, revision });
      return removed;
    },
    partition(type, paramsHash) {
      const partition = partitions.get(partitionId(type, paramsHash));
      const out: PartitionEntry[] = [];
      if (partition) for (const [key, prompt] of partition) out.push({ key, prompt });
      return out;
    },
    evictionCandidates({ now, limit }) {
      const all: Entry[] = [];
      for (const entries of byType.values()) for (const entry of entries.values()) all.push(entry);
      all.sort((a, b) => compareForEviction(a, b, now));
      return all.slice(0, Math.max(0, limit)).map(copy);
    },
    blobReferences(ref) {
      return blobs.get(ref.type)?.get(blobId(ref))?.references ?? 0;
    },
    stats() {
      const stats: IndexStats = {
        entries: 0,
        bytes: 0,
        contentBytes: 0,
        byType: {},
        rejections: rejections.size,
      };
      for (const [type, entries] of byType) {
        if (entries.size === 0) continue;
        let uses = 0;
        let bytes = 0;
        for (const entry of entries.values()) {
          uses += entry.useCount;
          bytes += entry.size;
        }
        let contentBytes = 0;
        for (const blob of blobs.get(type)?.values() ?? []) contentBytes += blob.size;
        stats.byType[type] = { entries: entries.size, uses, bytes, contentBytes };
        stats.entries += entries.size;
        stats.bytes += bytes;
        stats.contentBytes = (stats.contentBytes ?? 0) + contentBytes;
      }
      return stats;
    },
    reject(type, requestKey, entryKey) {
      const id = pairingId(type, requestKey, entryKey);
      if (rejections.has(id)) return false;
      rejections.add(id);
      return true;
    },
    isRejected: (type, requestKey, entryKey) => rejections.has(pairingId(type, requestKey, entryKey)),
    revision: () => revision,
    subscribe: (listener) => feed.subscribe(listener),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
