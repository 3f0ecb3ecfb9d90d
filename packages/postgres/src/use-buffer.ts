/** A batch of uses for `ADD_USES`, as parallel arrays. */
export interface UseBatch {
  types: string[];
  keys: string[];
  uses: number[];
  at: number[];
}

/**
 * Uses (`touch`) recorded since the last send, one line per entry: a hit costs a map update,
 * and the server sees one update per entry per flush however hot the entry is.
 */
export class UseBuffer {
  #pending = new Map<string, { type: string; key: string; uses: number; at: number }>();

  add(type: string, key: string, at: number): void {
    const id = `${type}\u0000${key}`;
    const line = this.#pending.get(id);
    if (line) {
      line.uses += 1;
      line.at = Math.max(line.at, at);
    } else this.#pending.set(id, { type, key, uses: 1, at });
  }

  /** Everything recorded so far (and forgets it), or undefined when nothing was. */
  take(): UseBatch | undefined {
    if (this.#pending.size === 0) return undefined;
    const batch: UseBatch = { types: [], keys: [], uses: [], at: [] };
    for (const line of this.#pending.values()) {
      batch.types.push(line.type);
      batch.keys.push(line.key);
      batch.uses.push(line.uses);
      batch.at.push(line.at);
    }
    this.#pending = new Map();
    return batch;
  }
}
