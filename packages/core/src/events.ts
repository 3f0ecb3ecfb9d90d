import type { Entry } from './contracts/entry.js';
import type { MatchExplanation, MatchKind } from './contracts/matcher.js';
import type { TiercacheError } from './errors.js';

export type EvictReason = 'expired' | 'lru' | 'corrupt' | 'missing' | 'deleted' | 'rejected';

/** Every event a `TieredCache` emits, by name. Listeners must not throw; if they do, it is ignored. */
export interface CacheEvents {
  hit: {
    type: string;
    key: string;
    kind: MatchKind;
    score: number;
    explanation?: MatchExplanation;
    tier: string;
    entry: Entry;
    durationMs: number;
  };
  miss: { type: string; key: string; durationMs: number };
  store: { entry: Entry; tiers: string[]; inserted: boolean };
  /** An entry left the index (`tier` absent), or a blob left one tier (`tier` set). */
  evict: { type: string; key: string; reason: EvictReason; tier?: string };
  /** A tier, index or matcher failed or timed out; the cache carried on without it. */
  error: { operation: string; tier?: string; error: TiercacheError };
}

export type CacheEventName = keyof CacheEvents;
export type CacheListener<E extends CacheEventName> = (event: CacheEvents[E]) => void;

export class CacheEventEmitter {
  readonly #listeners: { [E in CacheEventName]?: Set<CacheListener<E>> } = {};

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends CacheEventName>(name: E, listener: CacheListener<E>): () => void {
    let set = this.#listeners[name] as Set<CacheListener<E>> | undefined;
    if (!set) {
      set = new Set();
      (this.#listeners as Record<string, unknown>)[name] = set;
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Whether anyone listens, so callers can skip building events nobody reads. */
  listens(name: CacheEventName): boolean {
    return (this.#listeners[name]?.size ?? 0) > 0;
  }

  emit<E extends CacheEventName>(name: E, event: CacheEvents[E]): void {
    const set = this.#listeners[name] as Set<CacheListener<E>> | undefined;
    if (!set) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch {
        // A metrics listener must never break a cache operation.
      }
    }
  }
}
