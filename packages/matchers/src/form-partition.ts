import { formHash } from './form-hash.js';
import { FormTable, type HashStore } from './form-table.js';
import type { MirroredPartition } from './index-mirror.js';
import { KeyTable } from './key-table.js';
import type { FormKind, FormRules } from './prompt-forms.js';

/** Hash slots per record: two canonical forms, then two content forms (see `PromptForms`). */
const SLOTS = 4;
const NO_FORM = -1;

/**
 * The entry keys of one (type, paramsHash) partition by the hashes of their canonical forms,
 * and optionally of their content forms: a lookup is one or two map accesses. Prompts
 * without a form (no word, too long) are held for bookkeeping only and never found.
 */
export class FormPartition implements MirroredPartition {
  readonly #rules: FormRules;
  readonly #kind: FormKind;
  readonly #withContent: boolean;
  readonly #records = new KeyTable();
  /** Entry `record * SLOTS + i`: the hash of the record's i-th form, or NO_FORM. */
  readonly #store: HashStore = { hashes: new Float64Array(16 * SLOTS) };
  readonly #canonical = new FormTable(this.#store);
  readonly #content = new FormTable(this.#store);

  constructor(rules: FormRules, kind: FormKind, withContent: boolean) {
    this.#rules = rules;
    this.#kind = kind;
    this.#withContent = withContent;
  }

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
    const record = this.#records.add(key);
    if (record < 0) return;
    if ((record + 1) * SLOTS > this.#store.hashes.length) {
      const next = new Float64Array(this.#store.hashes.length * 2);
      next.set(this.#store.hashes);
      this.#store.hashes = next;
    }
    const forms = this.#rules.forms(this.#kind, prompt);
    const { hashes } = this.#store;
    const at = record * SLOTS;
    for (let i = 0; i < 2; i++) {
      const canonical = forms?.canonical[i];
      const content = this.#withContent ? forms?.content[i] : undefined;
      hashes[at + i] = canonical === undefined ? NO_FORM : formHash(canonical);
      // Without fillers or boosters the content form is the canonical one: hash it once.
      hashes[at + 2 + i] =
        content === undefined ? NO_FORM : content === canonical ? hashes[at + i]! : formHash(content);
      if (canonical !== undefined) this.#canonical.add(at + i);
      if (content !== undefined) this.#content.add(at + 2 + i);
    }
  }

  delete(key: string): boolean {
    const record = this.#records.delete(key);
    if (record < 0) return false;
    const { hashes } = this.#store;
    const at = record * SLOTS;
    for (let i = 0; i < 2; i++) {
      if (hashes[at + i] !== NO_FORM) this.#canonical.remove(at + i);
      if (hashes[at + 2 + i] !== NO_FORM) this.#content.remove(at + 2 + i);
    }
    return true;
  }

  /** Keys sharing a canonical form's hash with `forms` (the caller confirms), smallest first. */
  canonical(forms: readonly string[]): readonly string[] {
    return this.#lookup(this.#canonical, forms);
  }

  /** Keys sharing a content form's hash with `forms`, smallest first. */
  content(forms: readonly string[]): readonly string[] {
    return this.#lookup(this.#content, forms);
  }

  #lookup(table: FormTable, forms: readonly string[]): readonly string[] {
    const keys = new Set<string>();
    for (const form of forms) {
      table.find(formHash(form), (entry) => {
        const key = this.#records.keys[Math.floor(entry / SLOTS)];
        if (key !== undefined) keys.add(key);
      });
    }
    return keys.size <= 1 ? [...keys] : [...keys].sort();
  }

  /** Bytes of the hash array, the two tables and the key table (key strings are the index's). */
  memoryBytes(): number {
    return (
      this.#store.hashes.byteLength +
      this.#canonical.memoryBytes() +
      this.#content.memoryBytes() +
      this.#records.memoryBytes()
    );
  }
}
