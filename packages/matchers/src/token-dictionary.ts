import { tokenSet } from './tokenize.js';

const EMPTY = -1;

/** FNV-1a step over one UTF-16 code unit. */
const step = (hash: number, code: number) => Math.imul(hash ^ code, 0x01000193);
const FNV_OFFSET = 0x811c9dc5 | 0;

/** Spreads the low bits, which pick the slot, over the whole FNV state. */
function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** A-Z folded to a-z; every other code unit unchanged. */
const lower = (code: number) => (code >= 65 && code <= 90 ? code | 32 : code);

/** Letters and digits of printable ASCII: the only word characters `words` sees in such text. */
const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);

/**
 * Token strings interned to dense integer ids, in an open-addressing hash table of ids.
 * Printable-ASCII prompts are interned straight from the prompt's code units (hashed and
 * compared case-folded while scanning): no lowercased copy, no array of words and no
 * substring per word — a token's string is created once, when the token is first seen.
 * That was most of the build time at a million prompts. Any other text goes through
 * `tokenSet` (NFKC and Unicode classes), which yields the same tokens for ASCII text.
 */
export class TokenDictionary {
  #tokens: string[] = [];
  #hashes = new Int32Array(64);
  #table = new Int32Array(1024).fill(EMPTY);
  #mask = 1023;
  /** Ids written by the last `internPrompt`, duplicates included. */
  ids = new Int32Array(64);
  /** Word boundaries (start, end pairs) of the prompt being scanned. */
  #bounds = new Int32Array(128);

  get size(): number {
    return this.#tokens.length;
  }

  token(id: number): string {
    return this.#tokens[id]!;
  }

  /** The id of a token, or -1 if no record ever held it. */
  get(token: string): number {
    return this.#find(token, this.#hashOf(token));
  }

  intern(token: string): number {
    const hash = this.#hashOf(token);
    const id = this.#find(token, hash);
    return id === EMPTY ? this.#add(token, hash) : id;
  }

  #find(token: string, hash: number): number {
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const id = this.#table[slot]!;
      if (id === EMPTY) return EMPTY;
      if (this.#hashes[id] === hash && this.#tokens[id] === token) return id;
    }
  }

  /**
   * Interns the tokens of `prompt` (shingles of `shingleSize` words) into `this.ids` and
   * returns how many were written; a token may repeat.
   */
  internPrompt(prompt: string, shingleSize: number): number {
    if (shingleSize === 1) {
      const words = this.#scanAscii(prompt);
      if (words >= 0) {
        const bounds = this.#bounds;
        this.reserve(words);
        for (let w = 0; w < words; w++) this.ids[w] = this.#internRange(prompt, bounds[2 * w]!, bounds[2 * w + 1]!);
        return words;
      }
    }
    const tokens = tokenSet(prompt, shingleSize);
    this.reserve(tokens.size);
    let count = 0;
    for (const token of tokens) this.ids[count++] = this.intern(token);
    return count;
  }

  /** Bytes of the table and token strings (one-byte strings: length + 24, array slot 8). */
  memoryBytes(): number {
    let bytes = this.#table.byteLength + this.#hashes.byteLength + this.ids.byteLength + this.#bounds.byteLength;
    for (const token of this.#tokens) bytes += token.length + 24 + 8;
    return bytes;
  }

  /** Word boundaries of a printable-ASCII prompt into `#bounds`; -1 for any other text. */
  #scanAscii(prompt: string): number {
    let words = 0;
    let start = -1;
    for (let i = 0; i < prompt.length; i++) {
      const code = prompt.charCodeAt(i);
      if (code < 0x20 || code > 0x7e) return -1;
      if (isWordCode(code)) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        words = this.#bound(words, start, i);
        start = -1;
      }
    }
    return start >= 0 ? this.#bound(words, start, prompt.length) : words;
  }

  #bound(words: number, start: number, end: number): number {
    if (this.#bounds.length < 2 * words + 2) {
      const next = new Int32Array(this.#bounds.length * 2);
      next.set(this.#bounds);
      this.#bounds = next;
    }
    this.#bounds[2 * words] = start;
    this.#bounds[2 * words + 1] = end;
    return words + 1;
  }

  /** The id of `text[start, end)` lowercased, interned if new. */
  #internRange(text: string, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) hash = step(hash, lower(text.charCodeAt(i)));
    hash = finish(hash);
    const length = end - start;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const id = this.#table[slot]!;
      if (id === EMPTY) return this.#add(text.slice(start, end).toLowerCase(), hash);
      if (this.#hashes[id] !== hash) continue;
      const token = this.#tokens[id]!;
      if (token.length !== length) continue;
      let i = 0;
      while (i < length && token.charCodeAt(i) === lower(text.charCodeAt(start + i))) i++;
      if (i === length) return id;
    }
  }

  #hashOf(token: string): number {
    let hash = FNV_OFFSET;
    for (let i = 0; i < token.length; i++) hash = step(hash, token.charCodeAt(i));
    return finish(hash);
  }

  #add(token: string, hash: number): number {
    const id = this.#tokens.length;
    this.#tokens.push(token);
    if (id === this.#hashes.length) {
      const hashes = new Int32Array(id * 2);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    this.#hashes[id] = hash;
    // Load factor at most 1/2 keeps probe runs short.
    if (2 * (id + 1) > this.#table.length) this.#rehash(this.#table.length * 2);
    else this.#place(id);
    return id;
  }

  #place(id: number): void {
    let slot = this.#hashes[id]! & this.#mask;
    while (this.#table[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
    this.#table[slot] = id;
  }

  #rehash(capacity: number): void {
    this.#table = new Int32Array(capacity).fill(EMPTY);
    this.#mask = capacity - 1;
    for (let id = 0; id < this.#tokens.length; id++) this.#place(id);
  }

  /** Makes `ids` hold at least `count` ids. */
  reserve(count: number): void {
    if (this.ids.length < count) this.ids = new Int32Array(Math.max(count, this.ids.length * 2));
  }
}
