import { type FormMatcher, formMatcher } from './form-matcher.js';
import { similarityGuard } from './guard.js';
import { refuseUnknownOptions } from './invalid-option.js';
import type { FormKind } from './prompt-forms.js';
import type { FormOptions } from './word-list-options.js';

export interface CanonicalMatcherOptions extends FormOptions {
  /**
   * How each asset type's prompts are put in canonical form; types not listed get no
   * canonical hit.
   * @default { tts: 'speech', image: 'image' }
   */
  forms?: Readonly<Record<string, FormKind>>;
  /**
   * The matcher's name, as core reports it in `match:<name>` errors and explanations.
   * @default 'canonical'
   */
  name?: string;
}

export type CanonicalMatcher = FormMatcher;

/**
 * Equivalence, not similarity: a stored entry answers when its prompt has the request's
 * canonical form (the same request written differently; see the README for the rules per
 * form). Kind `canonical`, score 1, an explanation listing what differed. One map access and
 * one index lookup per request.
 */
export function canonicalMatcher(options: CanonicalMatcherOptions = {}): CanonicalMatcher {
  refuseUnknownOptions<CanonicalMatcherOptions>(options, ['language', 'words', 'forms', 'name']);
  const { name, ...guardOptions } = options;
  const guard = similarityGuard(guardOptions);
  return formMatcher({ name: name ?? 'canonical', policy: 'canonical', guard, similar: false });
}
