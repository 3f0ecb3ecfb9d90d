import { grown } from './int32-growth.js';
import { PostingLists } from './posting-lists.js';
import { PrefixSearch, prefixLength, type SearchView, type TokenMatch } from './prefix-search.js';
import { RecordPool } from './record-pool.js';
import { TokenDictionary } from './token-dictionary.js';
import { rankByFrequency, selectPrefix, sortByRank, TokenRanks } from './token-order.js';

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
  ranks: TokenRanks;
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
  #ranks = new TokenRanks();
  #postings = new PostingLists();
  #records = new RecordPool();
  #deleted = 0;
  #rankedAt = 0;
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
    return this.#records.liveKeys();
  }

  insert(key: string, prompt: string): void {
    if (this.has(key)) return;
    const record = this.#add(key, this.#dictionary.internPrompt(prompt, this.#shingleSize));
    const tokens = this.#dictionary.size;
    this.#ranks.extend(tokens);
    this.#reranking?.ranks.extend(tokens);
    this.#count(record, 1);
    // While a re-ranking is under way, new records go straight to the new order.
    const reranking = this.#reranking;
    this.#post(
      record,
      reranking ? reranking.ranks.rank : this.#ranks.rank,
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
    // Partition keys are distinct, so interning before the key check wastes nothing.
    const dictionary = this.#dictionary;
    for (let i = 0; i < entries.length; i++) {
      const { key, prompt } = entries[i]!;
      this.#add(key, dictionary.internPrompt(prompt, this.#shingleSize));
      // Sizing the pool from a sample avoids copying it through every doubling.
      if (i === 1023)
        this.#records.reservePool(Math.ceil((this.#records.poolLength / 1024) * entries.length * 1.1));
    }
    this.#finish();
  }

  delete(key: string): boolean {
    const record = this.#records.delete(key);
    if (record < 0) return false;
    this.#count(record, -1);
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
      offsets: this.#records.offsets,
      pool: this.#records.pool,
    });
    const best = this.#search.run(view(this.#ranks.rank, this.#postings), query, this.#threshold, excluded);
    const reranking = this.#reranking;
    if (!reranking) return best;
    // Each order's lists are complete for the records posted in it, and together they post
    // every record: the better of the two answers is the answer.
    const other = this.#search.run(
      view(reranking.ranks.rank, reranking.postings),
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
    let bytes = this.#records.memoryBytes() + this.#ranks.rank.byteLength + this.#frequency.byteLength;
    bytes += this.#dictionary.memoryBytes() + this.#postings.memoryBytes() + this.#search.memoryBytes();
    if (this.#reranking)
      bytes += this.#reranking.ranks.rank.byteLength + this.#reranking.postings.memoryBytes();
    return bytes;
  }

  /** Appends the record of `dictionary.ids[0, count)`; returns its id. */
  #add(key: string, count: number): number {
    return this.#records.add(key, this.#dictionary.ids, count, this.#dictionary.size);
  }

  /** Adds `delta` to the frequency of each token of `record`. */
  #count(record: number, delta: number): void {
    if (this.#frequency.length < this.#dictionary.size)
      this.#frequency = grown(this.#frequency, this.#dictionary.size);
    const { offsets, sizes, pool } = this.#records;
    const start = offsets[record]!;
    for (let i = start; i < start + sizes[record]!; i++) this.#frequency[pool[i]!]! += delta;
  }

  /**
   * Orders the record's ids by `rank` (fully, or only its indexed prefix) and posts it under
   * that prefix in `postings`.
   */
  #post(record: number, rank: Int32Array, postings: PostingLists, sort: boolean): void {
    const { offsets, sizes, pool } = this.#records;
    const start = offsets[record]!;
    const size = sizes[record]!;
    const prefix = prefixLength(size, this.#threshold);
    if (sort) sortByRank(pool, start, start + size, rank);
    else selectPrefix(pool, start, start + size, prefix, rank);
    postings.ensure(this.#dictionary.size);
    for (let i = start; i < start + prefix; i++) postings.append(pool[i]!, record, pool, start, size);
  }

  /** Sets a new token order from the current frequencies; records move to it a few per insert. */
  #startReranking(): void {
    const tokens = this.#dictionary.size;
    if (this.#frequency.length < tokens) this.#frequency = grown(this.#frequency, tokens);
    const records = this.#records.keys.length;
    const rank = rankByFrequency(this.#frequency.subarray(0, tokens), records);
    this.#reranking = {
      ranks: new TokenRanks(rank, tokens),
      postings: new PostingLists(),
      cursor: 0,
      end: records,
    };
    this.#rankedAt = this.size;
  }

  #rerankStep(reranking: Reranking): void {
    const keys = this.#records.keys;
    for (let moved = 0; moved < RERANK_STEP && reranking.cursor < reranking.end; reranking.cursor++) {
      if (keys[reranking.cursor] === undefined) continue;
      // Verification counts shared ids in any order, so the old lists stay valid for it.
      this.#post(reranking.cursor, reranking.ranks.rank, reranking.postings, false);
      moved++;
    }
    if (reranking.cursor < reranking.end) return;
    this.#ranks = reranking.ranks;
    this.#postings = reranking.postings;
    this.#reranking = undefined;
  }

  /** Ranks every token by frequency, sorts every record by rank and builds the lists. */
  #finish(): void {
    const tokens = this.#dictionary.size;
    const { keys, offsets, sizes, pool } = this.#records;
    const count = keys.length;
    const frequency = new Int32Array(tokens);
    for (let record = 0; record < count; record++) {
      if (keys[record] === undefined) continue;
      const start = offsets[record]!;
      for (let i = start; i < start + sizes[record]!; i++) frequency[pool[i]!]!++;
    }
    this.#frequency = frequency;
    this.#reranking = undefined;
    this.#ranks = new TokenRanks(rankByFrequency(frequency, count), tokens);
    const rank = this.#ranks.rank;
    const threshold = this.#threshold;
    for (let record = 0; record < count; record++) {
      const start = offsets[record]!;
      const size = sizes[record]!;
      selectPrefix(pool, start, start + size, prefixLength(size, threshold), rank);
    }
    this.#postings.build(tokens, {
      count,
      offsets,
      sizes,
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
    const old = { dictionary: this.#dictionary, records: this.#records };
    const { keys, offsets, sizes, pool } = old.records;
    const remap = new Int32Array(old.dictionary.size).fill(-1);
    this.#dictionary = new TokenDictionary();
    this.#records = new RecordPool();
    this.#records.reserve(old.records.size);
    this.#deleted = 0;
    for (let record = 0; record < keys.length; record++) {
      const key = keys[record];
      if (key === undefined) continue;
      const start = offsets[record]!;
      const size = sizes[record]!;
      this.#dictionary.reserve(size);
      const scratch = this.#dictionary.ids;
      for (let i = 0; i < size; i++) {
        const id = pool[start + i]!;
        if (remap[id] === -1) remap[id] = this.#dictionary.intern(old.dictionary.token(id));
        scratch[i] = remap[id]!;
      }
      this.#add(key, size);
    }
    this.#finish();
  }
}
