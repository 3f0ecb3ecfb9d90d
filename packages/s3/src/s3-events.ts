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
  /** An upload finished: `stored` (bucket now holds it), `exists` (it already did) or `conflict`
   *  (another machine's entry holds the key; first writer wins). */
  upload: { type: string; key: string; outcome: 'stored' | 'exists' | 'conflict' };
  /** A blob whose bytes did not match its recorded SHA-256 or size was read. */
  corrupt: { type: string; key: string; removed: boolean };
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
  /** Records whose manifest is gone, invalid or expired. */
  skipped: number;
  /** Last journal key processed; pass it back (or use `syncStatePath`) to continue from there. */
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
  queue: {
    depth: number;
    bytes: number;
    running: number;
    capacity: number;
    uploaded: number;
    alreadyStored: number;
    conflicts: number;
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
