const NONE = new Int32Array(0);

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
 * One list of record ids per token (ascending, append-only; deleted records stay until the
 * owner rebuilds). Most tokens are never in any record's indexed prefix and share one empty
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

  append(id: number, record: number): void {
    const length = this.lengths[id]!;
    let list = this.lists[id]!;
    if (length === list.length) {
      const next = new Int32Array(Math.max(4, length * 2));
      next.set(list);
      this.lists[id] = list = next;
    }
    list[length] = record;
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
    const all = new Int32Array(starts[tokenCount]!);
    const fill = starts.slice(0, tokenCount);
    for (let record = 0; record < count; record++) {
      const start = offsets[record]!;
      const end = start + records.prefixLength(sizes[record]!);
      for (let i = start; i < end; i++) all[fill[pool[i]!]!++] = record;
    }
    this.lists = new Array<Int32Array>(tokenCount);
    this.lengths = new Int32Array(tokenCount);
    for (let id = 0; id < tokenCount; id++) {
      const length = starts[id + 1]! - starts[id]!;
      this.lists[id] = length === 0 ? NONE : all.subarray(starts[id]!, starts[id + 1]!);
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
