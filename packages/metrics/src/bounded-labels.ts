/** The label value that stands for every type past `maxTypes`. */
export const OTHER_TYPE = 'other';

/** The label given to failures and evictions of the index, which are not a tier's. */
export const INDEX_LABEL = 'index';

/**
 * Keeps the `type` label's cardinality bounded: the first `maxTypes` types seen keep their
 * name, later ones share `other`. Types are short names chosen by the application (`tts`,
 * `image`), never prompts or keys, so a well-behaved app never reaches the bound.
 */
export class TypeLabels {
  readonly #known = new Set<string>();

  constructor(private readonly maxTypes: number) {}

  label(type: string): string {
    if (this.#known.has(type)) return type;
    if (this.#known.size >= this.maxTypes) return OTHER_TYPE;
    this.#known.add(type);
    return type;
  }
}
