// The global token order the prefix filter relies on: ranks from frequencies, and each
// record's ids arranged so its indexed prefix (its lowest-ranked ids) comes first.

import { grown } from './int32-growth.js';

// Records up to this many tokens are sorted by insertion (allocation-free).
const INSERTION_SORT_MAX = 64;

/** Ranks 0.. by ascending frequency, ties by id (a counting sort: frequencies ≤ records). */
export function rankByFrequency(frequency: Int32Array, records: number): Int32Array<ArrayBuffer> {
  const starts = new Int32Array(records + 2);
  for (const f of frequency) starts[f + 1]!++;
  for (let f = 0; f <= records; f++) starts[f + 1]! += starts[f]!;
  const rank = new Int32Array(Math.max(frequency.length, 4));
  for (let id = 0; id < frequency.length; id++) rank[id] = starts[frequency[id]!]!++;
  return rank;
}

/**
 * Moves the `count` lowest-ranked ids of `pool[start, end)` to its front, in rank order.
 * Only the indexed prefix needs the order (verification counts shared ids in any order),
 * and selecting a few ids costs less than sorting a whole record.
 */
export function selectPrefix(
  pool: Int32Array,
  start: number,
  end: number,
  count: number,
  rank: Int32Array,
): void {
  for (let i = start; i < start + count; i++) {
    let best = i;
    let bestRank = rank[pool[i]!]!;
    for (let j = i + 1; j < end; j++) {
      const r = rank[pool[j]!]!;
      if (r < bestRank) {
        best = j;
        bestRank = r;
      }
    }
    const id = pool[best]!;
    pool[best] = pool[i]!;
    pool[i] = id;
  }
}

/** Sorts `pool[start, end)` (distinct token ids) by their rank. */
export function sortByRank(pool: Int32Array, start: number, end: number, rank: Int32Array): void {
  if (end - start > INSERTION_SORT_MAX) {
    const sorted = Array.from(pool.subarray(start, end)).sort((a, b) => rank[a]! - rank[b]!);
    pool.set(sorted, start);
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const id = pool[i]!;
    const key = rank[id]!;
    let j = i;
    while (j > start && rank[pool[j - 1]!]! > key) {
      pool[j] = pool[j - 1]!;
      j--;
    }
    pool[j] = id;
  }
}

/**
 * A token order: `rank[id]` for every id below the count given to `extend`. Ids first seen
 * after the order was set rank before every earlier one (negative ranks): they are rare.
 */
export class TokenRanks {
  rank: Int32Array<ArrayBuffer>;
  #ranked: number;
  #nextRank = -1;

  /** `rank` ranks the ids below `ranked`. */
  constructor(rank: Int32Array<ArrayBuffer> = new Int32Array(0), ranked = 0) {
    this.rank = rank;
    this.#ranked = ranked;
  }

  /** Ranks every id below `tokens` that has no rank yet. */
  extend(tokens: number): void {
    if (this.rank.length < tokens) this.rank = grown(this.rank, tokens);
    for (; this.#ranked < tokens; this.#ranked++) this.rank[this.#ranked] = this.#nextRank--;
  }
}
