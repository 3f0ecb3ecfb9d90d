import type { IndexChange } from './contracts/entry-index.js';

/** In-process fan-out of index changes, shared by index implementations. */
export class IndexChangeFeed {
  readonly #listeners = new Set<(change: IndexChange) => void>();

  subscribe(listener: (change: IndexChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(change: IndexChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

/** Orders eviction candidates: expired first (earliest expiry), then least recently used. */
export function compareForEviction(
  a: { expiresAt: number | null; lastUsedAt: number; createdAt: number; key: string },
  b: { expiresAt: number | null; lastUsedAt: number; createdAt: number; key: string },
  now: number,
): number {
  const aExpired = a.expiresAt !== null && a.expiresAt <= now;
  const bExpired = b.expiresAt !== null && b.expiresAt <= now;
  if (aExpired !== bExpired) return aExpired ? -1 : 1;
  if (aExpired && bExpired && a.expiresAt !== b.expiresAt) return (a.expiresAt ?? 0) - (b.expiresAt ?? 0);
  if (a.lastUsedAt !== b.lastUsedAt) return a.lastUsedAt - b.lastUsedAt;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
