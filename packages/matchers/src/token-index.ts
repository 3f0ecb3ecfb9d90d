import { tokenSet, words } from './tokenize.js';

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
// Below this many candidates, reading their token arrays beats consulting more lists.
const VERIFY_DIRECTLY = 32;

/** Binary search in the first `length` items of a posting list (record ids ascend). */
function contains(list: Int32Array, length: number, record: number): boolean {
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = list[mid]!;
    if (value === record) return true;
    if (value < record) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

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
  /** Per record: probed lists holding it during one search; all zero between searches. */
  #counts = new Int32Array(0);
  #touched = new Int32Array(0);
  #candidates = new Int32Array(0);
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
    // Single words come straight from the splitter; duplicates are dropped by id in #add.
    this.#post(this.#record(key, this.#tokenize(prompt)));
  }

  /**
   * Fills an empty index with many records at once: lists are sized from the token counts
   * and filled in one pass over the pool, several times faster than inserting one by one.
   */
  load(entries: readonly { key: string; prompt: string }[]): void {
    if (this.size > 0 || this.#keys.length > 0) {
      for (const { key, prompt } of entries) this.insert(key, prompt);
      return;
    }
    for (const { key, prompt } of entries) {
      if (!this.#keyToRecord.has(key)) this.#record(key, this.#tokenize(prompt));
    }
    this.#buildPostings();
  }

  /** Builds every posting list from the pool (all records, none posted yet). */
  #buildPostings(): void {
    const tokenCount = this.#dictionary.size;
    const starts = new Int32Array(tokenCount + 1);
    for (let i = 0; i < this.#poolLength; i++) starts[this.#pool[i]! + 1]!++;
    for (let id = 0; id < tokenCount; id++) starts[id + 1]! += starts[id]!;
    const all = new Int32Array(starts[tokenCount]!);
    const fill = starts.slice(0, tokenCount);
    for (let record = 0; record < this.#keys.length; record++) {
      const start = this.#offsets[record]!;
      const end = start + this.#sizes[record]!;
      for (let i = start; i < end; i++) all[fill[this.#pool[i]!]!++] = record;
    }
    // Views into one buffer; a list that outgrows its view moves to an array of its own.
    for (let id = 0; id < tokenCount; id++) {
      this.#postings[id] = all.subarray(starts[id]!, starts[id + 1]!);
      this.#postingLengths[id] = starts[id + 1]! - starts[id]!;
    }
  }

  #tokenize(prompt: string): string[] {
    // Single words come straight from the splitter; duplicates are dropped by id in #record.
    return this.#shingleSize === 1 ? words(prompt) : [...tokenSet(prompt, this.#shingleSize)];
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
    const known: number[] = [];
    for (const token of query) {
      const id = this.#dictionary.get(token);
      if (id !== undefined) known.push(id);
    }
    // Any record reaching the threshold shares at least ⌈t·n⌉ tokens with the query, so it
    // holds at least one of ANY n − ⌈t·n⌉ + 1 query tokens: the rarest ones are probed.
    // Unknown tokens are the rarest of all (no record holds them) and use up that budget.
    const minShared = Math.max(1, Math.ceil(threshold * n - SLACK));
    const probes = n - minShared + 1 - (n - known.length);
    if (probes <= 0) return undefined;
    const lengths = this.#postingLengths;
    known.sort((a, b) => lengths[a]! - lengths[b]! || a - b);

    // Phase 1: count, per record, how many of the probed lists hold it.
    const counts = this.#counts;
    let touchedLength = 0;
    for (let p = 0; p < probes; p++) touchedLength += lengths[known[p]!]!;
    if (this.#touched.length < touchedLength) {
      this.#touched = new Int32Array(touchedLength);
      this.#candidates = new Int32Array(touchedLength);
    }
    const touched = this.#touched;
    touchedLength = 0;
    for (let p = 0; p < probes; p++) {
      const list = this.#postings[known[p]!]!;
      const length = lengths[known[p]!]!;
      for (let i = 0; i < length; i++) {
        const record = list[i]!;
        if (counts[record]!++ === 0) touched[touchedLength++] = record;
      }
    }
    try {
      return this.#rank(query, known, probes, threshold, excludeKey, touched.subarray(0, touchedLength));
    } finally {
      for (let i = 0; i < touchedLength; i++) counts[touched[i]!] = 0;
    }
  }

  /**
   * Phase 2: narrows the touched records with the size bound and the count bound (a record
   * missing k of the lists seen so far shares at most known − k tokens), consulting further
   * lists while many candidates remain; phase 3 verifies the survivors exactly.
   */
  #rank(
    query: ReadonlySet<string>,
    known: number[],
    probes: number,
    threshold: number,
    excludeKey: string | undefined,
    touched: Int32Array,
  ): TokenMatch | undefined {
    const n = query.size;
    const counts = this.#counts;
    const sizes = this.#sizes;
    const keys = this.#keys;
    const lengths = this.#postingLengths;
    const excluded = excludeKey === undefined ? -1 : (this.#keyToRecord.get(excludeKey) ?? -1);
    const minSize = Math.ceil(threshold * n - SLACK);
    const maxSize = Math.floor(n / threshold + SLACK);
    const neededFor = (m: number) => Math.ceil((threshold * (n + m)) / (1 + threshold) - SLACK);
    // Filtered into a buffer of its own: `touched` must stay whole for resetting the counts.
    let candidates = this.#candidates;
    let seen = probes;
    let kept = 0;
    for (let i = 0; i < touched.length; i++) {
      const record = touched[i]!;
      const m = sizes[record]!;
      if (m < minSize || m > maxSize || record === excluded || keys[record] === undefined) continue;
      if (counts[record]! + known.length - seen >= neededFor(m)) candidates[kept++] = record;
    }
    candidates = candidates.subarray(0, kept);
    while (candidates.length > VERIFY_DIRECTLY && seen < known.length) {
      const id = known[seen++]!;
      const list = this.#postings[id]!;
      const length = lengths[id]!;
      if (candidates.length * Math.log2(length + 1) < length) {
        for (const record of candidates) if (contains(list, length, record)) counts[record]!++;
      } else {
        // Records outside the candidates may be counted too: they are never read again.
        for (let i = 0; i < length; i++) if (counts[list[i]!]! > 0) counts[list[i]!]!++;
      }
      kept = 0;
      for (let i = 0; i < candidates.length; i++) {
        const record = candidates[i]!;
        if (counts[record]! + known.length - seen >= neededFor(sizes[record]!)) candidates[kept++] = record;
      }
      candidates = candidates.subarray(0, kept);
    }

    const mark = this.#mark;
    const markEpoch = ++this.#markEpoch;
    if (seen < known.length) for (const id of known) mark[id] = markEpoch;
    let bestScore = -1;
    let bestKey: string | undefined;
    for (const record of candidates) {
      const m = sizes[record]!;
      let shared = counts[record]!;
      if (seen < known.length) {
        shared = 0;
        const start = this.#offsets[record]!;
        for (let j = start; j < start + m; j++) if (mark[this.#pool[j]!] === markEpoch) shared++;
      }
      const score = shared / (n + m - shared);
      if (score < threshold) continue;
      const key = keys[record]!;
      if (score > bestScore || (score === bestScore && bestKey !== undefined && key < bestKey)) {
        bestScore = score;
        bestKey = key;
      }
    }
    return bestKey === undefined ? undefined : { key: bestKey, score: bestScore };
  }

  /** Bytes held by this partition's structures (typed arrays exactly, maps and strings estimated). */
  memoryBytes(): number {
    let bytes = this.#pool.byteLength + this.#offsets.byteLength + this.#sizes.byteLength;
    bytes +=
      this.#counts.byteLength +
      this.#touched.byteLength * 2 +
      this.#mark.byteLength +
      this.#postingLengths.byteLength;
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

  /** Interns the tokens and writes their distinct ids, sorted, into the pool. */
  #record(key: string, tokens: readonly string[]): number {
    const record = this.#keys.length;
    this.#keys.push(key);
    this.#keyToRecord.set(key, record);
    this.#offsets = grow(this.#offsets, record + 1);
    this.#sizes = grow(this.#sizes, record + 1);
    this.#counts = grow(this.#counts, record + 1);
    const start = this.#poolLength;
    this.#pool = grow(this.#pool, start + tokens.length);
    const pool = this.#pool;
    const epoch = ++this.#markEpoch;
    // Insertion sort as we go for prompts of tens of tokens (it allocates nothing); a
    // built-in sort afterwards for long ones.
    const short = tokens.length <= 64;
    let end = start;
    for (const token of tokens) {
      const id = this.#intern(token);
      if (this.#mark[id] === epoch) continue;
      this.#mark[id] = epoch;
      let j = end++;
      while (short && j > start && pool[j - 1]! > id) {
        pool[j] = pool[j - 1]!;
        j--;
      }
      pool[j] = id;
    }
    if (!short) pool.subarray(start, end).sort();
    this.#offsets[record] = start;
    this.#sizes[record] = end - start;
    this.#poolLength = end;
    return record;
  }

  /** Appends a record to the posting lists of its tokens. */
  #post(record: number): void {
    const pool = this.#pool;
    const start = this.#offsets[record]!;
    const end = start + this.#sizes[record]!;
    for (let i = start; i < end; i++) {
      const id = pool[i]!;
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
    this.#counts = new Int32Array(0);
    // `live` holds views into the old pool, which keeps it alive until the loop is done.
    this.#pool = new Int32Array(0);
    this.#poolLength = 0;
    this.#deleted = 0;
    for (const [key, oldIds] of live)
      this.#record(
        key,
        Array.from(oldIds, (id) => oldTokens[id]!),
      );
    this.#buildPostings();
  }
}
