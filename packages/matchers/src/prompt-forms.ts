import { imageForms, type PhraseTable, phraseTable } from './image-form.js';
import { speechForms } from './speech-form.js';
import type { WordLists } from './word-lists.js';

/** How a type's prompts are put in canonical form: as spoken text, or as an image prompt. */
export type FormKind = 'speech' | 'image';

/**
 * The forms matching compares. A prompt may have two of each (an image prompt as a set of
 * tags, and as its words in order whatever the commas); two prompts match when they share one.
 */
export interface PromptForms {
  /** A shared canonical form: the same request written differently. Never empty. */
  canonical: readonly string[];
  /**
   * Canonical forms without what the guard may ignore (image fillers and boosters, speech
   * disfluencies); empty when nothing is left to compare, which the guard never matches.
   */
  content: readonly string[];
}

/** Whether two lists of forms share one. */
export function shareForm(a: readonly string[], b: readonly string[]): boolean {
  return a.some((form) => b.includes(form));
}

/**
 * Longest prompt put in canonical form, in UTF-16 code units. A longer prompt (a pasted
 * document, a 10 MB mistake) is matched exactly only: its forms would cost more to compute
 * and hold than a generation saves, and no one rewrites such a prompt by hand.
 */
export const MAX_FORM_LENGTH = 10_000;

/** Word lists with the derived sets the forms read on every prompt. */
export class FormRules {
  readonly lists: WordLists;
  readonly articles: ReadonlySet<string>;
  readonly ignorable: PhraseTable;
  readonly disfluencies: ReadonlySet<string>;
  /** `lists.synonyms` as a map: a prompt word is never read as an object property. */
  readonly synonyms: ReadonlyMap<string, string>;
  /** Every word a run of number words may hold. */
  readonly numberWords: ReadonlySet<string>;

  constructor(lists: WordLists) {
    this.lists = lists;
    this.articles = new Set(lists.articles);
    this.synonyms = new Map(Object.entries(lists.synonyms));
    this.numberWords = new Set(
      [...lists.units, ...lists.tens, lists.scales.hundred, ...lists.scales.groups].filter(Boolean),
    );
    // Last: the phrases are read in canonical words, which the sets above define.
    this.ignorable = phraseTable([...lists.fillers, ...lists.boosters], this);
    this.disfluencies = new Set(lists.disfluencies);
  }

  /** The forms of `prompt`; `undefined` when it has no word or is too long to compare. */
  forms(kind: FormKind, prompt: string): PromptForms | undefined {
    if (prompt.length > MAX_FORM_LENGTH) return undefined;
    return kind === 'speech' ? speechForms(prompt, this) : imageForms(prompt, this);
  }
}
