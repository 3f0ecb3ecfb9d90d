import { grown } from './int32-growth.js';
import { type PostingLists, STRIDE, signatureBit } from './posting-lists.js';
import type { TokenDictionary } from './token-dictionary.js';

/** The best stored prompt for a query, as `TokenIndex.search` finds it. */
export interface TokenMatch {
  key: string;
  score: number;
}

// Float slack for the integer bounds derived from the threshold: the filters may only ever
// let extra candidates through (verification then decides exactly), never drop one.
export const SLACK = 1e-9;

/**
 * Tokens of a record that must be indexed so that any query reaching `threshold` finds it
 * (AllPairs prefix): a match shares at least ⌈t·m⌉ of the record's m tokens, so it holds at
 * least one of the first m − ⌈t·m⌉ + 1 in any fixed order.
 */
export function prefixLength(size: number, threshold: number): number {
  return Math.min(size, size - Math.ceil(threshold * size - SLACK) + 1);
}

/** What a search reads from the index: each record starts with its indexed prefix (its lowest-ranked ids). */
export interface SearchView {
  readonly dictionary: TokenDictionary;
  readonly rank: Int32Array;
  readonly postings: PostingLists;
  readonly keys: readonly (string | undefined)[];
  readonly offsets: Int32Array;
  readonly pool: Int32Array;
}

/**
 * Prefix-filtered search with its scratch buffers (epoch marks, so nothing is cleared
 * between searches).
 *
 * Why it is exact: tokens have a fixed global order (`rank`) and every record is posted
 * under the first `prefixLength` of its tokens in that order. If a record r reaches the
 * threshold, the query's first n − ⌈t·n⌉ + 1 tokens and r's indexed prefix share a token
 * (the prefix lemma, with the bound applied to each side's own size), so probing those
 * query tokens finds r. Query tokens no record holds sort first: they fill the query's
 * prefix without a list to read.
 */
export class PrefixSearch {
  #seen = new Int32Array(0);
  #marks = new Int32Array(0);
  #epoch = 0;

  run(
    view: SearchView,
    query: ReadonlySet<string>,
    threshold: number,
    excluded: number,
  ): TokenMatch | undefined {
    const n = query.size;
    if (n === 0) return undefined;
    const { dictionary, rank, keys, offsets, pool } = view;
    const known: number[] = [];
    for (const token of query) {
      const id = dictionary.get(token);
      if (id >= 0) known.push(id);
    }
    const minShared = Math.max(1, Math.ceil(threshold * n - SLACK));
    const unknown = n - known.length;
    const probes = n - minShared + 1 - unknown;
    if (probes <= 0) return undefined;
    known.sort((a, b) => rank[a]! - rank[b]!);

    const epoch = this.#nextEpoch(dictionary.size, keys.length);
    const seen = this.#seen;
    const marks = this.#marks;
    let queryLow = 0;
    let queryHigh = 0;
    for (const id of known) {
      marks[id] = epoch;
      const bit = signatureBit(id);
      if (bit < 32) queryLow |= 1 << bit;
      else queryHigh |= 1 << (bit - 32);
    }
    // The lowest score still worth verifying: the threshold, then the best score so far
    // (equal scores are kept for the key tie-break).
    let cutoff = threshold;
    let minSize = minShared;
    let maxSize = Math.floor(n / threshold + SLACK);
    let bestKey: string | undefined;
    const { lists, lengths } = view.postings;
    for (let p = 0; p < probes; p++) {
      // A record first met in this list holds none of the query's earlier tokens: had it
      // held one, that rarer token would be in its prefix too and its list came first.
      const reachable = n - unknown - p;
      const list = lists[known[p]!]!;
      const end = lengths[known[p]!]! * STRIDE;
      for (let at = 0; at < end; at += STRIDE) {
        const m = list[at + 1]!;
        if (m < minSize || m > maxSize) continue;
        const needed = Math.ceil((cutoff * (n + m)) / (1 + cutoff) - SLACK);
        // Signature bits of the record outside the query's are tokens the query lacks.
        const missing = popcount(list[at + 2]! & ~queryLow) + popcount(list[at + 3]! & ~queryHigh);
        if (reachable < needed || m - missing < needed) continue;
        const record = list[at]!;
        if (seen[record] === epoch || record === excluded) continue;
        seen[record] = epoch;
        const key = keys[record];
        if (key === undefined) continue;
        const shared = overlap(pool, offsets[record]!, m, marks, epoch, m - needed);
        if (shared < needed) continue;
        const score = shared / (n + m - shared);
        if (score < cutoff) continue;
        if (score > cutoff || bestKey === undefined || key < bestKey) {
          cutoff = score;
          bestKey = key;
          // Only sizes whose best possible score, min(n, m) / max(n, m) — the same
          // division the score uses — reaches the best so far can still win or tie.
          while (minSize < n && minSize / n < cutoff) minSize++;
          while (maxSize > n && n / maxSize < cutoff) maxSize--;
        }
      }
    }
    return bestKey === undefined ? undefined : { key: bestKey, score: cutoff };
  }

  memoryBytes(): number {
    return this.#seen.byteLength + this.#marks.byteLength;
  }

  #nextEpoch(tokens: number, records: number): number {
    if (this.#marks.length < tokens) this.#marks = grown(this.#marks, tokens);
    if (this.#seen.length < records) this.#seen = grown(this.#seen, records);
    if (this.#epoch === 0x3fffffff) {
      this.#epoch = 0;
      this.#marks.fill(0);
      this.#seen.fill(0);
    }
    return ++this.#epoch;
  }
}

/** Population count of a 32-bit integer. */
function popcount(value: number): number {
  let x = value - ((value >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Tokens of the record at `pool[start, start + size)` marked with `epoch`; stops early
 * (returning a smaller count) once more than `allowedMisses` tokens were unmarked.
 */
function overlap(
  pool: Int32Array,
  start: number,
  size: number,
  marks: Int32Array,
  epoch: number,
  allowedMisses: number,
): number {
  let misses = 0;
  const end = start + size;
  for (let j = start; j < end; j++) {
    if (marks[pool[j]!] !== epoch && ++misses > allowedMisses) return 0;
  }
  return size - misses;
}
