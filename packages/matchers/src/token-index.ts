import { KeyTable } from './key-table.js';
import { PostingLists } from './posting-lists.js';
import { PrefixSearch, prefixLength, type SearchView, type TokenMatch } from './prefix-search.js';
import { TokenDictionary } from './token-dictionary.js';
import { rankByFrequency, selectPrefix, sortByRank } from './token-order.js';

export type { TokenMatch } from './prefix-search.js';

// Deleted records stay in the posting lists until this many exist and they outnumber the
// live ones; then everything is rebuilt without them.
const COMPACT_AFTER = 1024;
// Once a partition has doubled since its token order was set (and is at least this big),
// its token order is set again from the current frequencies, so common words keep short
// lists. The records move to the new order a few per insert (a re-ranking in one go took
// 2–4 s at a million prompts, a pause for every other request of a server); geometric
// growth means each finishes long before the next begins.
const RERANK_AFTER = 4096;
// Records moved to the new token order per insert while a re-ranking is under way: more
// than one, so it ends before the partition has grown by half again.
const RERANK_STEP = 4;

/** A re-ranking under way: records below `cursor` (and all added since) are posted in the new order. */
interface Reranking {
  rank: Int32Array<ArrayBuffer>;
  ranked: number;
  nextRank: number;
  postings: PostingLists;
  cursor: number;
  /** Records that existed when it began: the old lists still post all of them. */
  end: number;
}

/**
 * The token sets of one (type, paramsHash) partition, indexed for one threshold. Tokens are
 * interned to dense ids with a global rank (rarest first, as counted when the index was last
 * built; tokens first seen later rank before all of those). Each record's ids live in one
 * shared pool, its `prefixLength` lowest-ranked first, and the record is posted under those
 * only: common words, which rank last in almost every record, keep short lists.
 */
export class TokenIndex {
  readonly #shingleSize: number;
  readonly #threshold: number;
  #dictionary = new TokenDictionary();
  #rank = new Int32Array(0);
  #ranked = 0;
  #nextRank = -1;
  #postings = new PostingLists();
  #records = new KeyTable();
  #offsets = new Int32Array(0);
  #sizes = new Int32Array(0);
  #pool = new Int32Array(0);
  #poolLength = 0;
  #deleted = 0;
  #rankedAt = 0;
  #distinct = new Int32Array(0);
  #distinctEpoch = 0;
  /** Live records holding each token, kept current so a re-ranking needs no pass over the pool. */
  #frequency = new Int32Array(0);
  #reranking: Reranking | undefined;
  readonly #search = new PrefixSearch();

  constructor(shingleSize: number, threshold: number) {
    this.#shingleSize = shingleSize;
    this.#threshold = threshold;
  }

  /** Live records. */
  get size(): number {
    return this.#records.size;
  }

  has(key: string): boolean {
    return this.#records.get(key) >= 0;
  }

  keys(): IterableIterator<string> {
    return this.#records[Symbol.iterator]();
  }

  insert(key: string, prompt: string): void {
    if (this.has(key)) return;
    const record = this.#record(key, this.#dictionary.internPrompt(prompt, this.#shingleSize));
    this.#assignNewRanks();
    const start = this.#offsets[record]!;
    const size = this.#sizes[record]!;
    this.#count(start, size, 1);
    // While a re-ranking is under way, new records go straight to the new order.
    const reranking = this.#reranking;
    this.#post(
      record,
      reranking ? reranking.rank : this.#rank,
      reranking ? reranking.postings : this.#postings,
      true,
    );
    if (reranking) this.#rerankStep(reranking);
    else if (this.size >= RERANK_AFTER && this.size >= 2 * this.#rankedAt) this.#startReranking();
  }

  /**
   * Fills an empty index with many records at once: every token is interned first, so the
   * global order is set from the true frequencies, then the lists are built in two passes.
   */
  load(entries: readonly { key: string; prompt: string }[]): void {
    if (this.#records.keys.length > 0) {
      for (const { key, prompt } of entries) this.insert(key, prompt);
      return;
    }
    this.#records.reserve(entries.length);
    this.#offsets = new Int32Array(entries.length);
    this.#sizes = new Int32Array(entries.length);
    // Partition keys are distinct, so interning before the key check wastes nothing.
    const dictionary = this.#dictionary;
    for (let i = 0; i < entries.length; i++) {
      const { key, prompt } = entries[i]!;
      this.#record(key, dictionary.internPrompt(prompt, this.#shingleSize));
      // Sizing the pool from a sample avoids copying it through every doubling.
      if (i === 1023)
        this.#pool = grow(this.#pool, Math.ceil((this.#poolLength / 1024) * entries.length * 1.1));
    }
    this.#finish();
  }

  delete(key: string): boolean {
    const record = this.#records.delete(key);
    if (record < 0) return false;
    this.#count(this.#offsets[record]!, this.#sizes[record]!, -1);
    this.#deleted++;
    if (this.#deleted >= COMPACT_AFTER && this.#deleted > this.#records.size) this.#rebuild();
    return true;
  }

  /**
   * The stored record with the highest Jaccard similarity ≥ the index's threshold to the
   * query token set (ties: the smallest key), skipping `excludeKey`. Exactly what a scan
   * would return.
   */
  search(query: ReadonlySet<string>, excludeKey?: string): TokenMatch | undefined {
    const excluded = excludeKey === undefined ? -1 : this.#records.get(excludeKey);
    const view = (rank: Int32Array, postings: PostingLists): SearchView => ({
      dictionary: this.#dictionary,
      rank,
      postings,
      keys: this.#records.keys,
      offsets: this.#offsets,
      pool: this.#pool,
    });
    const best = this.#search.run(view(this.#rank, this.#postings), query, this.#threshold, excluded);
    const reranking = this.#reranking;
    if (!reranking) return best;
    // Each order's lists are complete for the records posted in it, and together they post
    // every record: the better of the two answers is the answer.
    const other = this.#search.run(
      view(reranking.rank, reranking.postings),
      query,
      this.#threshold,
      excluded,
    );
    if (!best || !other) return best ?? other;
    if (other.score > best.score || (other.score === best.score && other.key < best.key)) return other;
    return best;
  }

  /** Bytes held by this partition's structures (typed arrays exactly, maps and strings estimated). */
  memoryBytes(): number {
    let bytes =
      this.#pool.byteLength + this.#offsets.byteLength + this.#sizes.byteLength + this.#rank.byteLength;
    bytes += this.#distinct.byteLength + this.#dictionary.memoryBytes() + this.#postings.memoryBytes();
    bytes += this.#frequency.byteLength;
    if (this.#reranking) bytes += this.#reranking.rank.byteLength + this.#reranking.postings.memoryBytes();
    bytes += this.#search.memoryBytes();
    // Key strings are shared with the index: only the table and the slots pointing at them count.
    bytes += this.#records.memoryBytes();
    return bytes;
  }

  /**
   * Appends a record: the distinct ids of `dictionary.ids[0, count)` into the pool,
   * unsorted. Returns its id, or -1 if the key is already held.
   */
  #record(key: string, count: number): number {
    const record = this.#records.add(key);
    if (record < 0) return record;
    if (record === this.#offsets.length) {
      this.#offsets = grow(this.#offsets, record + 1);
      this.#sizes = grow(this.#sizes, record + 1);
    }
    const start = this.#poolLength;
    if (start + count > this.#pool.length) this.#pool = grow(this.#pool, start + count);
    const tokens = this.#dictionary.size;
    if (this.#distinct.length < tokens) this.#distinct = grow(this.#distinct, tokens);
    // Epochs stay int32 (the marks are an Int32Array): restart them long before overflow.
    if (this.#distinctEpoch === 0x3fffffff) {
      this.#distinctEpoch = 0;
      this.#distinct.fill(0);
    }
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
    const reranking = this.#reranking;
    if (reranking) {
      if (reranking.rank.length < tokens) reranking.rank = grow(reranking.rank, tokens);
      for (; reranking.ranked < tokens; reranking.ranked++)
        reranking.rank[reranking.ranked] = reranking.nextRank--;
    }
  }

  /** Adds `delta` to the frequency of each token of the record at `pool[start, start + size)`. */
  #count(start: number, size: number, delta: number): void {
    if (this.#frequency.length < this.#dictionary.size)
      this.#frequency = grow(this.#frequency, this.#dictionary.size);
    for (let i = start; i < start + size; i++) this.#frequency[this.#pool[i]!]! += delta;
  }

  /**
   * Orders the record's ids by `rank` (fully, or only its indexed prefix) and posts it under
   * that prefix in `postings`.
   */
  #post(record: number, rank: Int32Array, postings: PostingLists, sort: boolean): void {
    const start = this.#offsets[record]!;
    const size = this.#sizes[record]!;
    const prefix = prefixLength(size, this.#threshold);
    if (sort) sortByRank(this.#pool, start, start + size, rank);
    else selectPrefix(this.#pool, start, start + size, prefix, rank);
    postings.ensure(this.#dictionary.size);
    for (let i = start; i < start + prefix; i++)
      postings.append(this.#pool[i]!, record, this.#pool, start, size);
  }

  /** Sets a new token order from the current frequencies; records move to it a few per insert. */
  #startReranking(): void {
    const tokens = this.#dictionary.size;
    if (this.#frequency.length < tokens) this.#frequency = grow(this.#frequency, tokens);
    const rank = rankByFrequency(this.#frequency.subarray(0, tokens), this.#records.keys.length);
    this.#reranking = {
      rank,
      ranked: tokens,
      nextRank: -1,
      postings: new PostingLists(),
      cursor: 0,
      end: this.#records.keys.length,
    };
    this.#rankedAt = this.size;
  }

  #rerankStep(reranking: Reranking): void {
    const keys = this.#records.keys;
    for (let moved = 0; moved < RERANK_STEP && reranking.cursor < reranking.end; reranking.cursor++) {
      if (keys[reranking.cursor] === undefined) continue;
      // Verification counts shared ids in any order, so the old lists stay valid for it.
      this.#post(reranking.cursor, reranking.rank, reranking.postings, false);
      moved++;
    }
    if (reranking.cursor < reranking.end) return;
    this.#rank = reranking.rank;
    this.#ranked = reranking.ranked;
    this.#nextRank = reranking.nextRank;
    this.#postings = reranking.postings;
    this.#reranking = undefined;
  }

  /** Ranks every token by frequency, sorts every record by rank and builds the lists. */
  #finish(): void {
    const tokens = this.#dictionary.size;
    const count = this.#records.keys.length;
    const pool = this.#pool;
    const frequency = new Int32Array(tokens);
    for (let record = 0; record < count; record++) {
      if (this.#records.keys[record] === undefined) continue;
      const start = this.#offsets[record]!;
      for (let i = start; i < start + this.#sizes[record]!; i++) frequency[pool[i]!]!++;
    }
    this.#frequency = frequency;
    this.#reranking = undefined;
    this.#rank = rankByFrequency(frequency, count);
    this.#ranked = tokens;
    this.#nextRank = -1;
    const threshold = this.#threshold;
    for (let record = 0; record < count; record++) {
      const start = this.#offsets[record]!;
      const size = this.#sizes[record]!;
      selectPrefix(pool, start, start + size, prefixLength(size, threshold), this.#rank);
    }
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
      keys: this.#records.keys,
      live: this.#records.size,
      offsets: this.#offsets,
      sizes: this.#sizes,
      pool: this.#pool,
    };
    const remap = new Int32Array(old.dictionary.size).fill(-1);
    this.#dictionary = new TokenDictionary();
    this.#records = new KeyTable();
    this.#records.reserve(old.live);
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
