import { type FormMatcher, formMatcher } from './form-matcher.js';
import { similarityGuard } from './guard.js';
import { refuseUnknownOptions } from './invalid-option.js';
import type { FormKind } from './prompt-forms.js';
import type { FormOptions } from './word-list-options.js';

export interface GuardedMatcherOptions extends FormOptions {
  /**
   * Asset types that get guarded similar hits, and how their prompts compare. Speech is
   * opt-in (`{ tts: 'speech', image: 'image' }`): a guarded speech hit may only differ in
   * disfluencies ("um"); types not listed get neither canonical nor similar hits.
   * @default { image: 'image' }
   */
  forms?: Readonly<Record<string, FormKind>>;
  /**
   * The matcher's name, as core reports it in `match:<name>` errors and explanations.
   * @default 'guarded'
   */
  name?: string;
}

export type GuardedMatcher = FormMatcher;

/**
 * Guarded, order-aware similarity: a canonical hit when the canonical forms are equal, else a
 * similar hit when the prompts differ only in words the lists call ignorable (articles,
 * fillers such as "image of", quality boosters such as "4k" or "highly detailed"). Any other
 * difference refuses: a negation, a number, a symbol, a colour, a count or plural, any other
 * word, or the same words in another order. The explanation lists each differing word with
 * the rule that allowed it. One map access per request.
 */
export function guardedMatcher(options: GuardedMatcherOptions = {}): GuardedMatcher {
  refuseUnknownOptions<GuardedMatcherOptions>(options, ['language', 'words', 'forms', 'name']);
  const { name, ...guardOptions } = options;
  const guard = similarityGuard({ ...guardOptions, forms: guardOptions.forms ?? { image: 'image' } });
  return formMatcher({ name: name ?? 'guarded', policy: 'guarded', guard, similar: true });
}
