const NONE = new Int32Array(0);

/**
 * Int32 slots per posting: record id, record size, and the record's 64-bit token signature
 * (two halves). Size and signature ride along so the filters that reject most entries read
 * the list sequentially instead of jumping to each record.
 */
export const STRIDE = 4;

/** The signature bit of a token id (ids are dense, so they are mixed first). */
export const signatureBit = (id: number) => Math.imul(id, 0x9e3779b1) >>> 26;

/** Writes the 64-bit signature of `ids[start, end)` (one bit per token) to `out[0..1]`. */
export function signature(ids: Int32Array, start: number, end: number, out: Int32Array): void {
  let low = 0;
  let high = 0;
  for (let i = start; i < end; i++) {
    const bit = signatureBit(ids[i]!);
    if (bit < 32) low |= 1 << bit;
    else high |= 1 << (bit - 32);
  }
  out[0] = low;
  out[1] = high;
}

/** The per-record layout the lists are built from: each record's token ids in `pool`. */
export interface RecordLayout {
  readonly count: number;
  readonly offsets: Int32Array;
  readonly sizes: Int32Array;
  readonly pool: Int32Array;
  /** How many leading tokens of a record of `size` tokens are indexed. */
  prefixLength(size: number): number;
}

/**
 * One list of postings per token (records ascending, append-only; deleted records stay
 * until the owner rebuilds); `lengths` counts postings, each `STRIDE` slots. Most tokens are never in any record's indexed prefix and share one empty
 * array instead of an object each.
 */
export class PostingLists {
  lists: Int32Array[] = [];
  lengths = new Int32Array(0);

  /** Makes room for tokens up to `tokenCount` (new ones start empty). */
  ensure(tokenCount: number): void {
    while (this.lists.length < tokenCount) this.lists.push(NONE);
    if (this.lengths.length < tokenCount) {
      const lengths = new Int32Array(Math.max(tokenCount, this.lengths.length * 2));
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
  }

  #signature = new Int32Array(2);

  /** Posts `record` (its ids at `pool[start, start + size)`) under the token `id`. */
  append(id: number, record: number, pool: Int32Array, start: number, size: number): void {
    const length = this.lengths[id]!;
    let list = this.lists[id]!;
    if ((length + 1) * STRIDE > list.length) {
      const next = new Int32Array(Math.max(4, length * 2) * STRIDE);
      next.set(list);
      this.lists[id] = list = next;
    }
    signature(pool, start, start + size, this.#signature);
    const at = length * STRIDE;
    list[at] = record;
    list[at + 1] = size;
    list[at + 2] = this.#signature[0]!;
    list[at + 3] = this.#signature[1]!;
    this.lengths[id] = length + 1;
  }

  /**
   * Replaces every list with the indexed prefixes of `records`: sized exactly by a counting
   * pass, filled in a second one, as views into one buffer (a list that outgrows its view
   * moves to an array of its own).
   */
  build(tokenCount: number, records: RecordLayout): void {
    const { count, offsets, sizes, pool } = records;
    const starts = new Int32Array(tokenCount + 1);
    for (let record = 0; record < count; record++) {
      const start = offsets[record]!;
      const end = start + records.prefixLength(sizes[record]!);
      for (let i = start; i < end; i++) starts[pool[i]! + 1]!++;
    }
    for (let id = 0; id < tokenCount; id++) starts[id + 1]! += starts[id]!;
    const all = new Int32Array(starts[tokenCount]! * STRIDE);
    const fill = starts.slice(0, tokenCount);
    const bits = this.#signature;
    for (let record = 0; record < count; record++) {
      const start = offsets[record]!;
      const size = sizes[record]!;
      const end = start + records.prefixLength(size);
      signature(pool, start, start + size, bits);
      for (let i = start; i < end; i++) {
        const at = fill[pool[i]!]!++ * STRIDE;
        all[at] = record;
        all[at + 1] = size;
        all[at + 2] = bits[0]!;
        all[at + 3] = bits[1]!;
      }
    }
    this.lists = new Array<Int32Array>(tokenCount);
    this.lengths = new Int32Array(tokenCount);
    for (let id = 0; id < tokenCount; id++) {
      const length = starts[id + 1]! - starts[id]!;
      this.lists[id] = length === 0 ? NONE : all.subarray(starts[id]! * STRIDE, starts[id + 1]! * STRIDE);
      this.lengths[id] = length;
    }
  }

  /** Bytes of the lists: elements exactly, about 120 bytes per typed array object. */
  memoryBytes(): number {
    let bytes = this.lengths.byteLength + this.lists.length * 8;
    const buffers = new Set<ArrayBufferLike>();
    for (const list of this.lists) {
      if (list === NONE) continue;
      bytes += 120;
      // Views of the build buffer share it: count each backing store once.
      if (!buffers.has(list.buffer)) {
        buffers.add(list.buffer);
        bytes += list.buffer.byteLength;
      }
    }
    return bytes;
  }
}
