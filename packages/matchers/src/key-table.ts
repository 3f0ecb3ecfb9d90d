const EMPTY = -1;

/**
 * FNV-1a over the first and last 8 code units and the length, mixed so the low bits (the
 * slot) depend on all of it. Keys are SHA-256 hex in practice, so a few of their characters
 * spread as well as all of them, at a fraction of the cost of reading 64 characters of a
 * string scattered in the heap; keys sharing those characters only cost longer probe runs,
 * never a wrong answer (keys are compared in full).
 */
function hashKey(key: string): number {
  const length = key.length;
  let hash = 0x811c9dc5 | 0;
  if (length <= 16) {
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 8; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    for (let i = length - 8; i < length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  hash = Math.imul(hash ^ length, 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}

/** A slot of the table being emptied whose record has moved on: probes continue past it. */
const MOVED = -2;
/** Slots of the previous table moved per add while the table grows. */
const MOVE_STEP = 8;

/**
 * Entry keys to dense record ids: `keys[record]` is the key (undefined once deleted), found
 * through an open-addressing table of record ids. A `Map` spent about a microsecond per
 * insert hashing the 64-character keys, the largest share of the build after interning.
 * Growing by adds never rehashes all at once (a pause of its own at a million keys): a table
 * twice the size takes the new records while the old one's move to it a few per add, and
 * lookups read both meanwhile. `reserve` (a bulk load) still sizes the table in one go.
 */
export class KeyTable {
  keys: (string | undefined)[] = [];
  #hashes = new Int32Array(16);
  #slots = new Int32Array(16).fill(EMPTY);
  #mask = 15;
  #previous: { slots: Int32Array; mask: number } | undefined;
  #cursor = 0;
  #live = 0;

  /** Live keys. */
  get size(): number {
    return this.#live;
  }

  /** The record of `key`, or -1. */
  get(key: string): number {
    const hash = hashKey(key);
    const found = this.#find(this.#slots, this.#mask, key, hash);
    if (found >= 0 || !this.#previous) return found < 0 ? EMPTY : this.#slots[found]!;
    const old = this.#find(this.#previous.slots, this.#previous.mask, key, hash);
    return old < 0 ? EMPTY : this.#previous.slots[old]!;
  }

  /** Appends a record for `key` and returns its id; -1 (and nothing added) if present. */
  add(key: string): number {
    if (this.get(key) !== EMPTY) return EMPTY;
    const hash = hashKey(key);
    const record = this.keys.length;
    this.keys.push(key);
    if (record === this.#hashes.length) {
      const hashes = new Int32Array(record * 2);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    this.#hashes[record] = hash;
    this.#live++;
    if (this.#previous) this.#moveSome();
    else if (2 * this.#live > this.#slots.length) {
      // Slots hold live records only, at most half full: grow, moving the old ones gradually.
      this.#previous = { slots: this.#slots, mask: this.#mask };
      this.#slots = new Int32Array(this.#slots.length * 2).fill(EMPTY);
      this.#mask = this.#slots.length - 1;
      this.#cursor = 0;
    }
    this.#place(record);
    return record;
  }

  /** Sizes the table for `count` more keys at once (a bulk load rehashes only once). */
  reserve(count: number): void {
    let capacity = this.#slots.length;
    while (2 * (this.#live + count) > capacity) capacity *= 2;
    if (capacity > this.#slots.length || this.#previous) this.#resize(capacity);
  }

  /** Removes `key`; returns its record, or -1 if absent. */
  delete(key: string): number {
    const hash = hashKey(key);
    const previous = this.#previous;
    const slot = this.#find(this.#slots, this.#mask, key, hash);
    if (slot < 0) {
      const old = previous ? this.#find(previous.slots, previous.mask, key, hash) : -1;
      if (!previous || old < 0) return EMPTY;
      const record = previous.slots[old]!;
      previous.slots[old] = MOVED;
      this.keys[record] = undefined;
      this.#live--;
      return record;
    }
    const record = this.#slots[slot]!;
    this.keys[record] = undefined;
    this.#live--;
    // Backward-shift deletion: later members of the probe run move up so lookups never
    // stop early at the hole (no tombstones to accumulate).
    let hole = slot;
    for (let next = (hole + 1) & this.#mask; this.#slots[next] !== EMPTY; next = (next + 1) & this.#mask) {
      const home = this.#hashes[this.#slots[next]!]! & this.#mask;
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      this.#slots[hole] = this.#slots[next]!;
      hole = next;
    }
    this.#slots[hole] = EMPTY;
    return record;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (const key of this.keys) if (key !== undefined) yield key;
  }

  /** Bytes of the table and the key array's slots (the key strings are the index's). */
  memoryBytes(): number {
    return (
      this.#slots.byteLength +
      (this.#previous?.slots.byteLength ?? 0) +
      this.#hashes.byteLength +
      this.keys.length * 8
    );
  }

  /** The slot of `slots` holding `key`'s record, or -1. */
  #find(slots: Int32Array, mask: number, key: string, hash: number): number {
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const record = slots[slot]!;
      if (record === EMPTY) return EMPTY;
      if (record >= 0 && this.#hashes[record] === hash && this.keys[record] === key) return slot;
    }
  }

  #place(record: number): void {
    let slot = this.#hashes[record]! & this.#mask;
    while (this.#slots[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
    this.#slots[slot] = record;
  }

  /** Moves the records of the next few slots of the previous table into the current one. */
  #moveSome(): void {
    const previous = this.#previous!;
    const end = Math.min(previous.slots.length, this.#cursor + MOVE_STEP);
    for (; this.#cursor < end; this.#cursor++) {
      const record = previous.slots[this.#cursor]!;
      if (record < 0) continue;
      previous.slots[this.#cursor] = MOVED;
      this.#place(record);
    }
    if (this.#cursor === previous.slots.length) this.#previous = undefined;
  }

  #resize(capacity: number): void {
    this.#previous = undefined;
    this.#slots = new Int32Array(capacity).fill(EMPTY);
    this.#mask = capacity - 1;
    for (let record = 0; record < this.keys.length; record++)
      if (this.keys[record] !== undefined) this.#place(record);
  }
}
