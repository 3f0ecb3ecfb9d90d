const EMPTY = -1;

/** Where a form table reads the hash of each entry it holds (the array may be replaced as it grows). */
export interface HashStore {
  hashes: Float64Array;
}

/** The slot a hash starts probing at: its low 32 bits, mixed. */
function home(hash: number, mask: number): number {
  let h = (hash >>> 0) ^ Math.floor(hash / 0x100000000);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) & mask;
}

/**
 * Entry ids by the hash of a form, in an open-addressing table of `Int32Array` slots (the hash
 * of entry `e` is `store.hashes[e]`). A `Map` keyed by these 52-bit hashes (heap numbers) spent
 * over a second rehashing at a quarter of a million prompts, a pause for every other request;
 * rehashing integers here takes milliseconds. Several entries may share a hash.
 */
export class FormTable {
  readonly #store: HashStore;
  #slots = new Int32Array(16).fill(EMPTY);
  #mask = 15;
  #count = 0;

  constructor(store: HashStore) {
    this.#store = store;
  }

  get size(): number {
    return this.#count;
  }

  add(entry: number): void {
    this.#count++;
    if (2 * this.#count > this.#slots.length) this.#resize(this.#slots.length * 2);
    this.#place(entry);
  }

  /** Calls `found` with every entry whose hash is `hash`. */
  find(hash: number, found: (entry: number) => void): void {
    const { hashes } = this.#store;
    for (let slot = home(hash, this.#mask); ; slot = (slot + 1) & this.#mask) {
      const entry = this.#slots[slot]!;
      if (entry === EMPTY) return;
      if (hashes[entry] === hash) found(entry);
    }
  }

  remove(entry: number): void {
    const { hashes } = this.#store;
    let slot = home(hashes[entry]!, this.#mask);
    for (; this.#slots[slot] !== entry; slot = (slot + 1) & this.#mask) {
      if (this.#slots[slot] === EMPTY) return;
    }
    this.#count--;
    // Backward-shift deletion, as in KeyTable: no tombstones to accumulate.
    let hole = slot;
    for (let next = (hole + 1) & this.#mask; this.#slots[next] !== EMPTY; next = (next + 1) & this.#mask) {
      const start = home(hashes[this.#slots[next]!]!, this.#mask);
      const stays = hole <= next ? hole < start && start <= next : hole < start || start <= next;
      if (stays) continue;
      this.#slots[hole] = this.#slots[next]!;
      hole = next;
    }
    this.#slots[hole] = EMPTY;
  }

  memoryBytes(): number {
    return this.#slots.byteLength;
  }

  #place(entry: number): void {
    let slot = home(this.#store.hashes[entry]!, this.#mask);
    while (this.#slots[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
    this.#slots[slot] = entry;
  }

  #resize(capacity: number): void {
    const old = this.#slots;
    this.#slots = new Int32Array(capacity).fill(EMPTY);
    this.#mask = capacity - 1;
    for (const entry of old) if (entry !== EMPTY) this.#place(entry);
  }
}
