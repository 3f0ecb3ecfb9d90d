import { formHash } from './form-hash.js';
import type { MirroredPartition } from './index-mirror.js';
import { KeyTable } from './key-table.js';
import type { FormKind, FormRules } from './prompt-forms.js';

type Keys = string | string[];

function add(table: Map<number, Keys>, hash: number, key: string): void {
  const held = table.get(hash);
  if (held === undefined) table.set(hash, key);
  else if (held === key || (Array.isArray(held) && held.includes(key))) return;
  else if (typeof held === 'string') table.set(hash, [held, key]);
  else held.push(key);
}

function remove(table: Map<number, Keys>, hash: number, key: string): void {
  const held = table.get(hash);
  if (held === key) table.delete(hash);
  else if (Array.isArray(held)) {
    const rest = held.filter((k) => k !== key);
    if (rest.length === 0) table.delete(hash);
    else table.set(hash, rest.length === 1 ? rest[0]! : rest);
  }
}

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
  #hashes = new Float64Array(16 * SLOTS);
  readonly #canonical = new Map<number, Keys>();
  readonly #content = new Map<number, Keys>();

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
    if ((record + 1) * SLOTS > this.#hashes.length) {
      const next = new Float64Array(this.#hashes.length * 2);
      next.set(this.#hashes);
      this.#hashes = next;
    }
    const forms = this.#rules.forms(this.#kind, prompt);
    const at = record * SLOTS;
    for (let i = 0; i < 2; i++) {
      const canonical = forms?.canonical[i];
      const content = this.#withContent ? forms?.content[i] : undefined;
      this.#hashes[at + i] = canonical === undefined ? NO_FORM : formHash(canonical);
      this.#hashes[at + 2 + i] = content === undefined ? NO_FORM : formHash(content);
      if (canonical !== undefined) add(this.#canonical, this.#hashes[at + i]!, key);
      if (content !== undefined) add(this.#content, this.#hashes[at + 2 + i]!, key);
    }
  }

  delete(key: string): boolean {
    const record = this.#records.delete(key);
    if (record < 0) return false;
    const at = record * SLOTS;
    for (let i = 0; i < 2; i++) {
      const canonical = this.#hashes[at + i]!;
      const content = this.#hashes[at + 2 + i]!;
      if (canonical !== NO_FORM) remove(this.#canonical, canonical, key);
      if (content !== NO_FORM) remove(this.#content, content, key);
    }
    return true;
  }

  /** Keys sharing a canonical form's hash with `forms` (the caller confirms), smallest first. */
  canonical(forms: readonly string[]): readonly string[] {
    return lookup(this.#canonical, forms);
  }

  /** Keys sharing a content form's hash with `forms`, smallest first. */
  content(forms: readonly string[]): readonly string[] {
    return lookup(this.#content, forms);
  }

  /** Estimated bytes: the hash array and key table exactly, about 80 bytes per map entry. */
  memoryBytes(): number {
    return (
      this.#hashes.byteLength + this.#records.memoryBytes() + 80 * (this.#canonical.size + this.#content.size)
    );
  }
}

function lookup(table: ReadonlyMap<number, Keys>, forms: readonly string[]): readonly string[] {
  if (forms.length === 1) {
    const keys = table.get(formHash(forms[0]!));
    if (keys === undefined) return [];
    return typeof keys === 'string' ? [keys] : [...keys].sort();
  }
  const out = new Set<string>();
  for (const form of forms) {
    const keys = table.get(formHash(form));
    if (typeof keys === 'string') out.add(keys);
    else if (keys) for (const key of keys) out.add(key);
  }
  return [...out].sort();
}
