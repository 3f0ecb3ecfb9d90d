import { PostingLists } from './posting-lists.js';
import { PrefixSearch, prefixLength, type SearchView, type TokenMatch } from './prefix-search.js';
import { TokenDictionary } from './token-dictionary.js';

export type { TokenMatch } from './prefix-search.js';

// Deleted records stay in the posting lists until this many exist and they outnumber the
// live ones; then everything is rebuilt without them.
const COMPACT_AFTER = 1024;
// Once a partition has doubled since its token order was set (and is at least this big),
// it is rebuilt so the order follows the current token frequencies; geometric growth keeps
// the cost amortized O(1) per insert.
const RERANK_AFTER = 4096;
// Records up to this many tokens are sorted by insertion (allocation-free).
const INSERTION_SORT_MAX = 64;

/**
 * The token sets of one (type, paramsHash) partition, indexed for one threshold. Tokens are
 * interned to dense ids with a global rank (rarest first, as counted when the index was last
 * built; tokens first seen later rank before all of those). Each record's ids live in one
 * shared pool in rank order, and the record is posted under its first `prefixLength` ids
 * only: common words, which are late in almost every record, keep short lists.
 */
export class TokenIndex {
  readonly #shingleSize: number;
  readonly #threshold: number;
  #dictionary = new TokenDictionary();
  #rank = new Int32Array(0);
  #ranked = 0;
  #nextRank = -1;
  #postings = new PostingLists();
  #keys: (string | undefined)[] = [];
  #keyToRecord = new Map<string, number>();
  #offsets = new Int32Array(0);
  #sizes = new Int32Array(0);
  #pool = new Int32Array(0);
  #poolLength = 0;
  #deleted = 0;
  #rankedAt = 0;
  #distinct = new Int32Array(0);
  #distinctEpoch = 0;
  readonly #search = new PrefixSearch();

  constructor(shingleSize: number, threshold: number) {
    this.#shingleSize = shingleSize;
    this.#threshold = threshold;
  }

  /** Live records. */
  get size(): number {
    return this.#keyToRecord.size;
  }

  has(key: string): boolean {
    return this.#keyToRecord.has(key);
  }

  keys(): IterableIterator<string> {
    return this.#keyToRecord.keys();
  }

  insert(key: string, prompt: string): void {
    if (this.#keyToRecord.has(key)) return;
    const record = this.#record(key, this.#dictionary.internPrompt(prompt, this.#shingleSize));
    this.#assignNewRanks();
    const start = this.#offsets[record]!;
    const size = this.#sizes[record]!;
    sortByRank(this.#pool, start, start + size, this.#rank);
    this.#postings.ensure(this.#dictionary.size);
    const end = start + prefixLength(size, this.#threshold);
    for (let i = start; i < end; i++) this.#postings.append(this.#pool[i]!, record);
    if (this.size >= RERANK_AFTER && this.size >= 2 * this.#rankedAt) this.#rebuild();
  }

  /**
   * Fills an empty index with many records at once: every token is interned first, so the
   * global order is set from the true frequencies, then the lists are built in two passes.
   */
  load(entries: readonly { key: string; prompt: string }[]): void {
    if (this.#keys.length > 0) {
      for (const { key, prompt } of entries) this.insert(key, prompt);
      return;
    }
    for (const { key, prompt } of entries) {
      if (!this.#keyToRecord.has(key)) this.#record(key, this.#dictionary.internPrompt(prompt, this.#shingleSize));
    }
    this.#finish();
  }

  delete(key: string): boolean {
    const record = this.#keyToRecord.get(key);
    if (record === undefined) return false;
    this.#keyToRecord.delete(key);
    this.#keys[record] = undefined;
    this.#deleted++;
    if (this.#deleted >= COMPACT_AFTER && this.#deleted > this.#keyToRecord.size) this.#rebuild();
    return true;
  }

  /**
   * The stored record with the highest Jaccard similarity ≥ the index's threshold to the
   * query token set (ties: the smallest key), skipping `excludeKey`. Exactly what a scan
   * would return.
   */
  search(query: ReadonlySet<string>, excludeKey?: string): TokenMatch | undefined {
    const excluded = excludeKey === undefined ? -1 : (this.#keyToRecord.get(excludeKey) ?? -1);
    const view: SearchView = {
      dictionary: this.#dictionary,
      rank: this.#rank,
      postings: this.#postings,
      keys: this.#keys,
      offsets: this.#offsets,
      sizes: this.#sizes,
      pool: this.#pool,
    };
    return this.#search.run(view, query, this.#threshold, excluded);
  }

  /** Bytes held by this partition's structures (typed arrays exactly, maps and strings estimated). */
  memoryBytes(): number {
    let bytes = this.#pool.byteLength + this.#offsets.byteLength + this.#sizes.byteLength + this.#rank.byteLength;
    bytes += this.#distinct.byteLength + this.#dictionary.memoryBytes() + this.#postings.memoryBytes();
    bytes += this.#search.memoryBytes();
    // Key strings are shared with the index; the map entry (about 40 bytes) and array slot
    // (8) are the matcher's own.
    bytes += this.#keys.length * 8 + this.#keyToRecord.size * 40;
    return bytes;
  }

  /** Appends a record: the distinct ids of `dictionary.ids[0, count)` into the pool, unsorted. */
  #record(key: string, count: number): number {
    const record = this.#keys.length;
    this.#keys.push(key);
    this.#keyToRecord.set(key, record);
    if (record === this.#offsets.length) {
      this.#offsets = grow(this.#offsets, record + 1);
      this.#sizes = grow(this.#sizes, record + 1);
    }
    const start = this.#poolLength;
    if (start + count > this.#pool.length) this.#pool = grow(this.#pool, start + count);
    const tokens = this.#dictionary.size;
    if (this.#distinct.length < tokens) this.#distinct = grow(this.#distinct, tokens);
    const epoch = ++this.#distinctEpoch;
    const ids = this.#dictionary.ids;
    const distinct = this.#distinct;
    const pool = this.#pool;
    let end = start;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (distinct[id] === epoch) continue;
      distinct[id] = epoch;
      pool[end++] = id;
    }
    this.#offsets[record] = start;
    this.#sizes[record] = end - start;
    this.#poolLength = end;
    return record;
  }

  /** Tokens first seen after the last build rank before every earlier one (they are rare). */
  #assignNewRanks(): void {
    const tokens = this.#dictionary.size;
    if (this.#rank.length < tokens) this.#rank = grow(this.#rank, tokens);
    for (; this.#ranked < tokens; this.#ranked++) this.#rank[this.#ranked] = this.#nextRank--;
  }

  /** Ranks every token by frequency, sorts every record by rank and builds the lists. */
  #finish(): void {
    const tokens = this.#dictionary.size;
    const count = this.#keys.length;
    const pool = this.#pool;
    const frequency = new Int32Array(tokens);
    for (let i = 0; i < this.#poolLength; i++) frequency[pool[i]!]!++;
    this.#rank = rankByFrequency(frequency, count);
    this.#ranked = tokens;
    this.#nextRank = -1;
    for (let record = 0; record < count; record++) {
      const start = this.#offsets[record]!;
      sortByRank(pool, start, start + this.#sizes[record]!, this.#rank);
    }
    const threshold = this.#threshold;
    this.#postings.build(tokens, {
      count,
      offsets: this.#offsets,
      sizes: this.#sizes,
      pool,
      prefixLength: (size) => prefixLength(size, threshold),
    });
    this.#rankedAt = count;
  }

  /**
   * Rebuilds everything from the live records: drops deleted records and tokens no record
   * holds any more, and re-ranks tokens by their current frequencies.
   */
  #rebuild(): void {
    const old = {
      dictionary: this.#dictionary,
      keys: this.#keys,
      offsets: this.#offsets,
      sizes: this.#sizes,
      pool: this.#pool,
    };
    const remap = new Int32Array(old.dictionary.size).fill(-1);
    this.#dictionary = new TokenDictionary();
    this.#keys = [];
    this.#keyToRecord = new Map();
    this.#offsets = new Int32Array(0);
    this.#sizes = new Int32Array(0);
    this.#pool = new Int32Array(0);
    this.#poolLength = 0;
    this.#deleted = 0;
    for (let record = 0; record < old.keys.length; record++) {
      const key = old.keys[record];
      if (key === undefined) continue;
      const start = old.offsets[record]!;
      const size = old.sizes[record]!;
      this.#dictionary.reserve(size);
      const scratch = this.#dictionary.ids;
      for (let i = 0; i < size; i++) {
        const id = old.pool[start + i]!;
        if (remap[id] === -1) remap[id] = this.#dictionary.intern(old.dictionary.token(id));
        scratch[i] = remap[id]!;
      }
      this.#record(key, size);
    }
    this.#finish();
  }
}

function grow(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Int32Array(Math.max(needed, array.length * 2, 4));
  next.set(array);
  return next;
}

/** Ranks 0.. by ascending frequency, ties by id (a counting sort: frequencies ≤ records). */
function rankByFrequency(frequency: Int32Array, records: number): Int32Array<ArrayBuffer> {
  const starts = new Int32Array(records + 2);
  for (const f of frequency) starts[f + 1]!++;
  for (let f = 0; f <= records; f++) starts[f + 1]! += starts[f]!;
  const rank = new Int32Array(Math.max(frequency.length, 4));
  for (let id = 0; id < frequency.length; id++) rank[id] = starts[frequency[id]!]!++;
  return rank;
}

/** Sorts `pool[start, end)` (distinct token ids) by their rank. */
function sortByRank(pool: Int32Array, start: number, end: number, rank: Int32Array): void {
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
