import type { OwnsPaths } from './destination.js';
import type { Entry } from './entry.js';

/** One prompt of a similarity partition, as matchers enumerate it. */
export interface PartitionEntry {
  key: string;
  prompt: string;
}

/** Per-type figures in the shape of the original system's statistics. */
export interface TypeStats {
  count: number;
  total_uses: number;
  avg_uses_per_entry: number;
  /** Sum of entry sizes. */
  bytes: number;
}

export interface IndexStats {
  total_entries: number;
  total_bytes: number;
  by_type: Record<string, TypeStats>;
}

/**
 * A change to the set of entries, announced to in-process subscribers (matchers).
 * `revision` is the index's revision right after this change: a subscriber that last saw
 * `revision - 1` knows nothing else happened in between (another process's change would have
 * advanced it too).
 */
export type IndexChange =
  | { kind: 'insert'; entry: Entry; revision: number }
  | { kind: 'delete'; type: string; key: string; paramsHash: string; revision: number }
  | { kind: 'clear'; type: string | undefined; revision: number };

/**
 * The local, synchronous record of what is cached. Implementations: `createMemoryIndex`
 * (core), `@tiercache/sqlite`. Entries are immutable except for usage fields.
 */
export interface EntryIndex extends OwnsPaths {
  get(type: string, key: string): Entry | undefined;
  /**
   * Inserts an entry unless its `(type, key)` exists. Returns the stored entry: the
   * argument when inserted, the earlier entry otherwise (first writer wins).
   */
  insert(entry: Entry): Entry;
  /** Records a use: `useCount + 1`, `lastUsedAt = at`. Returns the updated entry. */
  touch(type: string, key: string, at: number): Entry | undefined;
  /** Removes one entry; `true` when it existed. */
  delete(type: string, key: string): boolean;
  /** Removes the entries of one type or of all types; returns how many went. */
  clear(type?: string): number;
  /** Every prompt stored under one `(type, paramsHash)` partition. */
  partition(type: string, paramsHash: string): PartitionEntry[];
  /**
   * Entries to evict, best candidates first: expired ones (`expiresAt <= now`, earliest
   * first), then the rest by least recent use (ties: oldest `createdAt`, then key).
   */
  evictionCandidates(options: { now: number; limit: number }): Entry[];
  stats(): IndexStats;
  /**
   * A counter that grows by exactly one with every insert, delete and (non-empty) clear, also
   * when another process sharing the same storage made it. Matchers holding their own
   * structures compare it with the `revision` of the changes they were told about to learn of
   * changes they were not told about.
   */
  revision(): number;
  /**
   * Optional, for indexes shared by several processes: claims the generation of `(type, key)`
   * so that only one process pays for it. True when the caller may generate (no live claim,
   * its own, an expired one, or one whose process is gone); false while another holds it.
   */
  claimGeneration?(type: string, key: string, options: { now: number; ttlMs: number }): boolean;
  /** Optional: ends a claim this instance made (after storing, or when generation failed). */
  releaseGeneration?(type: string, key: string): void;
  /** Subscribes to changes made through this instance; returns the unsubscribe function. */
  subscribe(listener: (change: IndexChange) => void): () => void;
  close?(): void;
}
