/** Something an operator should act on. Emitted through `onWarning` and as a `warning` event. */
export interface S3TierWarning {
  code: 'E_TIER_READ_ONLY' | 'E_QUEUE_FULL' | 'E_CORRUPT_BLOB' | 'E_UPLOADS_ABANDONED';
  /** Starts with `@tiercache/s3: `; never contains credentials. */
  message: string;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export type DropReason = 'queue-full' | 'read-only' | 'closed';

/** Every event an S3 tier emits, by name. Listeners must not throw; if they do, it is ignored. */
export interface S3TierEvents {
  warning: S3TierWarning;
  /** The breaker changed state. */
  breaker: { state: BreakerState; consecutiveFailures: number };
  /** An attempt failed and will be retried after `delayMs`. */
  retry: { operation: string; attempt: number; reason: string; delayMs: number };
  /** An operation failed for good (after its retries). */
  failure: { operation: string; code: string; reason: string };
  /** An upload was not queued or was discarded. */
  drop: { type: string; key: string; reason: DropReason };
  /**
   * An upload finished: `stored` (this upload recorded the entry) or `exists` (the bucket
   * already held a manifest for the key; the blob is stored either way).
   */
  upload: { type: string; key: string; outcome: 'stored' | 'exists' };
  /**
   * A download did not match the blob's name (its content hash): a miss. `removed` when the
   * store itself proved the object bad and it was deleted; damage in transit removes nothing.
   */
  corrupt: { type: string; contentHash: string; removed: boolean };
  /** A `sync` finished. */
  sync: SyncResult;
}

export type S3TierEventName = keyof S3TierEvents;
export type S3TierListener<E extends S3TierEventName> = (event: S3TierEvents[E]) => void;

/** What one `sync` did. */
export interface SyncResult {
  /** Journal records read. */
  scanned: number;
  /** Entries added to the index. */
  inserted: number;
  /** Records whose entry the index already had. */
  known: number;
  /** Records whose manifest is gone, malformed, unsigned (with a signing key) or expired. */
  skipped: number;
  /**
   * Where the next sync continues: the last journal key processed or, after a complete sync, a
   * mark of the time it started. Pass it back (or use `syncStatePath`) to continue from there.
   */
  cursor: string | undefined;
  /** False when the bucket could not be read to the end; the cursor keeps what was done. */
  complete: boolean;
  /** Why it stopped early (`complete: false`). */
  error?: string;
}

/** Figures of one S3 tier, as `stats()` reports them. */
export interface S3TierStats {
  name: string;
  bucket: string;
  prefix: string;
  readOnly: boolean;
  breaker: { state: BreakerState; consecutiveFailures: number; opened: number; skipped: number };
  requests: { operations: number; retries: number; failures: number; timeouts: number };
  reads: { hits: number; misses: number; corrupt: number; corruptRemoved: number };
  /** Manifests read and ignored: malformed, or not signed with the configured signing key. */
  manifests: { malformed: number; unsigned: number };
  queue: {
    depth: number;
    bytes: number;
    running: number;
    capacity: number;
    uploaded: number;
    alreadyStored: number;
    failed: number;
    dropped: number;
    droppedReadOnly: number;
  };
  sync: { runs: number; inserted: number; cursor: string | undefined };
}

export class S3TierEventEmitter {
  readonly #listeners = new Map<S3TierEventName, Set<(event: never) => void>>();

  on<E extends S3TierEventName>(name: E, listener: S3TierListener<E>): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends S3TierEventName>(name: E, event: S3TierEvents[E]): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as S3TierListener<E>)(event);
      } catch {
        // A metrics listener must never break a tier operation.
      }
    }
  }
}
