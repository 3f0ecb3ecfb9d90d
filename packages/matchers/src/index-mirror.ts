import type { EntryIndex, Match, RequestKey } from '@tiercache/core';
import { CONTRACT_VERSION, type ContractVersion, type IndexChange } from '@tiercache/core/contracts';
import { type MatcherMemoryUsage, totalMemoryUsage } from './memory-usage.js';

/** What a matcher keeps per (type, paramsHash) partition so the mirror can keep it in sync. */
export interface MirroredPartition {
  readonly size: number;
  has(key: string): boolean;
  keys(): Iterable<string>;
  insert(key: string, prompt: string): void;
  delete(key: string): boolean;
  /** Optional bulk insert into an empty structure, used when a partition is first built. */
  load?(entries: readonly { key: string; prompt: string }[]): void;
}

interface PartitionSlot<P> {
  type: string;
  store: P;
  /** Another process may have changed the index since the store was last reconciled. */
  stale: boolean;
}

interface IndexState<P> {
  partitions: Map<string, PartitionSlot<P>>;
  revision: number;
  unsubscribe: () => void;
}

const partitionId = (type: string, paramsHash: string) => `${type}\u0000${paramsHash}`;

/**
 * Keeps per-partition structures in step with an `EntryIndex`: built lazily from
 * `index.partition()` on first use, updated by the index's change events, and reconciled
 * against `index.partition()` when `index.revision()` moved without an event (a change made
 * by another process sharing the storage).
 */
export class IndexMirror<P extends MirroredPartition> {
  readonly #create: (type: string) => P;
  // A matcher serves one index in practice; holding it strongly is what lets close() unsubscribe.
  readonly #states = new Map<EntryIndex, IndexState<P>>();

  constructor(create: (type: string) => P) {
    this.#create = create;
  }

  /** The up-to-date structure of one partition of `index`. */
  partition(index: EntryIndex, type: string, paramsHash: string): P {
    const state = this.#state(index);
    const revision = index.revision();
    if (revision !== state.revision) {
      // The revision is index-wide: which partition changed is unknown, so all are suspect.
      state.revision = revision;
      for (const slot of state.partitions.values()) slot.stale = true;
    }
    const id = partitionId(type, paramsHash);
    let slot = state.partitions.get(id);
    if (!slot) {
      const store = this.#create(type);
      const entries = index.partition(type, paramsHash);
      if (store.load) store.load(entries);
      else for (const { key, prompt } of entries) store.insert(key, prompt);
      slot = { type, store, stale: false };
      state.partitions.set(id, slot);
    } else if (slot.stale) {
      reconcile(slot.store, index.partition(type, paramsHash));
      slot.stale = false;
    }
    return slot.store;
  }

  /**
   * The similar match for the best record a search found, read from the index; `undefined`
   * (and the record forgotten) when the index no longer has it in this partition.
   */
  confirm(index: EntryIndex, request: RequestKey, best: { key: string; score: number }): Match | undefined {
    const entry = index.get(request.type, best.key);
    if (entry && entry.paramsHash === request.paramsHash)
      return { entry, kind: 'similar', score: best.score };
    this.#states
      .get(index)
      ?.partitions.get(partitionId(request.type, request.paramsHash))
      ?.store.delete(best.key);
    return undefined;
  }

  /** Every partition store currently held, for memory accounting. */
  *stores(): IterableIterator<P> {
    for (const state of this.#states.values()) for (const slot of state.partitions.values()) yield slot.store;
  }

  /** Unsubscribes from every index and drops all structures. */
  close(): void {
    for (const state of this.#states.values()) state.unsubscribe();
    this.#states.clear();
  }

  #state(index: EntryIndex): IndexState<P> {
    const state = this.#states.get(index);
    if (state) return state;
    const partitions = new Map<string, PartitionSlot<P>>();
    const created: IndexState<P> = { partitions, revision: 0, unsubscribe: () => undefined };
    created.unsubscribe = index.subscribe((change) => {
      apply(partitions, change);
      // Only a change directly after the last one seen proves nothing happened in between;
      // otherwise the revision stays behind and the next lookup reconciles with the index.
      if (change.revision === created.revision + 1) created.revision = change.revision;
    });
    created.revision = index.revision();
    this.#states.set(index, created);
    return created;
  }
}

function apply<P extends MirroredPartition>(partitions: Map<string, PartitionSlot<P>>, change: IndexChange) {
  switch (change.kind) {
    case 'insert': {
      const { type, paramsHash, key, prompt } = change.entry;
      // A partition not built yet will read the entry from the index when first used.
      partitions.get(partitionId(type, paramsHash))?.store.insert(key, prompt);
      return;
    }
    case 'delete':
      partitions.get(partitionId(change.type, change.paramsHash))?.store.delete(change.key);
      return;
    case 'clear':
      for (const [id, slot] of partitions) {
        if (change.type === undefined || slot.type === change.type) partitions.delete(id);
      }
      return;
  }
}

/** Makes `store` hold exactly the records of `current`, touching only the differences. */
function reconcile(store: MirroredPartition, current: readonly { key: string; prompt: string }[]): void {
  const present = new Set<string>();
  for (const { key, prompt } of current) {
    present.add(key);
    if (!store.has(key)) store.insert(key, prompt);
  }
  if (store.size === present.size) return;
  const gone: string[] = [];
  for (const key of store.keys()) if (!present.has(key)) gone.push(key);
  for (const key of gone) store.delete(key);
}

/** What every matcher built on a mirror has besides `name` and `find`. */
export interface MirroredMatcherMembers {
  readonly contractVersion: ContractVersion;
  /** What the mirrored partitions hold. */
  memoryUsage(): MatcherMemoryUsage;
  /** Unsubscribes from the indexes it followed and frees its structures. */
  close(): void;
}

export function mirroredMatcherMembers(
  mirror: IndexMirror<MirroredPartition & { memoryBytes(): number }>,
): MirroredMatcherMembers {
  return {
    contractVersion: CONTRACT_VERSION,
    memoryUsage: () => totalMemoryUsage(mirror.stores()),
    close: () => mirror.close(),
  };
}
