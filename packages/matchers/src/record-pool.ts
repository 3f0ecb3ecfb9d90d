import { grown } from './int32-growth.js';
import { KeyTable } from './key-table.js';

/**
 * The records of one token index: each key's distinct token ids, stored back to back in one
 * shared pool (`pool[offsets[r], offsets[r] + sizes[r])`). A deleted record keeps its slice
 * until the index is rebuilt; its key slot becomes `undefined`.
 */
export class RecordPool {
  #keys = new KeyTable();
  offsets = new Int32Array(0);
  sizes = new Int32Array(0);
  pool = new Int32Array(0);
  /** Ids in use at the start of `pool`. */
  poolLength = 0;
  // Marks of the ids already copied for the record being added, one epoch per record, so
  // duplicates are dropped without clearing the marks every time.
  #distinct = new Int32Array(0);
  #distinctEpoch = 0;

  /** Live records. */
  get size(): number {
    return this.#keys.size;
  }

  /** Key per record id; `undefined` for a deleted record. */
  get keys(): (string | undefined)[] {
    return this.#keys.keys;
  }

  liveKeys(): IterableIterator<string> {
    return this.#keys[Symbol.iterator]();
  }

  /** The record id of `key`, or -1. */
  get(key: string): number {
    return this.#keys.get(key);
  }

  /** Forgets `key`; returns its record id, or -1 if it was not held. */
  delete(key: string): number {
    return this.#keys.delete(key);
  }

  /** Makes room for `count` records (keys, offsets and sizes) in one allocation each. */
  reserve(count: number): void {
    this.#keys.reserve(count);
    this.offsets = grown(this.offsets, count);
    this.sizes = grown(this.sizes, count);
  }

  /** Makes room for `count` ids in the pool. */
  reservePool(count: number): void {
    this.pool = grown(this.pool, count);
  }

  /**
   * Appends a record: the distinct ids of `ids[0, count)` (ids below `tokens`) into the pool,
   * unsorted. Returns its id, or -1 if the key is already held.
   */
  add(key: string, ids: Int32Array, count: number, tokens: number): number {
    const record = this.#keys.add(key);
    if (record < 0) return record;
    if (record >= this.offsets.length) {
      this.offsets = grown(this.offsets, record + 1);
      this.sizes = grown(this.sizes, record + 1);
    }
    const start = this.poolLength;
    if (start + count > this.pool.length) this.pool = grown(this.pool, start + count);
    if (this.#distinct.length < tokens) this.#distinct = grown(this.#distinct, tokens);
    // Epochs stay int32 (the marks are an Int32Array): restart them long before overflow.
    if (this.#distinctEpoch === 0x3fffffff) {
      this.#distinctEpoch = 0;
      this.#distinct.fill(0);
    }
    const epoch = ++this.#distinctEpoch;
    const distinct = this.#distinct;
    const pool = this.pool;
    let end = start;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (distinct[id] === epoch) continue;
      distinct[id] = epoch;
      pool[end++] = id;
    }
    this.offsets[record] = start;
    this.sizes[record] = end - start;
    this.poolLength = end;
    return record;
  }

  /** Bytes of the pool, the layout arrays and the key table (key strings are shared with the index). */
  memoryBytes(): number {
    return (
      this.pool.byteLength +
      this.offsets.byteLength +
      this.sizes.byteLength +
      this.#distinct.byteLength +
      this.#keys.memoryBytes()
    );
  }
}
