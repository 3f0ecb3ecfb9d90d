import type { BlobRef, Entry } from './entry.js';
import type { IndexStats } from './index-stats.js';
import type { OwnsPaths } from './owns-paths.js';
import type { ContractVersion } from './version.js';

/** One prompt of a similarity partition, as matchers enumerate it. */
export interface PartitionEntry {
  key: string;
  prompt: string;
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
  /**
   * Optional: the contract version this part was written for (`CONTRACT_VERSION`). A cache
   * refuses a part that declares another version with `E_INVALID_OPTIONS`.
   */
  readonly contractVersion?: ContractVersion;
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
   * Optional: how many entries reference the blob `ref` names (same type, content hash and
   * extension). The orchestrator deletes a blob from the tiers only when this is 0 after the
   * entry that used it is gone, and `verify` treats a blob with 0 references as an orphan.
   * Without it, blobs are never deleted with their entries (tiers' own bounds and verify
   * collect them).
   */
  blobReferences?(ref: BlobRef): number;
  /**
   * A counter that grows by exactly one with every insert, delete and (non-empty) clear, also
   * when another process sharing the same storage made it. Matchers holding their own
   * structures compare it with the `revision` of the changes they were told about to learn of
   * changes they were not told about.
   */
  revision(): number;
  /**
   * Optional, for indexes shared by several processes: claims the generation of `(type, key)`
   * so that only one process pays for it. True when the caller may generate: the entry is
   * still missing AND there is no live claim (or it is its own, an expired one, or one whose
   * process is gone). Both are checked in the same transaction as the claim is written, so a
   * process that finished generating and inserted the entry can never be followed by a second
   * generation. False while another holds it or once the entry exists: the caller then waits
   * for (or reads) the entry.
   */
  claimGeneration?(type: string, key: string, options: { now: number; claimMs: number }): boolean;
  /**
   * Optional asynchronous form of `claimGeneration`, for an index whose claims need a network
   * round trip (a local replica of a shared store: `@tiercache/postgres`). Same semantics; the
   * orchestrator prefers it over `claimGeneration` when both exist. Resolves `true` when the
   * shared store cannot answer (generating is the safe fallback); never rejects.
   */
  claimSharedGeneration?(
    type: string,
    key: string,
    options: { now: number; claimMs: number },
  ): Promise<boolean>;
  /** Optional: ends a claim this instance made (after storing, or when generation failed). */
  releaseGeneration?(type: string, key: string): void;
  /**
   * Optional, with `isRejected`: records that the entry stored under `entryKey` must never
   * answer the request `requestKey` (both of `type`). Kept where the entries are (a shared file
   * makes it every process's), and kept when either entry goes: it judges two prompts, not two
   * files. True when the pairing is new.
   */
  reject?(type: string, requestKey: string, entryKey: string, at: number): boolean;
  /** Optional, with `reject`: whether that pairing was rejected, by this or any process sharing the index. */
  isRejected?(type: string, requestKey: string, entryKey: string): boolean;
  /**
   * Optional, for a local replica of a shared store: asks the store for an entry the replica
   * has not received yet. The orchestrator calls it on an exact-key miss, before generating;
   * a found entry is added to the replica as well. Resolves `undefined` when the store has no
   * such entry or cannot answer; never rejects.
   */
  lookupShared?(type: string, key: string): Promise<Entry | undefined>;
  /** Subscribes to changes made through this instance; returns the unsubscribe function. */
  subscribe(listener: (change: IndexChange) => void): () => void;
  close?(): void;
}
