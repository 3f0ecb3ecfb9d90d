import { tokenSet } from './tokenize.js';

/** The best stored prompt for a query, as `TokenIndex.search` finds it. */
export interface TokenMatch {
  key: string;
  score: number;
}

// Float slack for the integer bounds derived from the threshold: the filters may only ever
// let extra candidates through (verification then decides exactly), never drop one.
const SLACK = 1e-9;
// Deleted records stay in the posting lists until this many exist and they outnumber the
// live ones; then the lists are rebuilt without them.
const COMPACT_AFTER = 1024;

function grow(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Int32Array(Math.max(needed, array.length * 2, 4));
  next.set(array);
  return next;
}

/**
 * An inverted index over the token sets of one (type, paramsHash) partition. Tokens are
 * interned to integer ids; each record's ids live sorted in one shared pool; each token
 * keeps a posting list of record ids. Every token of every record is indexed, so the
 * prefix filter is applied on the query side only and stays correct while token
 * frequencies change with inserts and deletes.
 */
export class TokenIndex {
  readonly #shingleSize: number;
  #dictionary = new Map<string, number>();
  #tokens: string[] = [];
  #postings: Int32Array<ArrayBuffer>[] = [];
  #postingLengths = new Int32Array(0);
  #keys: (string | undefined)[] = [];
  #keyToRecord = new Map<string, number>();
  #offsets = new Int32Array(0);
  #sizes = new Int32Array(0);
  #pool = new Int32Array(0);
  #poolLength = 0;
  #deleted = 0;
  #seen = new Int32Array(0);
  #seenEpoch = 0;
  #mark = new Int32Array(0);
  #markEpoch = 0;

  constructor(shingleSize: number) {
    this.#shingleSize = shingleSize;
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
    const tokens = tokenSet(prompt, this.#shingleSize);
    const ids = new Int32Array(tokens.size);
    let i = 0;
    for (const token of tokens) ids[i++] = this.#intern(token);
    ids.sort();
    this.#append(key, ids);
  }

  delete(key: string): boolean {
    const record = this.#keyToRecord.get(key);
    if (record === undefined) return false;
    this.#keyToRecord.delete(key);
    this.#keys[record] = undefined;
    this.#deleted++;
    if (this.#deleted >= COMPACT_AFTER && this.#deleted > this.#keyToRecord.size) this.#compact();
    return true;
  }

  /**
   * The stored record with the highest Jaccard similarity ≥ `threshold` to the query token
   * set (ties: the smallest key), skipping `excludeKey`. Exactly what a scan would return.
   */
  search(query: ReadonlySet<string>, threshold: number, excludeKey?: string): TokenMatch | undefined {
    const n = query.size;
    if (n === 0) return undefined;
    // Any record reaching the threshold shares at least ⌈t·n⌉ tokens with the query, so it
    // holds at least one of ANY n − ⌈t·n⌉ + 1 query tokens: probe the rarest ones.
    const minShared = Math.max(1, Math.ceil(threshold * n - SLACK));
    const probeBudget = n - minShared + 1;
    const known: number[] = [];
    for (const token of query) {
      const id = this.#dictionary.get(token);
      if (id !== undefined) known.push(id);
    }
    // Unknown tokens are the rarest of all (no record holds them) and use up the budget.
    const probes = probeBudget - (n - known.length);
    if (probes <= 0) return undefined;
    const lengths = this.#postingLengths;
    known.sort((a, b) => lengths[a]! - lengths[b]! || a - b);

    const mark = this.#mark;
    const markEpoch = ++this.#markEpoch;
    for (const id of known) mark[id] = markEpoch;
    const seen = this.#seen;
    const seenEpoch = ++this.#seenEpoch;
    const minSize = Math.ceil(threshold * n - SLACK);
    const maxSize = Math.floor(n / threshold + SLACK);
    const keys = this.#keys;
    const sizes = this.#sizes;
    const offsets = this.#offsets;
    const pool = this.#pool;
    let bestScore = -1;
    let bestKey: string | undefined;
    let bar = threshold;
    for (let p = 0; p < probes; p++) {
      const id = known[p]!;
      const list = this.#postings[id]!;
      const length = lengths[id]!;
      for (let i = 0; i < length; i++) {
        const record = list[i]!;
        if (seen[record] === seenEpoch) continue;
        seen[record] = seenEpoch;
        const m = sizes[record]!;
        if (m < minSize || m > maxSize) continue;
        const key = keys[record];
        if (key === undefined || key === excludeKey) continue;
        // J ≥ bar needs shared ≥ bar·(n + m)/(1 + bar); stop counting once it is out of reach.
        const needed = Math.ceil((bar * (n + m)) / (1 + bar) - SLACK);
        const allowedMisses = m - needed;
        if (allowedMisses < 0) continue;
        let shared = 0;
        let misses = 0;
        const start = offsets[record]!;
        const end = start + m;
        for (let j = start; j < end; j++) {
          if (mark[pool[j]!] === markEpoch) shared++;
          else if (++misses > allowedMisses) break;
        }
        if (misses > allowedMisses) continue;
        const score = shared / (n + m - shared);
        if (score < threshold) continue;
        if (score > bestScore || (score === bestScore && bestKey !== undefined && key < bestKey)) {
          bestScore = score;
          bestKey = key;
          bar = score;
        }
      }
    }
    return bestKey === undefined ? undefined : { key: bestKey, score: bestScore };
  }

  /** Bytes held by this partition's structures (typed arrays exactly, maps and strings estimated). */
  memoryBytes(): number {
    let bytes = this.#pool.byteLength + this.#offsets.byteLength + this.#sizes.byteLength;
    bytes += this.#seen.byteLength + this.#mark.byteLength + this.#postingLengths.byteLength;
    // A typed array object and its backing store cost about 120 bytes beyond their elements.
    for (const list of this.#postings) bytes += list.byteLength + 120;
    // Map entries about 40 bytes, array slots 8, one-byte strings length + 24.
    for (const token of this.#tokens) bytes += token.length + 24 + 40 + 8;
    for (const key of this.#keyToRecord.keys()) bytes += key.length + 24 + 40 + 8;
    return bytes;
  }

  #intern(token: string): number {
    let id = this.#dictionary.get(token);
    if (id === undefined) {
      id = this.#tokens.length;
      this.#dictionary.set(token, id);
      this.#tokens.push(token);
      this.#postings.push(new Int32Array(2));
      this.#postingLengths = grow(this.#postingLengths, id + 1);
      this.#mark = grow(this.#mark, id + 1);
    }
    return id;
  }

  #append(key: string, ids: Int32Array<ArrayBuffer>): void {
    const record = this.#keys.length;
    this.#keys.push(key);
    this.#keyToRecord.set(key, record);
    this.#offsets = grow(this.#offsets, record + 1);
    this.#sizes = grow(this.#sizes, record + 1);
    this.#seen = grow(this.#seen, record + 1);
    this.#offsets[record] = this.#poolLength;
    this.#sizes[record] = ids.length;
    this.#pool = grow(this.#pool, this.#poolLength + ids.length);
    this.#pool.set(ids, this.#poolLength);
    this.#poolLength += ids.length;
    for (const id of ids) {
      const length = this.#postingLengths[id]!;
      let list = this.#postings[id]!;
      if (length === list.length) {
        list = grow(list, length + 1);
        this.#postings[id] = list;
      }
      list[length] = record;
      this.#postingLengths[id] = length + 1;
    }
  }

  /** Rebuilds every structure from the live records, dropping tokens no record holds. */
  #compact(): void {
    const live: [string, Int32Array][] = [];
    for (const [key, record] of this.#keyToRecord) {
      const start = this.#offsets[record]!;
      live.push([key, this.#pool.subarray(start, start + this.#sizes[record]!)]);
    }
    const oldTokens = this.#tokens;
    this.#dictionary = new Map();
    this.#tokens = [];
    this.#postings = [];
    this.#postingLengths = new Int32Array(0);
    this.#mark = new Int32Array(0);
    this.#keys = [];
    this.#keyToRecord = new Map();
    this.#offsets = new Int32Array(0);
    this.#sizes = new Int32Array(0);
    this.#seen = new Int32Array(0);
    // `live` holds views into the old pool, which keeps it alive until the loop is done.
    this.#pool = new Int32Array(0);
    this.#poolLength = 0;
    this.#deleted = 0;
    for (const [key, oldIds] of live) {
      const ids = new Int32Array(oldIds.length);
      for (let i = 0; i < oldIds.length; i++) ids[i] = this.#intern(oldTokens[oldIds[i]!]!);
      ids.sort();
      this.#append(key, ids);
    }
  }
}
