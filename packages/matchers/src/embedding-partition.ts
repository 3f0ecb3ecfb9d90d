import type { MirroredPartition } from './index-mirror.js';
import { cosine } from './vector.js';

/** Turns a text into a vector; any model or service (see the README). */
export type EmbedFunction = (text: string) => number[] | Float32Array | Promise<number[] | Float32Array>;

/** Texts embedded per batch while a partition catches up; bounds concurrent embed calls. */
const EMBED_BATCH = 16;

/** Shared by every partition of one matcher: the vector length all embeddings must have. */
export interface EmbeddingSpace {
  dimensions: number | undefined;
  /** Embeds and normalizes one text; `undefined` for a zero vector. */
  embed(text: string): Promise<Float32Array | undefined>;
}

/**
 * The embeddings of one (type, paramsHash) partition, one per entry key. Entries arrive
 * synchronously (from the index) and are embedded on the next search, in batches.
 */
export class EmbeddingPartition implements MirroredPartition {
  readonly #space: EmbeddingSpace;
  readonly #vectors = new Map<string, Float32Array | undefined>();
  readonly #pending = new Map<string, string>();
  #catchingUp: Promise<void> | undefined;

  constructor(space: EmbeddingSpace) {
    this.#space = space;
  }

  get size(): number {
    return this.#vectors.size + this.#pending.size;
  }

  has(key: string): boolean {
    return this.#vectors.has(key) || this.#pending.has(key);
  }

  *keys(): IterableIterator<string> {
    yield* this.#vectors.keys();
    yield* this.#pending.keys();
  }

  insert(key: string, prompt: string): void {
    if (!this.has(key)) this.#pending.set(key, prompt);
  }

  delete(key: string): boolean {
    return this.#vectors.delete(key) || this.#pending.delete(key);
  }

  /** Embeds every pending entry; concurrent callers share one run. */
  async catchUp(): Promise<void> {
    while (this.#pending.size > 0) {
      this.#catchingUp ??= this.#embedPending().finally(() => {
        this.#catchingUp = undefined;
      });
      await this.#catchingUp;
    }
  }

  /**
   * Up to `limit` entries with cosine ≥ threshold, best first (ties: smallest key), skipping
   * `excludeKey`: the guard may refuse the best, and the next may pass.
   */
  search(
    query: Float32Array,
    threshold: number,
    excludeKey: string,
    limit = 1,
  ): { key: string; score: number }[] {
    const best: { key: string; score: number }[] = [];
    const before = (a: { key: string; score: number }, b: { key: string; score: number }) =>
      a.score > b.score || (a.score === b.score && a.key < b.key);
    for (const [key, vector] of this.#vectors) {
      if (vector === undefined || key === excludeKey) continue;
      const score = cosine(query, vector);
      if (score < threshold) continue;
      const found = { key, score };
      if (best.length === limit && !before(found, best[best.length - 1]!)) continue;
      let at = best.length;
      while (at > 0 && before(found, best[at - 1]!)) at--;
      best.splice(at, 0, found);
      if (best.length > limit) best.pop();
    }
    return best;
  }

  memoryBytes(): number {
    let bytes = 0;
    for (const [key, vector] of this.#vectors)
      bytes += key.length + 64 + (vector ? vector.byteLength + 120 : 0);
    for (const [key, prompt] of this.#pending) bytes += key.length + prompt.length + 88;
    return bytes;
  }

  async #embedPending(): Promise<void> {
    const batch = [...this.#pending].slice(0, EMBED_BATCH);
    const vectors = await Promise.all(batch.map(([, prompt]) => this.#space.embed(prompt)));
    batch.forEach(([key, prompt], i) => {
      // Deleted (or deleted and replaced) while the batch was being embedded: drop it.
      if (this.#pending.get(key) !== prompt) return;
      this.#pending.delete(key);
      this.#vectors.set(key, vectors[i]);
    });
  }
}
