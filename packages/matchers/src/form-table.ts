const EMPTY = -1;
/** A slot of the table being emptied whose entry has moved on: probes continue past it. */
const MOVED = -2;
/** Slots of the previous table moved to the current one per add while a resize is under way. */
const MOVE_STEP = 8;

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

/** Open-addressing slots of entry ids. */
class Slots {
  readonly slots: Int32Array;
  readonly mask: number;

  constructor(capacity: number) {
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
  }

  place(entry: number, hash: number): void {
    let slot = home(hash, this.mask);
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry;
  }

  /** The slot holding `entry`, or -1. */
  slotOf(entry: number, hash: number): number {
    for (let slot = home(hash, this.mask); ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot]!;
      if (held === entry) return slot;
      if (held === EMPTY) return -1;
    }
  }

  find(hash: number, hashes: Float64Array, found: (entry: number) => void): void {
    for (let slot = home(hash, this.mask); ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY) return;
      if (entry >= 0 && hashes[entry] === hash) found(entry);
    }
  }
}

/**
 * Entry ids by the hash of a form (the hash of entry `e` is `store.hashes[e]`), in
 * open-addressing `Int32Array` slots; several entries may share a hash. A `Map` keyed by these
 * 52-bit hashes spent over a second rehashing at a quarter of a million prompts. Growing here
 * never rehashes all at once either: a new table twice the size takes the adds while the old
 * one's entries move to it a few per add (searches read both meanwhile), so no insert pauses.
 */
export class FormTable {
  readonly #store: HashStore;
  #current = new Slots(16);
  /** The table being emptied into `#current`, and how far. */
  #previous: Slots | undefined;
  #cursor = 0;
  #count = 0;

  constructor(store: HashStore) {
    this.#store = store;
  }

  get size(): number {
    return this.#count;
  }

  add(entry: number): void {
    this.#count++;
    if (this.#previous) this.#moveSome();
    else if (2 * this.#count > this.#current.slots.length) {
      this.#previous = this.#current;
      this.#current = new Slots(this.#current.slots.length * 2);
      this.#cursor = 0;
    }
    this.#current.place(entry, this.#store.hashes[entry]!);
  }

  /** Calls `found` with every entry whose hash is `hash`. */
  find(hash: number, found: (entry: number) => void): void {
    const { hashes } = this.#store;
    this.#current.find(hash, hashes, found);
    this.#previous?.find(hash, hashes, found);
  }

  remove(entry: number): void {
    const hash = this.#store.hashes[entry]!;
    const previous = this.#previous;
    const old = previous ? previous.slotOf(entry, hash) : -1;
    if (previous && old >= 0) {
      previous.slots[old] = MOVED;
      this.#count--;
      return;
    }
    const { slots, mask } = this.#current;
    const slot = this.#current.slotOf(entry, hash);
    if (slot < 0) return;
    this.#count--;
    // Backward-shift deletion, as in KeyTable: no tombstones to accumulate.
    const { hashes } = this.#store;
    let hole = slot;
    for (let next = (hole + 1) & mask; slots[next] !== EMPTY; next = (next + 1) & mask) {
      const start = home(hashes[slots[next]!]!, mask);
      const stays = hole <= next ? hole < start && start <= next : hole < start || start <= next;
      if (stays) continue;
      slots[hole] = slots[next]!;
      hole = next;
    }
    slots[hole] = EMPTY;
  }

  memoryBytes(): number {
    return this.#current.slots.byteLength + (this.#previous?.slots.byteLength ?? 0);
  }

  /**
   * Moves the entries of the next few slots of the previous table. The current table is twice
   * its size and takes one add per step, so the move ends before the current table fills.
   */
  #moveSome(): void {
    const previous = this.#previous!;
    const { hashes } = this.#store;
    const end = Math.min(previous.slots.length, this.#cursor + MOVE_STEP);
    for (; this.#cursor < end; this.#cursor++) {
      const entry = previous.slots[this.#cursor]!;
      if (entry < 0) continue;
      previous.slots[this.#cursor] = MOVED;
      this.#current.place(entry, hashes[entry]!);
    }
    if (this.#cursor === previous.slots.length) this.#previous = undefined;
  }
}
