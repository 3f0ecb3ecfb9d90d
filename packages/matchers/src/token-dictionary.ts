import { grown } from './int32-growth.js';
import { tokenSet } from './tokenize.js';

const EMPTY = -1;
/** Int32 slots per table entry: token id, then the token's packed code units (or 0, hash, 0). */
const ENTRY = 4;
/** Tokens up to this many code units below 128 are stored in the table entry itself. */
const PACKED_MAX = 12;

/** A-Z folded to a-z; every other code unit unchanged. */
const lower = (code: number) => (code >= 65 && code <= 90 ? code | 32 : code);

/** Letters and digits of printable ASCII: the only word characters `words` sees in such text. */
const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);

function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

function fnv(token: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return mix(hash, 0, 0);
}

/**
 * Token strings interned to dense integer ids in an open-addressing table. A token of at
 * most 12 code units below 128 (nearly every word) is packed, a byte per code unit, into
 * the table entry: finding it compares three integers in one cache line instead of
 * following a string. Printable-ASCII prompts are scanned straight from their code units
 * (case-folded while packing): no lowercased copy, no array of words, no substring per
 * word — a token's string is created once, when the token is first seen. That was most of
 * the build time at a million prompts. Other text goes through `tokenSet` (NFKC, Unicode
 * classes), which yields the same tokens for ASCII text.
 */
export class TokenDictionary {
  #tokens: string[] = [];
  #table = new Int32Array(1024 * ENTRY).fill(EMPTY);
  #mask = 1023;
  /** Ids written by the last `internPrompt`, duplicates included. */
  ids = new Int32Array(64);
  /** Words of the prompt being scanned that were not in the table: id position, start, end. */
  #pending = new Int32Array(48);

  get size(): number {
    return this.#tokens.length;
  }

  token(id: number): string {
    return this.#tokens[id]!;
  }

  /** The id of a token, or -1 if it was never interned. */
  get(token: string): number {
    return this.#lookup(token, false);
  }

  intern(token: string): number {
    return this.#lookup(token, true);
  }

  /**
   * Interns the tokens of `prompt` (shingles of `shingleSize` words) into `this.ids` and
   * returns how many were written; a token may repeat.
   */
  internPrompt(prompt: string, shingleSize: number): number {
    if (shingleSize === 1) {
      const words = this.#scanAscii(prompt);
      if (words >= 0) return words;
    }
    const tokens = tokenSet(prompt, shingleSize);
    this.reserve(tokens.size);
    let count = 0;
    for (const token of tokens) this.ids[count++] = this.intern(token);
    return count;
  }

  /** Makes `ids` hold at least `count` ids. */
  reserve(count: number): void {
    if (this.ids.length < count) this.ids = new Int32Array(Math.max(count, this.ids.length * 2));
  }

  /** Bytes of the table and token strings (one-byte strings: length + 24, array slot 8). */
  memoryBytes(): number {
    let bytes = this.#table.byteLength + this.ids.byteLength + this.#pending.byteLength;
    for (const token of this.#tokens) bytes += token.length + 24 + 8;
    return bytes;
  }

  /**
   * Interns the words of a printable-ASCII prompt into `ids`; -1 (nothing interned) for any
   * other text. Words not yet known are only added once the whole prompt proved ASCII, so
   * an abandoned scan leaves no token behind.
   */
  #scanAscii(prompt: string): number {
    let words = 0;
    let pending = 0;
    let length = 0;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let start = 0;
    // One step past the end, as a separator, closes the last word.
    for (let i = 0; i <= prompt.length; i++) {
      const code = i < prompt.length ? prompt.charCodeAt(i) : 32;
      if (code < 0x20 || code > 0x7e) return -1;
      if (isWordCode(code)) {
        if (length === 0) start = i;
        const shift = (length & 3) << 3;
        if (length < 4) w0 |= lower(code) << shift;
        else if (length < 8) w1 |= lower(code) << shift;
        else if (length < PACKED_MAX) w2 |= lower(code) << shift;
        length++;
        continue;
      }
      if (length === 0) continue;
      if (words === this.ids.length) this.reserve(words + 1);
      const id = length <= PACKED_MAX ? this.#findPacked(w0, w1, w2) : EMPTY;
      if (id === EMPTY) {
        if (3 * pending + 3 > this.#pending.length) this.#pending = grown(this.#pending);
        this.#pending[3 * pending] = words;
        this.#pending[3 * pending + 1] = start;
        this.#pending[3 * pending + 2] = i;
        pending++;
      }
      this.ids[words++] = id;
      length = w0 = w1 = w2 = 0;
    }
    for (let p = 0; p < pending; p++) {
      const token = prompt.slice(this.#pending[3 * p + 1], this.#pending[3 * p + 2]).toLowerCase();
      this.ids[this.#pending[3 * p]!] = this.intern(token);
    }
    return words;
  }

  #findPacked(w0: number, w1: number, w2: number): number {
    const table = this.#table;
    for (let slot = mix(w0, w1, w2) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const at = slot * ENTRY;
      const id = table[at]!;
      if (id === EMPTY || (table[at + 1] === w0 && table[at + 2] === w1 && table[at + 3] === w2)) return id;
    }
  }

  #lookup(token: string, add: boolean): number {
    let w0 = 0;
    let w1 = 0;
    let w2 = token.length <= PACKED_MAX ? 0 : -1;
    for (let i = 0; w2 !== -1 && i < token.length; i++) {
      const code = token.charCodeAt(i);
      if (code === 0 || code > 127) w2 = -1;
      else if (i < 4) w0 |= code << (i << 3);
      else if (i < 8) w1 |= code << ((i - 4) << 3);
      else w2 |= code << ((i - 8) << 3);
    }
    if (w2 !== -1) {
      const id = this.#findPacked(w0, w1, w2);
      return id === EMPTY && add ? this.#add(token, w0, w1, w2) : id;
    }
    // Not packable: the entry holds 0 (no packed token starts with 0) and the hash.
    const hash = fnv(token);
    const table = this.#table;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const at = slot * ENTRY;
      const id = table[at]!;
      if (id === EMPTY) return add ? this.#add(token, 0, hash, 0) : EMPTY;
      if (table[at + 1] === 0 && table[at + 2] === hash && this.#tokens[id] === token) return id;
    }
  }

  #add(token: string, w0: number, w1: number, w2: number): number {
    const id = this.#tokens.length;
    this.#tokens.push(token);
    // Load factor at most 1/2 keeps probe runs short.
    if (2 * (id + 1) > this.#mask + 1) this.#rehash((this.#mask + 1) * 2);
    this.#place(id, w0, w1, w2);
    return id;
  }

  #place(id: number, w0: number, w1: number, w2: number): void {
    const hash = w0 === 0 ? w1 : mix(w0, w1, w2);
    let slot = hash & this.#mask;
    while (this.#table[slot * ENTRY] !== EMPTY) slot = (slot + 1) & this.#mask;
    const at = slot * ENTRY;
    this.#table[at] = id;
    this.#table[at + 1] = w0;
    this.#table[at + 2] = w1;
    this.#table[at + 3] = w2;
  }

  #rehash(capacity: number): void {
    const old = this.#table;
    this.#table = new Int32Array(capacity * ENTRY).fill(EMPTY);
    this.#mask = capacity - 1;
    for (let at = 0; at < old.length; at += ENTRY) {
      if (old[at] !== EMPTY) this.#place(old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]!);
    }
  }
}
